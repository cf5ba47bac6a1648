// IP-conflict and gateway-reachability detection at ADD (Spiderpool's deprecated `detectIPConflict` /
// `detectGateway`, moved into its IPAM later; off unless the NAD turns them on). Node has no raw sockets, so
// both run iputils' `arping` (Debian package iputils-arping) inside the Pod netns on the NIC:
//   conflict  `arping -D -c <retries> -w <timeout> -I <nic> <podIP>`: exit 1 = somebody answered (taken)
//   gateway   `arping -c <retries> -w <timeout> -I <nic> <gw>`: exit 0 = the gateway answered
// IPv4 only: there is no NDP tool in the base system for IPv6 DAD; IPv6 addresses are not probed.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { type IprouteError, toIprouteError } from '../iproute/index.ts';
import type { PodAddress } from './discover.ts';
import { type CoordinatorError, gatewayUnreachable, ipConflict, setupFailed } from './errors.ts';
import type { Exec } from './exec.ts';
import type { CoordinatorConf } from './netconf.ts';

interface Target {
  ifName: string;
  addrs: PodAddress[];
}

/** arping's exit 2 (bad interface, no permission…) is a failure of the probe, not an answer. */
const arpingFailed = (r: { exitCode: number | null; stderr: string }): IprouteError =>
  toIprouteError(['arping'], { exitCode: r.exitCode, signal: null, stdout: '', stderr: r.stderr });

const deadline = (conf: CoordinatorConf): string =>
  String(Math.max(1, Math.ceil((conf.detectOptions.timeoutMs * conf.detectOptions.retries) / 1000)));

/** The IPv4 default gateway of the NIC from the Pod's main table, if any. */
const gatewayOf = (x: Exec, ifName: string): ResultAsync<string | undefined, CoordinatorError> =>
  x
    .ipj('pod', ['-4', 'route', 'show', 'default', 'dev', ifName])
    .map((v) => {
      const row = Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
      return typeof row?.gateway === 'string' ? row.gateway : undefined;
    })
    .mapErr((e) => setupFailed('detect', e));

export const detect = (x: Exec, conf: CoordinatorConf, t: Target): ResultAsync<void, CoordinatorError> => {
  const retries = String(conf.detectOptions.retries);
  const w = deadline(conf);
  const v4 = t.addrs.filter((a) => a.family === 4);
  const conflicts = (): ResultAsync<void, CoordinatorError> =>
    v4.reduce<ResultAsync<void, CoordinatorError>>(
      (acc, a) =>
        acc.andThen(() =>
          x
            .probe('pod', [x.programs.arping, '-D', '-q', '-c', retries, '-w', w, '-I', t.ifName, a.local])
            .mapErr((e) => setupFailed('detect', e))
            .andThen((r) =>
              r.exitCode === 0
                ? okAsync(undefined)
                : r.exitCode === 1
                  ? errAsync(ipConflict(a.local, t.ifName))
                  : errAsync(setupFailed('detect', arpingFailed(r))),
            ),
        ),
      okAsync(undefined),
    );
  const gateway = (): ResultAsync<void, CoordinatorError> =>
    gatewayOf(x, t.ifName).andThen((gw) =>
      gw === undefined
        ? okAsync(undefined)
        : x
            .probe('pod', [x.programs.arping, '-q', '-c', retries, '-w', w, '-I', t.ifName, gw])
            .mapErr((e) => setupFailed('detect', e))
            .andThen((r) =>
              r.exitCode === 0
                ? okAsync(undefined)
                : r.exitCode === 1
                  ? errAsync(gatewayUnreachable(gw, t.ifName))
                  : errAsync(setupFailed('detect', arpingFailed(r))),
            ),
    );
  return (conf.detectIPConflict ? conflicts() : okAsync<void, CoordinatorError>(undefined)).andThen(() =>
    conf.detectGateway ? gateway() : okAsync(undefined),
  );
};

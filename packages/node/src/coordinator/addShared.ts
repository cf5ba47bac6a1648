// Pieces shared by the ADD steps: sequencing, names, what discovery found, NIC settings, the host rule and
// table routes, the iptables check.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { CniEnv } from '../cni/index.ts';
import { type IprouteError, toIprouteError } from '../iproute/index.ts';
import { familyOf, hasRule, type PodAddress, readSysctl } from './discover.ts';
import { type CoordinatorError, setupFailed } from './errors.ts';
import type { Applier, Exec } from './exec.ts';
import { HOST_RULE_PREF, macFromPrefix } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';

export type Cmd = Extract<CniEnv, { command: 'ADD' | 'DEL' | 'CHECK' }>;

export const seq = <T>(items: readonly T[], f: (t: T) => ResultAsync<unknown, CoordinatorError>) =>
  items.reduce<ResultAsync<unknown, CoordinatorError>>(
    (acc, t) => acc.andThen(() => f(t)),
    okAsync(undefined),
  );

export const notFoundIn = (what: string, netns: string | undefined): IprouteError => ({
  _tag: 'NotFound',
  command: [],
  exitCode: null,
  stderr: '',
  message: `NotFound: ${what} in netns ${netns ?? '(own)'}`,
});

export const fam = (f: 4 | 6): string => `-${f}`;
export const hostPrefix = (ip: string): string => `${ip}/${familyOf(ip) === 4 ? 32 : 128}`;

export interface Found {
  ifName: string;
  /** The Pod's first NIC (podDefaultCniNic): it gets veth0; its routes go to main. */
  first: boolean;
  /** Policy table of an additional NIC: the number of other UP links + 98 (net1 after lo, eth0, veth0: 101). */
  table: number;
  up: boolean;
  addrs: PodAddress[];
  families: (4 | 6)[];
  hostIPs: string[];
  mac: string;
  txqlen: number;
  /** Links of the Pod (names). */
  links: string[];
}

/** The table an additional NIC's routes live in. */
export const nicTable = (links: readonly { ifname: string; up: boolean }[], ifName: string): number =>
  links.filter((l) => l.up && l.ifname !== ifName).length + 98;

export const nicSettings = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const steps: (() => ResultAsync<unknown, CoordinatorError>)[] = [];
  const first = f.addrs.find((ad) => ad.family === 4) ?? f.addrs[0];
  if (conf.podMACPrefix !== '' && first !== undefined) {
    const mac = macFromPrefix(conf.podMACPrefix, first.local);
    if (mac !== undefined && mac !== f.mac)
      steps.push(() =>
        a.apply('nic', x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'address', mac]), () =>
          x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'address', f.mac]),
        ),
      );
  }
  if (conf.txQueueLen > 0 && conf.txQueueLen !== f.txqlen)
    steps.push(() =>
      a.apply(
        'nic',
        x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'txqueuelen', String(conf.txQueueLen)]),
        () => x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'txqueuelen', String(f.txqlen)]),
      ),
    );
  if (conf.podRPFilter >= 0 && f.families.includes(4))
    for (const key of ['net.ipv4.conf.all.rp_filter', `net.ipv4.conf.${f.ifName}.rp_filter`])
      steps.push(() =>
        readSysctl(x, 'pod', key)
          .mapErr((e) => setupFailed('nic', e))
          .andThen((old) =>
            old === String(conf.podRPFilter)
              ? okAsync(undefined)
              : a.apply(
                  'nic',
                  x.run('pod', [x.programs.sysctl, '-q', '-w', `${key}=${conf.podRPFilter}`]),
                  () => x.run('pod', [x.programs.sysctl, '-q', '-w', `${key}=${old}`]),
                ),
          ),
      );
  return seq(steps, (s) => s());
};

export const macOf = (x: Exec, side: 'host' | 'pod', name: string): ResultAsync<string, IprouteError> =>
  x.ipj(side, ['link', 'show', 'dev', name]).map((v) => {
    const row = Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
    return typeof row?.address === 'string' ? row.address : '';
  });

/** Host: the shared `from all lookup <table> pref 1000` (added only when absent) and `<podIP>/32 dev <veth> table`. */
export const hostRuleAndRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
  hostVeth: string,
): ResultAsync<unknown, CoordinatorError> => {
  const table = String(conf.hostRuleTable);
  const pref = String(HOST_RULE_PREF);
  return seq(f.families, (family) =>
    a
      .apply('host', hasRule(x, 'host', family, { table: conf.hostRuleTable, pref: HOST_RULE_PREF }))
      .andThen((present) =>
        present
          ? okAsync(undefined)
          : a
              .apply(
                'host',
                // "File exists": a concurrent ADD of another Pod added it between the check and here; not ours.
                x
                  .ipx('host', [fam(family), 'rule', 'add', 'from', 'all', 'lookup', table, 'pref', pref])
                  .map(() => true)
                  .orElse((e) => (e._tag === 'AlreadyExists' ? okAsync(false) : errAsync(e))),
              )
              .map((added) => {
                if (added)
                  a.push(() =>
                    x.ipx('host', [fam(family), 'rule', 'del', 'from', 'all', 'lookup', table, 'pref', pref]),
                  );
                return added;
              }),
      ),
  ).andThen(() =>
    seq(f.addrs, (ad) =>
      a.apply(
        'host',
        x.ipx('host', ['route', 'replace', hostPrefix(ad.local), 'dev', hostVeth, 'table', table]),
        () => x.ipx('host', ['route', 'del', hostPrefix(ad.local), 'dev', hostVeth, 'table', table]),
      ),
    ),
  );
};

/** `iptables -C`: exit 0 present, 1 missing ("Bad rule"), anything else an error. */
export const checkRule = (
  x: Exec,
  bin: string,
  rule: readonly string[],
): ResultAsync<boolean, IprouteError> => {
  const argv = [bin, '-w', '5', '-t', 'mangle', '-C', ...rule];
  return x
    .probe('pod', argv)
    .andThen((c) =>
      c.exitCode === 0 || c.exitCode === 1
        ? okAsync(c.exitCode === 0)
        : errAsync(
            toIprouteError(argv, { exitCode: c.exitCode, signal: null, stdout: '', stderr: c.stderr }),
          ),
    );
};

// ADD in underlay mode for the Pod's first NIC (Spiderpool's CmdAdd with firstInvoke), each change undone
// newest first when a later one fails, so a failed ADD leaves the host and the Pod as they were:
//   discover  Pod links + NIC addresses, host IPs for the Pod, the shared host rule            (read only)
//   detect    IP conflict (arping -D) and gateway reachability (arping) when enabled           (read only)
//   nic       podMACPrefix MAC, txQueueLen, Pod rp_filter                        undo: old values back
//   veth      veth<cid[:11]> (host) ↔ veth0 (Pod), MTU vethMTU, both up, vethLinkAddress   undo: del link
//   neigh     static neighbours: Pod IPs → veth0 MAC on the host veth, host IPs → host veth MAC in the Pod
//   routes    Pod: host IPs /32 dev veth0; hijack CIDRs via the host IP dev veth0 (src = the NIC's IP)
//   host      `from all lookup <hostRuleTable> pref 1000` if absent (undo: del), Pod IP /32 dev host veth
//             in that table (gone with the link)
//   reply     Pod mangle rules (mark NEW from veth0, save / restore connmark), `fwmark 0x1 lookup 100`,
//             table 100 default via the host IP dev veth0                               undo: -D / del
//   policy    policyRoutes via gw dev <NIC> in the main table                             undo: del
import { errAsync, ResultAsync } from 'neverthrow';
import { invalidNetConf } from '../cni/errors.ts';
import { vethAndRoutes } from './addFirst.ts';
import { additionalNic } from './addNic.ts';
import { type Cmd, type Found, nicSettings, nicTable, notFoundIn, seq } from './addShared.ts';
import { detect } from './detect.ts';
import { familyOf, readAddresses, readHostIPs, readPodLinks } from './discover.ts';
import { type CoordinatorError, setupFailed, unsupported } from './errors.ts';
import { type Applier, createApplier, type Exec } from './exec.ts';
import { POD_VETH } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';

const discover = (x: Exec, env: Cmd, conf: CoordinatorConf): ResultAsync<Found, CoordinatorError> =>
  readPodLinks(x)
    .mapErr((e) => setupFailed('discover', e))
    .andThen((links) => {
      const nic = links.find((l) => l.ifname === env.ifName);
      if (nic === undefined) return errAsync(setupFailed('discover', notFoundIn(env.ifName, env.netns)));
      const first = env.ifName === conf.podDefaultCniNic;
      const hasVeth = links.some((l) => l.ifname === POD_VETH);
      if (!first && !hasVeth)
        return errAsync(
          invalidNetConf(
            'podDefaultCniNic',
            `when creating interface ${env.ifName} in underlay mode, the auxiliary interface ${POD_VETH} was not created by the previous interface: please enable coordinator plugin in previous interface ${conf.podDefaultCniNic}`,
          ),
        );
      if (first && hasVeth)
        return errAsync(
          setupFailed('discover', {
            ...notFoundIn(POD_VETH, env.netns),
            _tag: 'AlreadyExists',
            message: `AlreadyExists: ${POD_VETH} already exists in the Pod netns`,
          }),
        );
      return readAddresses(x, 'pod', env.ifName)
        .andThen((addrs) =>
          readHostIPs(x, addrs).map(
            (hostIPs): Found => ({
              ifName: env.ifName,
              first,
              table: nicTable(links, env.ifName),
              up: nic.up,
              addrs,
              families: [...new Set(addrs.map((a) => a.family))],
              hostIPs,
              mac: nic.mac,
              txqlen: nic.txqlen,
              links: links.map((l) => l.ifname),
            }),
          ),
        )
        .mapErr((e) => setupFailed('discover', e));
    });

const policyRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const table = f.first ? [] : ['table', String(f.table)];
  return seq(
    conf.policyRoutes.filter((r) => f.families.includes(familyOf(r.dst))),
    (r) =>
      a.apply('policy', x.ipx('pod', ['route', 'add', r.dst, 'via', r.gw, 'dev', f.ifName, ...table]), () =>
        x.ipx('pod', ['route', 'del', r.dst, 'via', r.gw, 'dev', f.ifName, ...table]),
      ),
  );
};

/** Underlay ADD; on any failure every change made so far is undone before the error is returned. */
export const coordinatorAdd = (
  x: Exec,
  env: Cmd,
  conf: CoordinatorConf,
): ResultAsync<void, CoordinatorError> => {
  if (conf.mode === 'overlay') return errAsync(unsupported('overlay mode'));
  const a = createApplier();
  const work = discover(x, env, conf)
    .andThen((f) => detect(x, conf, f).map(() => f))
    .andThen((f) =>
      nicSettings(x, a, conf, f)
        .andThen(() => (f.first ? vethAndRoutes(x, a, env, conf, f) : additionalNic(x, a, env, conf, f)))
        .andThen(() => policyRoutes(x, a, conf, f)),
    );
  return work
    .map(() => undefined)
    .orElse((e) =>
      ResultAsync.fromSafePromise(a.rollback()).andThen((failed) =>
        errAsync(
          e._tag === 'SetupFailed' ? setupFailed(e.step, e.cause, [...e.rollbackErrors, ...failed]) : e,
        ),
      ),
    );
};

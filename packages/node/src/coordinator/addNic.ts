// ADD steps of an additional NIC (net1…): its table T, host /32s and hijack routes there, and tunePodRoutes.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { invalidNetConf } from '../cni/errors.ts';
import { type Cmd, type Found, fam, hostPrefix, hostRuleAndRoutes, macOf, seq } from './addShared.ts';
import { familyOf, readAddresses } from './discover.ts';
import { type CoordinatorError, setupFailed, unsupported } from './errors.ts';
import type { Applier, Exec } from './exec.ts';
import { hostVethName, POD_VETH } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';
import { moveRoutes } from './routeMove.ts';

/** The NIC that holds the Pod's default route of a family in the main table, if any. */
const defaultRouteNic = (x: Exec, family: 4 | 6): ResultAsync<string | undefined, CoordinatorError> =>
  x
    .ipj('pod', [`-${family}`, 'route', 'show', 'default'])
    .map((v) => {
      const row = Array.isArray(v) ? (v[0] as Record<string, unknown> | undefined) : undefined;
      return typeof row?.dev === 'string' ? row.dev : undefined;
    })
    .mapErr((e) => setupFailed('tune', e));

/**
 * tunePodRoutes for an additional NIC (table T): the NIC that does not keep the default route gets
 * `from <its IPs> lookup T` and its main-table routes moved to T. `podDefaultRouteNic` empty or naming the
 * current default NIC D: the current NIC moves; naming the current NIC: D moves (the current NIC's default
 * route wins).
 */
const tuneRoutes = (
  x: Exec,
  a: Applier,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const wanted = conf.podDefaultRouteNic;
  if (wanted !== '' && !f.links.includes(wanted))
    return errAsync(invalidNetConf('podDefaultRouteNic', `${wanted} does not exist in the Pod`));
  const table = String(f.table);
  return seq(f.families, (family) =>
    defaultRouteNic(x, family).andThen((d) => {
      if (d === undefined || d === f.ifName) return okAsync(undefined);
      if (wanted !== '' && wanted !== d && wanted !== f.ifName)
        return errAsync(unsupported(`podDefaultRouteNic ${wanted} (neither ${d} nor ${f.ifName})`));
      const mover = wanted === f.ifName ? d : f.ifName;
      return a
        .apply('tune', readAddresses(x, 'pod', mover))
        .andThen((addrs) =>
          seq(
            addrs.filter((ad) => ad.family === family),
            (ad) =>
              a.apply(
                'tune',
                x.ipx('pod', [fam(family), 'rule', 'add', 'from', hostPrefix(ad.local), 'lookup', table]),
                () =>
                  x.ipx('pod', [fam(family), 'rule', 'del', 'from', hostPrefix(ad.local), 'lookup', table]),
              ),
          ),
        )
        .andThen(() => moveRoutes(x, a, { family, dev: mover, from: 'main', to: table }));
    }),
  );
};

/** An additional underlay NIC (net1…): veth0 exists already; its routes go to table T. */
export const additionalNic = (
  x: Exec,
  a: Applier,
  env: Cmd,
  conf: CoordinatorConf,
  f: Found,
): ResultAsync<unknown, CoordinatorError> => {
  const hostVeth = hostVethName(env.containerID);
  const table = String(f.table);
  const hostIP = (family: 4 | 6) => f.hostIPs.find((h) => familyOf(h) === family);
  return (
    f.up
      ? okAsync<unknown, CoordinatorError>(undefined)
      : a.apply('nic', x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'up']), () =>
          x.ipx('pod', ['link', 'set', 'dev', f.ifName, 'down']),
        )
  )
    .andThen(() => a.apply('neigh', macOf(x, 'pod', POD_VETH)))
    .andThen((podMac) =>
      seq(f.addrs, (ad) =>
        a.apply(
          'neigh',
          x.ipx('host', [
            'neigh',
            'replace',
            ad.local,
            'lladdr',
            podMac,
            'dev',
            hostVeth,
            'nud',
            'permanent',
          ]),
          () => x.ipx('host', ['neigh', 'del', ad.local, 'dev', hostVeth]),
        ),
      ),
    )
    .andThen(() =>
      seq(f.hostIPs, (ip) =>
        a.apply(
          'routes',
          x.ipx('pod', [
            'route',
            'replace',
            hostPrefix(ip),
            'dev',
            POD_VETH,
            'scope',
            'link',
            'table',
            table,
          ]),
          () => x.ipx('pod', ['route', 'del', hostPrefix(ip), 'dev', POD_VETH, 'table', table]),
        ),
      ),
    )
    .andThen(() =>
      seq(
        conf.hijack.filter((c) => hostIP(familyOf(c)) !== undefined),
        (cidr) => {
          const family = familyOf(cidr);
          const src = f.addrs.find((ad) => ad.family === family)?.local;
          const spec = [cidr, 'via', hostIP(family) ?? '', 'dev', POD_VETH, ...(src ? ['src', src] : [])];
          return a.apply('routes', x.ipx('pod', ['route', 'replace', ...spec, 'table', table]), () =>
            x.ipx('pod', ['route', 'del', cidr, 'dev', POD_VETH, 'table', table]),
          );
        },
      ),
    )
    .andThen(() => hostRuleAndRoutes(x, a, conf, f, hostVeth))
    .andThen(() => (conf.tunePodRoutes ? tuneRoutes(x, a, conf, f) : okAsync(undefined)));
};

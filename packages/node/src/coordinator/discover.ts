// Read-only discovery before ADD changes anything: the Pod's links and the current NIC's addresses, the
// host IPs the Pod must reach through veth0 (the source of `ip route get <podIP>` on the host, then every
// other host address except those of container / overlay devices, as Spiderpool's GetAllHostIPRouteForPod),
// and whether the shared host rule `from all lookup <table> pref 1000` is already there.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { IprouteError } from '../iproute/index.ts';
import { badOutput } from '../iproute/index.ts';
import { isObject } from '../json/checks.ts';
import type { Exec } from './exec.ts';

export interface PodLink {
  ifname: string;
  mac: string;
  txqlen: number;
  up: boolean;
}

export interface PodAddress {
  family: 4 | 6;
  local: string;
  prefixlen: number;
}

const rows = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

export const readPodLinks = (x: Exec): ResultAsync<PodLink[], IprouteError> =>
  x.ipj('pod', ['link', 'show']).map((v) =>
    rows(v).map((l) => ({
      ifname: String(l.ifname ?? ''),
      mac: typeof l.address === 'string' ? l.address : '',
      txqlen: typeof l.txqlen === 'number' ? l.txqlen : 0,
      up: Array.isArray(l.flags) && l.flags.includes('UP'),
    })),
  );

/** Global-scope addresses of one interface. */
export const readAddresses = (
  x: Exec,
  side: 'host' | 'pod',
  ifName: string,
): ResultAsync<PodAddress[], IprouteError> =>
  x.ipj(side, ['addr', 'show', 'dev', ifName]).map((v) =>
    rows(v).flatMap((l) =>
      rows(l.addr_info)
        .filter((a) => a.scope === 'global' && typeof a.local === 'string')
        .map((a) => ({
          family: a.family === 'inet6' ? (6 as const) : (4 as const),
          local: String(a.local),
          prefixlen: Number(a.prefixlen),
        })),
    ),
  );

/** Host interfaces whose addresses the Pod does not need (Spiderpool's DefaultNodeInterfacesToExclude). */
const EXCLUDED = [
  /^docker/,
  /^cbr/,
  /^dummy/,
  /^virbr/,
  /^lxcbr/,
  /^veth/,
  /^lo$/,
  /^cali/,
  /^flannel/,
  /^kube-ipvs/,
  /^cni/,
  /^vx-submariner$/,
  /^cilium/,
];

/** Host IPs for the Pod, `ip route get` sources first, one family at a time, no duplicates. */
export const readHostIPs = (x: Exec, podIPs: readonly PodAddress[]): ResultAsync<string[], IprouteError> => {
  const families = new Set(podIPs.map((a) => a.family));
  const viaRoute = ResultAsync.combine(
    podIPs.map((a) =>
      x.ipj('host', ['route', 'get', a.local]).andThen((v) => {
        const src = rows(v)[0]?.prefsrc;
        return okAsync(typeof src === 'string' ? [src] : []);
      }),
    ),
  ).map((l) => l.flat());
  return viaRoute.andThen((first) =>
    x.ipj('host', ['addr', 'show']).andThen((v) => {
      const out = [...first];
      for (const l of rows(v)) {
        const name = String(l.ifname ?? '');
        if (EXCLUDED.some((re) => re.test(name))) continue;
        for (const a of rows(l.addr_info)) {
          if (a.scope !== 'global' || typeof a.local !== 'string') continue;
          const fam = a.family === 'inet6' ? 6 : 4;
          if (!families.has(fam)) continue;
          if (!out.includes(a.local)) out.push(a.local);
        }
      }
      return okAsync(out);
    }),
  );
};

export const familyOf = (ip: string): 4 | 6 => (ip.includes(':') ? 6 : 4);

/** Is `from all lookup <table> pref <pref>` present for this family? */
export const hasRule = (
  x: Exec,
  side: 'host' | 'pod',
  family: 4 | 6,
  match: { table: number; pref?: number; fwmark?: string },
): ResultAsync<boolean, IprouteError> =>
  x
    .ipj(side, [`-${family}`, 'rule', 'show'])
    .map((v) =>
      rows(v).some(
        (r) =>
          String(r.table) === String(match.table) &&
          (match.pref === undefined || r.priority === match.pref) &&
          (match.fwmark === undefined ? r.fwmark === undefined : r.fwmark === match.fwmark) &&
          (match.fwmark !== undefined || r.src === 'all'),
      ),
    );

/** Routes of one family in a table (empty table: `[]`). */
export const tableRoutes = (
  x: Exec,
  side: 'host' | 'pod',
  family: 4 | 6,
  table: number,
): ResultAsync<Record<string, unknown>[], IprouteError> =>
  x
    .ipj(side, [`-${family}`, 'route', 'show', 'table', String(table)])
    .map(rows)
    // IPv6 answers "FIB table does not exist" for a table never used: empty.
    .orElse((e) => (e._tag === 'NotFound' ? okAsync([]) : errAsync(e)));

/** `sysctl -n k` → the value. */
export const readSysctl = (x: Exec, side: 'host' | 'pod', key: string): ResultAsync<string, IprouteError> =>
  x.run(side, [x.programs.sysctl, '-n', key]).andThen((out) => {
    const v = out.trim();
    return v === '' ? errAsync(badOutput(['sysctl', key], out, 'empty')) : okAsync(v);
  });

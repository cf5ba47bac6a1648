// DEL removes what ADD added, and succeeds when the Pod netns is gone:
//   Pod (only when its netns still exists and this is the first NIC): the mangle rules (`-C` then `-D`) and
//       `fwmark 0x1 lookup 100` (the table-100 route, the /32 and hijack routes, the static neighbours go
//       with veth0);
//   host: the host veth (its Pod end veth0 goes with it, and so do the table-<hostRuleTable> routes through
//       it), then the shared rule `from all lookup <hostRuleTable> pref 1000` of each family whose table is
//       now empty — no other Pod on this node needs it. Deleting the veth never removes a rule.
// The NIC's MAC / txqueuelen / rp_filter are not restored: the main plugin's DEL deletes or restores the NIC.
import { existsSync } from 'node:fs';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { CniEnv } from '../cni/index.ts';
import type { IprouteError } from '../iproute/index.ts';
import { isObject } from '../json/checks.ts';
import { checkRule, nicTable } from './addShared.ts';
import { hasRule, readAddresses, readPodLinks, tableRoutes } from './discover.ts';
import { type CoordinatorError, setupFailed } from './errors.ts';
import type { Exec } from './exec.ts';
import { HOST_RULE_PREF, hostVethName, MANGLE_RULES, MARK, POD_VETH, REPLY_TABLE } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';
import { routeSpec } from './routeMove.ts';

type Cmd = Extract<CniEnv, { command: 'ADD' | 'DEL' | 'CHECK' }>;

const tolerateNotFound = <T>(r: ResultAsync<T, IprouteError>): ResultAsync<T | undefined, IprouteError> =>
  r.orElse((e) => (e._tag === 'NotFound' || e._tag === 'NoSuchNetns' ? okAsync(undefined) : errAsync(e)));

const seq = <T>(items: readonly T[], f: (t: T) => ResultAsync<unknown, IprouteError>) =>
  items.reduce<ResultAsync<unknown, IprouteError>>((acc, t) => acc.andThen(() => f(t)), okAsync(undefined));

const FAMILIES = [4, 6] as const;

const podSide = (x: Exec): ResultAsync<unknown, IprouteError> =>
  seq(FAMILIES, (family) => {
    const bin = family === 4 ? x.programs.iptables : x.programs.ip6tables;
    return seq(MANGLE_RULES, (rule) =>
      checkRule(x, bin, rule).andThen((present) =>
        present ? x.run('pod', [bin, '-w', '5', '-t', 'mangle', '-D', ...rule]) : okAsync(''),
      ),
    ).andThen(() =>
      hasRule(x, 'pod', family, { table: REPLY_TABLE, fwmark: MARK }).andThen((present) =>
        present
          ? x.ipx('pod', [`-${family}`, 'rule', 'del', 'fwmark', MARK, 'lookup', String(REPLY_TABLE)])
          : okAsync(''),
      ),
    );
  });

/** Drops the shared host rule of each family whose table has no route left (also what GC runs). */
export const dropIdleHostRules = (x: Exec, table: number): ResultAsync<unknown, IprouteError> =>
  seq(FAMILIES, (family) =>
    tableRoutes(x, 'host', family, table).andThen((routes) =>
      routes.length > 0
        ? okAsync(undefined)
        : hasRule(x, 'host', family, { table, pref: HOST_RULE_PREF }).andThen((present) =>
            present
              ? tolerateNotFound(
                  x.ipx('host', [
                    `-${family}`,
                    'rule',
                    'del',
                    'from',
                    'all',
                    'lookup',
                    String(table),
                    'pref',
                    String(HOST_RULE_PREF),
                  ]),
                )
              : okAsync(undefined),
          ),
    ),
  );

/**
 * An additional NIC (net1…): routes of its table T go back to main (those through veth0 are deleted), the
 * rules looking up T are deleted, and its Pod IPs leave the host table. The host veth stays: it belongs to the
 * first NIC, whose DEL comes after (the runtime deletes in reverse order).
 */
const additionalNicDel = (x: Exec, ifName: string, hostTable: number, hostVeth: string) =>
  readPodLinks(x).andThen((links) => {
    const table = String(nicTable(links, ifName));
    return seq(FAMILIES, (family) =>
      x
        .ipj('pod', [`-${family}`, 'route', 'show', 'table', table])
        .orElse((e) => (e._tag === 'NotFound' ? okAsync([]) : errAsync(e)))
        .andThen((v) =>
          seq((Array.isArray(v) ? v : []).filter(isObject), (row) => {
            const dev = String(row.dev ?? '');
            const spec = routeSpec(row, dev);
            const f = `-${family}`;
            const back =
              dev === POD_VETH
                ? okAsync('')
                : x
                    .ipx('pod', [f, 'route', 'add', ...spec])
                    .orElse((e) => (e._tag === 'AlreadyExists' ? okAsync('') : errAsync(e)));
            return back.andThen(() =>
              tolerateNotFound(x.ipx('pod', [f, 'route', 'del', ...spec, 'table', table])),
            );
          }),
        )
        .andThen(() => x.ipj('pod', [`-${family}`, 'rule', 'show']))
        .andThen((v) =>
          seq(
            (Array.isArray(v) ? v : []).filter((r) => isObject(r) && String(r.table) === table),
            (r) => {
              const row = r as Record<string, unknown>;
              const from =
                row.src === 'all' || row.src === undefined
                  ? 'all'
                  : `${String(row.src)}/${String(row.srclen ?? (family === 4 ? 32 : 128))}`;
              return tolerateNotFound(
                x.ipx('pod', [
                  `-${family}`,
                  'rule',
                  'del',
                  'pref',
                  String(row.priority),
                  'from',
                  from,
                  'lookup',
                  table,
                ]),
              );
            },
          ),
        ),
    )
      .andThen(() => readAddresses(x, 'pod', ifName))
      .andThen((addrs) =>
        seq(addrs, (ad) =>
          tolerateNotFound(
            x.ipx('host', [
              'route',
              'del',
              `${ad.local}/${ad.family === 4 ? 32 : 128}`,
              'dev',
              hostVeth,
              'table',
              String(hostTable),
            ]),
          ).andThen(() => tolerateNotFound(x.ipx('host', ['neigh', 'del', ad.local, 'dev', hostVeth]))),
        ),
      );
  });

export const coordinatorDel = (
  x: Exec,
  env: Cmd,
  conf: CoordinatorConf,
): ResultAsync<void, CoordinatorError> => {
  const netns = env.netns;
  const podAlive = netns !== undefined && (netns.includes('/') ? existsSync(netns) : true);
  const pod: ResultAsync<unknown, IprouteError> =
    podAlive && env.ifName === conf.podDefaultCniNic
      ? podSide(x).orElse((e) => (e._tag === 'NoSuchNetns' ? okAsync(undefined) : errAsync(e)))
      : okAsync(undefined);
  if (env.ifName !== conf.podDefaultCniNic)
    return (
      podAlive
        ? additionalNicDel(x, env.ifName, conf.hostRuleTable, hostVethName(env.containerID))
        : okAsync(undefined)
    )
      .orElse((e) => (e._tag === 'NoSuchNetns' || e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
      .mapErr((e) => setupFailed('del-pod', e))
      .andThen(() => dropIdleHostRules(x, conf.hostRuleTable).mapErr((e) => setupFailed('del-rule', e)))
      .map(() => undefined);
  return pod
    .mapErr((e) => setupFailed('del-pod', e))
    .andThen(() =>
      tolerateNotFound(x.ipx('host', ['link', 'del', hostVethName(env.containerID)])).mapErr((e) =>
        setupFailed('del-veth', e),
      ),
    )
    .andThen(() => dropIdleHostRules(x, conf.hostRuleTable).mapErr((e) => setupFailed('del-rule', e)))
    .map(() => undefined);
};

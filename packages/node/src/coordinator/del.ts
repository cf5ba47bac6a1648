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
import { checkRule } from './add.ts';
import { hasRule, tableRoutes } from './discover.ts';
import { type CoordinatorError, setupFailed } from './errors.ts';
import type { Exec } from './exec.ts';
import { HOST_RULE_PREF, hostVethName, MANGLE_RULES, MARK, REPLY_TABLE } from './names.ts';
import type { CoordinatorConf } from './netconf.ts';

type Cmd = Exclude<CniEnv, { command: 'VERSION' }>;

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

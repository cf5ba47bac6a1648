// Moving a NIC's routes between Pod routing tables (tunePodRoutes): each route of `ip -j route show table
// <from> dev <nic>` is added to the other table, then deleted from the first; both halves have an undo.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { IprouteError } from '../iproute/index.ts';
import { isObject } from '../json/checks.ts';
import type { CoordinatorError } from './errors.ts';
import type { Applier, Exec } from './exec.ts';

/** The `ip route` arguments that recreate a row of `ip -j route show dev <nic>` (dev given separately). */
export const routeSpec = (row: Record<string, unknown>, dev: string): string[] => {
  const out = [String(row.dst)];
  if (typeof row.gateway === 'string') out.push('via', row.gateway);
  out.push('dev', dev);
  if (typeof row.protocol === 'string') out.push('proto', row.protocol);
  if (typeof row.scope === 'string') out.push('scope', row.scope);
  if (typeof row.prefsrc === 'string') out.push('src', row.prefsrc);
  if (typeof row.metric === 'number') out.push('metric', String(row.metric));
  if (Array.isArray(row.flags) && row.flags.includes('onlink')) out.push('onlink');
  return out;
};

export const routesOf = (
  x: Exec,
  family: 4 | 6,
  table: string,
  dev: string,
): ResultAsync<Record<string, unknown>[], IprouteError> =>
  x
    .ipj('pod', [`-${family}`, 'route', 'show', 'table', table, 'dev', dev])
    .map((v) => (Array.isArray(v) ? v.filter(isObject) : []))
    .orElse((e) => (e._tag === 'NotFound' ? okAsync([]) : errAsync(e)));

/** Moves every `family` route of `dev` from table `from` to table `to`, recording undos. */
export const moveRoutes = (
  x: Exec,
  a: Applier,
  m: { family: 4 | 6; dev: string; from: string; to: string },
): ResultAsync<unknown, CoordinatorError> =>
  a.apply('tune', routesOf(x, m.family, m.from, m.dev)).andThen((rows) =>
    rows.reduce<ResultAsync<unknown, CoordinatorError>>((acc, row) => {
      const spec = routeSpec(row, m.dev);
      const f = `-${m.family}`;
      return acc
        .andThen(() =>
          a.apply('tune', x.ipx('pod', [f, 'route', 'add', ...spec, 'table', m.to]), () =>
            x.ipx('pod', [f, 'route', 'del', ...spec, 'table', m.to]),
          ),
        )
        .andThen(() =>
          a.apply('tune', x.ipx('pod', [f, 'route', 'del', ...spec, 'table', m.from]), () =>
            x.ipx('pod', [f, 'route', 'add', ...spec, 'table', m.from]),
          ),
        );
    }, okAsync(undefined)),
  );

// The seed's `kubectl get` outputs: printed by the real kubectl against the emulator (the API server's Table
// rendering of the CRDs' printer columns), then compared cell by cell with what the seed shows. Without
// kubectl the same cells are read from the objects (through the API) and printed as key fields.
import type { KubeObject, Store } from '@spiderpool-ts/core';
import type { Kubectl } from './kubectl.ts';
import { tableCells } from './kubectl.ts';
import type { Printer } from './printer.ts';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export interface View {
  /** kubectl's arguments, e.g. ['get', 'spiderippool']. */
  args: string[];
  columns: string[];
  /** The rows the seed shows, in kubectl's order (by name). */
  want: string[][];
  /** The same cells from the objects, for when kubectl is missing. */
  fromObjects: { kind: string; namespace?: string; cells: (o: KubeObject & Json) => string[] };
}

const row = (cells: readonly string[]) => cells.join('  ');

/** Prints the view (kubectl or key fields) and checks it; true when it shows what the seed shows. */
export const showView = async (
  p: Printer,
  v: View,
  kubectl: Kubectl | undefined,
  store: Store,
): Promise<boolean> => {
  let got: string[][];
  if (kubectl) {
    p.info(`$ kubectl ${v.args.join(' ')}`);
    const r = await kubectl.run(v.args);
    if (r.code !== 0) return p.fail(`kubectl ${v.args.join(' ')}: ${r.stderr.trim()}`);
    p.out(r.stdout);
    got = tableCells(r.stdout, v.columns);
  } else {
    const listed = await store.list(
      v.fromObjects.kind,
      v.fromObjects.namespace ? { namespace: v.fromObjects.namespace } : {},
    );
    if (listed.isErr()) return p.fail(`list ${v.fromObjects.kind}: ${listed.error.message}`);
    got = listed.value.items
      .map((o) => v.fromObjects.cells(o as KubeObject & Json))
      .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
    p.info(`${v.fromObjects.kind} (key fields, kubectl missing): ${v.columns.join('  ')}`);
    for (const r of got) p.info(`  ${row(r)}`);
  }
  if (JSON.stringify(got) !== JSON.stringify(v.want))
    return p.fail(`shows [${got.map(row).join(' | ')}], the seed shows [${v.want.map(row).join(' | ')}]`);
  p.ok(`as in the seed: ${v.want.map((r) => r.join(' ')).join('; ')}`);
  return true;
};

/**
 * The seed's `kubectl get spiderippool` has a DISABLE column: the older chart it was written against printed
 * it by default. This project's CRD follows Spiderpool's current one, where DISABLE has priority 10 (shown
 * with `-o wide` only), so the default view is checked without it and `wide` checks DISABLE.
 */
export const poolView = (wide: boolean): View => ({
  args: ['get', 'spiderippool', ...(wide ? ['-o', 'wide'] : [])],
  columns: [
    'NAME',
    'VERSION',
    'SUBNET',
    'ALLOCATED-IP-COUNT',
    'TOTAL-IP-COUNT',
    'DEFAULT',
    ...(wide ? ['DISABLE'] : []),
  ],
  want: [['ippool-test', '4', '10.20.0.0/16', '2', '10', 'true', ...(wide ? ['false'] : [])]],
  fromObjects: {
    kind: 'SpiderIPPool',
    cells: (o) => {
      const s = rec(o.spec);
      const st = rec(o.status);
      const cells = [
        o.metadata.name,
        str(s.ipVersion),
        str(s.subnet),
        str(st.allocatedIPCount),
        str(st.totalIPCount),
        str(s.default),
      ];
      return wide ? [...cells, str(s.disable ?? false)] : cells;
    },
  },
});

export const endpointView = (rows: string[][]): View => ({
  args: ['get', 'spiderendpoints'],
  columns: ['NAME', 'INTERFACE', 'IPV4POOL', 'IPV4', 'NODE'],
  want: rows,
  fromObjects: {
    kind: 'SpiderEndpoint',
    namespace: 'default',
    cells: (o) => {
      const cur = rec(rec(o.status).current);
      const ip = rec(Array.isArray(cur.ips) ? cur.ips[0] : undefined);
      return [o.metadata.name, str(ip.interface), str(ip.ipv4Pool), str(ip.ipv4), str(cur.node)];
    },
  },
});

export const podView = (rows: string[][]): View => ({
  args: ['get', 'pod', '-l', 'app=sriov-deploy', '-owide'],
  columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'IP', 'NODE'],
  want: rows,
  fromObjects: {
    kind: 'Pod',
    namespace: 'default',
    cells: (o) => {
      const st = rec(o.status);
      const ready = Array.isArray(st.containerStatuses)
        ? st.containerStatuses.filter((c) => rec(c).ready === true).length
        : 0;
      const n = Array.isArray(rec(o.spec).containers) ? (rec(o.spec).containers as unknown[]).length : 0;
      return [o.metadata.name, `${ready}/${n}`, str(st.phase), '0', str(st.podIP), str(rec(o.spec).nodeName)];
    },
  },
});

export const nodeStateView = (numVfs: string): View => ({
  args: ['get', 'sriovnetworknodestates', '-n', 'sriov-network-operator'],
  columns: ['NAME', 'SYNC STATUS', 'PF', 'NUMVFS', 'TOTALVFS'],
  want: ['master-11', 'worker-12'].map((n) => [n, 'Succeeded', 'enp4s0f0np0', numVfs, '8']),
  fromObjects: {
    kind: 'SriovNetworkNodeState',
    namespace: 'sriov-network-operator',
    cells: (o) => {
      const st = rec(o.status);
      const i = rec(Array.isArray(st.interfaces) ? st.interfaces[0] : undefined);
      return [o.metadata.name, str(st.syncStatus), str(i.name), str(i.numVfs), str(i.totalvfs)];
    },
  },
});

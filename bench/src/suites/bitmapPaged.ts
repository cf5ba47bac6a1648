// The paged dense layout (ADR 0027) against the flat one, measured in the same run: memory and creation
// time of empty large spaces, resident bytes as allocations grow, pick / set / clear ns at several fills,
// and the per-size figures core's layout threshold is chosen from (packages/core/src/ipam/poolIndexSpace.ts).
import {
  createDenseBitmap,
  createSparseBitmap,
  type DenseBitmap,
  type DenseLayout,
} from '@spiderpool-ts/wasm-bitmap';
import { Bench } from 'tinybench';
import { type BenchRow, taskStats } from '../report.ts';

const SUITE = 'bitmap';
const V4_SLASH0 = 2 ** 32;
const V4_SLASH1 = 2 ** 31;
const SLASH8 = 2 ** 24;
const OPS = 1 << 16;

const make = (size: number, layout: DenseLayout): DenseBitmap =>
  createDenseBitmap(size, { impl: 'wasm', layout })._unsafeUnwrap();

const row = (name: string, value: number, unit: string, extra: Partial<BenchRow> = {}): BenchRow => ({
  suite: SUITE,
  name,
  value,
  unit,
  ...extra,
});

/** Deterministic xorshift indices in [0, n). */
const randomIndices = (count: number, n: number, seed = 0x2545f491): Float64Array => {
  const out = new Float64Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = Math.floor(((x >>> 0) / 2 ** 32) * n);
  }
  return out;
};

const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;

/**
 * ns per operation of each batch of `ops` operations: the batches run interleaved, `rounds` times, and each
 * keeps its fastest round. The paged-vs-flat ratios are small (~2x), and on a shared, loaded machine the
 * mean of tasks run one after the other moves more than that; interleaving and the minimum keep both sides
 * under the same conditions.
 */
const interleavedNs = (
  tasks: Record<string, () => void>,
  ops: number,
  rounds = 25,
): Record<string, number> => {
  const best: Record<string, number> = {};
  for (const name of Object.keys(tasks)) best[name] = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++)
    for (const [name, fn] of Object.entries(tasks)) {
      const t = performance.now();
      fn();
      const ns = ((performance.now() - t) * 1e6) / ops;
      if (ns < (best[name] as number)) best[name] = ns;
    }
  return best;
};

/** Empty spaces: bytes held and the time to create one (and free it), paged vs flat. */
const emptyRows = async (): Promise<BenchRow[]> => {
  const spaces = [
    ['IPv4 /1', V4_SLASH1],
    ['IPv4 /0', V4_SLASH0],
    ['IPv6 /96 (2^32, the largest dense space)', V4_SLASH0],
  ] as const;
  const rows: BenchRow[] = [];
  for (const [label, size] of spaces) {
    const bytes: Record<DenseLayout, number> = { flat: 0, paged: 0 };
    const bench = new Bench({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 });
    const many = new Bench({ iterations: 200, time: 0, warmupIterations: 20, warmupTime: 0 });
    for (const layout of ['flat', 'paged'] as const) {
      const b = make(size, layout);
      bytes[layout] = b.byteLength;
      b.dispose();
      (layout === 'flat' ? bench : many).add(layout, () => {
        const c = make(size, layout);
        c.allocate();
        c.dispose();
      });
    }
    await bench.run();
    await many.run();
    const flatNs = taskStats(bench, 'flat').meanNs;
    const pagedNs = taskStats(many, 'paged').meanNs;
    rows.push(
      row(`empty ${label}: bytes held, paged`, bytes.paged / 1024, 'KiB', {
        ratio: bytes.flat / bytes.paged,
        baseline: `flat ${kib(bytes.flat)}`,
        target: '<= 64 KiB',
        met: bytes.paged <= 64 * 1024,
      }),
      row(`empty ${label}: create + first allocate + dispose, paged`, pagedNs, 'ns', {
        ratio: flatNs / pagedNs,
        baseline: `flat ${(flatNs / 1e6).toFixed(1)} ms`,
      }),
    );
  }
  // IPv6 beyond 2^32 indices takes the sparse trie (ADR 0003): no flat or paged form exists there.
  const t0 = performance.now();
  const s = createSparseBitmap(1n << 64n, { impl: 'wasm' })._unsafeUnwrap();
  s.allocate();
  const sparseMs = performance.now() - t0;
  rows.push(
    row('empty IPv6 /64 (2^64, sparse trie): bytes held after one allocation', s.byteLength / 1024, 'KiB', {
      note: `created and first allocation in ${sparseMs.toFixed(3)} ms; a flat bitmap would need 2^61 bytes`,
    }),
  );
  s.dispose();
  return rows;
};

/** Resident bytes of a /0 after n lowest-free allocations, paged; flat holds its 512 MiB from the start. */
const residentRows = (): BenchRow[] => {
  const flatBytes = (() => {
    const f = make(V4_SLASH0, 'flat');
    const n = f.byteLength;
    f.dispose();
    return n;
  })();
  const b = make(V4_SLASH0, 'paged');
  const rows: BenchRow[] = [];
  let done = 0;
  for (const n of [1_000, 100_000, 1_000_000]) {
    for (; done < n; done++) b.allocate();
    const bytes = b.byteLength;
    rows.push(
      row(`IPv4 /0 after ${n.toLocaleString('en')} allocations: bytes held, paged`, bytes / 1024, 'KiB', {
        ratio: flatBytes / bytes,
        baseline: `flat ${kib(flatBytes)}`,
        note: `${((bytes * 8) / n).toFixed(2)} bits per allocated index`,
      }),
    );
  }
  // The same million scattered at random over the /0: every claim lands in its own page (the worst case).
  const r = make(V4_SLASH0, 'paged');
  for (const i of randomIndices(1_000_000, V4_SLASH0)) r.claim(i);
  rows.push(
    row('IPv4 /0 after 1,000,000 claims at random positions: bytes held, paged', r.byteLength / 1024, 'KiB', {
      ratio: flatBytes / r.byteLength,
      baseline: `flat ${kib(flatBytes)}`,
      note: 'worst case: every page of 2^16 is touched, so the paged layout holds about what flat does',
    }),
  );
  r.dispose();
  b.dispose();
  return rows;
};

/**
 * ns per operation, paged vs flat, on the same state:
 * - pick: allocate() + release() of what it gave, on a /0 filled from the bottom to the given fill;
 * - set/clear: claim + release at random positions of a /8 filled at random to the given fill;
 * - from cursor: allocateFrom(random cursor) + release, on the same random /8.
 */
const opRows = (): BenchRow[] => {
  const rows: BenchRow[] = [];
  const fills = [0, 0.5, 0.99] as const;
  const random = randomIndices(OPS, SLASH8, 0x1234567);
  const randomV4 = randomIndices(OPS, V4_SLASH0, 0x7654321);
  for (const fill of fills) {
    const pct = `${Math.round(fill * 100)} %`;
    const state: Record<DenseLayout, { bottom: DenseBitmap; scattered: DenseBitmap }> = {
      flat: { bottom: make(V4_SLASH0, 'flat'), scattered: make(SLASH8, 'flat') },
      paged: { bottom: make(V4_SLASH0, 'paged'), scattered: make(SLASH8, 'paged') },
    };
    const occupancy = randomIndices(SLASH8, 1, 0xabcdef);
    for (const layout of ['flat', 'paged'] as const) {
      const s = state[layout];
      if (fill > 0) s.bottom.markRange(0, Math.floor(V4_SLASH0 * fill) - 1, true);
      for (let i = 0; i < SLASH8; i++) if ((occupancy[i] as number) < fill) s.scattered.claim(i);
    }
    const tasks: Record<string, () => void> = {};
    for (const layout of ['flat', 'paged'] as const) {
      const { bottom, scattered } = state[layout];
      tasks[`${layout} pick`] = () => {
        for (let i = 0; i < OPS; i++) bottom.release(bottom.allocate());
      };
      tasks[`${layout} set/clear`] = () => {
        for (let i = 0; i < OPS; i++) {
          const j = random[i] as number;
          if (scattered.claim(j)._unsafeUnwrap()) scattered.release(j);
        }
      };
      tasks[`${layout} from cursor`] = () => {
        for (let i = 0; i < OPS; i++) {
          const j = scattered.allocateFrom(random[i] as number)._unsafeUnwrap();
          if (j >= 0) scattered.release(j);
        }
      };
      tasks[`${layout} set/clear /0`] = () => {
        for (let i = 0; i < OPS; i++) {
          const j = randomV4[i] as number;
          if (bottom.claim(j)._unsafeUnwrap()) bottom.release(j);
        }
      };
    }
    const ns = interleavedNs(tasks, OPS);
    const per = (task: string): number => ns[task] as number;
    for (const [task, label] of [
      ['pick', `IPv4 /0 filled from the bottom to ${pct}: allocate + release pair`],
      ['set/clear /0', `IPv4 /0 filled from the bottom to ${pct}: claim + release at random positions`],
      ['set/clear', `/8 filled at random to ${pct}: claim + release at random positions`],
      ['from cursor', `/8 filled at random to ${pct}: allocateFrom(random cursor) + release`],
    ] as const) {
      const f = per(`flat ${task}`);
      const p = per(`paged ${task}`);
      rows.push(
        row(`${label}, paged`, p, 'ns', {
          ratio: f / p,
          baseline: `flat ${f.toFixed(1)} ns`,
          ...(task === 'pick' ? { target: 'paged <= 2x flat', met: p <= 2 * f } : {}),
        }),
      );
    }
    for (const layout of ['flat', 'paged'] as const) {
      state[layout].bottom.dispose();
      state[layout].scattered.dispose();
    }
  }
  return rows;
};

/** Per space size: empty bytes and the pick (allocate + release at the frontier of a 1 % fill), both layouts. */
const thresholdRows = (): BenchRow[] => {
  const rows: BenchRow[] = [];
  for (const bits of [16, 17, 18, 20, 22, 24]) {
    const size = 2 ** bits;
    const held: Record<DenseLayout, DenseBitmap> = { flat: make(size, 'flat'), paged: make(size, 'paged') };
    const tasks: Record<string, () => void> = {};
    for (const layout of ['flat', 'paged'] as const) {
      const b = held[layout];
      b.markRange(0, Math.floor(size / 100), true);
      tasks[layout] = () => {
        for (let i = 0; i < OPS; i++) b.release(b.allocate());
      };
    }
    const ns = interleavedNs(tasks, OPS);
    const f = ns.flat as number;
    const p = ns.paged as number;
    const emptyFlat = make(size, 'flat');
    const emptyPaged = make(size, 'paged');
    rows.push(
      row(`2^${bits} indices, 1 % used: allocate + release pair, paged`, p, 'ns', {
        ratio: f / p,
        baseline: `flat ${f.toFixed(1)} ns`,
        note: `empty: paged ${emptyPaged.byteLength} B, flat ${emptyFlat.byteLength} B; at 1 %: paged ${held.paged.byteLength} B, flat ${held.flat.byteLength} B`,
      }),
    );
    for (const b of [emptyFlat, emptyPaged, held.flat, held.paged]) b.dispose();
  }
  return rows;
};

export const pagedRows = async (): Promise<BenchRow[]> => [
  ...(await emptyRows()),
  ...residentRows(),
  ...opRows(),
  ...thresholdRows(),
];

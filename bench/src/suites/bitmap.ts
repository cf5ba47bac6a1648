// Bitmap suite: the wasm-bitmap allocators against the targets. Batched tasks (one tinybench
// iteration = many operations) so per-operation figures are not swamped by the harness; every ratio is
// against a baseline measured in this run (the TS twin, or a Spiderpool-style allocation).
import {
  createDenseBitmap,
  createSparseBitmap,
  type DenseBitmap,
  importDenseBitmap,
  type SparseBitmap,
} from '@spiderpool-ts/wasm-bitmap';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';
import { pagedRows } from './bitmapPaged.ts';

const SUITE = 'bitmap';
const SLASH8 = 1 << 24;
const BATCH = 1 << 20;

const dense = (size: number, impl: 'wasm' | 'ts'): DenseBitmap =>
  createDenseBitmap(size, { impl })._unsafeUnwrap();
const sparse = (size: bigint): SparseBitmap => createSparseBitmap(size, { impl: 'wasm' })._unsafeUnwrap();

/** Deterministic xorshift indices in [0, n). */
const randomIndices = (count: number, n: number): Uint32Array => {
  const out = new Uint32Array(count);
  let x = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % n;
  }
  return out;
};

const row = (name: string, value: number, unit: string, extra: Partial<BenchRow> = {}): BenchRow => ({
  suite: SUITE,
  name,
  value,
  unit,
  ...extra,
});

/** Per-operation ns of a batched task. */
const perOpNs = (bench: Bench, task: string, ops: number): number => taskStats(bench, task).meanNs / ops;

/** Spiderpool's per-allocation work: parse the pool's allocatedIPs JSON to a set, walk the range for a free IP. */
const spiderpoolStyleAllocate = (allocatedIPs: string, rangeStart: number, rangeEnd: number): string => {
  const allocated = new Set(Object.keys(JSON.parse(allocatedIPs) as Record<string, unknown>));
  for (let i = rangeStart; i <= rangeEnd; i++) {
    const ip = `10.6.${(i >>> 8) & 255}.${i & 255}`;
    if (!allocated.has(ip)) return ip;
  }
  return '';
};

const denseRows = async (): Promise<BenchRow[]> => {
  const impls = ['wasm', 'ts'] as const;
  const fill = { wasm: dense(SLASH8, 'wasm'), ts: dense(SLASH8, 'ts') };
  const full = { wasm: dense(SLASH8, 'wasm'), ts: dense(SLASH8, 'ts') };
  const worst = { wasm: dense(SLASH8, 'wasm'), ts: dense(SLASH8, 'ts') };
  const half = { wasm: dense(SLASH8, 'wasm'), ts: dense(SLASH8, 'ts') };
  // 65,536 short runs (4 used indices every 256): a runs export of ~190 KiB, a tenth of the raw bitmap.
  const scattered = { wasm: dense(SLASH8, 'wasm'), ts: dense(SLASH8, 'ts') };
  const random = randomIndices(BATCH, SLASH8);
  for (const impl of impls) {
    full[impl].markRange(0, SLASH8 - 1, true);
    worst[impl].markRange(0, SLASH8 - 2, true);
    for (let i = 0; i < SLASH8; i++) if ((random[i & (BATCH - 1)] as number) & 1) half[impl].claim(i);
    for (let i = 0; i < SLASH8; i += 256) scattered[impl].markRange(i, i + 3, true);
  }
  const exports = { wasm: full.wasm.exportBytes(), ts: full.ts.exportBytes() };
  const halfExports = { wasm: half.wasm.exportBytes(), ts: half.ts.exportBytes() };
  const scatteredExports = { wasm: scattered.wasm.exportBytes(), ts: scattered.ts.exportBytes() };

  const bench = new Bench({ iterations: 4, time: 0, warmupIterations: 1, warmupTime: 0 });
  for (const impl of impls) {
    const b = fill[impl];
    bench.add(`${impl} fill /8`, () => {
      b.markRange(0, SLASH8 - 1, false);
      for (let i = 0; i < SLASH8; i++) b.allocate();
    });
    const f = full[impl];
    bench.add(`${impl} churn`, () => {
      for (let i = 0; i < BATCH; i++) {
        f.release(random[i] as number);
        f.allocate();
      }
    });
    const w = worst[impl];
    bench.add(`${impl} worst find`, () => {
      for (let i = 0; i < BATCH; i++) {
        w.allocate();
        w.release(SLASH8 - 1);
      }
    });
  }
  // Codec and audit tasks take µs to ms: sampled for a fixed time (the full export batched x100).
  const codec = new Bench({ time: 400, warmupTime: 100 });
  for (const impl of impls) {
    codec.add(`${impl} export full`, () => {
      for (let i = 0; i < 100; i++) full[impl].exportBytes();
    });
    codec.add(`${impl} import full`, () =>
      importDenseBitmap(exports[impl], { impl })._unsafeUnwrap().dispose(),
    );
    codec.add(`${impl} export scattered`, () => void scattered[impl].exportBytes());
    codec.add(`${impl} import scattered`, () =>
      importDenseBitmap(scatteredExports[impl], { impl })._unsafeUnwrap().dispose(),
    );
    codec.add(`${impl} export half`, () => void half[impl].exportBytes());
    codec.add(`${impl} import half`, () =>
      importDenseBitmap(halfExports[impl], { impl })._unsafeUnwrap().dispose(),
    );
    codec.add(`${impl} audit half`, () => {
      if (half[impl].audit().isErr()) throw new Error('audit failed on a consistent allocator');
    });
  }
  // The floor of a raw export in either engine: a fresh Uint8Array of the export's size and one copy of the
  // 2 MiB payload into it (what both engines do besides the header and the checksum).
  const halfBytes = halfExports.wasm;
  let sink = 0;
  codec.add('copy floor half', () => {
    const out = new Uint8Array(halfBytes.length);
    out.set(halfBytes.subarray(40), 40);
    sink ^= out[out.length - 1] as number;
  });
  await bench.run();
  await codec.run();
  if (sink === -1) throw new Error('unreachable');

  const fillRate = (impl: 'wasm' | 'ts') => 1e9 / perOpNs(bench, `${impl} fill /8`, SLASH8);
  const churnRate = (impl: 'wasm' | 'ts') => 1e9 / perOpNs(bench, `${impl} churn`, BATCH);
  const rows: BenchRow[] = [];
  const wFill = fillRate('wasm');
  const tFill = fillRate('ts');
  rows.push(
    row('dense /8 lowest-free allocation while filling (wasm)', wFill, 'ops/s', {
      target: '>= 20 M/s',
      met: wFill >= 20e6,
      ratio: wFill / tFill,
      baseline: 'ts twin',
    }),
  );
  rows.push(
    row('dense /8 lowest-free allocation while filling (ts twin)', tFill, 'ops/s', {
      target: 'within 2x of wasm',
      met: wFill / tFill <= 2,
    }),
  );
  const wChurn = churnRate('wasm');
  rows.push(
    row('dense /8 release+allocate at 100% fill, random (wasm)', wChurn, 'pairs/s', {
      target: '>= 10 M/s',
      met: wChurn >= 10e6,
      ratio: wChurn / churnRate('ts'),
      baseline: 'ts twin',
    }),
  );
  rows.push(row('dense /8 release+allocate at 100% fill, random (ts twin)', churnRate('ts'), 'pairs/s'));
  const wWorst = perOpNs(bench, 'wasm worst find', BATCH);
  rows.push(
    row('dense /8 worst-case find: allocate+release of the one free last index (wasm)', wWorst, 'ns/pair', {
      target: '<= 50 ns',
      met: wWorst <= 50,
      ratio: perOpNs(bench, 'ts worst find', BATCH) / wWorst,
      baseline: 'ts twin',
      note: 'pair time, an upper bound on the find',
    }),
  );
  const codecNs = (task: string, batch = 1) => taskStats(codec, task).meanNs / batch;
  const states = {
    full: ['full (1 run)', 100],
    scattered: ['scattered (65,536 runs)', 1],
    half: ['half random (raw bitmap)', 1],
  } as const;
  for (const kind of ['full', 'scattered', 'half'] as const) {
    const [label, batch] = states[kind];
    for (const op of ['export', 'import'] as const) {
      const n = op === 'export' ? batch : 1;
      const w = codecNs(`wasm ${op} ${kind}`, n);
      const t = codecNs(`ts ${op} ${kind}`, n);
      rows.push(
        row(`dense /8 ${op} ${label} (wasm)`, w, 'ns', {
          target: '<= 5 ms; >= 3x ts',
          met: w <= 5e6 && t / w >= 3,
          ratio: t / w,
          baseline: 'ts twin',
        }),
      );
    }
  }
  const floor = codecNs('copy floor half');
  const beyond = (impl: 'wasm' | 'ts') => codecNs(`${impl} export half`) - floor;
  rows.push(
    row('dense /8 raw export floor: fresh 2 MiB Uint8Array + copy (paid by both engines)', floor, 'ns', {
      note: `export half beyond it (header + checksum): wasm ${(beyond('wasm') / 1e3).toFixed(0)} µs, ts ${(beyond('ts') / 1e3).toFixed(0)} µs, ${(beyond('ts') / Math.max(1, beyond('wasm'))).toFixed(1)}x`,
    }),
  );
  const wAudit = codecNs('wasm audit half');
  const tAudit = codecNs('ts audit half');
  rows.push(
    row('dense /8 full popcount audit, half random (wasm)', wAudit, 'ns', {
      target: '<= 200 µs; >= 3x ts',
      met: wAudit <= 200e3 && tAudit / wAudit >= 3,
      ratio: tAudit / wAudit,
      baseline: 'ts twin',
      note: 'recount of every bit vs the kept count, every summary level and padding',
    }),
  );
  rows.push(row('dense /8 full popcount audit, half random (ts twin)', tAudit, 'ns'));
  const bits = (full.wasm.byteLength * 8) / SLASH8;
  rows.push(row('dense /8 memory (wasm)', bits, 'bits/index', { target: '<= 1.05', met: bits <= 1.05 }));
  rows.push(row('dense /8 memory (ts twin)', (full.ts.byteLength * 8) / SLASH8, 'bits/index'));
  for (const set of [fill, full, worst, half, scattered]) for (const impl of impls) set[impl].dispose();
  return rows;
};

const spiderpoolRows = async (): Promise<BenchRow[]> => {
  // 5,000 allocated IPs at the start of a /16 (10.6.0.0/16, usable .1 - .65534).
  const record: Record<string, { pod: string; podUid: string }> = {};
  for (let i = 1; i <= 5000; i++)
    record[`10.6.${(i >>> 8) & 255}.${i & 255}`] = { pod: `default/p${i}`, podUid: `u${i}` };
  const allocatedIPs = JSON.stringify(record);
  const b = dense(1 << 16, 'wasm');
  b.markRange(0, 5000, true);
  b.markRange(65_535, 65_535, true);
  const bench = new Bench({ time: 500, warmupTime: 100 });
  bench.add('spiderpool-style', () => void spiderpoolStyleAllocate(allocatedIPs, 1, 65_534));
  bench.add('wasm allocate+release', () => {
    for (let i = 0; i < 1000; i++) b.release(b.allocate());
  });
  await bench.run();
  const base = taskStats(bench, 'spiderpool-style').meanNs;
  const ours = perOpNs(bench, 'wasm allocate+release', 1000);
  b.dispose();
  return [
    row(
      'baseline: Spiderpool-style allocation, 5,000 allocated in a /16 (parse JSON + range walk)',
      base,
      'ns',
    ),
    row('dense /16 allocate (+release to keep the fill), 5,000 allocated (wasm)', ours, 'ns', {
      target: '>= 1000x faster',
      met: base / ours >= 1000,
      ratio: base / ours,
      baseline: 'Spiderpool-style',
    }),
  ];
};

const sparseRows = async (): Promise<BenchRow[]> => {
  const FILL = 1 << 20;
  const b = sparse(1n << 64n);
  const before = b.byteLength;
  const bench = new Bench({ iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 });
  bench.add('fill', () => {
    b.markRange(0n, (1n << 64n) - 1n, false);
    for (let i = 0; i < FILL; i++) b.allocate();
  });
  await bench.run();
  const fillNs = perOpNs(bench, 'fill', FILL);
  const bytes = b.byteLength;
  const far = (1n << 63n) + 1n;
  const N = 20_000;
  const bench2 = new Bench({ iterations: 10, time: 0, warmupIterations: 2, warmupTime: 0 });
  bench2.add('claim far', () => {
    for (let i = 0; i < N; i++) b.claim(far + BigInt(i) * 4099n);
    b.markRange(far, far + BigInt(N) * 4099n, false);
  });
  bench2.add('markRange far only', () => void b.markRange(far, far + BigInt(N) * 4099n, false));
  bench2.add('allocate at frontier', () => {
    for (let i = 0; i < N; i++) b.release(b.allocate());
  });
  b.claim(far);
  await bench2.run();
  const claimNs =
    (taskStats(bench2, 'claim far').meanNs - taskStats(bench2, 'markRange far only').meanNs) / N;
  const allocNs = perOpNs(bench2, 'allocate at frontier', N);
  b.dispose();
  return [
    row('sparse /64: allocate while filling the first 2^20 (wasm)', fillNs, 'ns', {
      target: '<= 1000 ns',
      met: fillNs <= 1000,
    }),
    row('sparse /64: claim near 2^63+1 after the fill (wasm)', claimNs, 'ns', {
      target: '<= 1000 ns',
      met: claimNs <= 1000,
    }),
    row('sparse /64: allocate lowest free (+release) after the fill (wasm)', allocNs, 'ns', {
      target: '<= 1000 ns',
      met: allocNs <= 1000,
    }),
    row('sparse /64: memory holding 2^20 allocated indices (wasm)', (bytes - before) / 1024, 'KiB', {
      target: '<= 256 KiB',
      met: bytes - before <= 256 * 1024,
      note: `allocator total ${bytes} bytes`,
    }),
  ];
};

export const run = async (): Promise<SuiteResult> => ({
  suite: SUITE,
  rows: [
    ...(await denseRows()),
    ...(await spiderpoolRows()),
    ...(await sparseRows()),
    ...(await pagedRows()),
  ],
});

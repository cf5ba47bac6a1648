// Per-allocation cost of the Spiderpool-format status (`status.allocatedIPs`) at 1k / 5k / 100k records, and
// the pool cache's memory per record. Same run, same records: the encoding as it was before ADR 0023 (a
// reference copy in ../baselines/oldStatusEncoder.ts: quoting one UTF-16 unit at a time, a touched block
// re-encoded from its records) against core's current paths. One "allocation" = add one record, encode the
// status; every task also removes it and encodes again (there and back), so its mean is halved. Also per fill:
// taking another agent's write of one record into a warm cache (`replaceRecords`, the cut diff of ADR 0032)
// against a full rebuild of the allocator from the same text, in the same run.
import { encodeAllocatedIPs, formatIPValue, PoolAllocator, type PoolIPAllocation } from '@spiderpool-ts/core';
import { OldAllocatedIPsEncoder, oldEncodeAllocatedIPs } from '../baselines/oldStatusEncoder.ts';
import { interleaved } from '../interleaved.ts';
import type { BenchRow, SuiteResult } from '../report.ts';
import { FIRST_IP, scalePool, seedRecords, uuid } from './ipamScale.ts';

const SUITE = 'status-encode';
const FILLS = [1_000, 5_000, 100_000] as const;
/** Fill at which the cache's memory per record is measured (large enough to swamp fixed costs). */
const MEMORY_FILL = 100_000;
/** Issue 13's goal for the cache's memory per record. */
const MEMORY_GOAL = 200;

/** Interleaved rounds per fill (every task once per round; the slow full encodes bound the count at 100k). */
const ROUNDS: Record<number, number> = { 1000: 120, 5000: 40, 100000: 8 };
/** Interleaved rounds of the foreign-write comparison per fill (the rebuild bounds the count at 100k). */
const FOREIGN_ROUNDS: Record<number, number> = { 1000: 200, 5000: 60, 100000: 10 };

const names = {
  oldFull: 'old full encode (per-unit quoting) per allocation',
  newFull: 'new full encode (fast-path quoting) per allocation',
  oldInc: 'old block encoder per allocation',
  newInc: 'new incremental encoder per allocation',
};

const encodeRows = async (n: number): Promise<BenchRow[]> => {
  const label = `${n / 1000}k records`;
  const records = seedRecords(n);
  const pool = scalePool(records);
  const expected = pool.status?.allocatedIPs;
  const full = new Map(records);
  const alloc = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  const old = new OldAllocatedIPsEncoder();
  for (const [ip, rec] of records) old.set(ip, rec);
  // Same bytes before any timing: the bench compares equal outputs only.
  if (
    alloc.encodeStatus() !== expected ||
    old.encode() !== expected ||
    oldEncodeAllocatedIPs(records) !== expected
  )
    throw new Error(`${label}: encoders disagree`);
  const ip = formatIPValue(4, FIRST_IP + BigInt(n));
  const rec: PoolIPAllocation = { pod: `default/new-${n}-6b7c8d9f-xxabc`, podUid: uuid(n) };
  let sink = 0;
  const tasks: Record<string, () => void> = {
    [names.oldFull]: () => {
      full.set(ip, rec);
      sink += oldEncodeAllocatedIPs(full)?.length ?? 0;
      full.delete(ip);
      sink += oldEncodeAllocatedIPs(full)?.length ?? 0;
    },
    [names.newFull]: () => {
      full.set(ip, rec);
      sink += encodeAllocatedIPs(full)?.length ?? 0;
      full.delete(ip);
      sink += encodeAllocatedIPs(full)?.length ?? 0;
    },
    [names.oldInc]: () => {
      // The allocator's own bookkeeping is done on both sides; only the encoder differs.
      alloc.addRecord(ip, rec);
      old.set(ip, rec);
      sink += old.encode()?.length ?? 0;
      alloc.removeRecord(ip);
      old.delete(ip);
      sink += old.encode()?.length ?? 0;
    },
    [names.newInc]: () => {
      alloc.addRecord(ip, rec);
      sink += alloc.encodeStatus()?.length ?? 0;
      alloc.removeRecord(ip);
      sink += alloc.encodeStatus()?.length ?? 0;
    },
  };
  const median = interleaved(tasks, ROUNDS[n] ?? 8);
  alloc.dispose();
  if (sink === 0) throw new Error('nothing encoded');
  const half = (name: string): number => (median.get(name) ?? Number.NaN) / 2;
  const row = (name: string, base?: string): BenchRow => ({
    suite: SUITE,
    name: `${label}: ${name}`,
    value: half(name),
    unit: 'ns',
    ...(base === undefined ? {} : { ratio: half(base) / half(name), baseline: `${label}: ${base}` }),
  });
  return [
    row(names.newInc, names.oldInc),
    { ...row(names.newInc, names.oldFull), name: `${label}: new incremental encoder vs old full encode` },
    row(names.oldInc),
    row(names.newFull, names.oldFull),
    row(names.oldFull),
  ];
};

const foreignNames = {
  sync: 'foreign write of 1 record taken into the warm cache (replaceRecords)',
  rebuild: 'full rebuild from the same status (PoolAllocator.build)',
};

/**
 * Another agent's write of one record: the cache holds n records, the new status has one more (the next
 * lowest-free address, bound to a new Pod). The sync task takes that status and then the one before it
 * (there and back: its median is halved); the rebuild task builds an allocator from the new status once.
 */
const foreignRows = (n: number): BenchRow[] => {
  const label = `${n / 1000}k records`;
  const records = seedRecords(n);
  const before = scalePool(records);
  const plus = new Map(records);
  plus.set(formatIPValue(4, FIRST_IP + BigInt(n)), {
    pod: `default/other-${n}-6b7c8d9f-xxabc`,
    podUid: uuid(n),
  });
  const after = scalePool(plus);
  const textBefore = before.status?.allocatedIPs;
  const textAfter = after.status?.allocatedIPs;
  const alloc = PoolAllocator.build(before, undefined)._unsafeUnwrap();
  let sink = 0;
  const tasks: Record<string, () => void> = {
    [foreignNames.sync]: () => {
      alloc.replaceRecords(textAfter)._unsafeUnwrap();
      sink += alloc.records.size;
      alloc.replaceRecords(textBefore)._unsafeUnwrap();
      sink += alloc.records.size;
    },
    [foreignNames.rebuild]: () => {
      const a = PoolAllocator.build(after, undefined)._unsafeUnwrap();
      sink += a.records.size;
      a.dispose();
    },
  };
  const median = interleaved(tasks, FOREIGN_ROUNDS[n] ?? 8);
  // Same state after the syncs as a build of the same text.
  alloc.replaceRecords(textAfter)._unsafeUnwrap();
  if (alloc.encodeStatus() !== textAfter || alloc.freeCount !== BigInt(262142 - n - 1))
    throw new Error(`${label}: the synced cache disagrees with the text`);
  alloc.dispose();
  if (sink === 0) throw new Error('nothing synced');
  const sync = (median.get(foreignNames.sync) ?? Number.NaN) / 2;
  const rebuild = median.get(foreignNames.rebuild) ?? Number.NaN;
  return [
    {
      suite: SUITE,
      name: `${label}: ${foreignNames.sync}`,
      value: sync,
      unit: 'ns',
      ratio: rebuild / sync,
      baseline: `${label}: ${foreignNames.rebuild}`,
    },
    { suite: SUITE, name: `${label}: ${foreignNames.rebuild}`, value: rebuild, unit: 'ns' },
  ];
};

/** Heap bytes per record of a built PoolAllocator (records, encoder, UID index, bitmap); needs --expose-gc. */
const memoryRows = async (): Promise<BenchRow[]> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const name = `${MEMORY_FILL / 1000}k records: pool cache heap per record (PoolAllocator built + encoded)`;
  if (gc === undefined) {
    console.log('  (memory row skipped: run with NODE_OPTIONS=--expose-gc)');
    return [];
  }
  const pool = scalePool(seedRecords(MEMORY_FILL));
  // The seed map is garbage now, but a full GC within the same task may still see it live (a stale
  // register): collect after a macrotask turn, or `before` counts it and the delta comes out too small.
  await new Promise((r) => setTimeout(r, 50));
  gc();
  gc();
  const before = process.memoryUsage();
  const alloc = PoolAllocator.build(pool, undefined)._unsafeUnwrap();
  const text = alloc.encodeStatus();
  gc();
  const after = process.memoryUsage();
  // The pool (and its status text) stays live across both readings: it was in `before`, it must be in `after`.
  if ((pool.status?.allocatedIPs?.length ?? 0) === 0) throw new Error('empty pool');
  const perRecord = (after.heapUsed - before.heapUsed) / MEMORY_FILL;
  const external =
    (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / MEMORY_FILL;
  const row: BenchRow = {
    suite: SUITE,
    name,
    value: perRecord,
    unit: 'B',
    target: `<= ${MEMORY_GOAL} B/record (issue 13)`,
    met: perRecord <= MEMORY_GOAL,
    note: `status string ${((text?.length ?? 0) / MEMORY_FILL).toFixed(1)} B/record of it; off-heap (WASM bitmap) ${external.toFixed(1)} B/record`,
  };
  alloc.dispose();
  return [row];
};

export const run = async (): Promise<SuiteResult> => {
  const out: BenchRow[] = [];
  for (const n of FILLS) {
    console.log(`  [${n / 1000}k records] per-allocation encode...`);
    out.push(...(await encodeRows(n)));
    console.log(`  [${n / 1000}k records] foreign write vs full rebuild...`);
    out.push(...foreignRows(n));
  }
  out.push(...(await memoryRows()));
  return { suite: SUITE, rows: out };
};

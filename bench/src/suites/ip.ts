// IP suite: merge, subtract and count of Spiderpool range texts, on many small ranges and on huge ones.
// Baselines measured in the same run: a naive expand-the-list implementation (what Spiderpool's
// MergeIPRanges does) on a /16, where it still fits in memory, and a /30 for the "a /64 costs what a /30
// costs" claim. Inputs are generated from a fixed seed, so runs compare.
import {
  formatIPValue,
  mergeIPRanges,
  parseIPRanges,
  rangeSetAt,
  rangeSetIndexOf,
  subtractIPRanges,
  totalIPCount,
} from '@spiderpool-ts/core';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';

const SUITE = 'ip';

/** Deterministic 32-bit LCG (Numerical Recipes constants). */
const rng = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
};

const v4 = (n: number): string => formatIPValue(4, BigInt(n >>> 0));
const range4 = (a: number, b: number): string => (a === b ? v4(a) : `${v4(a)}-${v4(b)}`);

/** `count` ranges of 1-16 addresses at random places of [base, base + span) (overlaps allowed). */
const smallRanges = (count: number, seed: number, base = 0x0a000000, span = 0x1000000): string[] => {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const a = base + (next() % span);
    return range4(a, Math.min(a + (next() % 16), base + span - 1));
  });
};

/** `count` disjoint ranges (each in its own 256-address block) of 10.0.0.0/8, shuffled: valid pool `ips`. */
const disjointRanges = (count: number, seed: number): string[] => {
  const next = rng(seed);
  const out = Array.from({ length: count }, (_, k) => {
    const a = 0x0a000000 + k * 256 + (next() % 128);
    return range4(a, a + (next() % 64));
  });
  for (let k = out.length - 1; k > 0; k--) {
    const j = next() % (k + 1);
    [out[k], out[j]] = [out[j] as string, out[k] as string];
  }
  return out;
};

/** 256 overlapping ranges that together cover 10.20.0.0/16, shuffled. */
const sixteen = (seed: number): string[] => {
  const next = rng(seed);
  const out = Array.from({ length: 256 }, (_, k) => range4(0x0a140000 + k * 256, 0x0a140000 + k * 256 + 300));
  out[255] = range4(0x0a14ff00, 0x0a14ffff);
  for (let k = out.length - 1; k > 0; k--) {
    const j = next() % (k + 1);
    [out[k], out[j]] = [out[j] as string, out[k] as string];
  }
  return out;
};

const parseV4 = (t: string): number => t.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

/** The naive model: expand every range into addresses, dedupe, sort, collapse runs (MergeIPRanges in Go). */
const naiveExpand = (ranges: readonly string[]): number[] => {
  const seen = new Set<number>();
  for (const r of ranges) {
    const [a, b = a] = r.split('-') as [string, string?];
    for (let v = parseV4(a), end = parseV4(b); v <= end; v++) seen.add(v);
  }
  return [...seen].sort((x, y) => x - y);
};
const naiveCollapse = (ips: readonly number[]): string[] => {
  const out: string[] = [];
  for (let k = 0; k < ips.length; ) {
    let j = k;
    while (j + 1 < ips.length && ips[j + 1] === (ips[j] as number) + 1) j++;
    out.push(range4(ips[k] as number, ips[j] as number));
    k = j + 1;
  }
  return out;
};
const naiveMerge = (ranges: readonly string[]): string[] => naiveCollapse(naiveExpand(ranges));
const naiveSubtract = (ranges: readonly string[], exclude: readonly string[]): string[] => {
  const drop = new Set(naiveExpand(exclude));
  return naiveCollapse(naiveExpand(ranges).filter((v) => !drop.has(v)));
};

const hex = (k: number): string => k.toString(16);
/** `count` whole /64s of fd00::/48, shuffled, as `a-b` ranges. */
const whole64s = (count: number, seed: number): string[] => {
  const next = rng(seed);
  const out = Array.from(
    { length: count },
    (_, k) => `fd00:0:0:${hex(k)}::-fd00:0:0:${hex(k)}:ffff:ffff:ffff:ffff`,
  );
  for (let k = out.length - 1; k > 0; k--) {
    const j = next() % (k + 1);
    [out[k], out[j]] = [out[j] as string, out[k] as string];
  }
  return out;
};
/** `count` single-address holes spread over fd00::/64. */
const holes64 = (count: number, seed: number): string[] => {
  const next = rng(seed);
  return Array.from(
    { length: count },
    () => `fd00::${hex(next() & 0xffff)}:${hex(next() & 0xffff)}:${hex(next() & 0xffff)}:1`,
  );
};

interface Pair {
  /** Row name of the measured task. */
  name: string;
  /** Row name of the baseline task. */
  baseline: string;
}

export const run = async (): Promise<SuiteResult> => {
  const sixteenIn = sixteen(1);
  const sixteenEx = smallRanges(500, 2, 0x0a140000, 0x10000);
  const small10k = smallRanges(10_000, 3);
  const exclude10k = smallRanges(10_000, 4);
  const disjoint10k = disjointRanges(10_000, 5);
  const big64s = whole64s(1000, 6);
  const holes = holes64(1000, 7);
  const whole64 = 'fd00::-fd00::ffff:ffff:ffff:ffff';
  const indexed = parseIPRanges(4, disjoint10k)._unsafeUnwrap();
  const next = rng(8);

  // Sanity: the interval code and the naive model agree on the inputs measured.
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x, k) => x === b[k]);
  if (!same(mergeIPRanges(4, sixteenIn)._unsafeUnwrap(), naiveMerge(sixteenIn)))
    throw new Error('merge /16 differs');
  if (!same(subtractIPRanges(4, sixteenIn, sixteenEx)._unsafeUnwrap(), naiveSubtract(sixteenIn, sixteenEx))) {
    throw new Error('subtract /16 differs');
  }

  const tasks: Record<string, () => unknown> = {
    'naive: merge /16 (256 ranges, expanded)': () => naiveMerge(sixteenIn),
    'merge /16 (256 ranges)': () => mergeIPRanges(4, sixteenIn),
    'naive: subtract 500 ranges from /16 (expanded)': () => naiveSubtract(sixteenIn, sixteenEx),
    'subtract 500 ranges from /16': () => subtractIPRanges(4, sixteenIn, sixteenEx),
    'naive: count /16 (expanded)': () => naiveExpand(sixteenIn).length,
    'count /16 (totalIPCount)': () => totalIPCount('10.20.0.0/16', ['10.20.0.0-10.20.255.255'], []),
    'count /30 (totalIPCount)': () => totalIPCount('10.0.0.0/30', ['10.0.0.0-10.0.0.3'], []),
    'count v6 /126 (totalIPCount)': () => totalIPCount('fd00::/126', ['fd00::-fd00::3'], []),
    'count /64 (totalIPCount)': () => totalIPCount('fd00::/64', [whole64], []),
    'naive: merge 10k random small v4 ranges (expanded)': () => naiveMerge(small10k),
    'merge 10k random small v4 ranges': () => mergeIPRanges(4, small10k),
    'naive: subtract 10k from 10k small v4 ranges (expanded)': () => naiveSubtract(small10k, exclude10k),
    'subtract 10k from 10k random small v4 ranges': () => subtractIPRanges(4, small10k, exclude10k),
    'naive: count 10k disjoint v4 ranges (expanded)': () => naiveExpand(disjoint10k).length,
    'count 10k disjoint v4 ranges (NewCIDR rules)': () => totalIPCount('10.0.0.0/8', disjoint10k, []),
    'merge 1000 whole /64s': () => mergeIPRanges(6, big64s),
    'count /64 minus 1000 holes': () => totalIPCount('fd00::/64', [whole64], holes),
    'subtract 1000 holes from a /64': () => subtractIPRanges(6, [whole64], holes),
    'rangeSetAt + rangeSetIndexOf on 10k intervals': () => {
      const v = rangeSetAt(indexed, BigInt(next() % 300_000));
      return v === undefined ? -1n : rangeSetIndexOf(indexed, v);
    },
  };
  const bench = new Bench({ time: 300, warmupTime: 50 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();

  // Each measured task and the baseline it is compared with (same run); baselines get a row of their own.
  const NAIVE16 = 'naive: merge /16 (256 ranges, expanded)';
  const pairs: Pair[] = [
    { name: 'merge /16 (256 ranges)', baseline: NAIVE16 },
    { name: 'subtract 500 ranges from /16', baseline: 'naive: subtract 500 ranges from /16 (expanded)' },
    { name: 'count /16 (totalIPCount)', baseline: 'naive: count /16 (expanded)' },
    { name: 'count v6 /126 (totalIPCount)', baseline: 'count /30 (totalIPCount)' },
    { name: 'count /64 (totalIPCount)', baseline: 'count v6 /126 (totalIPCount)' },
    {
      name: 'merge 10k random small v4 ranges',
      baseline: 'naive: merge 10k random small v4 ranges (expanded)',
    },
    {
      name: 'subtract 10k from 10k random small v4 ranges',
      baseline: 'naive: subtract 10k from 10k small v4 ranges (expanded)',
    },
    {
      name: 'count 10k disjoint v4 ranges (NewCIDR rules)',
      baseline: 'naive: count 10k disjoint v4 ranges (expanded)',
    },
    { name: 'merge 1000 whole /64s', baseline: NAIVE16 },
    { name: 'count /64 minus 1000 holes', baseline: NAIVE16 },
    { name: 'subtract 1000 holes from a /64', baseline: NAIVE16 },
    { name: 'rangeSetAt + rangeSetIndexOf on 10k intervals', baseline: 'count /30 (totalIPCount)' },
  ];
  const rows: BenchRow[] = [];
  const done = new Set<string>();
  const row = (name: string, baseline?: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const s = taskStats(bench, name);
    const r: BenchRow = {
      suite: SUITE,
      name,
      value: s.hz,
      unit: 'ops/s',
      note: `mean ${s.meanNs.toFixed(0)} ns`,
    };
    if (baseline !== undefined) {
      r.ratio = s.hz / taskStats(bench, baseline).hz;
      r.baseline = baseline;
    }
    rows.push(r);
  };
  for (const p of pairs) {
    row(p.baseline);
    row(p.name, p.baseline);
  }
  // A /64 must cost about what a /30 costs: compared within one family (v6 /126 = 4 addresses), within 2x.
  const c64 = rows.find((r) => r.name === 'count /64 (totalIPCount)');
  if (c64?.ratio !== undefined) {
    c64.target = '>= 0.5x of v6 /126';
    c64.met = c64.ratio >= 0.5;
  }
  return { suite: SUITE, rows };
};

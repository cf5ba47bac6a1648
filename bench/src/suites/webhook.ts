// Webhook suite: SpiderIPPool create validation against many existing pools of the same subnet (the
// same-cidr-label overlap rule, §2.3 rule 5), and on a huge IPv6 pool. Baseline measured in the same run:
// the expand-the-list way Spiderpool's AssembleTotalIPs works (every address of every pool as a string in a
// Set), on the same input.
import {
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  formatIPValue,
  type SpiderIPPool,
  validateIPPoolCreate,
} from '@spiderpool-ts/core';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';

const SUITE = 'webhook';
const POOLS = 500;
const PER_POOL = 32;

const v4 = (n: number): string => formatIPValue(4, BigInt(n >>> 0));
const BASE = 0x0a000000; // 10.0.0.0

const mkPool = (name: string, subnet: string, ips: string[]): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet, ips },
});

const noSubnets = { settings: { enableSpiderSubnet: false }, subnets: [] };
const existing = Array.from({ length: POOLS }, (_, k) => {
  const a = BASE + k * 64;
  return defaultIPPool(mkPool(`p${k}`, '10.0.0.0/8', [`${v4(a)}-${v4(a + PER_POOL - 1)}`]), noSubnets);
});
const ctx = { settings: DEFAULT_CLUSTER_SETTINGS, pools: existing, subnets: [] };
const candidate = defaultIPPool(
  mkPool(
    'new',
    '10.0.0.0/8',
    Array.from({ length: 16 }, (_, k) => {
      const a = BASE + POOLS * 64 + k * 64;
      return `${v4(a)}-${v4(a + PER_POOL - 1)}`;
    }),
  ),
  noSubnets,
);
const huge = defaultIPPool(mkPool('v6', 'fd00::/64', ['fd00::1-fd00::ffff:ffff:ffff']), noSubnets);
const v6ctx = { settings: DEFAULT_CLUSTER_SETTINGS, pools: [], subnets: [] };

/** Every address of `a-b` as text (what a net.IP list amounts to). */
const expand = (range: string): string[] => {
  const [s, e = s] = range.split('-') as [string, string?];
  const num = (t: string): number => t.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const out: string[] = [];
  for (let n = num(s); n <= num(e); n++) out.push(v4(n));
  return out;
};

/** Baseline: the same-label overlap check on expanded address lists. */
const naiveOverlap = (): boolean => {
  const mine = new Set((candidate.spec.ips ?? []).flatMap(expand));
  for (const p of existing) {
    for (const ip of (p.spec.ips ?? []).flatMap(expand)) if (mine.has(ip)) return true;
  }
  return false;
};

export async function run(): Promise<SuiteResult> {
  if (validateIPPoolCreate(candidate, ctx).length !== 0 || naiveOverlap()) throw new Error('bad bench input');
  const tasks: Record<string, () => void> = {
    [`validateIPPoolCreate vs ${POOLS} same-subnet pools`]: () => void validateIPPoolCreate(candidate, ctx),
    [`baseline: expanded-list overlap vs ${POOLS} pools`]: () => void naiveOverlap(),
    'validateIPPoolCreate, IPv6 pool of 2^48 addresses': () => void validateIPPoolCreate(huge, v6ctx),
  };
  const bench = new Bench({ time: 400, warmupTime: 50 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  await bench.run();
  const names = Object.keys(tasks);
  const [ours, base, v6] = names.map((n) => taskStats(bench, n));
  const rows: BenchRow[] = [
    {
      suite: SUITE,
      name: names[0] as string,
      value: ours?.meanNs ?? Number.NaN,
      unit: 'ns',
      ratio: (base?.meanNs ?? Number.NaN) / (ours?.meanNs ?? Number.NaN),
      baseline: names[1] as string,
      note: 'ratio = baseline time / our time (the full validation vs only the baseline overlap check)',
    },
    { suite: SUITE, name: names[1] as string, value: base?.meanNs ?? Number.NaN, unit: 'ns' },
    {
      suite: SUITE,
      name: names[2] as string,
      value: v6?.meanNs ?? Number.NaN,
      unit: 'ns',
      note: 'no baseline: the expanded list would not fit in memory',
    },
  ];
  return { suite: SUITE, rows };
}

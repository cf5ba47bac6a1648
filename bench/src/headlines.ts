// Which rows of each suite the README's figure table shows. A suite listed here shows the rows whose names
// match its patterns, in the suite's own order; any other suite shows its rows with a goal, then its rows with
// a same-run ratio, at most DEFAULT_HEADLINES in all. Everything else stays in bench/REPORT.md.
import type { BenchRow } from './report.ts';

export const DEFAULT_HEADLINES = 3;

const headlines: Record<string, readonly RegExp[]> = {
  bitmap: [
    /lowest-free allocation while filling \(wasm\)/,
    /5,000 allocated \(wasm\)/,
    /^sparse \/64: memory/,
  ],
  ip: [/^count \/16 \(totalIPCount\)$/, /^count \/64 \(totalIPCount\)$/],
  ipam: [/^engine \(1 ms per store write\): 1000 Pods/, /^engine \(no store latency\): 1000 Pods/],
  'ipam-scale': [
    /engine, \+\d+ Pods via \d+ engines/,
    /^5k records: engine CPU per allocation/,
    /^100k records: (pool cache heap per record|cold build CPU)/,
  ],
  'large-pool': [
    /^compact: allocations\/s at 1M records vs at 0/,
    /^1M records: compact (API bytes|CPU) per allocation/,
    /^1M records: largest stored object, compact/,
  ],
  'http-storm': [/allocations\/s \(/, /engine .*HTTP requests per allocation/],
  'http-storm-10k': [/allocations\/s \(/, /engine .*HTTP requests per allocation/],
  'status-encode': [/new incremental encoder per allocation/, /pool cache heap per record/],
  informers: [/^with informers: (allocations\/s|API requests per allocation)/],
  store: [/^storm:/],
  'store-etcd': [/^EtcdStore on etcd, .* hot pool$/],
  webhook: [/vs 500 same-subnet pools/],
  admission: [/webhooks over HTTPS/],
  chain: [/chain ADD p(50|99)/],
  coordinator: [/bin\/coordinator wrapper/],
  'sriov-plugin': [/^start: bin\/(sriov|spiderpool) VERSION/],
  sriov: [/discovery \+ state render/],
  deviceplugin: [/^Allocate p99/],
};

export const headlineRows = (suite: string, rows: readonly BenchRow[]): BenchRow[] => {
  const patterns = headlines[suite];
  if (patterns) return rows.filter((r) => patterns.some((p) => p.test(r.name)));
  const goals = rows.filter((r) => r.met !== undefined);
  const ratios = rows.filter((r) => r.met === undefined && r.ratio !== undefined);
  return [...goals, ...ratios].slice(0, DEFAULT_HEADLINES);
};

// Interleaved micro-timing shared by the suites that compare tasks in one loop (ipam-scale, status-encode):
// every task runs once per round, in turn, so drift in the machine's load hits all of them alike.

/** Runs each task once per round, in turn, after one warm-up round; the median ns of each task's rounds. */
export const interleaved = (tasks: Record<string, () => void>, rounds: number): Map<string, number> => {
  const times = new Map<string, number[]>(Object.keys(tasks).map((k) => [k, []]));
  for (let r = -1; r < rounds; r++) {
    for (const [name, task] of Object.entries(tasks)) {
      const t0 = performance.now();
      task();
      const ns = (performance.now() - t0) * 1e6;
      if (r >= 0) times.get(name)?.push(ns);
    }
  }
  const out = new Map<string, number>();
  for (const [name, ts] of times) {
    ts.sort((a, b) => a - b);
    out.set(name, ts[ts.length >> 1] ?? Number.NaN);
  }
  return out;
};

// The kubelets of the storm: each agent (node) gets at most `parallel` ADDs at a time, as a kubelet starting
// Pods does; a failed ADD whose error is retryable is run again (kubelet retries a failed sandbox setup),
// counted apart. Latency is per Pod, from the first call to the last answer, retries included.
import type { StormPod } from './world.ts';

export type AddOutcome = { ok: true } | { ok: false; tag: string; message: string; retryable: boolean };

/** One agent as the storm sees it: an ADD for a Pod of its node. */
export interface StormAgent {
  add(pod: StormPod): Promise<AddOutcome>;
}

export interface DriveOptions {
  parallel: number;
  kubeletRetries: number;
  /** Called every `progressEvery` finished Pods. */
  progress?: (done: number) => void;
  progressEvery?: number;
}

export interface DriveResult {
  seconds: number;
  /** Per-Pod ADD latencies, ms, sorted. */
  latencies: number[];
  failures: number;
  /** Failures by error tag. */
  reasons: Record<string, number>;
  firstFailure?: string;
  kubeletRetries: number;
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

export const driveStorm = async (
  agents: readonly StormAgent[],
  pods: readonly StormPod[],
  options: DriveOptions,
): Promise<DriveResult> => {
  const latencies: number[] = [];
  const reasons: Record<string, number> = {};
  const out: DriveResult = { seconds: 0, latencies, failures: 0, reasons, kubeletRetries: 0 };
  let done = 0;
  const add = async (p: StormPod): Promise<void> => {
    const agent = agents[p.agent];
    if (!agent) throw new Error(`no agent ${p.agent}`);
    const t0 = performance.now();
    let r = await agent.add(p);
    for (let k = 0; !r.ok && r.retryable && k < options.kubeletRetries; k++) {
      out.kubeletRetries++;
      r = await agent.add(p);
    }
    latencies.push(performance.now() - t0);
    if (!r.ok) {
      out.failures++;
      reasons[r.tag] = (reasons[r.tag] ?? 0) + 1;
      out.firstFailure ??= r.message;
    }
    done++;
    if (options.progress && done % (options.progressEvery ?? 1000) === 0) options.progress(done);
  };
  const started = performance.now();
  await Promise.all(
    agents.map(async (_, a) => {
      const mine = pods.filter((p) => p.agent === a);
      await Promise.all(
        Array.from({ length: options.parallel }, async () => {
          for (let p = mine.shift(); p !== undefined; p = mine.shift()) await add(p);
        }),
      );
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return out;
};

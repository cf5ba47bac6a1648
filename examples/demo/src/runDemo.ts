// The whole demo as one function (main.ts prints it; demo.test.ts checks it) on any DemoTarget: the embedded
// MemoryStore by default, or KubernetesStore against the emulator or a real cluster.
import { ipCoreStep } from './ipCoreStep.ts';
import { kubectlStep } from './kubectlStep.ts';
import { explainStep, gcStep, replaceStep } from './lifecycleSteps.ts';
import type { Printer } from './printer.ts';
import { sandboxStep, startSeed } from './seedSteps.ts';
import { type StormOptions, stormStep } from './stormStep.ts';
import { type DemoTarget, memoryTarget } from './target.ts';

export interface DemoOptions {
  storm: StormOptions;
  /** Where to run (default: a fresh in-memory store). runDemo closes it. */
  target?: DemoTarget;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { storm: { deployments: 100, replicas: 10, agents: 10 } };
/** Over HTTP every Pod create and status write is a round trip: a smaller storm. */
export const K8S_STORM: StormOptions = { deployments: 20, replicas: 10, agents: 4 };

/** Runs every step in order, stopping at the first failure; true when all passed. */
export const runDemo = async (p: Printer, o: DemoOptions = DEFAULT_DEMO_OPTIONS): Promise<boolean> => {
  const target = o.target ?? memoryTarget();
  const abort = new AbortController();
  try {
    if (!ipCoreStep(p)) return false;
    const cluster = target.cluster;
    const seed = await startSeed(p, cluster, abort.signal);
    if (!seed) return false;
    try {
      for (const step of [sandboxStep, explainStep, replaceStep, gcStep]) {
        if (!(await step(p, seed))) return false;
      }
    } finally {
      seed.agents.dispose();
    }
    if (!(await stormStep(p, cluster, o.storm))) return false;
    return target.kubectl === undefined || (await kubectlStep(p, target.kubectl, cluster.store));
  } finally {
    abort.abort();
    await target.close(p);
  }
};

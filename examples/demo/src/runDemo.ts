// The whole demo as one function (main.ts prints it; demo.test.ts checks it).
import { createCluster } from './cluster.ts';
import { ipCoreStep } from './ipCoreStep.ts';
import { explainStep, gcStep, replaceStep } from './lifecycleSteps.ts';
import type { Printer } from './printer.ts';
import { sandboxStep, startSeed } from './seedSteps.ts';
import { type StormOptions, stormStep } from './stormStep.ts';

export interface DemoOptions {
  storm: StormOptions;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = { storm: { deployments: 100, replicas: 10, agents: 10 } };

/** Runs every step in order, stopping at the first failure; true when all passed. */
export const runDemo = async (p: Printer, o: DemoOptions = DEFAULT_DEMO_OPTIONS): Promise<boolean> => {
  if (!ipCoreStep(p)) return false;
  const cluster = createCluster();
  const abort = new AbortController();
  try {
    const seed = await startSeed(p, cluster, abort.signal);
    if (!seed) return false;
    try {
      for (const step of [sandboxStep, explainStep, replaceStep, gcStep]) {
        if (!(await step(p, seed))) return false;
      }
    } finally {
      seed.agents.dispose();
    }
    return await stormStep(p, cluster, o.storm);
  } finally {
    abort.abort();
  }
};

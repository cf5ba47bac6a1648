// Where the walkthrough runs: a Cluster over some Store, what kubectl needs to look at it, and how to end it.
import { createMemoryStore } from '@spiderpool-ts/core';
import { type Cluster, createCluster } from './cluster.ts';
import type { Printer } from './printer.ts';

export interface KubectlAccess {
  kubeconfig: string;
  /** Extra kubectl arguments (e.g. a private --cache-dir for the emulator). */
  args: readonly string[];
}

export interface DemoTarget {
  cluster: Cluster;
  /** Present when a real `kubectl` can be pointed at the store (an API server, emulated or real). */
  kubectl?: KubectlAccess;
  /** Stops what the target started and removes what the demo created (where that matters). */
  close(p: Printer): Promise<void>;
}

/** The default: everything in one process on core's MemoryStore. */
export const memoryTarget = (now: () => Date = () => new Date()): DemoTarget => ({
  cluster: createCluster({ store: createMemoryStore({ now }), label: 'the in-memory store' }),
  close: async () => {},
});

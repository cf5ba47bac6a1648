// What a command gets from its caller: where to print, the environment, and how to reach the cluster.
import type { Store } from '@spiderpool-ts/core';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Opens the Store the cluster commands read (KubernetesStore for a kubeconfig; tests may inject one). */
export type OpenStore = (kubeconfig: string | undefined) => { store: Store } | { error: string };

export type Output = 'table' | 'json';

// The informer's public shapes: options, events, health, and the injected time (core has no clock).
import type { KubeObject, LabelSelector } from '../api/meta.ts';
import type { RetryPolicy } from '../ipam/retry.ts';
import type { InformerError } from './errors.ts';

/** The part of an AbortSignal a sleep needs (core has no DOM/Node types). */
export interface SleepSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/**
 * Injected time: resolve after `ms`, or early when `signal` aborts (so a stopped informer leaves no timer
 * behind). A plain `(ms) => Promise<void>` is accepted too.
 */
export type InformerSleep = (ms: number, signal: SleepSignal) => Promise<void>;

export interface InformerTiming {
  sleep: InformerSleep;
  /** In [0, 1): the jitter source (default: always 0.5). */
  random?: () => number;
  /** Reconnect backoff (`attempts` is ignored: informers retry forever unless `maxFailures` is set). Default 1 s x2, cap 30 s, jitter 0.5. */
  backoff?: Partial<Omit<RetryPolicy, 'attempts'>>;
  /** Every `resyncMs`, each cached object is delivered again as MODIFIED with `resync: true`. 0/absent: never. */
  resyncMs?: number;
  /** Deadline of `start()` (default 30 000 ms; Infinity: none, for hosts that give no real sleep). */
  startTimeoutMs?: number;
  /** Consecutive failures after which the informer stops with InformerGaveUp (default: never). */
  maxFailures?: number;
  /** Every failure, as it happens (the informer keeps going unless it says InformerGaveUp). */
  onError?: (error: InformerError) => void;
}

export interface InformerScope {
  /** Only this namespace (namespaced kinds). */
  namespace?: string;
  labelSelector?: LabelSelector;
}

export interface InformerOptions extends InformerTiming, InformerScope {
  kind: string;
}

/**
 * A change of the cache. After a relist, differences arrive as ADDED/MODIFIED/DELETED, so a consumer misses
 * nothing while the watch was down. `previous` is the cached copy it replaces (MODIFIED, DELETED).
 */
export interface InformerEvent<T extends KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
  previous?: T;
  /** A periodic resync re-delivery: nothing changed. */
  resync?: boolean;
}

export type InformerListener<T extends KubeObject> = (event: InformerEvent<T>) => void;

export type InformerState = 'new' | 'starting' | 'watching' | 'recovering' | 'stopped';

export interface InformerHealth {
  kind: string;
  state: InformerState;
  /** The first list has completed (the cache is usable). */
  synced: boolean;
  /** Objects in the cache. */
  objects: number;
  /** The last version the cache reflects. */
  resourceVersion: string;
  /** Lists after the first (410 Gone). */
  relists: number;
  /** Watches resumed after an error or a dropped stream. */
  reconnects: number;
  consecutiveFailures: number;
  lastError?: InformerError;
}

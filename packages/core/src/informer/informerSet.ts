// A set of informers sharing one Store and one timing (sleep, backoff, resync, deadline, onError): one
// informer per kind + scope, created on first request and shared by every consumer (controllers, the
// engine's cached store, webhooks). `start()` starts them all as one unit: all synced, or the first error.
import { ResultAsync } from 'neverthrow';
import type { KubeObject } from '../api/meta.ts';
import type { Store } from '../store/index.ts';
import type { InformerError } from './errors.ts';
import { createInformer, type Informer } from './informer.ts';
import type { InformerHealth, InformerScope, InformerSleep, InformerTiming } from './types.ts';

export interface InformerSet {
  readonly store: Store;
  /** The set's injected sleep: for consumers that wait, with a deadline, for its caches to catch up. */
  readonly sleep: InformerSleep;
  /** The informer of `kind` (+ scope), created on first call and shared afterwards. Not started. */
  informer<T extends KubeObject = KubeObject>(kind: string, scope?: InformerScope): Informer<T>;
  /** The informer that covers every object of `kind` (no namespace, no selector), if one was requested. */
  whole<T extends KubeObject = KubeObject>(kind: string): Informer<T> | undefined;
  /** Starts every informer requested so far (and waits for those already starting). */
  start(): ResultAsync<void, InformerError>;
  stop(): void;
  health(): InformerHealth[];
}

const scopeKey = (kind: string, scope: InformerScope): string =>
  JSON.stringify([kind, scope.namespace ?? null, scope.labelSelector ?? null]);

export const createInformerSet = (store: Store, timing: InformerTiming): InformerSet => {
  const informers = new Map<string, Informer>();
  const stop = (): void => {
    for (const i of informers.values()) i.stop();
  };
  return {
    store,
    sleep: timing.sleep,
    informer: <T extends KubeObject = KubeObject>(kind: string, scope: InformerScope = {}): Informer<T> => {
      const key = scopeKey(kind, scope);
      let inf = informers.get(key);
      if (inf === undefined) {
        inf = createInformer(store, { ...timing, ...scope, kind });
        informers.set(key, inf);
      }
      return inf as unknown as Informer<T>;
    },
    whole: <T extends KubeObject = KubeObject>(kind: string): Informer<T> | undefined =>
      informers.get(scopeKey(kind, {})) as unknown as Informer<T> | undefined,
    start: () =>
      ResultAsync.combine([...informers.values()].map((i) => i.start()))
        .map(() => undefined)
        .mapErr((e) => {
          stop();
          return e;
        }),
    stop,
    health: () => [...informers.values()].map((i) => i.health()),
  };
};

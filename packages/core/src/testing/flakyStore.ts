// Test doubles for informer tests: a Store wrapper that stands for an unreliable API server (its open
// watches can be cut with an ERROR, its lists refused while "down"), a request counter, and a real-timer
// sleep for short backoffs.
import { errAsync } from 'neverthrow';
import type { KubeObject } from '../api/meta.ts';
import type { InformerSleep } from '../informer/types.ts';
import {
  createMemoryStore,
  type MemoryStore,
  type Store,
  type StoreError,
  storeUnavailable,
  type WatchEvent,
} from '../store/index.ts';
import { timers } from './timers.ts';

export const realSleep: InformerSleep = (ms, signal) =>
  new Promise((resolve) => {
    const t = timers.setTimeout(() => resolve(), ms);
    signal.addEventListener('abort', () => {
      timers.clearTimeout(t);
      resolve();
    });
  });

export interface FlakyStore extends Store {
  readonly inner: MemoryStore;
  /** Requests per verb that reached the inner store. */
  readonly calls: Record<string, number>;
  /** Ends every open watch with this error (default Unavailable). */
  cut(error?: StoreError): void;
  /** While down, every request fails Unavailable and new watches end at once. */
  down: boolean;
  /** While set, new watches end at once (reads still work: a watch-only outage). */
  watchesDown: boolean;
}

export const flakyStore = (
  inner: MemoryStore = createMemoryStore({ now: () => new Date(0) }),
): FlakyStore => {
  const open = new Set<{ fail: (e: StoreError) => void }>();
  const calls: Record<string, number> = {};
  const count = (verb: string): true => {
    calls[verb] = (calls[verb] ?? 0) + 1;
    return true;
  };
  const dead = (kind: string) => storeUnavailable({ kind }, 'server down (test)');
  const self: FlakyStore = {
    inner,
    calls,
    down: false,
    watchesDown: false,
    kinds: inner.kinds,
    cut: (error) => {
      for (const w of [...open])
        w.fail(error ?? storeUnavailable({ kind: 'watch' }, 'connection cut (test)'));
    },
    get: (ref) => (count('get') && self.down ? errAsync(dead(ref.kind)) : inner.get(ref)),
    list: (kind, o) => (count('list') && self.down ? errAsync(dead(kind)) : inner.list(kind, o)),
    create: (o) => count('create') && inner.create(o),
    update: (o) => count('update') && inner.update(o),
    updateStatus: (o) => count('updateStatus') && inner.updateStatus(o),
    delete: (ref, o) => count('delete') && inner.delete(ref, o),
    watch: <T extends KubeObject>(
      kind: string,
      o: Parameters<Store['watch']>[1],
      l: (e: WatchEvent<T>) => void,
    ) => {
      count('watch');
      let ended = false;
      const entry = {
        fail: (e: StoreError) => {
          if (ended) return;
          ended = true;
          open.delete(entry);
          handle?.close();
          timers.queueMicrotask(() => l({ type: 'ERROR', error: e }));
        },
      };
      let handle: { close(): void } | undefined;
      open.add(entry);
      if (self.down || self.watchesDown) entry.fail(dead(kind));
      return inner
        .watch<T>(kind, o, (ev) => {
          if (!ended) l(ev);
        })
        .map((h) => {
          handle = h;
          if (ended) h.close();
          return {
            close: () => {
              ended = true;
              open.delete(entry);
              h.close();
            },
          };
        });
    },
  };
  return self;
};

export interface TestPool extends KubeObject {
  spec: { subnet: string; ips: string[] };
}

export const testPool = (name: string, labels: Record<string, string> = {}): TestPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, labels },
  spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.10-10.0.0.20'] },
});

export const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise<void>((r) => timers.setTimeout(r, 2));
  }
};

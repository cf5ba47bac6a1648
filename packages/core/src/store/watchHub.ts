// Live watchers of a MemoryStore: per-kind sets, cheap namespace/label filtering, and asynchronous in-order
// delivery (one microtask drain per watcher). Label-selector transitions become ADDED/DELETED.

import type { LabelMatcher } from '../api/labelSelector.ts';
import type { KubeObject } from '../api/meta.ts';
import type { ChangeRecord } from './changeLog.ts';
import type { StoreError } from './errors.ts';
import { cloneJson } from './jsonValue.ts';
import type { WatchEvent, WatchHandle, WatchListener } from './port.ts';

type Pending =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'ERROR'; error: StoreError };

export interface WatcherSpec {
  kind: string;
  /** Only this namespace; undefined: all. */
  namespace: string | undefined;
  match: LabelMatcher;
  listener: WatchListener<KubeObject>;
  /** Live changes at or below this version are not delivered (they were replayed, or predate the watch). */
  after: number;
}

const withRv = (object: KubeObject, rv: number): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, resourceVersion: String(rv) },
});

class Watcher {
  readonly spec: WatcherSpec;
  readonly #hub: WatchHub;
  #queue: Pending[] = [];
  #scheduled = false;
  closed = false;

  constructor(spec: WatcherSpec, hub: WatchHub) {
    this.spec = spec;
    this.#hub = hub;
  }

  /** Queues the event this watcher sees for a change, if any (namespace, labels, selector transitions). */
  offer(rec: ChangeRecord): void {
    const { namespace, match } = this.spec;
    if (namespace !== undefined && rec.namespace !== namespace) return;
    const now = match(rec.object.metadata.labels);
    if (rec.type !== 'MODIFIED') {
      if (now) this.push({ type: rec.type, object: rec.object });
      return;
    }
    const before = rec.previous ? match(rec.previous.metadata.labels) : now;
    if (now && before) this.push({ type: 'MODIFIED', object: rec.object });
    else if (now) this.push({ type: 'ADDED', object: rec.object });
    else if (before && rec.previous) this.push({ type: 'DELETED', object: withRv(rec.previous, rec.rv) });
  }

  push(event: Pending): void {
    if (this.closed) return;
    this.#queue.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    void Promise.resolve().then(() => this.#drain());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#queue = [];
    this.#hub.remove(this);
  }

  #drain(): void {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    for (const event of batch) {
      if (this.closed) return;
      const out: WatchEvent<KubeObject> =
        event.type === 'ERROR' ? event : { type: event.type, object: cloneJson(event.object) };
      if (event.type === 'ERROR') this.close();
      try {
        this.spec.listener(out);
      } catch (e) {
        // A listener must not throw: stop this watch and surface the bug as an unhandled rejection.
        this.close();
        void Promise.reject(e);
        return;
      }
    }
  }
}

export class WatchHub {
  readonly #byKind = new Map<string, Set<Watcher>>();

  /** Registers a watcher; `initial` events are queued before any live change. */
  add(spec: WatcherSpec, initial: readonly ChangeRecord[]): WatchHandle {
    const watcher = new Watcher(spec, this);
    for (const rec of initial) watcher.offer(rec);
    let set = this.#byKind.get(spec.kind);
    if (!set) {
      set = new Set();
      this.#byKind.set(spec.kind, set);
    }
    set.add(watcher);
    return { close: () => watcher.close() };
  }

  /** A watch that can only report an error, then ends. */
  fail(spec: WatcherSpec, error: StoreError): WatchHandle {
    const watcher = new Watcher(spec, this);
    watcher.push({ type: 'ERROR', error });
    return { close: () => watcher.close() };
  }

  publish(rec: ChangeRecord): void {
    const set = this.#byKind.get(rec.kind);
    if (!set) return;
    for (const w of set) if (rec.rv > w.spec.after) w.offer(rec);
  }

  remove(watcher: Watcher): void {
    this.#byKind.get(watcher.spec.kind)?.delete(watcher);
  }

  /** Number of open watchers (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const set of this.#byKind.values()) n += set.size;
    return n;
  }
}

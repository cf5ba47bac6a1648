// The informer's cache: objects by `namespace/name`, and the rule for "is this copy newer". resourceVersions
// are opaque to the API, but every server this library talks to (MemoryStore, kube-apiserver over etcd)
// issues increasing integers; when both versions are integers they are compared, otherwise a different
// version counts as newer (the incoming copy wins).
import type { KubeObject } from '../api/meta.ts';
import { cloneJson } from '../store/index.ts';
import type { InformerEvent } from './types.ts';

export const objectKey = (namespace: string | undefined, name: string): string =>
  `${namespace ?? ''}/${name}`;
export const keyOf = (o: KubeObject): string => objectKey(o.metadata.namespace, o.metadata.name);

const DIGITS = /^\d+$/;

/** -1, 0, 1: a older, same, newer than b; undefined when the versions are not comparable integers. */
export const compareVersions = (a: string, b: string): -1 | 0 | 1 | undefined => {
  if (a === b) return 0;
  if (!DIGITS.test(a) || !DIGITS.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** true when `incoming` may replace `current` (newer, or not comparable and different). */
export const isNewer = (incoming: string | undefined, current: string | undefined): boolean => {
  if (current === undefined || current === '') return true;
  if (incoming === undefined || incoming === '') return false;
  const c = compareVersions(incoming, current);
  return c === undefined ? true : c > 0;
};

export class ObjectCache<T extends KubeObject> {
  readonly #objects = new Map<string, T>();

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): T | undefined {
    const o = this.#objects.get(key);
    return o === undefined ? undefined : cloneJson(o);
  }

  /** The stored copy itself (read-only use inside the package). */
  peek(key: string): T | undefined {
    return this.#objects.get(key);
  }

  values(): IterableIterator<T> {
    return this.#objects.values();
  }

  /** Applies one watch event; returns the event to deliver (ADDED/MODIFIED normalised by presence). */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): InformerEvent<T> {
    const key = keyOf(object);
    const previous = this.#objects.get(key);
    if (type === 'DELETED') {
      this.#objects.delete(key);
      return previous === undefined ? { type, object } : { type, object, previous };
    }
    this.#objects.set(key, object);
    return previous === undefined ? { type: 'ADDED', object } : { type: 'MODIFIED', object, previous };
  }

  /** Replaces everything with a fresh list; returns the differences as events (nothing lost across a relist). */
  replace(items: readonly T[]): InformerEvent<T>[] {
    const events: InformerEvent<T>[] = [];
    const next = new Map<string, T>();
    for (const o of items) next.set(keyOf(o), o);
    for (const [key, previous] of this.#objects) {
      if (!next.has(key)) events.push({ type: 'DELETED', object: previous, previous });
    }
    for (const [key, object] of next) {
      const previous = this.#objects.get(key);
      if (previous === undefined) events.push({ type: 'ADDED', object });
      else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion)
        events.push({ type: 'MODIFIED', object, previous });
    }
    this.#objects.clear();
    for (const [k, v] of next) this.#objects.set(k, v);
    return events;
  }

  /** A copy written through this process: kept only when newer than the cached one. */
  observe(object: T): boolean {
    const key = keyOf(object);
    const current = this.#objects.get(key);
    if (!isNewer(object.metadata.resourceVersion, current?.metadata.resourceVersion)) return false;
    this.#objects.set(key, cloneJson(object));
    return true;
  }

  /** A delete done through this process: dropped unless the cache already holds a newer copy (re-created). */
  forget(object: T): void {
    const key = keyOf(object);
    const current = this.#objects.get(key);
    if (current === undefined) return;
    const c = compareVersions(current.metadata.resourceVersion ?? '', object.metadata.resourceVersion ?? '');
    if (c === 1) return;
    if (current.metadata.uid !== undefined && current.metadata.uid !== object.metadata.uid) return;
    this.#objects.delete(key);
  }
}

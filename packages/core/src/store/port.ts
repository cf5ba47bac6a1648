// The Store port: everything IPAM, GC and the controllers read and write goes through it. Semantics are the
// Kubernetes API server's (see docs/adr/0004-store-port.md), so MemoryStore and KubernetesStore are
// interchangeable and both run the contract suite in `@spiderpool-ts/core/testing`.
import type { ResultAsync } from 'neverthrow';
import type { KubeObject, LabelSelector } from '../api/meta.ts';
import type { StoreError } from './errors.ts';
import type { KindRegistry } from './kinds.ts';

/** Names one object. `namespace` is required for namespaced kinds and ignored for cluster-scoped ones. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface ListOptions {
  /** Only this namespace (namespaced kinds); absent: all namespaces. */
  namespace?: string;
  labelSelector?: LabelSelector;
}

export interface ObjectList<T extends KubeObject> {
  /** Sorted by namespace, then name. */
  items: T[];
  /** The store's version when the list was taken: watch from it to see every later change. */
  resourceVersion: string;
}

export interface DeleteOptions {
  /** Delete only if the object still has these (else Conflict). */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult<T extends KubeObject> {
  /** true: the object is gone. false: it has finalizers and now carries deletionTimestamp. */
  deleted: boolean;
  /** The object as deleted, or as marked for deletion. */
  object: T;
}

export interface WatchOptions {
  /**
   * Deliver changes after this version (from a list or a write). Absent or "0": first an ADDED event for
   * every existing matching object, then changes. Older than the retained history: a terminal ERROR Gone.
   */
  resourceVersion?: string;
  namespace?: string;
  labelSelector?: LabelSelector;
}

/**
 * One change. With a label selector, an object that stops matching arrives as DELETED and one that starts
 * matching as ADDED (as the API server's watch cache does). BOOKMARK is optional; ERROR ends the watch.
 */
export type WatchEvent<T extends KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; error: StoreError };

export type WatchEventType = WatchEvent<KubeObject>['type'];

export interface WatchHandle {
  /** Stops delivery; idempotent. No event is delivered after close returns. */
  close(): void;
}

/** Receives events asynchronously, one at a time, in resourceVersion order. Must not throw. */
export type WatchListener<T extends KubeObject> = (event: WatchEvent<T>) => void;

export interface Store {
  readonly kinds: KindRegistry;
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError>;
  list<T extends KubeObject = KubeObject>(
    kind: string,
    options?: ListOptions,
  ): ResultAsync<ObjectList<T>, StoreError>;
  /** Sets uid, creationTimestamp, resourceVersion, generation 1. A set resourceVersion is Invalid. */
  create<T extends KubeObject>(object: T): ResultAsync<T, StoreError>;
  /**
   * Replaces the object. With metadata.resourceVersion: compare-and-swap (stale -> Conflict); without:
   * unconditional. Status-subresource kinds keep their stored status. Removing the last finalizer of an
   * object with deletionTimestamp deletes it.
   */
  update<T extends KubeObject>(object: T): ResultAsync<T, StoreError>;
  /** Writes only `status` (same CAS rule); everything else stays as stored. Invalid without a status subresource. */
  updateStatus<T extends KubeObject>(object: T): ResultAsync<T, StoreError>;
  /** Deletes, or with finalizers sets deletionTimestamp (grace 0) and returns the marked object. */
  delete<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    options?: DeleteOptions,
  ): ResultAsync<DeleteResult<T>, StoreError>;
  /** Starts a watch on one kind; Err only for a bad request (unknown kind, bad selector or version). */
  watch<T extends KubeObject = KubeObject>(
    kind: string,
    options: WatchOptions,
    listener: WatchListener<T>,
  ): ResultAsync<WatchHandle, StoreError>;
}

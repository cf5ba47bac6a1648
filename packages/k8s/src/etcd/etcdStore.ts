// EtcdStore: the Store port over etcd v3, laid out and versioned as kube-apiserver does it. Keys follow
// keys.ts, values are JSON (codec.ts), resourceVersion is the key's mod revision (a list's is the response
// header's revision), and every write is read -> core's object rules -> a transaction comparing the mod
// revision that was read, retried from the transaction's own re-read when another writer got there first.
import { randomUUID } from 'node:crypto';
import {
  checkPreconditions,
  cloneJson,
  compileLabelSelector,
  type DeleteOptions,
  type DeleteResult,
  defaultKinds,
  formatTimestamp,
  type KindInfo,
  type KindRegistry,
  type KubeObject,
  type ListOptions,
  markDeleting,
  type ObjectList,
  type ObjectRef,
  prepareCreate,
  prepareStatusUpdate,
  prepareUpdate,
  type ResolvedRef,
  resolveObject,
  resolveRef,
  type Store,
  type StoreError,
  storeAlreadyExists,
  storeConflict,
  storeInvalid,
  storeNotFound,
  targetOf,
  type UpdatePlan,
  type WatchHandle,
  type WatchListener,
  type WatchOptions,
} from '@spiderpool-ts/core';
import { Etcd3, type IKeyValue, type IRequestOp, type ITxnResponse } from 'etcd3';
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { decodeObject, encodeObject } from './codec.ts';
import { storeErrorFromEtcd } from './errors.ts';
import { startEtcdWatch } from './etcdWatch.ts';
import { etcdFaultHandling } from './faultPolicy.ts';
import { listPrefix, objectKey, prefixEnd } from './keys.ts';

export interface EtcdStoreOptions {
  /** etcd client URLs, e.g. `['http://127.0.0.1:2379']`. Ignored when `client` is given. */
  endpoints?: readonly string[];
  /** An etcd3 client to use (the store does not close it). */
  client?: Etcd3;
  /** Key prefix (default `/registry`, kube-apiserver's `--etcd-prefix`). */
  prefix?: string;
  /** The clock for creationTimestamp and deletionTimestamp (default: the system clock). */
  now?: () => Date;
  /** uid generator (default: random UUIDs). */
  uid?: () => string;
  kinds?: KindRegistry;
  /** Deadline of every unary etcd call in ms (default 10000). */
  timeoutMs?: number;
  /**
   * Keep only this many revisions: after a write at revision R the store compacts etcd to R - historyLimit,
   * so a watch from before that gets Gone (kube-apiserver compacts on a timer; tests want it by count).
   * Absent: the store never compacts (configure etcd's `--auto-compaction-*`).
   */
  historyLimit?: number;
  /** Transaction attempts of one unconditional write before it reports Conflict (default 16). */
  casAttempts?: number;
}

type Prepare = (
  info: KindInfo,
  ref: ResolvedRef,
  input: { stored: KubeObject; object: KubeObject },
) => Result<UpdatePlan<KubeObject>, StoreError>;

/** What one attempt of a write decided, given the stored object (undefined: absent). */
type Decision<T> =
  | { done: T }
  | { put: KubeObject; finish: (object: KubeObject) => T }
  | { remove: KubeObject; finish: (object: KubeObject) => T };

const withRv = <T extends KubeObject>(object: T, rv: string): T => ({
  ...object,
  metadata: { ...object.metadata, resourceVersion: rv },
});

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class EtcdStore implements Store {
  readonly kinds: KindRegistry;
  readonly #client: Etcd3;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #now: () => Date;
  readonly #uid: () => string;
  readonly #historyLimit: number | undefined;
  readonly #casAttempts: number;
  readonly #watches = new Set<WatchHandle>();
  #compacted = 0;

  constructor(options: EtcdStoreOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (options.client) {
      this.#client = options.client;
      this.#owned = false;
    } else {
      if (!options.endpoints || options.endpoints.length === 0) {
        throw new Error('EtcdStore needs endpoints or a client');
      }
      this.#client = new Etcd3({
        hosts: [...options.endpoints],
        dialTimeout: timeoutMs,
        faultHandling: etcdFaultHandling(),
        defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
      });
      this.#owned = true;
    }
    this.kinds = options.kinds ?? defaultKinds;
    this.#prefix = options.prefix ?? '/registry';
    this.#now = options.now ?? (() => new Date());
    this.#uid = options.uid ?? randomUUID;
    this.#historyLimit = options.historyLimit;
    this.#casAttempts = options.casAttempts ?? 16;
  }

  /** The etcd3 client (for compaction, maintenance or a second store on the same connection). */
  get client(): Etcd3 {
    return this.#client;
  }

  /** Closes open watches, and the client when the store made it. */
  close(): void {
    for (const w of [...this.#watches]) w.close();
    if (this.#owned) this.#client.close();
  }

  /** Compacts etcd's history up to `revision` (watches from before it then get Gone). */
  compact(revision: number): ResultAsync<void, StoreError> {
    return ResultAsync.fromPromise(this.#client.kv.compact({ revision, physical: false }), (e) =>
      storeErrorFromEtcd({ kind: 'etcd' }, e),
    ).map((): undefined => {
      this.#compacted = Math.max(this.#compacted, revision);
      return undefined;
    });
  }

  get<T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> {
    const r = this.#resolve(ref);
    if (r.isErr()) return errAsync(r.error);
    const { info, resolved } = r.value;
    return this.#read(info, resolved).andThen((kv) =>
      kv ? this.#decode(info, kv).map((o) => o as T) : err<T, StoreError>(storeNotFound(targetOf(resolved))),
    );
  }

  list<T extends KubeObject = KubeObject>(
    kind: string,
    options: ListOptions = {},
  ): ResultAsync<ObjectList<T>, StoreError> {
    const info = this.kinds.lookup(kind);
    if (info.isErr()) return errAsync(info.error);
    const match = compileLabelSelector(options.labelSelector);
    if (match.isErr()) return errAsync(storeInvalid({ kind }, `labelSelector: ${match.error}`));
    const key = Buffer.from(listPrefix(this.#prefix, info.value, options.namespace || undefined));
    return ResultAsync.fromPromise(this.#client.kv.range({ key, range_end: prefixEnd(key) }), (e) =>
      storeErrorFromEtcd({ kind }, e),
    ).andThen((res) => {
      const items: T[] = [];
      for (const kv of res.kvs) {
        const o = this.#decode(info.value, kv);
        if (o.isErr()) return err(o.error);
        if (match.value(o.value.metadata.labels)) items.push(o.value as T);
      }
      items.sort(
        (a, b) =>
          compareText(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
          compareText(a.metadata.name, b.metadata.name),
      );
      return ok({ items, resourceVersion: res.header.revision });
    });
  }

  create<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    const target = this.#target(object);
    if (target.isErr()) return errAsync(target.error);
    const { info, resolved } = target.value;
    const stamp = { uid: this.#uid(), creationTimestamp: formatTimestamp(this.#now()) };
    const created = prepareCreate(info, resolved, { object: cloneJson(object), stamp });
    if (created.isErr()) return errAsync(created.error);
    const key = Buffer.from(objectKey(this.#prefix, info, resolved));
    const value = encodeObject(created.value);
    const txn = this.#client.kv.txn({
      compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key, value } }],
      failure: [],
    });
    return ResultAsync.fromPromise(txn, (e) => storeErrorFromEtcd(targetOf(resolved), e, value.length))
      .andThen((res) =>
        res.succeeded
          ? ok(withRv(created.value, res.header.revision))
          : err<T, StoreError>(storeAlreadyExists(targetOf(resolved))),
      )
      .andThen((o) => this.#afterWrite(o, o.metadata.resourceVersion ?? '0'));
  }

  update<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#modify(cloneJson(object), prepareUpdate);
  }

  updateStatus<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#modify(cloneJson(object), prepareStatusUpdate);
  }

  delete<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    options: DeleteOptions = {},
  ): ResultAsync<DeleteResult<T>, StoreError> {
    const r = this.#resolve(ref);
    if (r.isErr()) return errAsync(r.error);
    const { info, resolved } = r.value;
    return this.#cas<DeleteResult<T>>(info, resolved, (stored) => {
      if (!stored) return err(storeNotFound(targetOf(resolved)));
      const pre = checkPreconditions(resolved, stored, options.preconditions ?? {});
      if (pre.isErr()) return err(pre.error);
      if ((stored.metadata.finalizers ?? []).length === 0) {
        return ok({ remove: stored, finish: (o) => ({ deleted: true, object: o as T }) });
      }
      if (stored.metadata.deletionTimestamp !== undefined) {
        return ok({ done: { deleted: false, object: stored as T } });
      }
      const marked = markDeleting(stored, formatTimestamp(this.#now()));
      return ok({ put: marked, finish: (o) => ({ deleted: false, object: o as T }) });
    });
  }

  watch<T extends KubeObject = KubeObject>(
    kind: string,
    options: WatchOptions,
    listener: WatchListener<T>,
  ): ResultAsync<WatchHandle, StoreError> {
    const info = this.kinds.lookup(kind);
    if (info.isErr()) return errAsync(info.error);
    const match = compileLabelSelector(options.labelSelector);
    if (match.isErr()) return errAsync(storeInvalid({ kind }, `labelSelector: ${match.error}`));
    const rvText = options.resourceVersion ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) {
      return errAsync(storeInvalid({ kind }, `resourceVersion "${rvText}" is not one this store issued`));
    }
    const handle = startEtcdWatch({
      client: this.#client,
      info: info.value,
      prefix: listPrefix(this.#prefix, info.value, options.namespace || undefined),
      match: match.value,
      after: rvText === '' || rvText === '0' ? undefined : rvText,
      listener: listener as WatchListener<KubeObject>,
      onClose: (h) => this.#watches.delete(h),
    });
    this.#watches.add(handle);
    return okAsync(handle);
  }

  #resolve(ref: ObjectRef): Result<{ info: KindInfo; resolved: ResolvedRef }, StoreError> {
    return this.kinds
      .lookup(ref.kind)
      .andThen((info) => resolveRef(info, ref).map((resolved) => ({ info, resolved })));
  }

  #target(object: KubeObject): Result<{ info: KindInfo; resolved: ResolvedRef }, StoreError> {
    return this.kinds
      .lookup(object.kind)
      .andThen((info) => resolveObject(info, object).map((resolved) => ({ info, resolved })));
  }

  #decode(info: KindInfo, kv: IKeyValue): Result<KubeObject, StoreError> {
    return decodeObject(kv.value, info.kind, kv.mod_revision);
  }

  #read(info: KindInfo, ref: ResolvedRef): ResultAsync<IKeyValue | undefined, StoreError> {
    const key = Buffer.from(objectKey(this.#prefix, info, ref));
    return ResultAsync.fromPromise(this.#client.kv.range({ key }), (e) =>
      storeErrorFromEtcd(targetOf(ref), e),
    ).map((res) => res.kvs[0]);
  }

  #modify<T extends KubeObject>(input: T, prepare: Prepare): ResultAsync<T, StoreError> {
    const target = this.#target(input);
    if (target.isErr()) return errAsync(target.error);
    const { info, resolved } = target.value;
    const { uid, resourceVersion } = input.metadata;
    return this.#cas<T>(info, resolved, (stored) => {
      if (!stored) return err(storeNotFound(targetOf(resolved)));
      return checkPreconditions(resolved, stored, { uid, resourceVersion })
        .andThen(() => prepare(info, resolved, { stored, object: input }))
        .map((plan): Decision<T> => {
          if (!plan.changed) return { done: stored as T };
          if (plan.remove) return { remove: plan.object, finish: (o) => o as T };
          return { put: plan.object, finish: (o) => o as T };
        });
    });
  }

  /**
   * Read, decide, write under a transaction on the mod revision that was read. A lost race re-decides on
   * the transaction's re-read (a strict caller's stale resourceVersion then fails in `decide` as Conflict).
   */
  #cas<T>(
    info: KindInfo,
    ref: ResolvedRef,
    decide: (stored: KubeObject | undefined) => Result<Decision<T>, StoreError>,
  ): ResultAsync<T, StoreError> {
    const key = Buffer.from(objectKey(this.#prefix, info, ref));
    const attempt = (kv: IKeyValue | undefined, left: number): ResultAsync<T, StoreError> => {
      const stored = kv ? this.#decode(info, kv) : ok(undefined);
      if (stored.isErr()) return errAsync(stored.error);
      const decision = decide(stored.value);
      if (decision.isErr()) return errAsync(decision.error);
      const d = decision.value;
      if ('done' in d) return okAsync(d.done);
      const op: IRequestOp =
        'put' in d ? { request_put: { key, value: encodeObject(d.put) } } : { request_delete_range: { key } };
      const bytes = op.request_put?.value?.length;
      const txn = this.#client.kv.txn({
        compare: [{ key, target: 'Mod', result: 'Equal', mod_revision: kv?.mod_revision ?? '0' }],
        success: [op],
        failure: [{ request_range: { key } }],
      });
      return ResultAsync.fromPromise(txn, (e) => storeErrorFromEtcd(targetOf(ref), e, bytes)).andThen(
        (res: ITxnResponse) => {
          if (res.succeeded) {
            const written = 'put' in d ? d.put : d.remove;
            return this.#afterWrite(d.finish(withRv(written, res.header.revision)), res.header.revision);
          }
          const current = res.responses[0]?.response_range?.kvs[0];
          if (left <= 1) {
            return errAsync(storeConflict(targetOf(ref), `gave up after ${this.#casAttempts} attempts`));
          }
          return attempt(current, left - 1);
        },
      );
    };
    return this.#read(info, ref).andThen((kv) => attempt(kv, this.#casAttempts));
  }

  /**
   * Compacts when a history limit is set and the write at `revision` moved past it. Best effort: the write
   * has committed, so a failed compaction (another store compacted further, etcd busy) does not fail it.
   */
  #afterWrite<T>(result: T, revision: string): ResultAsync<T, StoreError> {
    const limit = this.#historyLimit;
    const target = Number(revision) - (limit ?? 0);
    if (limit === undefined || target <= this.#compacted) return okAsync(result);
    return ResultAsync.fromSafePromise(
      this.compact(target).match(
        () => result,
        () => result,
      ),
    );
  }
}

/** An EtcdStore (see EtcdStoreOptions). */
export const createEtcdStore = (options: EtcdStoreOptions): EtcdStore => new EtcdStore(options);

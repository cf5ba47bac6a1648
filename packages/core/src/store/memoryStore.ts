// MemoryStore: the embedded default Store. Every write is one synchronous read-check-change step (atomic
// under any number of concurrent async callers); objects are deep-copied in and out; watches replay from a
// bounded history. resourceVersion is a store-wide counter rendered as a decimal string.
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { compileLabelSelector } from '../api/labelSelector.ts';
import type { KubeObject } from '../api/meta.ts';
import { ChangeLog, type ChangeRecord } from './changeLog.ts';
import { alreadyExists, gone, invalid, notFound, type StoreError } from './errors.ts';
import type { BeforeWrite, WriteOp, WriteVerb } from './faults.ts';
import { cloneJson } from './jsonValue.ts';
import { defaultKinds, type KindInfo, type KindRegistry } from './kinds.ts';
import {
  checkPreconditions,
  formatTimestamp,
  markDeleting,
  prepareCreate,
  prepareStatusUpdate,
  prepareUpdate,
  type ResolvedRef,
  resolveObject,
  resolveRef,
  targetOf,
  type UpdatePlan,
} from './objectRules.ts';
import { ObjectTable } from './objectTable.ts';
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  ObjectList,
  ObjectRef,
  Store,
  WatchHandle,
  WatchListener,
  WatchOptions,
} from './port.ts';
import { WatchHub } from './watchHub.ts';

export interface MemoryStoreOptions {
  /** The clock for creationTimestamp and deletionTimestamp. */
  now: () => Date;
  /** uid generator; default: a per-store counter rendered as a UUID. */
  uid?: () => string;
  kinds?: KindRegistry;
  /** Changes kept for watch replay (default 4096); a watch from before them gets Gone. */
  historyLimit?: number;
  /** Fault injection for tests; see faults.ts. */
  beforeWrite?: BeforeWrite;
}

const counterUid = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
};

const fromResult = <T>(r: Result<T, StoreError>): ResultAsync<T, StoreError> =>
  r.isOk() ? okAsync(r.value) : errAsync(r.error);

const withRv = <T extends KubeObject>(object: T, rv: number): T => ({
  ...object,
  metadata: { ...object.metadata, resourceVersion: String(rv) },
});

type Prepare = (
  info: KindInfo,
  ref: ResolvedRef,
  input: { stored: KubeObject; object: KubeObject },
) => Result<UpdatePlan<KubeObject>, StoreError>;

export class MemoryStore implements Store {
  readonly kinds: KindRegistry;
  readonly #now: () => Date;
  readonly #uid: () => string;
  readonly #table = new ObjectTable();
  readonly #log: ChangeLog;
  readonly #hub = new WatchHub();
  #beforeWrite: BeforeWrite | undefined;
  #rv = 0;

  constructor(options: MemoryStoreOptions) {
    this.kinds = options.kinds ?? defaultKinds;
    this.#now = options.now;
    this.#uid = options.uid ?? counterUid();
    this.#log = new ChangeLog(options.historyLimit ?? 4096);
    this.#beforeWrite = options.beforeWrite;
  }

  /** The version of the latest write. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Open watches (closed and failed ones are gone). */
  get watcherCount(): number {
    return this.#hub.size;
  }

  /** Replaces the fault-injection hook (undefined: none). */
  setBeforeWrite(hook: BeforeWrite | undefined): void {
    this.#beforeWrite = hook;
  }

  /**
   * Loads objects as they are (status included, uid/creationTimestamp kept when present), each a create
   * with a new resourceVersion. For test fixtures: Pods and Nodes with status, pools with allocations.
   */
  seed(objects: readonly KubeObject[]): Result<number, StoreError> {
    for (const input of objects) {
      const info = this.kinds.lookup(input.kind);
      if (info.isErr()) return err(info.error);
      const ref = resolveObject(info.value, input);
      if (ref.isErr()) return err(ref.error);
      if (this.#table.get(ref.value)) return err(alreadyExists(targetOf(ref.value)));
      const { namespace: _ns, ...meta } = cloneJson(input.metadata);
      const object = {
        ...cloneJson(input),
        metadata: {
          ...meta,
          ...(ref.value.namespace ? { namespace: ref.value.namespace } : {}),
          uid: meta.uid ?? this.#uid(),
          creationTimestamp: meta.creationTimestamp ?? formatTimestamp(this.#now()),
          generation: meta.generation ?? 1,
        },
      };
      this.#commit(ref.value, { type: 'ADDED', object });
    }
    return ok(objects.length);
  }

  get<T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> {
    return fromResult(
      this.#resolve(ref).andThen(({ resolved }) => {
        const stored = this.#table.get(resolved);
        return stored ? ok(cloneJson(stored) as T) : err(notFound(targetOf(resolved)));
      }),
    );
  }

  list<T extends KubeObject = KubeObject>(
    kind: string,
    options: ListOptions = {},
  ): ResultAsync<ObjectList<T>, StoreError> {
    const run = (): Result<ObjectList<T>, StoreError> => {
      const info = this.kinds.lookup(kind);
      if (info.isErr()) return err(info.error);
      const match = compileLabelSelector(options.labelSelector);
      if (match.isErr()) return err(invalid({ kind }, `labelSelector: ${match.error}`));
      const namespace = info.value.namespaced ? options.namespace || undefined : undefined;
      const items = this.#table
        .list(kind, namespace)
        .filter((o) => match.value(o.metadata.labels))
        .map((o) => cloneJson(o) as T);
      return ok({ items, resourceVersion: String(this.#rv) });
    };
    return fromResult(run());
  }

  create<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    const input = cloneJson(object);
    return this.#write('create', input, (info, ref) => {
      if (this.#table.get(ref)) return err(alreadyExists(targetOf(ref)));
      const stamp = { uid: this.#uid(), creationTimestamp: formatTimestamp(this.#now()) };
      return prepareCreate(info, ref, { object: input, stamp }).map(
        (created) => this.#commit(ref, { type: 'ADDED', object: created }) as T,
      );
    });
  }

  update<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#modify('update', cloneJson(object), prepareUpdate);
  }

  updateStatus<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#modify('updateStatus', cloneJson(object), prepareStatusUpdate);
  }

  delete<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    options: DeleteOptions = {},
  ): ResultAsync<DeleteResult<T>, StoreError> {
    const resolved = this.#resolve(ref);
    if (resolved.isErr()) return errAsync(resolved.error);
    const target = resolved.value.resolved;
    const apply = (): Result<DeleteResult<T>, StoreError> => {
      const stored = this.#table.get(target);
      if (!stored) return err(notFound(targetOf(target)));
      const pre = checkPreconditions(target, stored, options.preconditions ?? {});
      if (pre.isErr()) return err(pre.error);
      if ((stored.metadata.finalizers ?? []).length === 0) {
        return ok({ deleted: true, object: this.#commit(target, { type: 'DELETED', object: stored }) as T });
      }
      if (stored.metadata.deletionTimestamp !== undefined)
        return ok({ deleted: false, object: cloneJson(stored) as T });
      const marked = markDeleting(stored, formatTimestamp(this.#now()));
      return ok({
        deleted: false,
        object: this.#commit(target, { type: 'MODIFIED', object: marked, previous: stored }) as T,
      });
    };
    return this.#guard({ verb: 'delete', ...targetOf(target) }, apply);
  }

  watch<T extends KubeObject = KubeObject>(
    kind: string,
    options: WatchOptions,
    listener: WatchListener<T>,
  ): ResultAsync<WatchHandle, StoreError> {
    const info = this.kinds.lookup(kind);
    if (info.isErr()) return errAsync(info.error);
    const match = compileLabelSelector(options.labelSelector);
    if (match.isErr()) return errAsync(invalid({ kind }, `labelSelector: ${match.error}`));
    const rvText = options.resourceVersion ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) {
      return errAsync(invalid({ kind }, `resourceVersion "${rvText}" is not one this store issued`));
    }
    const namespace = info.value.namespaced ? options.namespace || undefined : undefined;
    const fromStart = rvText === '' || rvText === '0';
    const after = fromStart ? this.#rv : Number(rvText);
    const spec = {
      kind,
      namespace,
      match: match.value,
      listener: listener as WatchListener<KubeObject>,
      after,
    };
    if (!fromStart && !this.#log.covers(after)) return okAsync(this.#hub.fail(spec, gone({ kind }, rvText)));
    const initial: ChangeRecord[] = fromStart
      ? this.#table.list(kind, namespace).map((object) => ({
          rv: this.#rv,
          kind,
          namespace: object.metadata.namespace ?? '',
          type: 'ADDED',
          object,
        }))
      : this.#log.since(after).filter((rec) => rec.kind === kind);
    return okAsync(this.#hub.add(spec, initial));
  }

  #resolve(ref: ObjectRef): Result<{ info: KindInfo; resolved: ResolvedRef }, StoreError> {
    return this.kinds
      .lookup(ref.kind)
      .andThen((info) => resolveRef(info, ref).map((resolved) => ({ info, resolved })));
  }

  #modify<T extends KubeObject>(verb: WriteVerb, input: T, prepare: Prepare): ResultAsync<T, StoreError> {
    return this.#write(verb, input, (info, ref) => {
      const stored = this.#table.get(ref);
      if (!stored) return err(notFound(targetOf(ref)));
      const { uid, resourceVersion } = input.metadata;
      return checkPreconditions(ref, stored, { uid, resourceVersion })
        .andThen(() => prepare(info, ref, { stored, object: input }))
        .map((plan) => {
          if (!plan.changed) return cloneJson(stored) as T;
          const type = plan.remove ? 'DELETED' : 'MODIFIED';
          return this.#commit(ref, { type, object: plan.object, previous: stored }) as T;
        });
    });
  }

  #write<T>(
    verb: WriteVerb,
    input: KubeObject,
    apply: (info: KindInfo, ref: ResolvedRef) => Result<T, StoreError>,
  ): ResultAsync<T, StoreError> {
    const info = this.kinds.lookup(input.kind);
    if (info.isErr()) return errAsync(info.error);
    const ref = resolveObject(info.value, input);
    if (ref.isErr()) return errAsync(ref.error);
    return this.#guard({ verb, ...targetOf(ref.value) }, () => apply(info.value, ref.value));
  }

  /** Runs the fault hook (if any), then the write in one synchronous step. */
  #guard<T>(op: WriteOp, apply: () => Result<T, StoreError>): ResultAsync<T, StoreError> {
    const hook = this.#beforeWrite;
    if (!hook) return fromResult(apply());
    return ResultAsync.fromSafePromise(Promise.resolve(hook(op))).andThen((fault) =>
      fault ? errAsync(fault) : fromResult(apply()),
    );
  }

  /** Stores (or removes) the object under a new version, records and publishes the change; returns a copy. */
  #commit(
    ref: ResolvedRef,
    change: { type: ChangeRecord['type']; object: KubeObject; previous?: KubeObject },
  ): KubeObject {
    const rv = ++this.#rv;
    const object = withRv(change.object, rv);
    if (change.type === 'DELETED') this.#table.delete(ref);
    else this.#table.set(ref, object);
    const rec: ChangeRecord = { rv, kind: ref.kind, namespace: ref.namespace, type: change.type, object };
    if (change.previous) rec.previous = change.previous;
    this.#log.append(rec);
    this.#hub.publish(rec);
    return cloneJson(object);
  }
}

/** A MemoryStore with the given clock and options. */
export const createMemoryStore = (options: MemoryStoreOptions): MemoryStore => new MemoryStore(options);

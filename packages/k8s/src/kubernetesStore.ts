// KubernetesStore: core's Store port over a real API server (or the emulator), through
// @kubernetes/client-node (KubeConfig auth + HTTP stack for requests, its Watch for streams). HTTP failures
// become StoreError tags once, in kube/statusErrors.ts. Requests the API server would refuse for reasons the
// port defines (unknown kind, missing name/namespace, resourceVersion on create, no status subresource,
// malformed selector) are answered locally as Invalid without a round trip.
import { KubeConfig } from '@kubernetes/client-node';
import {
  compileLabelSelector,
  type DeleteOptions,
  type DeleteResult,
  defaultKinds,
  type KindInfo,
  type KindRegistry,
  type KubeObject,
  type ListOptions,
  type ObjectList,
  type ObjectRef,
  type Store,
  type StoreError,
  type StoreErrorTarget,
  storeConflict,
  storeInvalid,
  type WatchHandle,
  type WatchListener,
  type WatchOptions,
} from '@spiderpool-ts/core';
import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import { formatLabelSelector } from './kube/labelSelectorText.ts';
import { collectionPath, objectPath } from './kube/paths.ts';
import { storeErrorFromException, storeErrorFromStatus } from './kube/statusErrors.ts';
import { createKubeTransport, type KubeRequest, type KubeTransport } from './kube/transport.ts';
import { startWatch } from './kube/watchStream.ts';

export interface KubernetesStoreOptions {
  /** A loaded KubeConfig, or the path of a kubeconfig file. Its current context is used. */
  kubeConfig: KubeConfig | string;
  /** Kinds served (default: core's `defaultKinds`). */
  kinds?: KindRegistry;
  /** Attempts of the read + compare-and-swap loop behind a write without resourceVersion (default 5). */
  unconditionalAttempts?: number;
}

interface Resolved {
  info: KindInfo;
  namespace: string;
  name: string;
  target: StoreErrorTarget & { name: string };
}

const sortKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;

export class KubernetesStore implements Store {
  readonly kinds: KindRegistry;
  readonly #kc: KubeConfig;
  readonly #http: KubeTransport;
  readonly #attempts: number;

  constructor(options: KubernetesStoreOptions) {
    this.kinds = options.kinds ?? defaultKinds;
    if (typeof options.kubeConfig === 'string') {
      const kc = new KubeConfig();
      kc.loadFromFile(options.kubeConfig);
      this.#kc = kc;
    } else this.#kc = options.kubeConfig;
    this.#http = createKubeTransport(this.#kc);
    this.#attempts = Math.max(1, options.unconditionalAttempts ?? 5);
  }

  get<T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> {
    return this.#resolveRef(ref).asyncAndThen((r) =>
      this.#call(r.target, { method: 'GET', path: objectPath(r.info, r) }, (b) => this.#object<T>(r.info, b)),
    );
  }

  list<T extends KubeObject = KubeObject>(
    kind: string,
    options: ListOptions = {},
  ): ResultAsync<ObjectList<T>, StoreError> {
    const info = this.kinds.lookup(kind);
    if (info.isErr()) return errAsync(info.error);
    const selector = this.#selector(kind, options.labelSelector);
    if (selector.isErr()) return errAsync(selector.error);
    const ns = info.value.namespaced ? options.namespace || undefined : undefined;
    const req: KubeRequest = {
      method: 'GET',
      path: collectionPath(info.value, ns),
      query: { labelSelector: selector.value },
    };
    return this.#call({ kind }, req, (body) => {
      const list = body as { items?: unknown[]; metadata?: { resourceVersion?: string } };
      const items = (list.items ?? []).map((i) => this.#fill<T>(info.value, i));
      items.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      return ok({ items, resourceVersion: list.metadata?.resourceVersion ?? '' });
    });
  }

  create<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#resolveObject(object).asyncAndThen((r) => {
      if (object.metadata.resourceVersion) {
        return errAsync(storeInvalid(r.target, 'metadata.resourceVersion must not be set on create'));
      }
      const req: KubeRequest = {
        method: 'POST',
        path: collectionPath(r.info, r.namespace),
        body: this.#body(r, object),
      };
      return this.#call(r.target, req, (b) => this.#object<T>(r.info, b));
    });
  }

  update<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#resolveObject(object).asyncAndThen((r) => this.#replace(r, object, undefined));
  }

  updateStatus<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return this.#resolveObject(object).asyncAndThen((r) =>
      r.info.statusSubresource
        ? this.#replace(r, object, 'status')
        : errAsync(storeInvalid(r.target, `${r.info.kind} has no status subresource`)),
    );
  }

  delete<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    options: DeleteOptions = {},
  ): ResultAsync<DeleteResult<T>, StoreError> {
    return this.#resolveRef(ref).asyncAndThen((r) => {
      const body = {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      };
      return this.#call(r.target, { method: 'DELETE', path: objectPath(r.info, r), body }, (b) => {
        const answer = b as { kind?: string; details?: { uid?: string } };
        if (answer?.kind === 'Status') {
          // Some kinds answer a finished delete with a Status: rebuild what we know of the object.
          const metadata = {
            name: r.name,
            ...(r.namespace ? { namespace: r.namespace } : {}),
            ...(answer.details?.uid ? { uid: answer.details.uid } : {}),
          };
          const object = { apiVersion: r.info.apiVersion, kind: r.info.kind, metadata } as T;
          return ok({ deleted: true, object });
        }
        const object = this.#fill<T>(r.info, b);
        const meta = object.metadata;
        const pending =
          meta.deletionTimestamp !== undefined &&
          ((meta.finalizers ?? []).length > 0 || (meta.deletionGracePeriodSeconds ?? 0) > 0);
        return ok({ deleted: !pending, object });
      });
    });
  }

  watch<T extends KubeObject = KubeObject>(
    kind: string,
    options: WatchOptions,
    listener: WatchListener<T>,
  ): ResultAsync<WatchHandle, StoreError> {
    const info = this.kinds.lookup(kind);
    if (info.isErr()) return errAsync(info.error);
    const selector = this.#selector(kind, options.labelSelector);
    if (selector.isErr()) return errAsync(selector.error);
    const ns = info.value.namespaced ? options.namespace || undefined : undefined;
    return startWatch<T>({
      kc: this.#kc,
      kind,
      path: collectionPath(info.value, ns),
      labelSelector: selector.value,
      resourceVersion: options.resourceVersion,
      fill: (o) => this.#fill<T>(info.value, o),
      listener,
    });
  }

  /** PUT with compare-and-swap; without a resourceVersion: read, then CAS with the version read (retried). */
  #replace<T extends KubeObject>(
    r: Resolved,
    object: T,
    sub: 'status' | undefined,
  ): ResultAsync<T, StoreError> {
    const put = (o: T) =>
      this.#call(r.target, { method: 'PUT', path: objectPath(r.info, r, sub), body: this.#body(r, o) }, (b) =>
        this.#object<T>(r.info, b),
      );
    if (object.metadata.resourceVersion) return put(object);
    const attempt = (left: number): ResultAsync<T, StoreError> =>
      this.get<T>({ kind: r.info.kind, name: r.name, namespace: r.namespace }).andThen((current) => {
        const uid = object.metadata.uid;
        if (uid && uid !== current.metadata.uid) {
          return errAsync(
            storeConflict(r.target, `uid precondition ${uid} does not match ${String(current.metadata.uid)}`),
          );
        }
        const rv = current.metadata.resourceVersion ?? '';
        return put({ ...object, metadata: { ...object.metadata, resourceVersion: rv } }).orElse((e) =>
          e._tag === 'Conflict' && left > 1 ? attempt(left - 1) : errAsync(e),
        );
      });
    return attempt(this.#attempts);
  }

  #call<T>(
    target: StoreErrorTarget,
    req: KubeRequest,
    onOk: (body: unknown) => Result<T, StoreError>,
  ): ResultAsync<T, StoreError> {
    return ResultAsync.fromPromise(this.#http.request(req), (e) =>
      storeErrorFromException(target, e),
    ).andThen((res) =>
      res.status >= 200 && res.status < 300
        ? onOk(res.body)
        : err(storeErrorFromStatus(target, res.status, res.body)),
    );
  }

  #selector(kind: string, sel: ListOptions['labelSelector']): Result<string | undefined, StoreError> {
    const compiled = compileLabelSelector(sel);
    if (compiled.isErr()) return err(storeInvalid({ kind }, `labelSelector: ${compiled.error}`));
    return ok(formatLabelSelector(sel));
  }

  #resolveRef(ref: ObjectRef): Result<Resolved, StoreError> {
    const info = this.kinds.lookup(ref.kind);
    if (info.isErr()) return err(info.error);
    return this.#resolve(info.value, ref.name, ref.namespace);
  }

  #resolveObject(object: KubeObject): Result<Resolved, StoreError> {
    const info = this.kinds.lookup(object.kind);
    if (info.isErr()) return err(info.error);
    const meta = object.metadata as KubeObject['metadata'] | undefined;
    if (!meta || typeof meta !== 'object')
      return err(storeInvalid({ kind: object.kind }, 'metadata is required'));
    const r = this.#resolve(info.value, meta.name, meta.namespace);
    if (r.isErr()) return r;
    if (object.apiVersion !== info.value.apiVersion) {
      return err(
        storeInvalid(
          r.value.target,
          `apiVersion must be ${info.value.apiVersion}, got "${String(object.apiVersion)}"`,
        ),
      );
    }
    return r;
  }

  #resolve(
    info: KindInfo,
    name: string | undefined,
    namespace: string | undefined,
  ): Result<Resolved, StoreError> {
    if (typeof name !== 'string' || name === '')
      return err(storeInvalid({ kind: info.kind }, 'metadata.name is required'));
    if (!info.namespaced) return ok({ info, namespace: '', name, target: { kind: info.kind, name } });
    if (!namespace) {
      return err(
        storeInvalid({ kind: info.kind, name }, `${info.kind} is namespaced: namespace is required`),
      );
    }
    return ok({ info, namespace, name, target: { kind: info.kind, namespace, name } });
  }

  /** The request body: namespace as the scope wants it (dropped for cluster-scoped kinds). */
  #body(r: Resolved, object: KubeObject): KubeObject {
    const { namespace: _ns, ...meta } = object.metadata;
    return { ...object, metadata: r.namespace ? { ...meta, namespace: r.namespace } : meta };
  }

  #object<T extends KubeObject>(info: KindInfo, body: unknown): Result<T, StoreError> {
    return ok(this.#fill<T>(info, body));
  }

  /** List items and some answers lack apiVersion/kind: set them from the registry. */
  #fill<T extends KubeObject>(info: KindInfo, body: unknown): T {
    const o = (typeof body === 'object' && body !== null ? body : {}) as Partial<KubeObject>;
    return {
      ...o,
      apiVersion: o.apiVersion ?? info.apiVersion,
      kind: o.kind ?? info.kind,
      metadata: o.metadata ?? { name: '' },
    } as T;
  }
}

/** A Store over the API server of the KubeConfig's current context. */
export const createKubernetesStore = (options: KubernetesStoreOptions): KubernetesStore =>
  new KubernetesStore(options);

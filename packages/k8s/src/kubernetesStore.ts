// KubernetesStore: core's Store port over a real API server (or the emulator), through
// node:http(s) with @kubernetes/client-node's KubeConfig auth (kube/kubeConnector.ts), for requests and watch
// streams alike. HTTP failures become StoreError tags once, in kube/statusErrors.ts. Requests the API server
// would refuse for reasons the port defines (unknown kind, missing name/namespace, resourceVersion on create,
// no status subresource, malformed selector) are answered locally as Invalid without a round trip.
import { KubeConfig } from '@kubernetes/client-node';
import {
  compileLabelSelector,
  type DeleteOptions,
  type DeleteResult,
  defaultKinds,
  type EvictionError,
  type KindRegistry,
  type KubeObject,
  type ListOptions,
  type ObjectList,
  type ObjectRef,
  type PodEvictor,
  type PodRef,
  type Store,
  type StoreError,
  type StoreErrorTarget,
  storeConflict,
  storeInvalid,
  storeUnavailable,
  type WatchHandle,
  type WatchListener,
  type WatchOptions,
} from '@spiderpool-ts/core';
import { err, errAsync, ok, Result, ResultAsync } from 'neverthrow';
import { evictPod } from './kube/eviction.ts';
import { createKubeConnector, type KubeConnector } from './kube/kubeConnector.ts';
import { formatLabelSelector } from './kube/labelSelectorText.ts';
import {
  asObject,
  fillKind,
  type Resolved,
  requestBody,
  resolveObject,
  resolveRef,
} from './kube/objectRefs.ts';
import { collectionPath, objectPath } from './kube/paths.ts';
import { storeErrorFromException, storeErrorFromStatus } from './kube/statusErrors.ts';
import {
  createKubeTransport,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type KubeRequest,
  type KubeTransport,
} from './kube/transport.ts';
import { startWatch } from './kube/watchStream.ts';

export interface KubernetesStoreOptions {
  /**
   * A loaded KubeConfig, or the path of a kubeconfig file; absent: client-node's default lookup ($KUBECONFIG,
   * ~/.kube/config, then the in-cluster service account). Its current context is used.
   */
  kubeConfig?: KubeConfig | string;
  /** Kinds served (default: core's `defaultKinds`). */
  kinds?: KindRegistry;
  /**
   * Attempts of the read + compare-and-swap loop behind a write without resourceVersion (default 64, with
   * capped exponential backoff and full jitter between them: 40 concurrent writers of one object all land).
   */
  unconditionalAttempts?: number;
  /** Deadline of every request, and of a watch stream to open, ms (default 30 000). */
  requestTimeoutMs?: number;
  /** Backoff of the unconditional-update loop (defaults 2 ms x1.5, cap 200 ms). */
  unconditionalBackoff?: { baseMs?: number; capMs?: number };
  /** Jitter source of that backoff, in [0, 1) (default Math.random). */
  random?: () => number;
}

/** `createKubernetesStore` could not use the kubeconfig (missing or unreadable file, no current cluster). */
export interface KubeConfigError {
  _tag: 'KubeConfigInvalid';
  /** The file, when a path was given. */
  path?: string;
  reason: string;
  cause: unknown;
  message: string;
}

const kubeConfigInvalid = (path: string | undefined, cause: unknown): KubeConfigError => {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return {
    _tag: 'KubeConfigInvalid',
    ...(path === undefined ? {} : { path }),
    reason,
    cause,
    message: `cannot use the kubeconfig${path === undefined ? '' : ` ${path}`}: ${reason}`,
  };
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const sortKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;

export class KubernetesStore implements Store, PodEvictor {
  readonly kinds: KindRegistry;
  readonly #kc: KubeConfig;
  readonly #connector: KubeConnector;
  readonly #http: KubeTransport;
  readonly #attempts: number;
  readonly #timeoutMs: number;
  readonly #backoff: { baseMs: number; capMs: number };
  readonly #random: () => number;
  /** Per-object tail of the unconditional writes in flight (see #replace). */
  readonly #serial = new Map<string, Promise<void>>();

  /** Throws (programmer error) on a KubeConfig without a current cluster: use `createKubernetesStore`. */
  constructor(options: KubernetesStoreOptions) {
    this.kinds = options.kinds ?? defaultKinds;
    if (options.kubeConfig === undefined || typeof options.kubeConfig === 'string') {
      const kc = new KubeConfig();
      if (options.kubeConfig === undefined) kc.loadFromDefault();
      else kc.loadFromFile(options.kubeConfig);
      this.#kc = kc;
    } else this.#kc = options.kubeConfig;
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#connector = createKubeConnector(this.#kc);
    this.#http = createKubeTransport(this.#kc, this.#timeoutMs, this.#connector);
    this.#attempts = Math.max(1, options.unconditionalAttempts ?? 64);
    this.#backoff = { baseMs: 2, capMs: 200, ...options.unconditionalBackoff };
    this.#random = options.random ?? Math.random;
  }

  get<T extends KubeObject = KubeObject>(ref: ObjectRef): ResultAsync<T, StoreError> {
    return resolveRef(this.kinds, ref).asyncAndThen((r) =>
      this.#call(r.target, { method: 'GET', path: objectPath(r.info, r) }, (b) => asObject<T>(r.info, b)),
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
      const items = (list.items ?? []).map((i) => fillKind<T>(info.value, i));
      items.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      return ok({ items, resourceVersion: list.metadata?.resourceVersion ?? '' });
    });
  }

  create<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return resolveObject(this.kinds, object).asyncAndThen((r) => {
      if (object.metadata.resourceVersion) {
        return errAsync(storeInvalid(r.target, 'metadata.resourceVersion must not be set on create'));
      }
      const req: KubeRequest = {
        method: 'POST',
        path: collectionPath(r.info, r.namespace),
        body: requestBody(r, object),
      };
      return this.#call(r.target, req, (b) => asObject<T>(r.info, b));
    });
  }

  update<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return resolveObject(this.kinds, object).asyncAndThen((r) => this.#replace(r, object, undefined));
  }

  updateStatus<T extends KubeObject>(object: T): ResultAsync<T, StoreError> {
    return resolveObject(this.kinds, object).asyncAndThen((r) =>
      r.info.statusSubresource
        ? this.#replace(r, object, 'status')
        : errAsync(storeInvalid(r.target, `${r.info.kind} has no status subresource`)),
    );
  }

  delete<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    options: DeleteOptions = {},
  ): ResultAsync<DeleteResult<T>, StoreError> {
    return resolveRef(this.kinds, ref).asyncAndThen((r) => {
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
        const object = fillKind<T>(r.info, b);
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
      connector: this.#connector,
      kind,
      path: collectionPath(info.value, ns),
      labelSelector: selector.value,
      resourceVersion: options.resourceVersion,
      fill: (o) => fillKind<T>(info.value, o),
      listener,
      openTimeoutMs: this.#timeoutMs,
    });
  }

  /** PUT with compare-and-swap; without a resourceVersion: read, then CAS with the version read (retried). */
  #replace<T extends KubeObject>(
    r: Resolved,
    object: T,
    sub: 'status' | undefined,
  ): ResultAsync<T, StoreError> {
    const put = (o: T) =>
      this.#call(
        r.target,
        { method: 'PUT', path: objectPath(r.info, r, sub), body: requestBody(r, o) },
        (b) => asObject<T>(r.info, b),
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
        return put({ ...object, metadata: { ...object.metadata, resourceVersion: rv } }).orElse((e) => {
          if (e._tag !== 'Conflict' || left <= 1) return errAsync(e);
          // Contention: wait (capped exponential, full jitter) so concurrent writers spread, then re-read.
          const n = this.#attempts - left;
          const wait = Math.min(this.#backoff.capMs, this.#backoff.baseMs * 1.5 ** n) * this.#random();
          return ResultAsync.fromSafePromise(sleep(wait)).andThen(() => attempt(left - 1));
        });
      });
    // Unconditional writers of one object in this process go one at a time (no herd of Conflicts among
    // ourselves); writers in other processes are what the retry loop is for.
    const key = `${r.info.kind}/${r.namespace ?? ''}/${r.name}/${sub ?? ''}`;
    const before = this.#serial.get(key) ?? Promise.resolve();
    const mine = before.then(() => attempt(this.#attempts));
    const tail = mine.then(() => undefined);
    this.#serial.set(key, tail);
    void tail.then(() => {
      if (this.#serial.get(key) === tail) this.#serial.delete(key);
    });
    return new ResultAsync(mine);
  }

  /** The Eviction subresource (policy/v1): PodDisruptionBudgets are checked by the API server (429 = blocked). */
  evict(pod: PodRef): ResultAsync<void, EvictionError> {
    return this.kinds
      .lookup('Pod')
      .asyncAndThen((info): ResultAsync<void, EvictionError> => evictPod(this.#http, info, pod));
  }

  #call<T>(
    target: StoreErrorTarget,
    req: KubeRequest,
    onOk: (body: unknown) => Result<T, StoreError>,
  ): ResultAsync<T, StoreError> {
    return ResultAsync.fromPromise(this.#http.request(req), (e) =>
      storeErrorFromException(target, e),
    ).andThen((res) => {
      if (res.status < 200 || res.status >= 300)
        return err(storeErrorFromStatus(target, res.status, res.body));
      // A success without a JSON object (a proxy's HTML page, a truncated body) is no answer from the API server.
      const isObject = typeof res.body === 'object' && res.body !== null && !Array.isArray(res.body);
      return isObject
        ? onOk(res.body)
        : err(storeUnavailable(target, `HTTP ${res.status} without a JSON object in the body`, res.body));
    });
  }

  #selector(kind: string, sel: ListOptions['labelSelector']): Result<string | undefined, StoreError> {
    const compiled = compileLabelSelector(sel);
    if (compiled.isErr()) return err(storeInvalid({ kind }, `labelSelector: ${compiled.error}`));
    return ok(formatLabelSelector(sel));
  }
}

const construct = Result.fromThrowable(
  (options: KubernetesStoreOptions) => new KubernetesStore(options),
  (e) => e,
);

/**
 * A Store over the API server of the KubeConfig's current context; Err when the kubeconfig cannot be used
 * (file missing or unreadable, not YAML, no current context or cluster).
 */
export const createKubernetesStore = (
  options: KubernetesStoreOptions,
): Result<KubernetesStore, KubeConfigError> =>
  construct(options).mapErr((e) =>
    kubeConfigInvalid(typeof options.kubeConfig === 'string' ? options.kubeConfig : undefined, e),
  );

// One Store watch over an etcd watch on a key prefix (one kind, optionally one namespace). Events are
// converted with their previous value (etcd's prev_kv) so a label selector sees objects leave (DELETED, with
// the state it last matched) and enter (ADDED). A watch etcd cancels is probed: a compacted start revision
// ends it with ERROR Gone, anything else with ERROR Unavailable. Delivery is in order, one microtask queue.
import {
  type KindInfo,
  type KubeObject,
  type LabelMatcher,
  type StoreError,
  storeGone,
  storeUnavailable,
  type WatchEvent,
  type WatchHandle,
  type WatchListener,
} from '@spiderpool-ts/core';
import type { Etcd3, IEvent, IKeyValue, IWatchResponse, Watcher } from 'etcd3';
import type { Result } from 'neverthrow';
import { decodeObject } from './codec.ts';
import { isCompacted } from './errors.ts';
import { prefixEnd } from './keys.ts';

export interface EtcdWatchSpec {
  client: Etcd3;
  info: KindInfo;
  /** The key prefix watched (with its trailing slash). */
  prefix: string;
  match: LabelMatcher;
  /** Deliver changes after this revision; undefined: ADDED for every current object first. */
  after: string | undefined;
  listener: WatchListener<KubeObject>;
  onClose: (handle: WatchHandle) => void;
}

type Change = WatchEvent<KubeObject>;

const withRv = (object: KubeObject, rv: string): KubeObject => ({
  ...object,
  metadata: { ...object.metadata, resourceVersion: rv },
});

class EtcdWatch implements WatchHandle {
  readonly #spec: EtcdWatchSpec;
  #closed = false;
  /** A terminal ERROR was queued: nothing follows it. */
  #ended = false;
  #queue: Change[] = [];
  #scheduled = false;
  #watcher: Watcher | undefined;
  /** The first revision not yet seen: where a probe asks whether history still reaches. */
  #next = '0';

  constructor(spec: EtcdWatchSpec) {
    this.#spec = spec;
  }

  start(): void {
    const { after } = this.#spec;
    if (after !== undefined) {
      this.#follow(String(BigInt(after) + 1n));
      return;
    }
    const key = Buffer.from(this.#spec.prefix);
    this.#spec.client.kv.range({ key, range_end: prefixEnd(key) }).then(
      (res) => {
        if (this.#closed) return;
        for (const kv of res.kvs) {
          const o = this.#decode(kv, kv.mod_revision);
          if (o === undefined) return;
          if (this.#spec.match(o.metadata.labels)) this.#push({ type: 'ADDED', object: o });
        }
        this.#follow(String(BigInt(res.header.revision) + 1n));
      },
      (e: unknown) => this.#fail(storeUnavailable({ kind: this.#spec.info.kind }, `etcd: ${String(e)}`, e)),
    );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    const w = this.#watcher;
    this.#watcher = undefined;
    if (w) w.cancel().catch(() => undefined);
    this.#spec.onClose(this);
  }

  #follow(startRevision: string): void {
    if (this.#closed) return;
    this.#next = startRevision;
    const watcher = this.#spec.client
      .watch()
      .prefix(this.#spec.prefix)
      .withPreviousKV()
      .startRevision(startRevision)
      .watcher();
    this.#watcher = watcher;
    watcher.on('data', (res: IWatchResponse) => {
      for (const ev of res.events) {
        if (this.#closed) return;
        this.#convert(ev);
        this.#next = String(BigInt(ev.kv.mod_revision) + 1n);
      }
    });
    watcher.on('error', (e: unknown) => this.#probe(e));
  }

  /** After etcd cancelled the watch: Gone when the next revision is compacted away, else Unavailable. */
  #probe(cause: unknown): void {
    if (this.#closed) return;
    const kind = this.#spec.info.kind;
    const key = Buffer.from(this.#spec.prefix);
    this.#spec.client.kv.range({ key, range_end: prefixEnd(key), limit: 1, revision: this.#next }).then(
      () => this.#fail(storeUnavailable({ kind }, `etcd cancelled the watch: ${String(cause)}`, cause)),
      (e: unknown) =>
        this.#fail(
          isCompacted(e) || isCompacted(cause)
            ? storeGone({ kind }, String(BigInt(this.#next) - 1n))
            : storeUnavailable({ kind }, `etcd cancelled the watch: ${String(cause)}`, cause),
        ),
    );
  }

  #convert(ev: IEvent): void {
    const rv = ev.kv.mod_revision;
    const prev = ev.prev_kv ? this.#decode(ev.prev_kv, rv) : undefined;
    if (ev.prev_kv && prev === undefined) return;
    const wasIn = prev !== undefined && this.#spec.match(prev.metadata.labels);
    if (ev.type === 'Delete') {
      const gone = prev ?? this.#fromKey(ev.kv);
      if (gone && (prev === undefined || wasIn)) this.#push({ type: 'DELETED', object: withRv(gone, rv) });
      return;
    }
    const cur = this.#decode(ev.kv, rv);
    if (cur === undefined) return;
    const isIn = this.#spec.match(cur.metadata.labels);
    const existed = prev !== undefined || ev.kv.version !== '1';
    const prevIn = prev === undefined ? existed : wasIn;
    if (isIn && !existed) this.#push({ type: 'ADDED', object: cur });
    else if (isIn && prevIn) this.#push({ type: 'MODIFIED', object: cur });
    else if (isIn) this.#push({ type: 'ADDED', object: cur });
    else if (prevIn && prev !== undefined) this.#push({ type: 'DELETED', object: withRv(prev, rv) });
  }

  /** A deleted key whose previous value etcd no longer has: the object reduced to its name. */
  #fromKey(kv: IKeyValue): KubeObject | undefined {
    const rest = kv.key.toString('utf8').slice(this.#spec.prefix.length);
    const parts = rest.split('/');
    const name = parts[parts.length - 1];
    if (!name) return undefined;
    const { info } = this.#spec;
    const namespace = info.namespaced ? parts[parts.length - 2] : undefined;
    return {
      apiVersion: info.apiVersion,
      kind: info.kind,
      metadata: { name, ...(namespace ? { namespace } : {}) },
    };
  }

  #decode(kv: IKeyValue, rv: string): KubeObject | undefined {
    const o: Result<KubeObject, StoreError> = decodeObject(kv.value, this.#spec.info.kind, rv);
    if (o.isOk()) return o.value;
    this.#fail(o.error);
    return undefined;
  }

  /** Ends the watch with a terminal ERROR event (delivered after what is queued). */
  #fail(error: StoreError): void {
    if (this.#closed) return;
    const w = this.#watcher;
    this.#watcher = undefined;
    if (w) w.cancel().catch(() => undefined);
    this.#push({ type: 'ERROR', error });
    this.#ended = true;
    this.#spec.onClose(this);
  }

  #push(event: Change): void {
    if (this.#closed || this.#ended) return;
    this.#queue.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    while (!this.#closed && this.#queue.length > 0) {
      const event = this.#queue.shift();
      if (event) this.#spec.listener(event);
    }
  }
}

/** Starts the watch; events follow asynchronously. */
export const startEtcdWatch = (spec: EtcdWatchSpec): WatchHandle => {
  const w = new EtcdWatch(spec);
  w.start();
  return w;
};

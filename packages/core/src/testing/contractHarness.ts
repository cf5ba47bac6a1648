// Shared pieces of the Store contract suite: the harness options, a per-test store holder, fixtures and
// helpers that unwrap ResultAsync values with readable failures.
import type { ResultAsync } from 'neverthrow';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { StoreError, StoreErrorTag } from '../store/errors.ts';
import type { Store, WatchEvent, WatchHandle, WatchOptions } from '../store/port.ts';

export interface StoreContractOptions {
  /** A fresh store for each test (empty, or at least without objects named like the suite's). */
  makeStore: () => Store | Promise<Store>;
  /** Runs after each test (close clients, delete leftovers). */
  cleanup?: (store: Store) => void | Promise<void>;
  /** The store keeps at most this many changes for watch replay: enables the Gone test. */
  historyLimit?: number;
  /** Namespace for namespaced fixtures (default "default"); it must exist if the store checks. */
  namespace?: string;
  /** A second namespace (default "<namespace>-other"); it must exist if the store checks. */
  otherNamespace?: string;
  /** How long to wait for watch events (default 5000 ms). */
  watchTimeoutMs?: number;
}

export interface ContractContext {
  readonly store: Store;
  readonly namespace: string;
  readonly otherNamespace: string;
  readonly options: StoreContractOptions;
  /** A name unique within the suite run. */
  name(prefix: string): string;
}

/** Registers beforeEach/afterEach that make and clean up the store; returns the per-test context. */
export const useStore = (options: StoreContractOptions): ContractContext => {
  let current: Store | undefined;
  let counter = 0;
  const run = Math.random().toString(36).slice(2, 7);
  beforeEach(async () => {
    current = await options.makeStore();
  });
  afterEach(async () => {
    if (current && options.cleanup) await options.cleanup(current);
    current = undefined;
  });
  return {
    get store(): Store {
      if (!current) throw new Error('store used outside a test');
      return current;
    },
    namespace: options.namespace ?? 'default',
    otherNamespace: options.otherNamespace ?? `${options.namespace ?? 'default'}-other`,
    options,
    name: (prefix) => `${prefix}-${run}-${++counter}`,
  };
};

export const expectOk = async <T>(r: ResultAsync<T, StoreError>): Promise<T> => {
  const res = await r;
  if (res.isErr()) expect.fail(`expected Ok, got ${res.error._tag}: ${res.error.message}`);
  return res.value;
};

export const expectErr = async <Tag extends StoreErrorTag>(
  r: ResultAsync<unknown, StoreError>,
  tag: Tag,
): Promise<Extract<StoreError, { _tag: Tag }>> => {
  const res = await r;
  if (res.isOk()) expect.fail(`expected Err ${tag}, got Ok ${JSON.stringify(res.value)}`);
  expect(res.error._tag).toBe(tag);
  expect(res.error.message.length).toBeGreaterThan(0);
  return res.error as Extract<StoreError, { _tag: Tag }>;
};

const SP = 'spiderpool.spidernet.io/v2beta1';

export interface PoolFixture extends KubeObject {
  spec: { subnet: string; ips?: string[]; disable?: boolean };
  status?: { allocatedIPCount?: number; allocatedIPs?: string };
}

export interface EndpointFixture extends KubeObject {
  /** Complete enough for Spiderpool's CRD schema (current.ips and ownerControllerName are required there). */
  status?: {
    current: { uid: string; node: string; ips: unknown[] };
    ownerControllerType: string;
    ownerControllerName: string;
  };
}

/** A SpiderIPPool: cluster-scoped, status subresource. */
export const pool = (name: string, extra: Partial<PoolFixture> = {}): PoolFixture => ({
  apiVersion: SP,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: '10.6.0.0/16', ips: ['10.6.0.10-10.6.0.20'] },
  ...extra,
});

/** A SpiderEndpoint: namespaced, no status subresource (status is written by update). */
export const endpoint = (
  namespace: string,
  name: string,
  extra: Partial<EndpointFixture> = {},
): EndpointFixture => ({
  apiVersion: SP,
  kind: 'SpiderEndpoint',
  metadata: { name, namespace },
  ...extra,
});

/** A copy of `object` with these labels (for selector tests). */
export const withLabels = <T extends KubeObject>(object: T, labels: Record<string, string>): T => ({
  ...object,
  metadata: { ...object.metadata, labels },
});

export interface Recorder<T extends KubeObject> {
  events: WatchEvent<T>[];
  handle: WatchHandle;
  /** Waits until at least `n` events arrived; returns them all. */
  waitFor(n: number): Promise<WatchEvent<T>[]>;
}

/** Starts a watch that records every event. */
export const record = async <T extends KubeObject = KubeObject>(
  ctx: ContractContext,
  kind: string,
  options: WatchOptions,
): Promise<Recorder<T>> => {
  const events: WatchEvent<T>[] = [];
  const handle = await expectOk(ctx.store.watch<T>(kind, options, (e) => events.push(e)));
  const timeout = ctx.options.watchTimeoutMs ?? 5000;
  return {
    events,
    handle,
    waitFor: async (n) => {
      await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(n), { timeout, interval: 5 });
      return events;
    },
  };
};

/** The type and name of each non-bookmark event, for compact order assertions. */
export const summary = <T extends KubeObject>(events: readonly WatchEvent<T>[]): string[] =>
  events.flatMap((e) => {
    if (e.type === 'BOOKMARK') return [];
    if (e.type === 'ERROR') return [`ERROR ${e.error._tag}`];
    return [`${e.type} ${e.object.metadata.name}`];
  });

// The operator-controllers example of packages/core/README.md, kept runnable: one elector, the NAD
// controller and the GC loop on a fenced store, started on leading, stopped and released on abort.
import { describe, expect, it } from 'vitest';
import { runNadController } from '../controllers/nadController.ts';
import type { AbortSignalLike } from '../controllers/watchLoop.ts';
import { runGcLoop } from '../gc/gcLoop.ts';
import { createMemoryStore } from '../store/index.ts';
import { eventually } from '../testing/eventually.ts';
import { createAbortLatch } from './abortLatch.ts';
import { createLeaderElector } from './elector.ts';
import { fencedStore } from './fencedStore.ts';
import type { Lease } from './lease.ts';

const sleep = (ms: number, s: AbortSignalLike) =>
  new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    s.addEventListener('abort', () => {
      clearTimeout(t);
      r();
    });
  });

describe('README: operator controllers example', () => {
  it('leads, writes the NAD, releases the Lease on stop', async () => {
    const store = createMemoryStore({ now: () => new Date() });
    const stop = createAbortLatch();
    const signal = stop.signal;
    const elector = createLeaderElector(store, {
      namespace: 'kube-system',
      name: 'my-operator',
      identity: 'pod-a',
      now: () => new Date(),
    });
    const running = elector.run({
      signal,
      sleep,
      onStartedLeading: (leading) => {
        const fenced = fencedStore(store, elector.isLeader);
        runNadController(fenced, { signal: leading });
        runGcLoop(fenced, { signal: leading, now: () => new Date(), sleep });
      },
    });
    await store.create({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: { name: 'm', namespace: 'default' },
      spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
    });
    await eventually(async () => {
      const r = await store.get({ kind: 'NetworkAttachmentDefinition', namespace: 'default', name: 'm' });
      return r.isOk() ? true : undefined;
    }, 5000);
    stop.abort();
    await running;
    const lease = (
      await store.get<Lease>({ kind: 'Lease', namespace: 'kube-system', name: 'my-operator' })
    )._unsafeUnwrap();
    expect(lease.spec?.holderIdentity).toBe('');
  });
});

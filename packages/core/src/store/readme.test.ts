// The Store example of packages/core/README.md, kept runnable.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { createMemoryStore, modifyObject } from './index.ts';
import type { WatchEvent } from './port.ts';

interface Pool extends KubeObject {
  spec: { subnet: string };
  status?: { allocatedIPCount: number };
}

describe('README: Store example', () => {
  it('creates, modifies status under CAS, lists and watches from the list version', async () => {
    const store = createMemoryStore({ now: () => new Date(Date.UTC(2026, 0, 1)) });
    const pool: Pool = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: 'p' },
      spec: { subnet: '10.6.0.0/16' },
    };
    const created = (await store.create(pool))._unsafeUnwrap();
    expect(created.metadata.uid).toBeTruthy();
    expect(created.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(created.metadata.resourceVersion).toBeTruthy();
    const next = { allocatedIPCount: 1 };
    const written = await modifyObject<Pool>(
      store,
      { kind: 'SpiderIPPool', name: 'p' },
      (p) => ({ ...p, status: next }),
      { status: true },
    );
    expect(written._unsafeUnwrap().status).toEqual(next);
    const { items, resourceVersion } = (await store.list<Pool>('SpiderIPPool'))._unsafeUnwrap();
    expect(items.map((p) => p.status)).toEqual([next]);
    const events: WatchEvent<KubeObject>[] = [];
    const handle = (
      await store.watch('SpiderIPPool', { resourceVersion }, (e) => events.push(e))
    )._unsafeUnwrap();
    await store.delete({ kind: 'SpiderIPPool', name: 'p' });
    await new Promise((r) => setTimeout(r, 0));
    expect(events.map((e) => e.type)).toEqual(['DELETED']);
    handle.close();
  });
});

// Contract: delete, finalizers and deletionTimestamp, delete preconditions.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import {
  type ContractContext,
  endpoint,
  expectErr,
  expectOk,
  pool,
  record,
  summary,
} from './contractHarness.ts';

const FINALIZER = 'spiderpool.spidernet.io';

export const deleteContract = (ctx: ContractContext): void => {
  describe('delete', () => {
    it('delete without finalizers removes the object and returns it', async () => {
      const created = await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('e'))));
      const ref = { kind: 'SpiderEndpoint', namespace: ctx.namespace, name: created.metadata.name };
      const res = await expectOk(ctx.store.delete(ref));
      expect(res.deleted).toBe(true);
      expect(res.object.metadata.uid).toBe(created.metadata.uid);
      await expectErr(ctx.store.get(ref), 'NotFound');
      await expectErr(ctx.store.delete(ref), 'NotFound');
      await expectOk(ctx.store.create(endpoint(ctx.namespace, created.metadata.name)));
    });

    it('delete with finalizers sets deletionTimestamp and grace 0, and keeps the object', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.finalizers = [FINALIZER];
      const created = await expectOk(ctx.store.create(p));
      const res = await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name: p.metadata.name }));
      expect(res.deleted).toBe(false);
      expect(res.object.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(res.object.metadata.deletionGracePeriodSeconds).toBe(0);
      expect(res.object.metadata.finalizers).toEqual([FINALIZER]);
      const got = await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }));
      expect(got.metadata.deletionTimestamp).toBe(res.object.metadata.deletionTimestamp);
      expect(got.metadata.uid).toBe(created.metadata.uid);
      const again = await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name: p.metadata.name }));
      expect(again.deleted).toBe(false);
      expect(again.object.metadata.deletionTimestamp).toBe(res.object.metadata.deletionTimestamp);
    });

    it('removing the last finalizer of a deleting object deletes it (watch sees DELETED)', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.finalizers = [FINALIZER, 'example.com/other'];
      const created = await expectOk(ctx.store.create(p));
      const rec = await record(ctx, 'SpiderIPPool', {
        resourceVersion: created.metadata.resourceVersion ?? '',
      });
      const marked = (await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name: p.metadata.name })))
        .object;
      const one = await expectOk(
        ctx.store.update({ ...marked, metadata: { ...marked.metadata, finalizers: [FINALIZER] } }),
      );
      expect(one.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
      await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }));
      await expectOk(ctx.store.update({ ...one, metadata: { ...one.metadata, finalizers: [] } }));
      await expectErr(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }), 'NotFound');
      const events = await rec.waitFor(3);
      const name = p.metadata.name;
      expect(summary(events)).toEqual([`MODIFIED ${name}`, `MODIFIED ${name}`, `DELETED ${name}`]);
      rec.handle.close();
    });

    it('a deleting object cannot get new finalizers (Invalid)', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.finalizers = [FINALIZER];
      await expectOk(ctx.store.create(p));
      const marked = (await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name: p.metadata.name })))
        .object;
      await expectErr(
        ctx.store.update({
          ...marked,
          metadata: { ...marked.metadata, finalizers: [FINALIZER, 'example.com/new'] },
        }),
        'Invalid',
      );
    });

    it('an update of a deleting object keeps deletionTimestamp and grace even if the caller drops them', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.finalizers = [FINALIZER];
      await expectOk(ctx.store.create(p));
      const marked = (await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name: p.metadata.name })))
        .object;
      const { deletionTimestamp: _t, deletionGracePeriodSeconds: _g, ...meta } = marked.metadata;
      const updated = await expectOk(
        ctx.store.update<KubeObject>({ ...marked, metadata: { ...meta, labels: { touched: 'yes' } } }),
      );
      expect(updated.metadata.labels).toEqual({ touched: 'yes' });
      expect(updated.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
      expect(updated.metadata.deletionGracePeriodSeconds).toBe(0);
      const got = await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }));
      expect(got.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    });

    it('an object without deletionTimestamp stays when its finalizers are removed', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.finalizers = [FINALIZER];
      const created = await expectOk(ctx.store.create(p));
      const updated = await expectOk(
        ctx.store.update({ ...created, metadata: { ...created.metadata, finalizers: [] } }),
      );
      expect(updated.metadata.finalizers ?? []).toEqual([]);
      await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }));
    });

    it('preconditions: a wrong uid or resourceVersion is Conflict; matching ones delete', async () => {
      const created = await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('e'))));
      const ref = { kind: 'SpiderEndpoint', namespace: ctx.namespace, name: created.metadata.name };
      await expectErr(ctx.store.delete(ref, { preconditions: { uid: 'not-the-uid' } }), 'Conflict');
      const updated = await expectOk(
        ctx.store.update({ ...created, metadata: { ...created.metadata, labels: { x: 'y' } } }),
      );
      const stale = created.metadata.resourceVersion ?? '';
      await expectErr(ctx.store.delete(ref, { preconditions: { resourceVersion: stale } }), 'Conflict');
      await expectOk(ctx.store.get(ref));
      const uid = updated.metadata.uid ?? '';
      const resourceVersion = updated.metadata.resourceVersion ?? '';
      const res = await expectOk(ctx.store.delete(ref, { preconditions: { uid, resourceVersion } }));
      expect(res.deleted).toBe(true);
    });
  });
};

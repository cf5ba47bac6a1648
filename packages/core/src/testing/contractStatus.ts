// Contract: the status subresource (update keeps status, updateStatus writes only status) and generation.
import { describe, expect, it } from 'vitest';
import {
  type ContractContext,
  type EndpointFixture,
  endpoint,
  expectErr,
  expectOk,
  type PoolFixture,
  pool,
} from './contractHarness.ts';

export const statusContract = (ctx: ContractContext): void => {
  describe('status subresource', () => {
    it('create of a status-subresource kind drops status', async () => {
      const created = await expectOk(
        ctx.store.create(pool(ctx.name('p'), { status: { allocatedIPCount: 3 } })),
      );
      expect(created.status).toBeUndefined();
    });

    it('update ignores status changes; updateStatus ignores everything but status', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const withStatus = await expectOk(
        ctx.store.updateStatus({ ...created, status: { allocatedIPCount: 1 } }),
      );
      expect(withStatus.status).toEqual({ allocatedIPCount: 1 });
      expect(withStatus.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);

      const viaUpdate = await expectOk(
        ctx.store.update({
          ...withStatus,
          spec: { ...withStatus.spec, disable: true },
          status: { allocatedIPCount: 9 },
        }),
      );
      expect(viaUpdate.status).toEqual({ allocatedIPCount: 1 });
      expect(viaUpdate.spec.disable).toBe(true);

      const viaStatus = await expectOk(
        ctx.store.updateStatus({
          ...viaUpdate,
          metadata: { ...viaUpdate.metadata, labels: { sneaky: 'yes' } },
          spec: { subnet: '10.9.0.0/16' },
          status: { allocatedIPCount: 2 },
        }),
      );
      expect(viaStatus.status).toEqual({ allocatedIPCount: 2 });
      expect(viaStatus.spec).toEqual(viaUpdate.spec);
      expect(viaStatus.metadata.labels).toBeUndefined();
      const got = await expectOk(
        ctx.store.get<PoolFixture>({ kind: 'SpiderIPPool', name: created.metadata.name }),
      );
      expect(got).toEqual(viaStatus);
    });

    it('updateStatus compares resourceVersion too', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      await expectOk(ctx.store.updateStatus({ ...created, status: { allocatedIPCount: 1 } }));
      await expectErr(ctx.store.updateStatus({ ...created, status: { allocatedIPCount: 5 } }), 'Conflict');
      const { resourceVersion: _rv, ...meta } = created.metadata;
      const blind = await expectOk(
        ctx.store.updateStatus({ ...created, metadata: meta, status: { allocatedIPCount: 5 } }),
      );
      expect(blind.status).toEqual({ allocatedIPCount: 5 });
    });

    it('updateStatus of a missing object is NotFound', async () => {
      await expectErr(ctx.store.updateStatus(pool(ctx.name('missing'), { status: {} })), 'NotFound');
    });

    it('a kind without status subresource writes status with update', async () => {
      const status = {
        current: { uid: 'pod-uid', node: 'n1', ips: [] },
        ownerControllerType: 'Pod',
        ownerControllerName: 'pod-a',
      };
      const created = await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('e'), { status })));
      expect(created.status).toEqual(status);
      const next = { ...status, current: { uid: 'pod-uid', node: 'n2', ips: [] } };
      const updated = await expectOk(ctx.store.update({ ...created, status: next }));
      expect(updated.status).toEqual(next);
      const got = await expectOk(
        ctx.store.get<EndpointFixture>({
          kind: 'SpiderEndpoint',
          namespace: ctx.namespace,
          name: created.metadata.name,
        }),
      );
      expect(got.status?.current?.node).toBe('n2');
    });
  });

  describe('generation', () => {
    it('moves on spec changes, not on status or metadata changes', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const status = await expectOk(ctx.store.updateStatus({ ...created, status: { allocatedIPCount: 1 } }));
      expect(status.metadata.generation).toBe(1);
      const labelled = await expectOk(
        ctx.store.update({ ...status, metadata: { ...status.metadata, labels: { a: 'b' } } }),
      );
      expect(labelled.metadata.generation).toBe(1);
      const spec = await expectOk(
        ctx.store.update({ ...labelled, spec: { ...labelled.spec, disable: true } }),
      );
      expect(spec.metadata.generation).toBe(2);
    });

    it('cannot be set by the caller', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const updated = await expectOk(
        ctx.store.update({
          ...created,
          metadata: { ...created.metadata, generation: 40 },
          spec: { subnet: '10.1.0.0/16' },
        }),
      );
      expect(updated.metadata.generation).toBe(2);
    });
  });
};

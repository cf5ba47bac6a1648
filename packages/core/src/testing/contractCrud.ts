// Contract: create, get, update with compare-and-swap, kinds and scopes, no aliasing.
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

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export const crudContract = (ctx: ContractContext): void => {
  describe('create and get', () => {
    it('create sets uid, creationTimestamp, resourceVersion and generation 1', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      expect(created.metadata.uid).toMatch(/.+/);
      expect(created.metadata.creationTimestamp).toMatch(RFC3339);
      expect(created.metadata.resourceVersion).toMatch(/.+/);
      expect(created.metadata.generation).toBe(1);
      expect(created.metadata.deletionTimestamp).toBeUndefined();
      const got = await expectOk(
        ctx.store.get<PoolFixture>({ kind: 'SpiderIPPool', name: created.metadata.name }),
      );
      expect(got).toEqual(created);
      expect(got.spec.subnet).toBe('10.6.0.0/16');
    });

    it('two creates get distinct uids and resourceVersions', async () => {
      const a = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const b = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      expect(a.metadata.uid).not.toBe(b.metadata.uid);
      expect(a.metadata.resourceVersion).not.toBe(b.metadata.resourceVersion);
    });

    it('create of an existing name is AlreadyExists', async () => {
      const name = ctx.name('p');
      await expectOk(ctx.store.create(pool(name)));
      const e = await expectErr(ctx.store.create(pool(name)), 'AlreadyExists');
      expect(e.kind).toBe('SpiderIPPool');
      expect(e.name).toBe(name);
    });

    it('create with a resourceVersion is Invalid', async () => {
      const p = pool(ctx.name('p'));
      p.metadata.resourceVersion = '12';
      await expectErr(ctx.store.create(p), 'Invalid');
    });

    it('get of a missing object is NotFound naming it', async () => {
      const name = ctx.name('missing');
      const e = await expectErr(
        ctx.store.get({ kind: 'SpiderEndpoint', namespace: ctx.namespace, name }),
        'NotFound',
      );
      expect(e).toMatchObject({ kind: 'SpiderEndpoint', namespace: ctx.namespace, name });
    });

    it('an unknown kind is Invalid for every operation', async () => {
      const bogus = { apiVersion: 'x/v1', kind: 'Bogus', metadata: { name: 'b' } };
      await expectErr(ctx.store.get({ kind: 'Bogus', name: 'b' }), 'Invalid');
      await expectErr(ctx.store.list('Bogus'), 'Invalid');
      await expectErr(ctx.store.create(bogus), 'Invalid');
      await expectErr(ctx.store.update(bogus), 'Invalid');
      await expectErr(ctx.store.delete({ kind: 'Bogus', name: 'b' }), 'Invalid');
      await expectErr(
        ctx.store.watch('Bogus', {}, () => {}),
        'Invalid',
      );
    });

    it('a namespaced kind needs a namespace; a cluster-scoped kind drops one', async () => {
      const ep = endpoint(ctx.namespace, ctx.name('e'));
      delete ep.metadata.namespace;
      await expectErr(ctx.store.create(ep), 'Invalid');
      const p = pool(ctx.name('p'));
      p.metadata.namespace = ctx.namespace;
      const created = await expectOk(ctx.store.create(p));
      expect(created.metadata.namespace ?? '').toBe('');
      await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: p.metadata.name }));
    });

    it('the same name may live in two namespaces of a namespaced kind only once each', async () => {
      const name = ctx.name('e');
      await expectOk(ctx.store.create(endpoint(ctx.namespace, name)));
      const other = ctx.otherNamespace;
      await expectOk(ctx.store.create(endpoint(other, name)));
      await expectErr(ctx.store.create(endpoint(other, name)), 'AlreadyExists');
      await expectErr(
        ctx.store.get({ kind: 'SpiderEndpoint', namespace: ctx.namespace, name: `${name}-x` }),
        'NotFound',
      );
    });
  });

  describe('update (compare-and-swap on resourceVersion)', () => {
    it('update with the current resourceVersion writes and sets a new one', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const next = { ...created, spec: { ...created.spec, disable: true } };
      const updated = await expectOk(ctx.store.update(next));
      expect(updated.spec.disable).toBe(true);
      expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
      expect(updated.metadata.uid).toBe(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
      const got = await expectOk(ctx.store.get({ kind: 'SpiderIPPool', name: created.metadata.name }));
      expect(got).toEqual(updated);
    });

    it('update with a stale resourceVersion is Conflict and changes nothing', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const first = await expectOk(
        ctx.store.update({ ...created, spec: { ...created.spec, ips: ['10.6.0.1'] } }),
      );
      const e = await expectErr(
        ctx.store.update({ ...created, spec: { ...created.spec, ips: ['10.6.0.2'] } }),
        'Conflict',
      );
      expect(e.name).toBe(created.metadata.name);
      const got = await expectOk(
        ctx.store.get<PoolFixture>({ kind: 'SpiderIPPool', name: created.metadata.name }),
      );
      expect(got.spec.ips).toEqual(['10.6.0.1']);
      expect(got.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    });

    it('update without a resourceVersion is unconditional', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      await expectOk(ctx.store.update({ ...created, spec: { ...created.spec, ips: ['10.6.0.1'] } }));
      const { resourceVersion: _rv, ...meta } = created.metadata;
      const blind = await expectOk(
        ctx.store.update({ ...created, metadata: meta, spec: { subnet: '10.7.0.0/16' } }),
      );
      // toMatchObject: a real API server adds the CRD's schema defaults (`default`, `disable`) to the spec.
      expect(blind.spec).toMatchObject({ subnet: '10.7.0.0/16' });
      expect((blind.spec as { ips?: string[] }).ips).toBeUndefined();
    });

    it('update of a missing object is NotFound', async () => {
      await expectErr(ctx.store.update(pool(ctx.name('missing'))), 'NotFound');
    });

    it('update with another uid is Conflict (the object was replaced)', async () => {
      const created = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const other = { ...created, metadata: { ...created.metadata, uid: `${created.metadata.uid}-x` } };
      await expectErr(ctx.store.update(other), 'Conflict');
    });

    it('update keeps uid and creationTimestamp even when the caller drops them', async () => {
      const created = await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('e'))));
      const { uid: _u, creationTimestamp: _c, ...meta } = created.metadata;
      const updated = await expectOk(
        ctx.store.update<EndpointFixture>({ ...created, metadata: { ...meta, labels: { a: 'b' } } }),
      );
      expect(updated.metadata.uid).toBe(created.metadata.uid);
      expect(updated.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
      expect(updated.metadata.labels).toEqual({ a: 'b' });
    });
  });

  describe('no aliasing', () => {
    it('mutating an input or a returned object changes nothing stored', async () => {
      const input = pool(ctx.name('p'));
      const created = await expectOk(ctx.store.create(input));
      input.spec.subnet = '1.1.1.0/24';
      created.spec.subnet = '2.2.2.0/24';
      created.metadata.labels = { hacked: 'yes' };
      const got = await expectOk(
        ctx.store.get<PoolFixture>({ kind: 'SpiderIPPool', name: input.metadata.name }),
      );
      expect(got.spec.subnet).toBe('10.6.0.0/16');
      expect(got.metadata.labels).toBeUndefined();
      got.spec.ips?.push('9.9.9.9');
      const again = await expectOk(
        ctx.store.get<PoolFixture>({ kind: 'SpiderIPPool', name: input.metadata.name }),
      );
      expect(again.spec.ips).toEqual(['10.6.0.10-10.6.0.20']);
    });
  });
};

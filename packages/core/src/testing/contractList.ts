// Contract: list with namespace and label-selector filters, and the list resourceVersion.
import { describe, expect, it } from 'vitest';
import {
  type ContractContext,
  endpoint,
  expectErr,
  expectOk,
  pool,
  record,
  summary,
} from './contractHarness.ts';

export const listContract = (ctx: ContractContext): void => {
  describe('list', () => {
    it('lists every object of a kind, sorted, with a resourceVersion', async () => {
      const names = [ctx.name('b'), ctx.name('a'), ctx.name('c')];
      for (const n of names) await expectOk(ctx.store.create(pool(n)));
      await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('e'))));
      const list = await expectOk(ctx.store.list('SpiderIPPool'));
      const mine = list.items.map((i) => i.metadata.name).filter((n) => names.includes(n));
      expect(mine).toEqual([...names].sort());
      expect(list.items.every((i) => i.kind === 'SpiderIPPool')).toBe(true);
      expect(list.resourceVersion).toMatch(/.+/);
    });

    it('filters by namespace', async () => {
      const a = ctx.name('e');
      const b = ctx.name('e');
      await expectOk(ctx.store.create(endpoint(ctx.namespace, a)));
      await expectOk(ctx.store.create(endpoint(ctx.otherNamespace, b)));
      const here = await expectOk(ctx.store.list('SpiderEndpoint', { namespace: ctx.namespace }));
      const names = here.items.map((i) => i.metadata.name);
      expect(names).toContain(a);
      expect(names).not.toContain(b);
      expect(here.items.every((i) => i.metadata.namespace === ctx.namespace)).toBe(true);
      const all = await expectOk(ctx.store.list('SpiderEndpoint'));
      expect(all.items.map((i) => i.metadata.name)).toEqual(expect.arrayContaining([a, b]));
    });

    it('filters by label selector (matchLabels and matchExpressions)', async () => {
      const app = ctx.name('app');
      const mk = (labels: Record<string, string>) => {
        const p = pool(ctx.name('p'));
        p.metadata.labels = { app, ...labels };
        return p;
      };
      const v4 = await expectOk(ctx.store.create(mk({ 'ip-version': 'IPv4', tier: 'gold' })));
      const v6 = await expectOk(ctx.store.create(mk({ 'ip-version': 'IPv6' })));
      const none = await expectOk(ctx.store.create(mk({})));
      const names = async (sel: Parameters<typeof ctx.store.list>[1]) =>
        (await expectOk(ctx.store.list('SpiderIPPool', sel))).items.map((i) => i.metadata.name);
      expect(await names({ labelSelector: { matchLabels: { app, 'ip-version': 'IPv4' } } })).toEqual([
        v4.metadata.name,
      ]);
      expect(
        await names({
          labelSelector: {
            matchLabels: { app },
            matchExpressions: [{ key: 'ip-version', operator: 'Exists' }],
          },
        }),
      ).toEqual([v4.metadata.name, v6.metadata.name].sort());
      expect(
        await names({
          labelSelector: {
            matchLabels: { app },
            matchExpressions: [{ key: 'ip-version', operator: 'NotIn', values: ['IPv6'] }],
          },
        }),
      ).toEqual([v4.metadata.name, none.metadata.name].sort());
      expect(
        await names({
          labelSelector: {
            matchLabels: { app },
            matchExpressions: [
              { key: 'ip-version', operator: 'In', values: ['IPv4', 'IPv6'] },
              { key: 'tier', operator: 'DoesNotExist' },
            ],
          },
        }),
      ).toEqual([v6.metadata.name]);
    });

    it('a malformed selector is Invalid', async () => {
      await expectErr(
        ctx.store.list('SpiderIPPool', {
          labelSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
        }),
        'Invalid',
      );
    });

    it('watching from the list resourceVersion sees exactly the later writes', async () => {
      const before = ctx.name('p');
      await expectOk(ctx.store.create(pool(before)));
      const list = await expectOk(ctx.store.list('SpiderIPPool'));
      const rec = await record(ctx, 'SpiderIPPool', { resourceVersion: list.resourceVersion });
      const after = ctx.name('p');
      await expectOk(ctx.store.create(pool(after)));
      const events = await rec.waitFor(1);
      expect(summary(events)).toEqual([`ADDED ${after}`]);
      rec.handle.close();
    });
  });
};

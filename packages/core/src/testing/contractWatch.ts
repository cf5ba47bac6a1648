// Contract: watch from a resourceVersion, filters, selector transitions, close, initial state, Gone.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import type { WatchEvent } from '../store/port.ts';
import {
  type ContractContext,
  endpoint,
  expectOk,
  pool,
  record,
  summary,
  withLabels,
} from './contractHarness.ts';

const rvOf = (o: KubeObject): string => o.metadata.resourceVersion ?? '';

export const watchContract = (ctx: ContractContext): void => {
  describe('watch', () => {
    it('delivers ADDED, MODIFIED, DELETED after the version, in order, with resourceVersions', async () => {
      const early = await expectOk(ctx.store.create(pool(ctx.name('early'))));
      const rec = await record(ctx, 'SpiderIPPool', { resourceVersion: rvOf(early) });
      const name = ctx.name('p');
      const created = await expectOk(ctx.store.create(pool(name)));
      const updated = await expectOk(
        ctx.store.update({ ...created, spec: { ...created.spec, disable: true } }),
      );
      const deleted = await expectOk(ctx.store.delete({ kind: 'SpiderIPPool', name }));
      const events = await rec.waitFor(3);
      expect(summary(events)).toEqual([`ADDED ${name}`, `MODIFIED ${name}`, `DELETED ${name}`]);
      const objects = events.flatMap((e) => ('object' in e ? [e.object] : []));
      expect(objects.map(rvOf)).toEqual([rvOf(created), rvOf(updated), rvOf(deleted.object)]);
      rec.handle.close();
    });

    it('replays changes made between the version and the watch', async () => {
      const first = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const second = await expectOk(ctx.store.create(pool(ctx.name('p'))));
      await expectOk(ctx.store.updateStatus({ ...second, status: { allocatedIPCount: 1 } }));
      const rec = await record(ctx, 'SpiderIPPool', { resourceVersion: rvOf(first) });
      const events = await rec.waitFor(2);
      expect(summary(events)).toEqual([`ADDED ${second.metadata.name}`, `MODIFIED ${second.metadata.name}`]);
      rec.handle.close();
    });

    it('filters by kind, namespace and label selector', async () => {
      const start = await expectOk(ctx.store.list('SpiderEndpoint'));
      const rec = await record(ctx, 'SpiderEndpoint', {
        resourceVersion: start.resourceVersion,
        namespace: ctx.namespace,
        labelSelector: { matchLabels: { watch: 'me' } },
      });
      const hit = ctx.name('hit');
      const me = { watch: 'me' };
      await expectOk(ctx.store.create(withLabels(pool(ctx.name('p')), me)));
      await expectOk(ctx.store.create(withLabels(endpoint(ctx.otherNamespace, ctx.name('x')), me)));
      await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('nolabel'))));
      await expectOk(ctx.store.create(withLabels(endpoint(ctx.namespace, hit), me)));
      const events = await rec.waitFor(1);
      // A later marker proves nothing else was queued before it.
      const marker = ctx.name('marker');
      await expectOk(ctx.store.create(withLabels(endpoint(ctx.namespace, marker), me)));
      await rec.waitFor(2);
      expect(summary(events)).toEqual([`ADDED ${hit}`, `ADDED ${marker}`]);
      rec.handle.close();
    });

    it('an object leaving the selector arrives as DELETED, one entering as ADDED', async () => {
      const name = ctx.name('p');
      const created = await expectOk(ctx.store.create(withLabels(pool(name), { sel: 'yes' })));
      const rec = await record(ctx, 'SpiderIPPool', {
        resourceVersion: rvOf(created),
        labelSelector: { matchLabels: { sel: 'yes' } },
      });
      const out = await expectOk(
        ctx.store.update({ ...created, metadata: { ...created.metadata, labels: { sel: 'no' } } }),
      );
      const back = await expectOk(
        ctx.store.update({ ...out, metadata: { ...out.metadata, labels: { sel: 'yes' } } }),
      );
      const events = await rec.waitFor(2);
      expect(summary(events)).toEqual([`DELETED ${name}`, `ADDED ${name}`]);
      // The watch cache's DELETED carries the state the watcher last matched, at the update's version.
      const [gone, added] = events.map((e) => ('object' in e ? e.object : undefined));
      expect(gone?.metadata.labels).toEqual({ sel: 'yes' });
      expect(gone?.metadata.resourceVersion).toBe(rvOf(out));
      expect(added?.metadata.resourceVersion).toBe(rvOf(back));
      rec.handle.close();
    });

    it('without a resourceVersion: ADDED for every existing object first, then changes', async () => {
      const a = await expectOk(ctx.store.create(endpoint(ctx.namespace, ctx.name('a'))));
      const rec = await record(ctx, 'SpiderEndpoint', { namespace: ctx.namespace });
      const initial = await rec.waitFor(1);
      expect(summary(initial)).toContain(`ADDED ${a.metadata.name}`);
      const count = initial.length;
      await expectOk(ctx.store.update({ ...a, metadata: { ...a.metadata, labels: { n: '1' } } }));
      const all = await rec.waitFor(count + 1);
      expect(summary(all).slice(count)).toEqual([`MODIFIED ${a.metadata.name}`]);
      rec.handle.close();
    });

    it('close stops delivery', async () => {
      const start = await expectOk(ctx.store.list('SpiderIPPool'));
      const rec = await record(ctx, 'SpiderIPPool', { resourceVersion: start.resourceVersion });
      await expectOk(ctx.store.create(pool(ctx.name('p'))));
      await rec.waitFor(1);
      rec.handle.close();
      rec.handle.close();
      await expectOk(ctx.store.create(pool(ctx.name('p'))));
      const probe = await record(ctx, 'SpiderIPPool', { resourceVersion: start.resourceVersion });
      await probe.waitFor(2);
      probe.handle.close();
      expect(rec.events).toHaveLength(1);
    });

    it.skipIf(ctx.options.historyLimit === undefined)(
      'a version older than the history ends in ERROR Gone',
      async () => {
        const first = await expectOk(ctx.store.create(pool(ctx.name('p'))));
        let current = first;
        for (let i = 0; i < (ctx.options.historyLimit ?? 0) + 2; i++) {
          current = await expectOk(
            ctx.store.update({ ...current, spec: { ...current.spec, ips: [`10.6.0.${i % 250}`] } }),
          );
        }
        const rec = await record(ctx, 'SpiderIPPool', { resourceVersion: rvOf(first) });
        const events: WatchEvent<KubeObject>[] = await rec.waitFor(1);
        const last = events[events.length - 1];
        expect(last?.type).toBe('ERROR');
        if (last?.type === 'ERROR') expect(last.error._tag).toBe('Gone');
        rec.handle.close();
      },
    );
  });
};

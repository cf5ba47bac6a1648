// The sample operator as real OS processes (the built bundle dist/operator.js, run with plain node) against
// the API-server emulator over HTTP: it takes the Lease, writes the NAD of a SpiderMultusConfig, answers
// /healthz /readyz /metrics; a standby takes over after the leader is SIGKILLed; SIGTERM releases the Lease
// and exits 0. Started without a kubeconfig, it starts its own emulator and registers its webhook server
// there, so a bad SpiderIPPool applied through the emulator is refused by the operator over HTTPS and a
// good one is defaulted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease, NetworkAttachmentDefinition } from '@spiderpool-ts/core';
import { generateSelfSignedTls } from '@spiderpool-ts/k8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededEmulator } from './emulator.ts';
import { ensureBundle, killAll, lonelyBundle, operator, until } from './processTestKit.ts';

type Seeded = Awaited<ReturnType<typeof startSeededEmulator>>;
let seeded: Seeded | undefined;

beforeAll(async () => {
  ensureBundle();
  seeded = await startSeededEmulator();
}, 300_000);
afterAll(async () => {
  killAll();
  await seeded?.emulator.close();
});

const lease = async () => {
  const r = await seeded?.emulator.store.get<Lease>({
    kind: 'Lease',
    namespace: 'kube-system',
    name: 'spiderpool-ts-operator',
  });
  return r?.isOk() ? r.value : undefined;
};

// Generous: the machine running the tests may be very loaded.
const START_MS = 60_000;
const FAST = ['--port', '0', '--lease-duration', '4', '--renew-deadline', '3', '--retry-period', '1'];

describe('sample operator process', () => {
  it(
    '--help prints usage and exits 0',
    async () => {
      const p = operator(['--help']);
      expect(await p.exited).toBe(0);
      expect(p.out()).toContain('Usage: pnpm operator');
    },
    START_MS,
  );

  it(
    'leads, writes NADs, serves probes and metrics; a standby takes over after SIGKILL; SIGTERM releases',
    async () => {
      if (!seeded) throw new Error('no emulator');
      const { emulator, kubeconfig } = seeded;
      const a = operator(['--kubeconfig', kubeconfig, '--identity', 'op-a', ...FAST]);
      const port = Number((await a.waitFor(/on port (\d+)/, START_MS))[1]);
      await a.waitFor(/leading: holds Lease/, 30_000);
      expect((await lease())?.spec?.holderIdentity).toBe('op-a');

      await emulator.store.create({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        metadata: { name: 'macvlan-eth0', namespace: 'default' },
        spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
      });
      const nad = await until(async () => {
        const r = await emulator.store.get<NetworkAttachmentDefinition>({
          kind: 'NetworkAttachmentDefinition',
          namespace: 'default',
          name: 'macvlan-eth0',
        });
        return r.isOk() ? r.value : undefined;
      }, 30_000);
      expect(nad.metadata.ownerReferences?.[0]?.kind).toBe('SpiderMultusConfig');
      await a.waitFor(/SpiderCoordinator default: Synced/, 30_000);

      const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/readyz')).status).toBe(200);
      const metrics = await (await get('/metrics')).text();
      // --port 0: the webhook server took a free port too (so replicas on one host do not clash)
      expect(a.out()).toMatch(/admission webhooks on https port [1-9]\d*/);
      expect(metrics).toContain('spiderpool_ts_leader 1');
      expect(metrics).toMatch(/spiderpool_ip_gc_counts(\{[^}]*\})? 0/);
      expect(metrics).toContain('spiderpool_ts_nad_reconciles_total{outcome="created"} 1');
      expect(metrics).toContain('spiderpool_total_ippool_counts 0');

      const b = operator(['--kubeconfig', kubeconfig, '--identity', 'op-b', ...FAST]);
      await b.waitFor(/standby: Lease held by op-a/, START_MS);
      a.child.kill('SIGKILL');
      await a.exited;
      // No release from a killed process: b waits out the lease duration, then takes over.
      await b.waitFor(/leading: holds Lease/, 30_000);
      expect((await lease())?.spec).toMatchObject({ holderIdentity: 'op-b', leaseTransitions: 1 });
      // The new leader repairs what happens meanwhile: a deleted NAD comes back.
      await emulator.store.delete({
        kind: 'NetworkAttachmentDefinition',
        namespace: 'default',
        name: 'macvlan-eth0',
      });
      await until(async () => {
        const r = await emulator.store.get({
          kind: 'NetworkAttachmentDefinition',
          namespace: 'default',
          name: 'macvlan-eth0',
        });
        return r.isOk() ? true : undefined;
      }, 30_000);

      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
      expect(b.out()).toContain('Lease released; stopped');
      expect((await lease())?.spec?.holderIdentity).toBe('');
    },
    4 * START_MS,
  );

  it(
    'without a kubeconfig: starts the emulator, registers its webhooks; a bad SpiderIPPool is refused, a good one defaulted',
    async () => {
      // the bundle copied alone to a temp dir: it needs nothing from node_modules
      const p = operator(['--port', '0', '--identity', 'op-own'], {}, lonelyBundle());
      const url = (await p.waitFor(/emulator \(a test double\) at (http:\/\/[\d.:]+)/, START_MS))[1];
      await p.waitFor(/registered the Mutating\/ValidatingWebhookConfigurations/, START_MS);
      const port = Number((await p.waitFor(/on port (\d+)/, START_MS))[1]);
      await until(
        async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined),
        30_000,
      );

      const pools = `${url}/apis/spiderpool.spidernet.io/v2beta1/spiderippools`;
      const post = async (body: unknown) => {
        const r = await fetch(pools, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: (await r.json()) as Record<string, unknown> };
      };
      const pool = (name: string, ips: string[]) => ({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderIPPool',
        metadata: { name },
        spec: { subnet: '10.6.0.0/24', ips },
      });

      const good = await post(pool('good', ['10.6.0.10-10.6.0.20', '10.6.0.5']));
      expect(good.status).toBe(201);
      const meta = good.body.metadata as { finalizers?: string[]; labels?: Record<string, string> };
      expect(meta.finalizers).toContain('spiderpool.spidernet.io');
      expect(meta.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('10-6-0-0-24');
      // defaulted by the mutating webhook: IP version inferred, ranges merged and sorted
      expect(good.body.spec).toMatchObject({ ipVersion: 4, ips: ['10.6.0.5', '10.6.0.10-10.6.0.20'] });

      // outside its subnet: the validating webhook refuses it (no other object needed)
      const outside = await post(pool('outside', ['10.7.0.1']));
      expect(outside.status).toBe(422);
      expect(String(outside.body.message)).toMatch(
        /admission webhook "spiderippool\.spiderpool\.spidernet\.io" denied/,
      );
      // overlaps the good pool: refused from what the webhook's informers hold of the other pools
      const overlap = await until(async () => {
        const r = await post(pool('overlap', ['10.6.0.15-10.6.0.30']));
        return r.status === 201 ? undefined : r;
      }, 10_000);
      expect(overlap.status).toBe(422);
      expect(String(overlap.body.message)).toMatch(/overlap/i);
      const after = await fetch(`${pools}/overlap`);
      expect(after.status).toBe(404);

      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    },
    2 * START_MS,
  );

  it(
    'serves the webhooks with the certificate files it is given (--tls-*); a key without a cert is a bad flag',
    async () => {
      if (!seeded) throw new Error('no emulator');
      const host = 'spiderpool-ts-webhook.kube-system.svc';
      const tls = (await generateSelfSignedTls({ hosts: [host] }))._unsafeUnwrap();
      const dir = mkdtempSync(join(tmpdir(), 'operator-tls-'));
      for (const [f, text] of [
        ['tls.crt', tls.cert],
        ['tls.key', tls.key],
        ['ca.crt', tls.ca],
      ] as const)
        writeFileSync(join(dir, f), text);
      try {
        const half = operator(['--kubeconfig', seeded.kubeconfig, '--tls-key-file', join(dir, 'tls.key')]);
        expect(await half.exited).toBe(2);
        expect(half.out()).toContain('--tls-cert-file: is required');

        const files = ['--tls-cert-file', join(dir, 'tls.crt'), '--tls-key-file', join(dir, 'tls.key')];
        const ca = ['--tls-ca-file', join(dir, 'ca.crt')];
        const p = operator([
          '--kubeconfig',
          seeded.kubeconfig,
          '--identity',
          'op-tls',
          ...FAST,
          ...files,
          ...ca,
        ]);
        const port = Number((await p.waitFor(/admission webhooks on https port (\d+)/, START_MS))[1]);
        // what kube-apiserver does: TLS to the Service name, trusting only the CA bundle
        const status = await new Promise<number | undefined>((resolve) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              servername: host,
              path: '/webhook-health-check',
              ca: tls.ca,
              timeout: 5000,
            },
            (res) => {
              res.resume();
              resolve(res.statusCode);
            },
          );
          req.on('error', () => resolve(undefined));
          req.end();
        });
        expect(status).toBe(200);
        const http = Number((await p.waitFor(/on port (\d+)/, START_MS))[1]);
        await until(
          async () => ((await fetch(`http://127.0.0.1:${http}/readyz`)).ok ? true : undefined),
          30_000,
        );
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    2 * START_MS,
  );
});

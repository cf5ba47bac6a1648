// Emulator fidelity over plain HTTP: dry-run updates and deletes leave the store alone, the 3 MiB body
// limit (413), strategic merge on a custom resource (415), protobuf bodies (415), background garbage
// collection of ownerReference dependents, /openapi/v2 as JSON and protobuf, webhook rule matching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';
import { ruleMatches } from '../src/testing/webhookConfigs.ts';

const SP = '/apis/spiderpool.spidernet.io/v2beta1';
let emu: ApiServerEmulator;

beforeAll(async () => {
  emu = await startApiServerEmulator({ garbageCollection: true, maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await emu.close();
});

interface Obj {
  metadata: {
    name: string;
    resourceVersion?: string;
    uid?: string;
    deletionTimestamp?: string;
    generation?: number;
  };
  spec?: Record<string, unknown>;
  code?: number;
  reason?: string;
  message?: string;
  definitions?: Record<string, unknown>;
}

const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
  const r = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'Content-Type': type },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json()) as Obj };
};

const pool = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, finalizers: ['spiderpool.spidernet.io'] },
  spec: { subnet: '10.8.0.0/16', ips: ['10.8.0.1'], ...extra },
});

describe('emulator fidelity', () => {
  it('dry-run PUT, PATCH and DELETE answer what would be stored and change nothing', async () => {
    const created = (await call('POST', `${SP}/spiderippools`, pool('dry'))).body;
    const rv = created.metadata.resourceVersion;
    const put = await call('PUT', `${SP}/spiderippools/dry?dryRun=All`, {
      ...pool('dry', { gateway: '10.8.0.254' }),
      metadata: { ...created.metadata },
    });
    expect(put.status).toBe(200);
    expect(put.body.spec?.gateway).toBe('10.8.0.254');
    expect(put.body.metadata.generation).toBe(2);
    const stale = await call('PUT', `${SP}/spiderippools/dry?dryRun=All`, {
      ...pool('dry'),
      metadata: { ...created.metadata, resourceVersion: '1' },
    });
    expect(stale.status).toBe(409);
    const patched = await call(
      'PATCH',
      `${SP}/spiderippools/dry?dryRun=All`,
      { spec: { gateway: '10.8.0.9' } },
      'application/merge-patch+json',
    );
    expect(patched.body.spec?.gateway).toBe('10.8.0.9');
    const deleted = await call('DELETE', `${SP}/spiderippools/dry?dryRun=All`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.deletionTimestamp).toBeDefined();
    const stored = (await call('GET', `${SP}/spiderippools/dry`)).body;
    expect(stored.metadata.resourceVersion).toBe(rv);
    expect(stored.metadata.deletionTimestamp).toBeUndefined();
    expect(stored.spec?.gateway).toBeUndefined();
  });

  it('refuses bodies over the limit with 413, strategic merge on custom resources and protobuf with 415', async () => {
    const big = await call(
      'POST',
      `${SP}/spiderippools`,
      pool('big', { ips: Array.from({ length: 8000 }, () => '10.8.0.1') }),
    );
    expect(big.status).toBe(413);
    expect(big.body.reason).toBe('RequestEntityTooLarge');
    const smp = await call(
      'PATCH',
      `${SP}/spiderippools/dry`,
      { spec: {} },
      'application/strategic-merge-patch+json',
    );
    expect(smp.status).toBe(415);
    const ns = await call('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'smp' },
    });
    expect(ns.status).toBe(201);
    const nsPatch = await call(
      'PATCH',
      '/api/v1/namespaces/smp',
      { metadata: { labels: { a: 'b' } } },
      'application/strategic-merge-patch+json',
    );
    expect(nsPatch.status).toBe(200);
    const pb = await call(
      'POST',
      '/api/v1/namespaces',
      'k8s\u0000...',
      'application/vnd.kubernetes.protobuf',
    );
    expect(pb.status).toBe(415);
  });

  it('deletes dependents of a deleted owner, keeps those with another live owner', async () => {
    const owner = (
      await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
      })
    ).body;
    const other = (
      await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'other' },
      })
    ).body;
    const ref = (o: Obj) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: o.metadata.name,
      uid: o.metadata.uid,
    });
    const rs = (name: string, refs: unknown[]) =>
      call('POST', '/apis/apps/v1/namespaces/default/replicasets', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name, ownerReferences: refs },
      });
    expect((await rs('only', [ref(owner)])).status).toBe(201);
    expect((await rs('shared', [ref(owner), ref(other)])).status).toBe(201);
    expect((await rs('unrelated', [ref(other)])).status).toBe(201);
    expect((await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/web')).status).toBe(200);
    const gone = async (name: string) =>
      (await call('GET', `/apis/apps/v1/namespaces/default/replicasets/${name}`)).status === 404;
    for (let i = 0; i < 50 && !(await gone('only')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await gone('only')).toBe(true);
    const shared = (await call('GET', '/apis/apps/v1/namespaces/default/replicasets/shared')).body as Obj & {
      metadata: { ownerReferences?: { name: string }[] };
    };
    expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(['other']);
    expect(await gone('unrelated')).toBe(false);
  });

  it('serves /openapi/v2 as JSON and as protobuf', async () => {
    const json = await fetch(`${emu.url}/openapi/v2`);
    const doc = (await json.json()) as Obj;
    expect(Object.keys(doc.definitions ?? {})).toContain('io.spidernet.spiderpool.v2beta1.SpiderIPPool');
    const pb = await fetch(`${emu.url}/openapi/v2`, {
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    const bytes = Buffer.from(await pb.arrayBuffer());
    expect(bytes.subarray(0, 5)).toEqual(Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30])); // field 1 "2.0"
    expect(bytes.includes(Buffer.from('x-kubernetes-group-version-kind'))).toBe(true);
  });

  it('matches webhook rules like kube-apiserver (wildcards, subresources, scope)', () => {
    const hook = (rule: Record<string, unknown>) =>
      ({
        rules: [{ operations: ['CREATE'], apiGroups: ['*'], apiVersions: ['*'], scope: '*', ...rule }],
      }) as Parameters<typeof ruleMatches>[0];
    const a = {
      operation: 'CREATE',
      group: 'spiderpool.spidernet.io',
      version: 'v2beta1',
      resource: 'spiderippools',
      namespaced: false,
    };
    expect(ruleMatches(hook({ resources: ['spiderippools'] }), a)).toBe(true);
    expect(ruleMatches(hook({ resources: ['*'] }), a)).toBe(true);
    expect(ruleMatches(hook({ resources: ['*'] }), { ...a, resource: 'spiderippools/status' })).toBe(false);
    expect(ruleMatches(hook({ resources: ['*/status'] }), { ...a, resource: 'spiderippools/status' })).toBe(
      true,
    );
    expect(ruleMatches(hook({ resources: ['spiderippools'] }), { ...a, operation: 'UPDATE' })).toBe(false);
    expect(ruleMatches(hook({ resources: ['spiderippools'], scope: 'Namespaced' }), a)).toBe(false);
    expect(ruleMatches(hook({ resources: ['spiderippools'], apiGroups: [''] }), a)).toBe(false);
  });
});

// The admission webhook server over real HTTPS (a CA and serving certificate generated for the test, the CA
// trusted by the client, as kube-apiserver trusts the caBundle): Spiderpool's paths, mutation answered as a
// base64 JSONPatch, validation that reads other pools through the lister, strict review parsing, body
// limits, the Pod resource-injection webhook and a lister that does not answer in time.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import {
  createMemoryStore,
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  type KubeObject,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { ResultAsync } from 'neverthrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdmissionReviewResponse,
  generateSelfSignedTls,
  renderWebhookConfigurations,
  startWebhookServer,
  storeLister,
  type TlsMaterial,
  type WebhookServer,
} from '../src/index.ts';
import { applyJsonPatch } from '../src/testing/index.ts';
import { webhookManifestsYaml } from '../src/webhookServer/webhookManifestsYaml.ts';

const store = createMemoryStore({ now: () => new Date('2026-01-01T00:00:00Z') });
let tls: TlsMaterial;
let server: WebhookServer;
const rejected: number[] = [];

beforeAll(async () => {
  tls = (await generateSelfSignedTls())._unsafeUnwrap();
  server = (
    await startWebhookServer({
      tls,
      lister: storeLister(store),
      maxBodyBytes: 64 * 1024,
      onRejected: (e) => rejected.push(e.status),
    })
  )._unsafeUnwrap();
});
afterAll(async () => {
  await server?.close();
});

interface Reply {
  status: number;
  body: string;
}

const call = (
  path: string,
  body: string,
  opts: { method?: string; type?: string; ca?: string; url?: string } = {},
): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const u = new URL(path, opts.url ?? server.url);
    const req = request(
      u,
      {
        method: opts.method ?? 'POST',
        ca: opts.ca ?? tls.ca,
        headers: { 'Content-Type': opts.type ?? 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const POOL_GVK = { group: 'spiderpool.spidernet.io', version: 'v2beta1', kind: 'SpiderIPPool' };
const POOL_GVR = { group: 'spiderpool.spidernet.io', version: 'v2beta1', resource: 'spiderippools' };

const review = (operation: string, object: unknown, oldObject?: unknown, gvk = POOL_GVK, gvr = POOL_GVR) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: gvk,
      resource: gvr,
      operation,
      userInfo: { username: 'test' },
      object,
      ...(oldObject ? { oldObject } : {}),
    },
  });

const pool = (name: string, subnet: string, ips: string[]): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet, ips },
});

const answer = async (path: string, body: string): Promise<AdmissionReviewResponse['response']> => {
  const r = await call(path, body);
  expect(r.status).toBe(200);
  const parsed = JSON.parse(r.body) as AdmissionReviewResponse;
  expect(parsed.apiVersion).toBe('admission.k8s.io/v1');
  expect(parsed.response.uid).toBe('u-1');
  return parsed.response;
};

const MUTATE_POOL = '/mutate-spiderpool-spidernet-io-v2beta1-spiderippool';
const VALIDATE_POOL = '/validate-spiderpool-spidernet-io-v2beta1-spiderippool';

describe('webhook server', () => {
  it("serves Spiderpool's paths and the health check", async () => {
    expect([...server.paths].sort()).toEqual(
      [
        '/mutate--v1-pod',
        MUTATE_POOL,
        '/mutate-spiderpool-spidernet-io-v2beta1-spidersubnet',
        '/mutate-spiderpool-spidernet-io-v2beta1-spiderreservedip',
        '/mutate-spiderpool-spidernet-io-v2beta1-spidermultusconfig',
        '/mutate-spiderpool-spidernet-io-v2beta1-spidercoordinator',
        VALIDATE_POOL,
        '/validate-spiderpool-spidernet-io-v2beta1-spidersubnet',
        '/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip',
        '/validate-spiderpool-spidernet-io-v2beta1-spidermultusconfig',
        '/validate-spiderpool-spidernet-io-v2beta1-spidercoordinator',
      ].sort(),
    );
    expect((await call('/webhook-health-check', '', { method: 'GET' })).status).toBe(200);
  });

  it('refuses a client that does not trust the CA', async () => {
    const other = (await generateSelfSignedTls())._unsafeUnwrap();
    await expect(call('/webhook-health-check', '', { method: 'GET', ca: other.ca })).rejects.toThrow();
  });

  it('answers the mutation as a base64 JSONPatch that yields what defaultIPPool yields', async () => {
    const input = pool('p1', '10.6.0.0/16', ['10.6.0.10', '10.6.0.1-10.6.0.5']);
    const r = await answer(MUTATE_POOL, review('CREATE', input));
    expect(r.allowed).toBe(true);
    expect(r.patchType).toBe('JSONPatch');
    const ops = JSON.parse(Buffer.from(r.patch ?? '', 'base64').toString()) as unknown;
    const patched = applyJsonPatch(input, ops)._unsafeUnwrap();
    const expected = defaultIPPool(input, { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] });
    expect(patched).toEqual(expected);
    // an object that is already defaulted needs no patch
    const again = await answer(MUTATE_POOL, review('CREATE', expected));
    expect(again).toEqual({ uid: 'u-1', allowed: true });
  });

  it('validates against the pools the lister sees', async () => {
    const existing = defaultIPPool(pool('big', '10.0.0.0/8', []), {
      settings: DEFAULT_CLUSTER_SETTINGS,
      subnets: [],
    });
    await store.create(existing);
    const inner = defaultIPPool(pool('inner', '10.1.0.0/16', []), {
      settings: DEFAULT_CLUSTER_SETTINGS,
      subnets: [],
    });
    const r = await answer(VALIDATE_POOL, review('CREATE', inner));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(422);
    expect(r.status?.message).toContain(
      'SpiderIPPool.spiderpool.spidernet.io "inner" is invalid: spec.subnet',
    );
    expect(r.status?.message).toContain('overlap with IPPool big');
    const dup = await answer(VALIDATE_POOL, review('CREATE', existing));
    expect(dup.status).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    const fine = defaultIPPool(pool('other', '192.168.0.0/24', []), {
      settings: DEFAULT_CLUSTER_SETTINGS,
      subnets: [],
    });
    expect((await answer(VALIDATE_POOL, review('CREATE', fine))).allowed).toBe(true);
  });

  it('denies an object that does not decode into the kind (400), and a review for another kind', async () => {
    const bad = { ...pool('x', '10.9.0.0/16', []), spec: { subnet: 10, ips: 'nope' } };
    const r = await answer(MUTATE_POOL, review('CREATE', bad));
    expect(r.status).toMatchObject({ code: 400, reason: 'BadRequest' });
    const wrongKind = await answer(
      MUTATE_POOL,
      review('CREATE', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, undefined, {
        group: '',
        version: 'v1',
        kind: 'Pod',
      }),
    );
    expect(wrongKind.allowed).toBe(false);
    expect(wrongKind.status?.code).toBe(400);
  });

  it('answers garbage with HTTP errors: 400, 413, 415, 404, 405', async () => {
    const before = rejected.length;
    expect((await call(MUTATE_POOL, '{not json')).status).toBe(400);
    const noUid = JSON.parse(review('CREATE', pool('a', '10.0.0.0/24', []))) as { request: { uid?: string } };
    delete noUid.request.uid;
    const r = await call(MUTATE_POOL, JSON.stringify(noUid));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toContain('request.uid');
    expect((await call(MUTATE_POOL, review('PATCH', {}))).status).toBe(400);
    expect((await call(MUTATE_POOL, review('UPDATE', pool('a', '10.0.0.0/24', [])))).status).toBe(400);
    expect((await call(MUTATE_POOL, 'x'.repeat(70 * 1024))).status).toBe(413);
    expect((await call(MUTATE_POOL, '{}', { type: 'text/plain' })).status).toBe(415);
    expect((await call('/mutate-nothing', '{}')).status).toBe(404);
    expect((await call(MUTATE_POOL, '', { method: 'GET' })).status).toBe(405);
    expect(rejected.slice(before)).toEqual([400, 400, 400, 400, 413, 415, 404, 405]);
  });

  it('injects the Multus networks and SR-IOV resources into an annotated Pod', async () => {
    await store.create({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: {
        name: 'sriov-a',
        namespace: 'kube-system',
        labels: { 'cni.spidernet.io/network-resource-inject': 'gpu' },
      },
      spec: { cniType: 'sriov', sriov: { resourceName: 'spidernet.io/sriov_a', ippools: { ipv4: ['p'] } } },
    } as KubeObject);
    const podObj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'w',
        namespace: 'default',
        annotations: { 'cni.spidernet.io/network-resource-inject': 'gpu' },
      },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    const gvk = { group: '', version: 'v1', kind: 'Pod' };
    const gvr = { group: '', version: 'v1', resource: 'pods' };
    const r = await answer('/mutate--v1-pod', review('CREATE', podObj, undefined, gvk, gvr));
    expect(r.allowed).toBe(true);
    const patched = applyJsonPatch(
      podObj,
      JSON.parse(Buffer.from(r.patch ?? '', 'base64').toString()),
    )._unsafeUnwrap();
    expect(patched).toMatchObject({
      metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'kube-system/sriov-a' } },
      spec: { containers: [{ resources: { limits: { 'spidernet.io/sriov_a': '1' } } }] },
    });
    const none = {
      ...podObj,
      metadata: { ...podObj.metadata, annotations: { 'cni.spidernet.io/network-resource-inject': 'x' } },
    };
    const denied = await answer('/mutate--v1-pod', review('CREATE', none, undefined, gvk, gvr));
    expect(denied.status).toMatchObject({
      code: 403,
      message: expect.stringContaining('no spidermultusconfigs'),
    });
  });

  it('validates DELETE with the old object when deletion validation is on', async () => {
    const strict = (
      await startWebhookServer({
        tls,
        lister: storeLister(store),
        settings: { ...DEFAULT_CLUSTER_SETTINGS, enableValidatingResourcesDeletedWebhook: true },
      })
    )._unsafeUnwrap();
    try {
      const used = { ...pool('used', '10.60.0.0/24', []), status: { allocatedIPCount: 2 } };
      const body = JSON.parse(review('DELETE', undefined, used)) as { request: Record<string, unknown> };
      delete body.request.object;
      const r = await call(VALIDATE_POOL, JSON.stringify(body), { url: strict.url });
      const resp = (JSON.parse(r.body) as AdmissionReviewResponse).response;
      expect(resp.allowed).toBe(false);
      expect(resp.status?.message).toContain('cannot delete an IPPool with allocated IPs(2)');
      delete body.request.oldObject;
      expect((await call(VALIDATE_POOL, JSON.stringify(body), { url: strict.url })).status).toBe(400);
    } finally {
      await strict.close();
    }
  });

  it('answers 500 when the lister does not answer within its deadline', async () => {
    const slow = (
      await startWebhookServer({
        tls,
        listTimeoutMs: 50,
        lister: { list: () => ResultAsync.fromSafePromise(new Promise<never>(() => {})) },
      })
    )._unsafeUnwrap();
    try {
      const r = await call(VALIDATE_POOL, review('CREATE', pool('z', '10.7.0.0/16', [])), { url: slow.url });
      const resp = (JSON.parse(r.body) as AdmissionReviewResponse).response;
      expect(resp.allowed).toBe(false);
      expect(resp.status?.code).toBe(500);
      expect(resp.status?.message).toContain('longer than 50ms');
    } finally {
      await slow.close();
    }
  });

  it('renders the webhook configurations with the CA bundle', () => {
    const [m, v] = renderWebhookConfigurations({
      caBundle: server.caBundle,
      service: { name: 'spiderpool-controller', namespace: 'kube-system', port: 5722 },
      podResourceInject: { namespacesExclude: ['kube-system'] },
    }) as unknown as {
      webhooks: {
        name: string;
        clientConfig: { caBundle: string; service: { path: string } };
        rules: { operations: string[] }[];
      }[];
    }[];
    expect(m?.webhooks.map((w) => w.name)).toContain('pods.spiderpool.spidernet.io');
    expect(m?.webhooks[0]?.clientConfig.caBundle).toBe(Buffer.from(tls.ca).toString('base64'));
    expect(
      v?.webhooks.find((w) => w.name === 'spiderippool.spiderpool.spidernet.io')?.rules[0]?.operations,
    ).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(
      v?.webhooks.find((w) => w.name === 'spiderreservedip.spiderpool.spidernet.io')?.clientConfig.service
        .path,
    ).toBe('/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip');
  });

  it('manifests/webhooks.yaml is the generated rendering (pnpm --filter @spiderpool-ts/k8s manifests)', () => {
    const file = readFileSync(new URL('../manifests/webhooks.yaml', import.meta.url), 'utf8');
    expect(file).toBe(webhookManifestsYaml());
    expect(file).toContain('path: /mutate--v1-pod');
  });
});

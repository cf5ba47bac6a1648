// The real webhook server registered in the emulator the way a cluster registers Spiderpool's (webhook
// configurations with the CA bundle, applied with kubectl), so kubectl writes are defaulted and validated
// over HTTPS; failurePolicy Fail / Ignore with the server down, a webhook that answers too late, a
// service reference resolved by the emulator's option, and a server-side dry run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKubernetesStore,
  generateSelfSignedTls,
  renderWebhookConfigurations,
  startWebhookServer,
  storeLister,
  type TlsMaterial,
  toYaml,
  type WebhookServer,
} from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';
import { findKubectl, gate, type Run, runKubectl } from './kubectlKit.ts';

const found = findKubectl('kubectl');
const skip = gate('webhooks through the emulator (kubectl)', 'missing' in found ? found.missing : undefined);
const bin = 'path' in found ? found.path : 'kubectl';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let emulator: ApiServerEmulator;
let server: WebhookServer;
let tls: TlsMaterial;
let dir = '';
let kubeconfig = '';

const kubectl = (...args: string[]): Promise<Run> => runKubectl(bin, { kubeconfig, dir }, args);
const ok = async (...args: string[]): Promise<string> => {
  const r = await kubectl(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

const post = async (path: string, body: unknown) => {
  const r = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as { message?: string; metadata?: { name: string } } };
};

const SP = '/apis/spiderpool.spidernet.io/v2beta1';

const reservedIP = (name: string) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderReservedIP',
  metadata: { name },
  spec: { ips: ['10.30.0.1'] },
});

/** A validating configuration for SpiderReservedIPs at `url` (nothing listens there, or something slow). */
const reservedIPHook = (
  name: string,
  url: string,
  policy: 'Fail' | 'Ignore',
  timeoutSeconds = 2,
): KubeObject =>
  ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: `${name}.test.io`,
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: policy,
        timeoutSeconds,
        clientConfig: { url, caBundle: Buffer.from(tls.ca).toString('base64') },
        rules: [
          {
            apiGroups: ['spiderpool.spidernet.io'],
            apiVersions: ['v2beta1'],
            operations: ['CREATE'],
            resources: ['spiderreservedips'],
          },
        ],
      },
    ],
  }) as KubeObject;

describe.skipIf(skip)('Spiderpool webhooks through the emulator over HTTPS', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spiderpool-ts-webhooks-'));
    tls = (await generateSelfSignedTls())._unsafeUnwrap();
    emulator = await startApiServerEmulator({
      webhookServices: (svc) =>
        svc.name === 'spiderpool-controller' && svc.namespace === 'kube-system' ? server.url : undefined,
    });
    kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
    // The webhooks read other pools through the API server, as the controller's do.
    const lister = storeLister(createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap());
    server = (await startWebhookServer({ tls, lister }))._unsafeUnwrap();
    const manifests = join(dir, 'webhooks.yaml');
    const configs = renderWebhookConfigurations({
      caBundle: server.caBundle,
      service: { name: 'spiderpool-controller', namespace: 'kube-system', port: 5722 },
      podResourceInject: { namespacesExclude: ['kube-system'] },
    });
    writeFileSync(manifests, configs.map((c) => `---\n${toYaml(c)}`).join(''));
    expect(await ok('apply', '-f', manifests)).toContain(
      'mutatingwebhookconfiguration.admissionregistration.k8s.io/spiderpool-controller created',
    );
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl apply of the seed pool is defaulted by the mutating webhook', async () => {
    expect(await ok('apply', '-f', fixture('ippool-test.yaml'))).toContain(
      'spiderippool.spiderpool.spidernet.io/ippool-test created',
    );
    const json = JSON.parse(await ok('get', 'sp', 'ippool-test', '-o', 'json'));
    expect(json.spec).toMatchObject({ ipVersion: 4, subnet: '10.20.0.0/16', default: true });
    expect(json.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(json.metadata.labels).toEqual({ 'ipam.spidernet.io/ippool-cidr': '10-20-0-0-16' });
    // re-applying (a merge PATCH, an UPDATE review) keeps it valid
    expect(await ok('apply', '-f', fixture('ippool-test.yaml'))).toContain('unchanged');
  });

  it('refuses an overlapping pool with the webhook message', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata: {name: overlap}\nspec: {subnet: 10.20.1.0/24, ips: [10.20.1.10]}\n',
    );
    const r = await kubectl('apply', '-f', bad);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('admission webhook "spiderippool.spiderpool.spidernet.io" denied the request');
    expect(r.stderr).toContain('overlap with IPPool ippool-test');
    expect((await kubectl('get', 'sp', 'overlap')).code).not.toBe(0);
  });

  it('a server-side dry run goes through the webhooks and stores nothing', async () => {
    const dry = join(dir, 'dry.yaml');
    writeFileSync(
      dry,
      'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata: {name: dry}\nspec: {subnet: 10.99.0.0/24, ips: [10.99.0.10]}\n',
    );
    const out = JSON.parse(await ok('apply', '-f', dry, '--dry-run=server', '-o', 'json'));
    expect(out.spec.ipVersion).toBe(4);
    expect(out.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect((await kubectl('get', 'sp', 'dry')).code).not.toBe(0);
    const refused = await kubectl('apply', '-f', join(dir, 'bad.yaml'), '--dry-run=server');
    expect(refused.stderr).toContain('denied the request');
  });

  it('a Pod annotated for network resource injection gets the SMC networks and SR-IOV limits', async () => {
    const smc = join(dir, 'smc.yaml');
    writeFileSync(
      smc,
      [
        'apiVersion: spiderpool.spidernet.io/v2beta1',
        'kind: SpiderMultusConfig',
        'metadata: {name: sriov-gpu, namespace: kube-system, annotations: {cni.spidernet.io/network-resource-inject: gpu}}',
        'spec: {cniType: sriov, sriov: {resourceName: spidernet.io/sriov_netdevice, ippools: {ipv4: [ippool-test]}}}',
        '',
      ].join('\n'),
    );
    await ok('apply', '-f', smc);
    // the SMC webhook copied the annotation into the label the Pod webhook selects on
    const stored = JSON.parse(await ok('get', 'smc', 'sriov-gpu', '-n', 'kube-system', '-o', 'json'));
    expect(stored.metadata.labels).toEqual({ 'cni.spidernet.io/network-resource-inject': 'gpu' });
    const pod = join(dir, 'pod.yaml');
    writeFileSync(
      pod,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: trainer, namespace: default, annotations: {cni.spidernet.io/network-resource-inject: gpu}}\nspec: {containers: [{name: c, image: busybox}]}\n',
    );
    await ok('apply', '-f', pod);
    const json = JSON.parse(await ok('get', 'pod', 'trainer', '-o', 'json'));
    expect(json.metadata.annotations['k8s.v1.cni.cncf.io/networks']).toBe('kube-system/sriov-gpu');
    expect(json.spec.containers[0].resources.limits).toEqual({ 'spidernet.io/sriov_netdevice': '1' });
    const none = join(dir, 'pod-none.yaml');
    writeFileSync(
      none,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lost, namespace: default, annotations: {cni.spidernet.io/network-resource-inject: none}}\nspec: {containers: [{name: c, image: busybox}]}\n',
    );
    const refused = await kubectl('apply', '-f', none);
    expect(refused.stderr).toContain('admission webhook "pods.spiderpool.spidernet.io" denied the request');
    expect(refused.stderr).toContain('no spidermultusconfigs with annotation');
  });

  it('failurePolicy: Ignore admits, Fail refuses with 500 when the webhook is down', async () => {
    const down = `https://127.0.0.1:1/validate`;
    (await emulator.store.create(reservedIPHook('ignore-down', down, 'Ignore')))._unsafeUnwrap();
    expect((await post(`${SP}/spiderreservedips`, reservedIP('r1'))).status).toBe(201);
    (await emulator.store.create(reservedIPHook('fail-down', down, 'Fail')))._unsafeUnwrap();
    const r = await post(`${SP}/spiderreservedips`, reservedIP('r2'));
    expect(r.status).toBe(500);
    expect(r.body.message).toContain('failed calling webhook "fail-down.test.io"');
    expect(r.body.message).toContain('ECONNREFUSED');
    for (const name of ['ignore-down', 'fail-down']) {
      await emulator.store.delete({ kind: 'ValidatingWebhookConfiguration', name });
    }
  });

  it('a webhook slower than timeoutSeconds fails the call (and is ignored with Ignore)', async () => {
    const slow = createHttpsServer({ key: tls.key, cert: tls.cert }, () => {
      /* never answers */
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(slow.address() as AddressInfo).port}/validate`;
    try {
      (await emulator.store.create(reservedIPHook('slow', url, 'Fail', 1)))._unsafeUnwrap();
      const started = Date.now();
      const r = await post(`${SP}/spiderreservedips`, reservedIP('r3'));
      const elapsed = Date.now() - started;
      expect(r.status).toBe(500);
      expect(r.body.message).toContain('context deadline exceeded');
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(5000);
      await emulator.store.delete({ kind: 'ValidatingWebhookConfiguration', name: 'slow' });
      (await emulator.store.create(reservedIPHook('slow', url, 'Ignore', 1)))._unsafeUnwrap();
      expect((await post(`${SP}/spiderreservedips`, reservedIP('r3'))).status).toBe(201);
      await emulator.store.delete({ kind: 'ValidatingWebhookConfiguration', name: 'slow' });
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  it('the Spiderpool configuration itself fails closed when its server is down', async () => {
    await server.close();
    const r = await post(`${SP}/spiderippools`, {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: 'while-down' },
      spec: { subnet: '10.50.0.0/24' },
    });
    expect(r.status).toBe(500);
    expect(r.body.message).toContain('failed calling webhook "spiderippool.spiderpool.spidernet.io"');
  });
});

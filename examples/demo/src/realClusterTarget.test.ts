// The --real-cluster path (preflight, object shaping, cleanup) exercised against the emulator through a
// kubeconfig file, as it would run against a cluster with the CRDs installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject, Pod } from '@spiderpool-ts/core';
import { startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { describe, expect, it } from 'vitest';
import { deploymentPod, namespace } from './manifests.ts';
import { consolePrinter } from './printer.ts';
import { openRealCluster, realClusterAdapter } from './realClusterTarget.ts';
import { runDemo } from './runDemo.ts';

const rs = { name: 'web-5d8f9', uid: 'rs-uid', hash: '5d8f9' };

describe('real-cluster adapter', () => {
  it('skips the Deployment/ReplicaSet bookkeeping objects', () => {
    const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } };
    expect(realClusterAdapter.prepare(deploy)).toBeUndefined();
    expect(realClusterAdapter.prepare({ ...deploy, kind: 'ReplicaSet' })).toBeUndefined();
  });
  it('gives Pods a container and no ownerReference, keeping node, labels and annotations', () => {
    const pod = deploymentPod('default', rs, 'a', {
      nodeName: 'n1',
      annotations: { x: 'y' },
      labels: { app: 'web' },
    });
    const out = realClusterAdapter.prepare(pod) as Pod & { spec: { containers: unknown[] } };
    expect(out.metadata.ownerReferences).toBeUndefined();
    expect(out.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': '5d8f9' });
    expect(out.metadata.annotations).toEqual({ x: 'y' });
    expect(out.spec.nodeName).toBe('n1');
    expect(out.spec.containers).toHaveLength(1);
  });
});

describe('openRealCluster', () => {
  it('an unreadable kubeconfig is a printed failure and no target, not an exception', async () => {
    const lines: string[] = [];
    const target = await openRealCluster(
      consolePrinter((l) => lines.push(l)),
      join(tmpdir(), 'spiderpool-ts-no-such-kubeconfig'),
    );
    expect(target).toBeNull();
    expect(lines.join('\n')).toMatch(/cannot use the kubeconfig .*spiderpool-ts-no-such-kubeconfig/);
  });
});

describe('--real-cluster against an API server (the emulator)', () => {
  it('runs the walkthrough, then leaves no demo object behind', async () => {
    const emulator = await startApiServerEmulator({});
    const dir = mkdtempSync(join(tmpdir(), 'spiderpool-ts-demo-real-'));
    try {
      // kubectl's discovery cache goes to the temp dir, not ~/.kube/cache.
      process.env.KUBECACHEDIR = join(dir, 'cache');
      // A cluster comes with these; the demo must use them and leave them.
      for (const ns of ['default', 'kube-system']) await emulator.store.create(namespace(ns));
      const lines: string[] = [];
      const p = consolePrinter((l) => lines.push(l));
      const target = await openRealCluster(p, emulator.writeKubeconfig(join(dir, 'kubeconfig')));
      expect(target).not.toBeNull();
      if (!target) return;
      const ok = await runDemo(p, { storm: { deployments: 3, replicas: 5, agents: 2 }, target });
      const out = lines.join('\n');
      expect(out).not.toMatch(/^ {2}FAIL /m);
      expect(ok).toBe(true);
      expect(out).toContain('replacement sriov-deploy-9b4b9f6d9-k2x7q: 10.20.168.190/16');
      expect(out).toMatch(/removed (\d+) of \1 objects/);
      const left = async (kind: string) => {
        const r = await emulator.store.list(kind);
        return r.isOk() ? r.value.items.map((x) => x.metadata.name) : ['list failed'];
      };
      for (const kind of ['SpiderIPPool', 'SpiderEndpoint', 'Pod', 'Node', 'NetworkAttachmentDefinition'])
        expect(await left(kind)).toEqual([]);
      // The namespaces it found (default, kube-system) stay; the one it created (storm) goes.
      expect(await left('Namespace')).toEqual(['default', 'kube-system']);
      expect(await left('ReplicaSet')).toEqual([]);
    } finally {
      delete process.env.KUBECACHEDIR;
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops at the preflight when the demo pools are already there', async () => {
    const emulator = await startApiServerEmulator({});
    const dir = mkdtempSync(join(tmpdir(), 'spiderpool-ts-demo-real-'));
    try {
      await emulator.store.create({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderCoordinator',
        metadata: { name: 'default' },
        spec: { podCIDRType: 'auto' },
      } as KubeObject);
      const lines: string[] = [];
      const p = consolePrinter((l) => lines.push(l));
      expect(await openRealCluster(p, emulator.writeKubeconfig(join(dir, 'kubeconfig')))).toBeNull();
      expect(lines.join('\n')).toContain('FAIL SpiderCoordinator default exists');
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

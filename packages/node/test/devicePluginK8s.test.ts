// The seed's "allocatable 8" step through a KubernetesStore on the API-server emulator: the kubelet stand-in
// writes Node status over HTTP, and the real kubectl reads it back with `kubectl get node -o json`.
// kubectl is gated (skips outside CI when missing, fails under CI=true); the Store half always runs.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, SEED_RESOURCE, seedPod, startRig, stopRig } from './devicePluginKit.ts';
import { gate } from './netnsKit.ts';

const probe = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
const noKubectl = gate(
  'device plugin kubectl',
  probe.status === 0 ? undefined : `kubectl not runnable (${probe.error?.message ?? probe.stderr})`,
);

interface NodeStatus extends KubeObject {
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

let emulator: ApiServerEmulator;
let rig: Rig;
let dir = '';
beforeAll(async () => {
  emulator = await startApiServerEmulator({});
  dir = mkdtempSync(join(tmpdir(), 'sptsdp-kube-'));
  const store = createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
  rig = await startRig({ store });
});
afterAll(async () => {
  await stopRig(rig);
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const nodeStatus = async () => {
  const n = await emulator.store.get<NodeStatus>({ kind: 'Node', name: 'node-1' });
  return n.isOk() ? n.value.status : undefined;
};

describe('device plugin -> kubelet stand-in -> KubernetesStore (emulator)', () => {
  it('the Node carries spidernet.io/sriov_netdevice: "8" in capacity and allocatable', async () => {
    expect(await rig.kubelet.waitFor(() => rig.kubelet.resources()[SEED_RESOURCE]?.allocatable === 8)).toBe(
      true,
    );
    await rig.kubelet.idle();
    const s = await nodeStatus();
    expect(s?.capacity?.[SEED_RESOURCE]).toBe('8');
    expect(s?.allocatable?.[SEED_RESOURCE]).toBe('8');
  });

  it('a Pod deleted through the API releases its VF', async () => {
    const pod = seedPod('sriov-deploy-9b4b9f6d9-mmpsm');
    expect((await emulator.store.create(pod)).isOk()).toBe(true);
    const a = await rig.kubelet.allocatePod(pod);
    expect(a.isOk() && a.value.containers[0]?.deviceIds).toEqual(['0000:04:00.2']);
    expect(
      (await emulator.store.delete({ kind: 'Pod', namespace: 'default', name: pod.metadata.name })).isOk(),
    ).toBe(true);
    expect(
      await rig.kubelet.waitFor(() => rig.kubelet.resources()[SEED_RESOURCE]?.allocated.length === 0),
    ).toBe(true);
  });

  it.skipIf(noKubectl)('kubectl get node node-1 -o json shows it as the seed does', async () => {
    const kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'kubectl',
        ['get', 'node', 'node-1', '-o', 'json', '--cache-dir', join(dir, 'cache')],
        { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 30_000 },
        (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    expect(out).toContain('"spidernet.io/sriov_netdevice": "8"');
    const node: unknown = JSON.parse(out);
    expect(node).toMatchObject({
      status: { allocatable: { [SEED_RESOURCE]: '8' }, capacity: { [SEED_RESOURCE]: '8' } },
    });
  });
});

// The config daemon through KubernetesStore against the API-server emulator (real HTTP, watch streams,
// the CRD schemas, the core policy webhook as admission), then the real kubectl printing the node state
// (`kubectl get sriovnetworknodestates -A`) and refusing a bad policy. The kubectl half is gated like
// packages/k8s/test/kubectl.test.ts: skipped without kubectl, a failure under CI=true.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultSriovPolicy,
  formatFieldErrors,
  type KubeObject,
  type SriovNetworkNodePolicy,
  type SriovNetworkNodeState,
  validateSriovPolicyCreate,
  validateSriovPolicyUpdate,
} from '@spiderpool-ts/core';
import { createKubernetesStore, type KubernetesStore } from '@spiderpool-ts/k8s';
import { type Admission, type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SriovConfigDaemon, startSriovConfigDaemon } from '../src/index.ts';
import { addNode, makeHardware, NS, seedPolicy, until } from '../src/sriov/daemon/daemonKit.ts';
import type { SriovHardware } from '../src/testing/index.ts';
import { gate } from './netnsKit.ts';

const probe = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
const skipKubectl = gate(
  'sriov daemon kubectl',
  probe.status === 0 ? undefined : `kubectl not runnable (${probe.error?.message ?? probe.stderr})`,
);

/**
 * The core policy webhook as the emulator's admission (the operator's webhook on a cluster). The emulator's
 * admission hook is synchronous and sees no other objects, so only the defaults and field rules run here;
 * the cross-policy checks run again on the node (admitPolicies).
 */
const admitSriov: Admission = (op, object, old) => {
  if (object.kind !== 'SriovNetworkNodePolicy') return { allowed: true, object };
  const p = defaultSriovPolicy(object as SriovNetworkNodePolicy);
  const errors =
    op === 'CREATE'
      ? validateSriovPolicyCreate(p, { policies: [] })
      : validateSriovPolicyUpdate(old as SriovNetworkNodePolicy, p, { policies: [] });
  return errors.length === 0
    ? { allowed: true, object: p as KubeObject }
    : {
        allowed: false,
        message: `admission webhook "sriov-policy" denied the request: ${formatFieldErrors(errors)}`,
      };
};

let emulator: ApiServerEmulator | undefined;
let store: KubernetesStore;
let hw: SriovHardware;
let cleanup: () => Promise<void>;
let daemon: SriovConfigDaemon;
let dir = '';
let kubeconfig = '';

const kubectl = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      'kubectl',
      [...args, '--cache-dir', join(dir, 'cache')],
      { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sriovd-k8s-'));
  emulator = await startApiServerEmulator({ admission: admitSriov });
  kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  store = createKubernetesStore({ kubeConfig: emulator.kubeConfig() })._unsafeUnwrap();
  ({ hw, cleanup } = await makeHardware());
  await addNode(store);
  daemon = (
    await startSriovConfigDaemon({
      store,
      nodeName: 'node-1',
      sysfsRoot: hw.sysfsRoot,
      writeAttr: hw.writeAttr,
      resyncMs: 60_000,
    })
  )._unsafeUnwrap();
  await daemon.idle();
});

afterAll(async () => {
  await daemon?.stop();
  await emulator?.close();
  await cleanup?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const state = async (): Promise<SriovNetworkNodeState> =>
  (
    await store.get<SriovNetworkNodeState>({ kind: 'SriovNetworkNodeState', namespace: NS, name: 'node-1' })
  )._unsafeUnwrap();

describe('config daemon over KubernetesStore + emulator', () => {
  it("the seed's policy through the API: the watch wakes the daemon, InProgress -> Succeeded, 8 VFs", async () => {
    const seen: string[] = [];
    let last = (await state()).status?.syncStatus;
    const h = (
      await store.watch<SriovNetworkNodeState>(
        'SriovNetworkNodeState',
        { namespace: NS, resourceVersion: (await state()).metadata.resourceVersion ?? '0' },
        (e) => {
          // A spec-only write repeats the previous status: only changes are recorded.
          if (e.type !== 'MODIFIED' || !e.object.status?.syncStatus) return;
          if (e.object.status.syncStatus !== last) seen.push(e.object.status.syncStatus);
          last = e.object.status.syncStatus;
        },
      )
    )._unsafeUnwrap();
    const { spec } = seedPolicy();
    const created = await store.create<KubeObject & { spec: unknown }>({
      apiVersion: 'sriovnetwork.openshift.io/v1',
      kind: 'SriovNetworkNodePolicy',
      metadata: { name: 'policy1', namespace: NS },
      spec: { ...spec, priority: undefined, isRdma: undefined },
    });
    expect(created.isOk()).toBe(true);
    await until(async () => (await state()).status?.interfaces?.[0]?.numVfs === 8, 10_000);
    await daemon.idle();
    await until(() => seen.at(-1) === 'Succeeded');
    h.close();
    expect(seen).toEqual(['InProgress', 'Succeeded']);
    const st = await state();
    expect(st.status?.syncStatus).toBe('Succeeded');
    expect(st.status?.interfaces?.[0]?.Vfs?.map((v) => v.pciAddress)).toEqual([
      '0000:04:00.2',
      '0000:04:00.3',
      '0000:04:00.4',
      '0000:04:00.5',
      '0000:04:00.6',
      '0000:04:00.7',
      '0000:04:01.0',
      '0000:04:01.1',
    ]);
    // The admission defaults landed in the stored policy.
    const p = (
      await store.get<SriovNetworkNodePolicy>({
        kind: 'SriovNetworkNodePolicy',
        namespace: NS,
        name: 'policy1',
      })
    )._unsafeUnwrap();
    expect(p.spec).toMatchObject({ priority: 99, isRdma: false, deviceType: 'netdevice' });
  });

  it('a bad policy is refused at admission (422/400 with the field path), nothing written', async () => {
    const writes = hw.writes.length;
    const bad = await store.create({ ...seedPolicy('bad', { resourceName: 'sriov-netdevice' }) });
    expect(bad.isErr()).toBe(true);
    expect(JSON.stringify(bad._unsafeUnwrapErr())).toContain('spec.resourceName');
    await daemon.reconcileNow();
    expect(hw.writes).toHaveLength(writes);
  });

  describe.skipIf(skipKubectl)('kubectl', () => {
    it('get sriovnetworknodestates -A prints the state with its columns', async () => {
      const r = await kubectl('get', 'sriovnetworknodestates', '-A');
      expect(r.stderr).toBe('');
      const [header, row] = r.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^NAMESPACE\s+NAME\s+SYNC STATUS\s+PF\s+NUMVFS\s+TOTALVFS\s+AGE$/);
      expect(row?.trim().split(/\s+/).slice(0, 6)).toEqual([
        NS,
        'node-1',
        'Succeeded',
        'enp4s0f0np0',
        '8',
        '8',
      ]);
      const policies = await kubectl('get', 'sriovnetworknodepolicies', '-n', NS);
      expect(policies.stdout).toMatch(/NAME\s+RESOURCE\s+NUMVFS\s+PRIORITY\s+DEVICETYPE\s+AGE/);
      expect(policies.stdout).toMatch(/policy1\s+sriov_netdevice\s+8\s+99\s+netdevice/);
      const json = JSON.parse(
        (await kubectl('get', 'sriovnetworknodestate', 'node-1', '-n', NS, '-o', 'json')).stdout,
      );
      expect(json.status.interfaces[0].Vfs).toHaveLength(8);
    });

    it('kubectl apply of a policy with a "-" in resourceName is denied with the reason', async () => {
      const file = join(dir, 'bad.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: sriovnetwork.openshift.io/v1',
          'kind: SriovNetworkNodePolicy',
          `metadata: {name: bad-policy, namespace: ${NS}}`,
          'spec: {deviceType: netdevice, nodeSelector: {kubernetes.io/os: "linux"}, nicSelector: {pfNames: [enp4s0f0np0]}, numVfs: 8, resourceName: sriov-netdevice}',
          '',
        ].join('\n'),
      );
      const r = await kubectl('apply', '-f', file);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('spec.resourceName: Invalid value: "sriov-netdevice"');
    });
  });
});

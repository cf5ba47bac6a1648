// One test per row of the lifecycle table (reference §3.11); the GC rows (node dies / DEL lost) are E3's.
import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/index.ts';
import { runGcPass } from '../gc/index.ts';
import { createIpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, type PodOptions, pod } from './engineTestKit.ts';
import { bareIP } from './result.ts';

const setup = async () => {
  const w = engineWorld();
  await w.create(
    ipPool('pool', '10.0.0.0/24', { ips: ['10.0.0.10-10.0.0.19'], gateway: '10.0.0.1', default: true }),
  );
  await w.create(ipPool('pool-b', '10.1.0.0/24', { ips: ['10.1.0.10-10.1.0.19'] }));
  const engine = createIpamEngine({ store: w.store, nodeName: 'node-1', ...noSleepRandom(7) });
  const start = async (ns: string, name: string, o: PodOptions = {}) => {
    const p = await w.create(pod(ns, name, o));
    return p.metadata.uid as string;
  };
  const add = async (name: string, ifName = 'eth0') =>
    (await engine.allocate(addReq('default', name, ifName)))._unsafeUnwrap().ips.map((i) => i.address);
  const del = async (name: string, podUid?: string) =>
    (await engine.release({ ...addReq('default', name), ...(podUid ? { podUid } : {}) }))._unsafeUnwrap();
  return { ...w, engine, start, add, del };
};

const sts = (name: string, replicas: number): KubeObject & { spec: { replicas: number } } => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { namespace: 'default', name },
  spec: { replicas },
});
const stsOwner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' };

describe('§3.11 lifecycle', () => {
  it('container restart: no CNI call, nothing changes (a GC pass over the restarted Pod keeps its IP)', async () => {
    const t = await setup();
    await t.start('default', 'a');
    const first = await t.add('a');
    const before = (await t.getPool('pool')).metadata.resourceVersion;
    // kubelet restarts a container: only the Pod status moves (restartCount); no CNI call reaches IPAM.
    const p = (await t.store.get<Pod>({ kind: 'Pod', namespace: 'default', name: 'a' }))._unsafeUnwrap();
    const ip = bareIP(first[0] as string);
    const status = {
      phase: 'Running' as const,
      podIPs: [{ ip }],
      containerStatuses: [{ name: 'app', restartCount: 1, ready: false }],
    };
    (await t.store.updateStatus<Pod>({ ...p, status } as Pod))._unsafeUnwrap();
    const gc = (await runGcPass(t.store, { now: () => new Date('2026-01-01T01:00:00Z') }))._unsafeUnwrap();
    expect(gc.released).toBe(0);
    expect((await t.getPool('pool')).metadata.resourceVersion).toBe(before);
    expect((await t.records('pool')).get(ip)?.pod).toBe('default/a');
    expect(await t.add('a')).toEqual(first);
  });

  it('sandbox re-creation (same UID): DEL ignored while alive, ADD returns the same IP', async () => {
    const t = await setup();
    await t.start('default', 'a');
    const first = await t.add('a');
    await t.del('a');
    expect((await t.records('pool')).size).toBe(1);
    expect(await t.add('a')).toEqual(first);
  });

  it('repeated CNI ADD for a recorded NIC: same answer, no pool write', async () => {
    const t = await setup();
    await t.start('default', 'a');
    const first = await t.add('a');
    const writes = t.engine.stats().writer.writes;
    expect(await t.add('a')).toEqual(first);
    expect(t.engine.stats().writer.writes).toBe(writes);
  });

  it('Deployment pod replaced: new endpoint, lowest free IP; old IP freed by DEL', async () => {
    const t = await setup();
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-5d8f7' };
    const labels = { 'pod-template-hash': '5d8f7' };
    const uidA = await t.start('default', 'app-5d8f7-aaaaa', { owner: rs, labels });
    await t.start('default', 'app-5d8f7-bbbbb', { owner: rs, labels });
    expect(await t.add('app-5d8f7-aaaaa')).toEqual(['10.0.0.10/24']);
    expect(await t.add('app-5d8f7-bbbbb')).toEqual(['10.0.0.11/24']);
    await t.deletePod('default', 'app-5d8f7-aaaaa');
    await t.del('app-5d8f7-aaaaa', uidA);
    expect(await t.endpoint('default', 'app-5d8f7-aaaaa')).toBeUndefined();
    await t.start('default', 'app-5d8f7-ccccc', { owner: rs, labels });
    expect(await t.add('app-5d8f7-ccccc')).toEqual(['10.0.0.10/24']);
    const ep = await t.endpoint('default', 'app-5d8f7-ccccc');
    expect(ep?.status.ownerControllerType).toBe('Deployment');
  });

  it('same-name stateless pod recreated: old endpoint (UID mismatch) deleted, fresh allocation', async () => {
    const t = await setup();
    const old = await t.start('default', 'a');
    await t.add('a');
    await t.deletePod('default', 'a');
    const fresh = await t.start('default', 'a');
    expect(await t.add('a')).toEqual(['10.0.0.11/24']);
    const ep = await t.endpoint('default', 'a');
    expect(ep?.status.current.uid).toBe(fresh);
    // The old Pod's late DEL sees an alive Pod of that name: a no-op; its record is GC's (UID mismatch).
    await t.del('a', old);
    const recs = await t.records('pool');
    expect([...recs.values()].map((r) => r.podUid).sort()).toEqual([old, fresh].sort());
  });

  it('StatefulSet pod recreated: same IPs, records re-bound, endpoint uid/node updated', async () => {
    const t = await setup();
    await t.create(sts('web', 2));
    const old = await t.start('default', 'web-0', { owner: stsOwner });
    expect(await t.add('web-0')).toEqual(['10.0.0.10/24']);
    expect((await t.endpoint('default', 'web-0'))?.metadata.ownerReferences).toBeUndefined();
    await t.deletePod('default', 'web-0');
    await t.del('web-0', old); // still a valid ordinal: kept
    expect((await t.records('pool')).size).toBe(1);
    const fresh = await t.start('default', 'web-0', { owner: stsOwner, node: 'node-2' });
    expect(await t.add('web-0')).toEqual(['10.0.0.10/24']);
    expect((await t.records('pool')).get('10.0.0.10')).toEqual({ pod: 'default/web-0', podUid: fresh });
    expect((await t.endpoint('default', 'web-0'))?.status.current).toMatchObject({
      uid: fresh,
      node: 'node-2',
    });
  });

  it('StatefulSet pod whose candidate pools changed: the NIC is re-allocated', async () => {
    const t = await setup();
    await t.create(sts('web', 1));
    const old = await t.start('default', 'web-0', { owner: stsOwner });
    expect(await t.add('web-0')).toEqual(['10.0.0.10/24']);
    await t.deletePod('default', 'web-0');
    await t.del('web-0', old);
    await t.start('default', 'web-0', {
      owner: stsOwner,
      annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["pool-b"]}' },
    });
    expect(await t.add('web-0')).toEqual(['10.1.0.10/24']);
    expect((await t.records('pool')).size).toBe(0);
    expect((await t.endpoint('default', 'web-0'))?.status.current.ips[0]?.ipv4Pool).toBe('pool-b');
  });

  it('StatefulSet scaled down: DEL deletes the endpoint and frees the IPs', async () => {
    const t = await setup();
    await t.create(sts('web', 2));
    await t.start('default', 'web-0', { owner: stsOwner });
    const uid1 = await t.start('default', 'web-1', { owner: stsOwner });
    await t.add('web-0');
    await t.add('web-1');
    const s = (
      await t.store.get<KubeObject & { spec: { replicas: number } }>({
        kind: 'StatefulSet',
        namespace: 'default',
        name: 'web',
      })
    )._unsafeUnwrap();
    (await t.store.update({ ...s, spec: { replicas: 1 } }))._unsafeUnwrap();
    await t.deletePod('default', 'web-1');
    await t.del('web-1', uid1);
    expect(await t.endpoint('default', 'web-1')).toBeUndefined();
    expect([...(await t.records('pool')).values()].map((r) => r.pod)).toEqual(['default/web-0']);
  });

  it('KubeVirt VM pod restart / migration: endpoint keyed by VMI name, same IPs while the VMI lives', async () => {
    const t = await setup();
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vm1' };
    await t.create({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { namespace: 'default', name: 'vm1' },
    });
    const oldUid = await t.start('default', 'virt-launcher-vm1-abcde', { owner: vmi });
    expect(await t.add('virt-launcher-vm1-abcde')).toEqual(['10.0.0.10/24']);
    const ep = await t.endpoint('default', 'vm1');
    expect(ep?.status.ownerControllerType).toBe('VirtualMachineInstance');
    expect((await t.records('pool')).get('10.0.0.10')?.pod).toBe('default/vm1');
    await t.deletePod('default', 'virt-launcher-vm1-abcde');
    await t.del('virt-launcher-vm1-abcde', oldUid);
    const fresh = await t.start('default', 'virt-launcher-vm1-fghij', { owner: vmi, node: 'node-2' });
    expect(await t.add('virt-launcher-vm1-fghij')).toEqual(['10.0.0.10/24']);
    expect((await t.records('pool')).get('10.0.0.10')?.podUid).toBe(fresh);
  });

  it('KubeVirt live migration: the target pod takes the VMI IPs, the source pod DEL keeps them', async () => {
    const t = await setup();
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vm2' };
    await t.create({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { namespace: 'default', name: 'vm2' },
    });
    const source = await t.start('default', 'virt-launcher-vm2-src', { owner: vmi });
    expect(await t.add('virt-launcher-vm2-src')).toEqual(['10.0.0.10/24']);
    const target = await t.start('default', 'virt-launcher-vm2-dst', { owner: vmi, node: 'node-2' });
    expect(await t.add('virt-launcher-vm2-dst')).toEqual(['10.0.0.10/24']);
    await t.deletePod('default', 'virt-launcher-vm2-src');
    await t.del('virt-launcher-vm2-src', source);
    expect((await t.records('pool')).get('10.0.0.10')).toEqual({ pod: 'default/vm2', podUid: target });
    expect((await t.endpoint('default', 'vm2'))?.status.current).toMatchObject({
      uid: target,
      node: 'node-2',
    });
  });

  it('KubeVirt VM deleted: DEL of the last pod frees the IPs and the endpoint', async () => {
    const t = await setup();
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vm3' };
    const uid = await t.start('default', 'virt-launcher-vm3-a', { owner: vmi });
    await t.add('virt-launcher-vm3-a');
    await t.deletePod('default', 'virt-launcher-vm3-a');
    await t.del('virt-launcher-vm3-a', uid);
    expect((await t.records('pool')).size).toBe(0);
    expect(await t.endpoint('default', 'vm3')).toBeUndefined();
  });

  it('pod deleted normally: DEL frees every NIC IP (podUid must match) and removes the endpoint', async () => {
    const t = await setup();
    const uid = await t.start('default', 'a', {
      annotations: {
        'ipam.spidernet.io/ippools':
          '[{"interface":"eth0","ipv4":["pool"]},{"interface":"net1","ipv4":["pool-b"]}]',
      },
    });
    await t.add('a');
    await t.deletePod('default', 'a');
    await t.del('a', 'someone-else');
    expect((await t.records('pool')).size).toBe(1);
    await t.del('a', uid);
    expect((await t.records('pool')).size).toBe(0);
    expect((await t.records('pool-b')).size).toBe(0);
    expect((await t.getPool('pool')).status?.allocatedIPCount).toBe(0);
    expect((await t.getPool('pool')).status?.allocatedIPs).toBeUndefined();
    expect(await t.endpoint('default', 'a')).toBeUndefined();
  });

  it('DEL while the Pod is terminating (kubelet tears the sandbox down): IPs freed by the Pod UID', async () => {
    const t = await setup();
    const p = pod('default', 'term');
    p.metadata.finalizers = ['test/hold'];
    await t.create(p);
    await t.add('term');
    expect(
      (await t.store.delete({ kind: 'Pod', namespace: 'default', name: 'term' }))._unsafeUnwrap().deleted,
    ).toBe(false);
    await t.del('term');
    expect((await t.records('pool')).size).toBe(0);
    expect(await t.endpoint('default', 'term')).toBeUndefined();
  });

  it('IP conflict detected at ADD: releaseIPs frees, the retried ADD gets the same lowest IP again', async () => {
    const t = await setup();
    await t.start('default', 'a');
    expect(await t.add('a')).toEqual(['10.0.0.10/24']);
    (await t.engine.releaseIPs(addReq('default', 'a')))._unsafeUnwrap();
    expect((await t.records('pool')).size).toBe(0);
    expect(await t.add('a')).toEqual(['10.0.0.10/24']);
  });

  it('DEL of a Pod with no known UID is left to GC', async () => {
    const t = await setup();
    await t.start('default', 'a');
    await t.add('a');
    await t.deletePod('default', 'a');
    await t.del('a');
    expect((await t.records('pool')).size).toBe(1);
  });
});

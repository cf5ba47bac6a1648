// After the walkthrough: why a Pod gets no IP (explain), a replaced Pod, and a node that dies (GC).
import { gcReasonMessage, type Pod, runGcPass, type SpiderIPPool } from '@spiderpool-ts/core';
import { deletePod, runSandbox } from './kubelet.ts';
import { deploymentPod } from './manifests.ts';
import type { Printer } from './printer.ts';
import { RS, type SeedState, settle } from './seedSteps.ts';
import { getPools } from './tables.ts';

const poolCount = async (s: SeedState): Promise<number | undefined> => {
  await settle(s);
  const r = await s.cluster.store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'ippool-test' });
  return r.isOk() ? r.value.status?.allocatedIPCount : undefined;
};

export const explainStep = async (p: Printer, s: SeedState): Promise<boolean> => {
  p.step('a Pod attached to another NAD: spiderpool-ts explain');
  const pod = await s.cluster.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace: 'default',
      name: 'macvlan-client',
      annotations: { 'v1.multus-cni.io/default-network': 'kube-system/macvlan-test' },
    },
    spec: { nodeName: 'worker-12' },
    status: { phase: 'Pending' },
  });
  const r = await runSandbox(s.cluster, s.agents, pod, s.ipamConfig);
  p.info(`CNI ADD fails: ${r.ok ? 'it succeeded (unexpected)' : r.error}`);
  const ex = await s.agents.on('worker-12').explain('default', 'macvlan-client', 'eth0', s.ipamConfig);
  if (ex.isErr()) return p.fail(ex.error.message);
  for (const nic of ex.value.nics) {
    for (const v of nic.versions) {
      p.info(
        `${nic.nic} IPv${v.version} (candidates from ${nic.source}): usable [${v.pools.map((x) => x.pool).join(', ')}]`,
      );
      for (const d of v.dropped) p.info(`  dropped ${d.pool}: ${d.reason._tag} - ${d.message}`);
    }
  }
  const dropped = ex.value.nics[0]?.versions[0]?.dropped[0];
  if (r.ok || dropped?.reason._tag !== 'MultusNameMismatch')
    return p.fail('expected ippool-test dropped for multusName');
  await s.cluster.deletePod({ kind: 'Pod', namespace: 'default', name: 'macvlan-client' });
  p.ok('explain names the pool and the rule that dropped it');
  return true;
};

export const replaceStep = async (p: Printer, s: SeedState): Promise<boolean> => {
  p.step('sandbox restart, then kubectl delete pod: the ReplicaSet replacement takes the lowest free IP');
  const [first] = s.pods;
  if (!first) return p.fail('no pod');
  const again = await runSandbox(s.cluster, s.agents, first, s.ipamConfig);
  if (!again.ok || again.result.ips[0]?.address !== '10.20.168.190/16')
    return p.fail('repeat ADD changed the IP');
  p.ok(`repeat CNI ADD of ${first.metadata.name} (same UID) answers the recorded 10.20.168.190/16`);
  const delErr = await deletePod(s.cluster, s.agents, first, { cniDel: true, ipamConfig: s.ipamConfig });
  if (delErr !== undefined) return p.fail(delErr);
  p.ok(`${first.metadata.name} deleted, CNI DEL freed its IP: ippool-test ${await poolCount(s)} allocated`);
  const fresh = await s.cluster.create(
    deploymentPod('default', RS, 'k2x7q', {
      nodeName: 'master-11',
      annotations: { 'v1.multus-cni.io/default-network': 'kube-system/sriov-test' },
      labels: { app: 'sriov-deploy' },
    }),
  );
  const r = await runSandbox(s.cluster, s.agents, fresh, s.ipamConfig);
  if (!r.ok) return p.fail(r.error);
  p.ok(`replacement ${fresh.metadata.name}: ${r.result.ips[0]?.address} (lowest free, as Spiderpool picks)`);
  s.pods = [fresh, ...s.pods.slice(1)];
  return r.result.ips[0]?.address === '10.20.168.190/16';
};

export const gcStep = async (p: Printer, s: SeedState): Promise<boolean> => {
  p.step('node worker-12 dies: its Pod is force-deleted, no CNI DEL ever runs; garbage collection');
  const lost = s.pods.find((x) => x.spec?.nodeName === 'worker-12');
  if (!lost) return p.fail('no pod on worker-12');
  await deletePod(s.cluster, s.agents, lost, { cniDel: false, ipamConfig: s.ipamConfig });
  p.info(`${lost.metadata.name} is gone; ippool-test still records ${await poolCount(s)} IPs (one leaked)`);
  const report = await runGcPass(s.cluster.store, { now: () => new Date() });
  if (report.isErr()) return p.fail(report.error.message);
  for (const e of report.value.entries.filter((x) => x.outcome !== 'kept')) {
    p.info(`gc: ${e.pool} ${e.ip} (${e.pod}): ${e.outcome} - ${gcReasonMessage(e.reason)}`);
  }
  p.ok(
    `gc pass: scanned ${report.value.scanned}, released ${report.value.released}, endpoints deleted ${report.value.endpointsDeleted}`,
  );
  const count = await poolCount(s);
  await getPools(p, s.cluster.store);
  return count === 1 || p.fail(`expected 1 allocated IP after GC, got ${count}`);
};

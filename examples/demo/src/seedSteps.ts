// The seed walkthrough (shared/seed: SR-IOV + Multus + Spiderpool), step by step, on the embedded store.
// Each step prints what a user would type and see, checks the outcome the walkthrough shows, and returns
// false when it differs (so the demo doubles as an end-to-end check).
import {
  type ControllersHandle,
  defaultCoordinator,
  formatFieldErrors,
  generateNetAttachDef,
  type IpamCniConfig,
  type NetworkAttachmentDefinition,
  type Pod,
  runControllers,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderCoordinator,
  validateCoordinatorCreate,
} from '@spiderpool-ts/core';
import { nodeSleep } from '@spiderpool-ts/k8s';
import type { Cluster } from './cluster.ts';
import { type Agents, runSandbox, startAgents } from './kubelet.ts';
import { deploymentPod, namespace, node, type ReplicaSetRef, spiderPool } from './manifests.ts';
import { ipamConfigOf } from './nadConfig.ts';
import type { Printer } from './printer.ts';
import { getEndpoints, getPods, getPools } from './tables.ts';

export const NODES = ['master-11', 'worker-12'] as const;
export const SRIOV_NAD = 'kube-system/sriov-test';
/** Spiderpool's NAD config for the seed SMC (reference §4), the string a cluster diff would compare. */
export const SPIDERPOOL_SRIOV_TEST_CONFIG =
  '{"cniVersion":"0.3.1","name":"sriov-test","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}';
/** The same on an API server: it re-applies the CRD default `txQueueLen: 0` to spec.coordinator (§4). */
export const SPIDERPOOL_SRIOV_TEST_CONFIG_APISERVER =
  '{"cniVersion":"0.3.1","name":"sriov-test","plugins":[{"vlan":0,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},{"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}';
export const RS: ReplicaSetRef = {
  name: 'sriov-deploy-9b4b9f6d9',
  uid: 'rs-sriov-deploy-uid',
  hash: '9b4b9f6d9',
};

export interface SeedState {
  cluster: Cluster;
  agents: Agents;
  controllers: ControllersHandle;
  ipamConfig: IpamCniConfig;
  pods: Pod[];
}

/** Prints a failure; for steps whose success value is an object. */
const stop = (p: Printer, line: string): undefined => {
  p.fail(line);
  return undefined;
};

/** Lets watch events land, then waits for the pool/subnet controllers to go idle. */
export const settle = async (s: { cluster: Cluster; controllers: ControllersHandle }): Promise<void> => {
  await new Promise((r) => setTimeout(r, s.cluster.settleMs));
  await s.controllers.idle();
};

export const installStep = async (
  p: Printer,
  cluster: Cluster,
  signal: AbortSignal,
): Promise<ControllersHandle | undefined> => {
  p.step('helm install spiderpool (embedded): namespaces, nodes, SpiderCoordinator, controllers');
  for (const ns of ['kube-system', 'default']) await cluster.ensure(namespace(ns));
  for (const n of NODES) await cluster.ensure(node(n));
  const coordinator = defaultCoordinator({
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderCoordinator',
    metadata: { name: 'default' },
    spec: { podCIDRType: 'auto' },
  } as SpiderCoordinator);
  const errors = validateCoordinatorCreate(coordinator);
  if (errors.length > 0) return stop(p, `SpiderCoordinator default: ${formatFieldErrors(errors)}`);
  await cluster.create(coordinator);
  p.ok(
    `SpiderCoordinator default: mode ${coordinator.spec.mode}, podCIDRType ${coordinator.spec.podCIDRType}`,
  );
  // nodeSleep: a dropped watch is resumed with backoff (and reported) instead of retried at once
  const handle = await runControllers(cluster.store, { signal, sleep: nodeSleep });
  if (handle.isErr()) return stop(p, `controllers: ${handle.error.message}`);
  p.ok(`nodes ${NODES.join(', ')}; IPPool/Subnet status controllers watching`);
  return handle.value;
};

export const poolStep = async (p: Printer, cluster: Cluster): Promise<boolean> => {
  p.step('kubectl apply -f ippool-test.yaml (SpiderIPPool through the webhooks)');
  const denied = await cluster.applyPool(
    spiderPool('ippool-test', {
      default: true,
      ips: ['10.20.168.190-10.20.168.199'],
      subnet: '10.20.0.0/16',
      gateway: '10.20.0.1',
      multusName: [SRIOV_NAD],
    }),
  );
  if (denied !== undefined) return p.fail(denied);
  p.ok('spiderippool.spiderpool.spidernet.io/ippool-test created');
  const bad = await cluster.applyPool(
    spiderPool('bad-pool', { ips: ['10.20.0.1-10.20.0.9'], subnet: '10.20.0.0/16', gateway: '10.20.0.1' }),
  );
  p.info(`a pool whose gateway lies in its ips is refused: ${bad ?? 'accepted (unexpected)'}`);
  return bad !== undefined;
};

export const multusStep = async (p: Printer, cluster: Cluster): Promise<IpamCniConfig | undefined> => {
  p.step('kubectl apply -f sriov-test.yaml (SpiderMultusConfig -> NetworkAttachmentDefinition)');
  const denied = await cluster.applyMultusConfig({
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderMultusConfig',
    metadata: { name: 'sriov-test', namespace: 'kube-system' },
    spec: { cniType: 'sriov', sriov: { resourceName: 'spidernet.io/sriov_netdevice' } },
  });
  if (denied !== undefined) return stop(p, denied);
  const smc = await cluster.store.get({
    kind: 'SpiderMultusConfig',
    namespace: 'kube-system',
    name: 'sriov-test',
  });
  if (smc.isErr()) return stop(p, smc.error.message);
  const nad = generateNetAttachDef(smc.value as Parameters<typeof generateNetAttachDef>[0]);
  if (nad.isErr()) return stop(p, nad.error.message);
  const created: NetworkAttachmentDefinition = await cluster.create(nad.value);
  const config = created.spec?.config ?? '';
  p.ok(
    `network-attachment-definition kube-system/sriov-test, resourceName ${created.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName']}`,
  );
  p.info(`spec.config ${config}`);
  const want = cluster.remote ? SPIDERPOOL_SRIOV_TEST_CONFIG_APISERVER : SPIDERPOOL_SRIOV_TEST_CONFIG;
  if (config !== want) return stop(p, "config differs from Spiderpool's output");
  p.ok(
    `byte-identical to Spiderpool's generated config${cluster.remote ? ' (with the CRD default txQueueLen 0 the API server adds, as on a real cluster)' : ''}`,
  );
  const ipam = ipamConfigOf(created);
  return ipam ?? stop(p, 'the NAD has no spiderpool ipam section');
};

export const deployStep = async (p: Printer, cluster: Cluster): Promise<Pod[]> => {
  p.step(
    'kubectl create -f sriov-deploy.yaml (Deployment sriov-deploy, 2 replicas, default-network sriov-test)',
  );
  await cluster.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace: 'default', name: 'sriov-deploy', uid: 'deploy-uid' },
  });
  await cluster.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      namespace: 'default',
      name: RS.name,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'sriov-deploy',
          uid: 'deploy-uid',
          controller: true,
        },
      ],
    },
  });
  const annotations = { 'v1.multus-cni.io/default-network': SRIOV_NAD };
  const pods: Pod[] = [];
  for (const [suffix, nodeName] of [
    ['xfsvj', 'master-11'],
    ['mmpsm', 'worker-12'],
  ] as const) {
    pods.push(
      await cluster.create(
        deploymentPod('default', RS, suffix, { nodeName, annotations, labels: { app: 'sriov-deploy' } }),
      ),
    );
  }
  p.ok(`pods ${pods.map((x) => `${x.metadata.name} -> ${x.spec?.nodeName}`).join(', ')} scheduled`);
  return pods;
};

export const sandboxStep = async (p: Printer, s: SeedState): Promise<boolean> => {
  p.step('kubelet -> multus -> sriov CNI -> spiderpool IPAM: CNI ADD eth0 on each node');
  for (const pod of s.pods) {
    const r = await runSandbox(s.cluster, s.agents, pod, s.ipamConfig);
    if (!r.ok) return p.fail(`${pod.metadata.name}: ${r.error}`);
    const ip = r.result.ips[0];
    p.ok(
      `${pod.metadata.name}: ${ip?.address} from ${ip?.pool}, routes ${r.result.routes.map((x) => `${x.dst} via ${x.gw}`).join(', ')}`,
    );
  }
  await settle(s);
  const pods = await getPods(p, s.cluster.store, 'app=sriov-deploy');
  const pools = await getPools(p, s.cluster.store);
  const eps = await getEndpoints(p, s.cluster.store);
  const pool = pools.find((x) => x.metadata.name === 'ippool-test');
  const want = new Set(['10.20.168.190/16', '10.20.168.191/16']);
  const got = new Set(eps.map((e) => e.status.current.ips[0]?.ipv4 ?? ''));
  if (pool?.status?.allocatedIPCount !== 2 || pool.status.totalIPCount !== 10) {
    return p.fail(
      `ippool-test shows ${pool?.status?.allocatedIPCount}/${pool?.status?.totalIPCount}, expected 2/10`,
    );
  }
  if (pods.length !== 2 || eps.length !== 2 || [...want].some((ip) => !got.has(ip))) {
    return p.fail(`expected two endpoints with ${[...want].join(' and ')}, got ${[...got].join(', ')}`);
  }
  p.ok(
    'as in the walkthrough: 10.20.168.190/16 and 10.20.168.191/16, ippool-test 2 of 10 allocated, 2 SpiderEndpoints',
  );
  return true;
};

export const startSeed = async (
  p: Printer,
  cluster: Cluster,
  signal: AbortSignal,
): Promise<SeedState | undefined> => {
  const controllers = await installStep(p, cluster, signal);
  if (!controllers || !(await poolStep(p, cluster))) return undefined;
  const ipamConfig = await multusStep(p, cluster);
  if (!ipamConfig) return undefined;
  const pods = await deployStep(p, cluster);
  return { cluster, agents: startAgents(cluster, NODES), controllers, ipamConfig, pods };
};

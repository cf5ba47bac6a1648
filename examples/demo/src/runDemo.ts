// The seed walkthrough, step by step, on the real components (see ../README.md and ADR 0024 for what is
// REAL and what is a TEST DOUBLE). Every step checks its outcome against what the seed shows; the first
// that differs stops the run (false). Everything started is registered with `cleanup`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  KubeObject,
  NetworkAttachmentDefinition,
  SriovNetworkNodeState,
  Store,
} from '@spiderpool-ts/core';
import { hasIptables, httpGetFrom, sh, startKubeProxy, startPodServer } from '@spiderpool-ts/node/testing';
import type { Cleanup } from './cleanup.ts';
import { spawnAgent, spawnConfigDaemon, spawnDevicePlugin, spawnOperator } from './components.ts';
import { type ControlPlane, startControlPlane } from './controlPlane.ts';
import { type Kubectl, kubectlFor, kubectlMissing } from './kubectl.ts';
import {
  CLUSTER_IP,
  nodeObject,
  SEED_NODES,
  SEED_RESOURCE,
  SRIOV_NS,
  seedDeployment,
  seedMultusConfig,
  seedPolicy,
  seedPool,
  seedService,
  writeManifest,
} from './manifests.ts';
import { type DemoNodes, kernelMissing, startNodes } from './nodes.ts';
import type { Printer } from './printer.ts';
import { type Proc, tail } from './processes.ts';
import { endpointView, nodeStateView, podView, poolView, showView } from './views.ts';
import { SEED_PODS, type StartedPod, scheduleSeedPods, startPod } from './workloads.ts';

export interface DemoContext {
  p: Printer;
  dir: string;
  cleanup: Cleanup;
}

export interface DemoOutcome {
  ok: boolean;
  kubeconfig?: string;
  /** Pod netns names (as root), for the --keep hint. */
  podNetns: string[];
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};

const until = async (pred: () => Promise<boolean> | boolean, ms: number, every = 50): Promise<boolean> => {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, every));
  }
};

const started = (p: Printer, cleanup: Cleanup, proc: Proc): Proc => {
  cleanup.add(`stop ${proc.name} (pid ${proc.pid})`, () => proc.stop());
  p.info(`started ${proc.name}: pid ${proc.pid}`);
  return proc;
};

/** `kubectl apply|create -f file`, or without kubectl the same objects through the API. */
const apply = async (
  p: Printer,
  kubectl: Kubectl | undefined,
  store: Store,
  verb: 'apply' | 'create',
  file: string,
  objects: readonly KubeObject[],
): Promise<{ ok: boolean; stderr: string }> => {
  if (kubectl) {
    p.info(`$ kubectl ${verb} -f ${file}`);
    const r = await kubectl.run([verb, '-f', file]);
    if (r.stdout.trim() !== '') p.out(r.stdout);
    if (r.code !== 0 && r.stderr.trim() !== '') p.out(r.stderr);
    return { ok: r.code === 0, stderr: r.stderr };
  }
  for (const o of objects) {
    const r = await store.create(o);
    if (r.isErr()) {
      p.info(`create ${o.kind}/${o.metadata.name}: ${r.error.message}`);
      return { ok: false, stderr: r.error.message };
    }
    p.info(`created ${o.kind}/${o.metadata.name} (through the API; kubectl missing)`);
  }
  return { ok: true, stderr: '' };
};

const nodeState = async (store: Store, name: string): Promise<SriovNetworkNodeState | undefined> => {
  const r = await store.get<SriovNetworkNodeState>({
    kind: 'SriovNetworkNodeState',
    namespace: SRIOV_NS,
    name,
  });
  return r.isOk() ? r.value : undefined;
};

export const runDemo = async ({ p, dir, cleanup }: DemoContext): Promise<DemoOutcome> => {
  const out: DemoOutcome = { ok: false, podNetns: [] };
  const stop = (why: string): DemoOutcome => {
    p.fail(why);
    return out;
  };
  const noKubectl = await kubectlMissing();
  const noKernel =
    kernelMissing() ??
    (hasIptables() ? undefined : 'iptables not installed (the kube-proxy stand-in needs it)') ??
    (sh(['ping', '-V']).code === 0 ? undefined : 'ping not installed (iputils-ping)');
  const manifests = join(dir, 'manifests');
  sh(['mkdir', '-p', manifests]);

  // 1-2: the control plane.
  p.step('TEST DOUBLE', 'the API server: the emulator of @spiderpool-ts/k8s/testing on 127.0.0.1', [
    'kube-apiserver + etcd: in memory, same REST paths, watch, CRD schemas and printer columns, admission',
  ]);
  let cp: ControlPlane;
  try {
    cp = await startControlPlane(dir);
  } catch (e) {
    return stop(`the control plane did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  cleanup.add('the API-server emulator and the webhook server', () => cp.close());
  const store = cp.store;
  out.kubeconfig = cp.kubeconfig;
  p.ok(`serving ${cp.emulator.url}; kubeconfig ${cp.kubeconfig}`);
  p.info(
    'installed as helm would: namespaces kube-system, default, sriov-network-operator; SpiderCoordinator default',
  );
  const kubectl = noKubectl === undefined ? kubectlFor(cp.kubeconfig, dir) : undefined;
  if (noKubectl)
    p.skip(`${noKubectl}: objects are applied through the API and their key fields printed instead`);

  p.step('REAL', "the admission webhook server (Spiderpool's webhooks, HTTPS), called by the API server");
  p.ok(
    `${cp.webhooks.url}: ${cp.webhooks.paths.length} review paths, registered as MutatingWebhookConfiguration and ValidatingWebhookConfiguration spiderpool-controller`,
  );
  if (kubectl) {
    const r = await kubectl.run(['get', 'mutatingwebhookconfigurations,validatingwebhookconfigurations']);
    p.out(r.stdout);
  }

  // Start the operator now, check it later: its controllers take a few seconds to sync.
  p.step(
    'REAL',
    'the sample operator as its own process (NAD, pool status and SpiderCoordinator controllers, GC)',
  );
  const operator = started(p, cleanup, spawnOperator(cp.kubeconfig));
  p.ok(`started, pid ${operator.pid} (examples/sample-operator/dist/operator.js; it leads through a Lease)`);

  // 3: nodes.
  p.step('TEST DOUBLE', 'kubelet registers the nodes master-11 and worker-12', [
    "kubelet: registers its Node; its device manager (real gRPC) runs here, in the demo's process",
  ]);
  for (const n of SEED_NODES) {
    const node = nodeObject(n);
    const r = await store
      .create(node)
      .andThen((created) => store.updateStatus({ ...created, status: node.status }));
    if (r.isErr()) return stop(`register Node ${n}: ${r.error.message}`);
  }
  if (kubectl) {
    const args = ['label', 'node', ...SEED_NODES, 'node-role.kubernetes.io/worker='];
    p.info(`$ kubectl ${args.join(' ')}   (the seed labels the nodes that run SR-IOV)`);
    const r = await kubectl.run(args);
    p.out(r.stdout || r.stderr);
    if (r.code !== 0) return stop('kubectl label failed');
  }

  p.step('TEST DOUBLE', "the hardware: per node a fake sysfs with the seed's PF enp4s0f0np0", [
    'the NIC and its driver: mlx5_core 15b3:1017 at 0000:04:00.0, totalvfs 8; a sriov_numvfs write makes VFs',
    ...(noKernel
      ? []
      : ['the underlay and the nodes: a switch netns (gateway 10.20.0.1) and one netns per node']),
  ]);
  let nodes: DemoNodes;
  try {
    nodes = await startNodes(dir, store, cleanup, noKernel);
  } catch (e) {
    return stop(`node setup: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const n of nodes.nodes)
    p.ok(
      `${n.name}: ${n.sysfs}${n.net ? `; netns ${n.net.netns} with the PF stand-in ${n.net.pf} (${n.net.ip})` : ''}`,
    );
  if (noKernel) p.skip(`kernel steps (netns, VF stand-in links, ping, HTTP): ${noKernel}`);

  // 5-6: the config daemons, the policy.
  p.step(
    'REAL',
    'the SR-IOV node config daemon per node (bin/sriov-config-daemon) renders SriovNetworkNodeState',
  );
  const daemons = nodes.nodes.map((n) => started(p, cleanup, spawnConfigDaemon(n, cp.kubeconfig)));
  const rendered = await until(async () => {
    for (const n of SEED_NODES)
      if ((await nodeState(store, n))?.status?.syncStatus !== 'Succeeded') return false;
    return true;
  }, 20_000);
  if (!rendered)
    return stop(`no Succeeded node state within 20 s\n${daemons.map((d) => tail(d)).join('\n')}`);
  if (!(await showView(p, nodeStateView('0'), kubectl, store))) return out;

  p.step('REAL', "the seed's SriovNetworkNodePolicy policy1 (numVfs 8): the daemons create the VFs");
  const policyFile = writeManifest(manifests, 'sriov-policy.yaml', [seedPolicy()]);
  if (!(await apply(p, kubectl, store, 'apply', policyFile, [seedPolicy()])).ok)
    return stop('the policy was not accepted');
  const eight = await until(async () => {
    for (const n of SEED_NODES) {
      const s = await nodeState(store, n);
      if (s?.status?.syncStatus !== 'Succeeded' || s.status.interfaces?.[0]?.Vfs?.length !== 8) return false;
    }
    return true;
  }, 30_000);
  if (!eight) return stop(`the VFs did not appear within 30 s\n${daemons.map((d) => tail(d)).join('\n')}`);
  if (!(await showView(p, nodeStateView('8'), kubectl, store))) return out;
  const vfs =
    (await nodeState(store, 'master-11'))?.status?.interfaces?.[0]?.Vfs?.map(
      (v) => `${v.pciAddress} (${v.name ?? '-'}, ${v.vendor ?? ''}:${v.deviceID ?? ''})`,
    ) ?? [];
  p.info(`master-11 status.interfaces[0].Vfs: ${vfs.join(', ')}`);
  for (const n of nodes.nodes)
    if (n.net) {
      const links = sh(['ip', '-n', n.net.netns, '-br', 'link', 'show'])
        .out.split('\n')
        .filter((l) => /enp4s0f0v\d/.test(l));
      if (links.length !== 8) return stop(`${n.name}: ${links.length} VF stand-in links, want 8`);
      p.ok(`${n.name}: 8 VF stand-in links (macvlan on ${n.net.pf}) in its netns`);
    }

  // 7: device plugins.
  p.step('REAL', 'the SR-IOV device plugin per node registers spidernet.io/sriov_netdevice with kubelet', [
    "kubelet's device manager: the kubelet stand-in (Registration, ListAndWatch, Allocate over real gRPC)",
  ]);
  nodes.nodes.map((n) => started(p, cleanup, spawnDevicePlugin(n)));
  const allocatable = await until(
    () => nodes.nodes.every((n) => n.kubelet.resources()[SEED_RESOURCE]?.allocatable === 8),
    20_000,
  );
  if (!allocatable) return stop('the device plugins did not report 8 healthy VFs within 20 s');
  for (const n of nodes.nodes) await n.kubelet.idle();
  for (const name of SEED_NODES) {
    let alloc: Json;
    if (kubectl) {
      const args = ['get', 'node', name, '-o', 'jsonpath={.status.allocatable}'];
      p.info(`$ kubectl ${args.join(' ')}`);
      const r = await kubectl.run(args);
      if (r.code !== 0) return stop(r.stderr);
      alloc = rec(JSON.parse(r.stdout || '{}'));
      p.out(JSON.stringify(alloc, null, 2));
    } else {
      const r = await store.get({ kind: 'Node', name });
      alloc = rec(rec(r.isOk() ? (r.value as KubeObject & Json).status : undefined).allocatable);
      p.info(`Node ${name} status.allocatable: ${JSON.stringify(alloc)}`);
    }
    if (alloc[SEED_RESOURCE] !== '8')
      return stop(
        `${name}: allocatable ${SEED_RESOURCE} is ${String(alloc[SEED_RESOURCE])}, the seed shows "8"`,
      );
    p.ok(`${name}: "${SEED_RESOURCE}": "8"`);
  }

  // 8: agents; the operator is up by now.
  p.step('REAL', 'the spiderpool agent per node (bin/spiderpool-agent: IPAM on a unix socket, over the API)');
  const agents = nodes.nodes.map((n) => started(p, cleanup, spawnAgent(n, cp.kubeconfig)));
  for (const a of agents)
    if (!(await a.waitFor(/agent ready/, 30_000))) return stop(`${a.name} not ready within 30 s\n${tail(a)}`);
  p.ok(`ready: ${nodes.nodes.map((n) => n.agentSocket).join(', ')}`);
  if (!(await operator.waitFor(/NAD controller started/, 45_000)))
    return stop(`the operator did not start its controllers within 45 s\n${tail(operator)}`);
  p.ok(`the operator leads and runs its controllers (pid ${operator.pid})`);

  // 9: the pool and the SpiderMultusConfig.
  p.step(
    'REAL',
    "the seed's SpiderIPPool and SpiderMultusConfig, through the webhooks; the operator writes the NAD",
  );
  const scalarFile = writeManifest(manifests, 'ippool-test.seed.yaml', [seedPool('scalar')]);
  const scalar = await apply(p, kubectl, store, 'apply', scalarFile, [seedPool('scalar')]);
  if (scalar.ok) return stop("the seed's scalar multusName was accepted; the CRD types it as a list");
  p.info(
    'refused, as a real API server refuses it: the seed writes `multusName: kube-system/sriov-test` (a scalar),',
  );
  p.info(
    'but the SpiderIPPool CRD types spec.multusName as a list of strings. The seed meant a one-item list:',
  );
  const poolFile = writeManifest(manifests, 'ippool-test.yaml', [seedPool('list')]);
  if (!(await apply(p, kubectl, store, 'apply', poolFile, [seedPool('list')])).ok)
    return stop('the pool was refused');
  const smcFile = writeManifest(manifests, 'sriov-test.yaml', [seedMultusConfig()]);
  if (!(await apply(p, kubectl, store, 'apply', smcFile, [seedMultusConfig()])).ok)
    return stop('the SpiderMultusConfig was refused');
  let nad: NetworkAttachmentDefinition | undefined;
  await until(async () => {
    const r = await store.get<NetworkAttachmentDefinition>({
      kind: 'NetworkAttachmentDefinition',
      namespace: 'kube-system',
      name: 'sriov-test',
    });
    nad = r.isOk() ? r.value : undefined;
    return nad !== undefined;
  }, 20_000);
  if (nad === undefined)
    return stop(`the operator wrote no NAD kube-system/sriov-test within 20 s\n${tail(operator)}`);
  if (kubectl) {
    const args = [
      'get',
      'network-attachment-definitions',
      '-n',
      'kube-system',
      'sriov-test',
      '-o',
      'jsonpath={.spec.config}',
    ];
    p.info(`$ kubectl ${args.join(' ')}`);
    const r = await kubectl.run(args);
    p.out(JSON.stringify(JSON.parse(r.stdout || '{}'), null, 2));
  }
  const conf = rec(JSON.parse(nad.spec?.config ?? '{}'));
  const types = (Array.isArray(conf.plugins) ? conf.plugins : []).map((x) => String(rec(x).type));
  const resAnn = nad.metadata.annotations?.['k8s.v1.cni.cncf.io/resourceName'];
  if (types.join(',') !== 'sriov,coordinator' || resAnn !== SEED_RESOURCE)
    return stop(
      `NAD plugins [${types.join(', ')}], resourceName ${String(resAnn)}; want [sriov, coordinator] and ${SEED_RESOURCE}`,
    );
  p.ok(
    `NAD kube-system/sriov-test by the operator: plugins sriov (IPAM spiderpool) -> coordinator, resourceName ${resAnn}`,
  );
  const synced = await until(async () => {
    const r = await store.get({ kind: 'SpiderCoordinator', name: 'default' });
    return r.isOk() && rec((r.value as KubeObject & Json).status).phase === 'Synced';
  }, 20_000);
  if (!synced) return stop(`SpiderCoordinator default not Synced within 20 s\n${tail(operator)}`);
  p.ok('SpiderCoordinator default: Synced by the operator (service CIDR 10.43.0.0/16 from kubeadm-config)');

  // 10-11: the Deployment and the Service.
  p.step('REAL', "the seed's Deployment sriov-deploy (2 replicas, 1 VF each) and Service sriov-deploy-svc");
  const deployFile = writeManifest(manifests, 'sriov-deploy.yaml', [seedDeployment(), seedService()]);
  if (!(await apply(p, kubectl, store, 'create', deployFile, [seedDeployment(), seedService()])).ok)
    return stop('kubectl create failed');
  const svc = await store.get<KubeObject & Json>({
    kind: 'Service',
    namespace: 'default',
    name: 'sriov-deploy-svc',
  });
  if (svc.isErr()) return stop(`read the Service: ${svc.error.message}`);
  const withIp = await store.update<KubeObject & Json>({
    ...svc.value,
    spec: { ...rec(svc.value.spec), clusterIP: CLUSTER_IP, clusterIPs: [CLUSTER_IP] },
  });
  if (withIp.isErr()) return stop(`set the ClusterIP: ${withIp.error.message}`);
  p.info(
    `(test double) the API server's ClusterIP allocator: the emulator has none; the seed's ${CLUSTER_IP} is set`,
  );
  if (kubectl) {
    const args = [
      'get',
      'services',
      'sriov-deploy-svc',
      '-o',
      'custom-columns=NAME:.metadata.name,TYPE:.spec.type,CLUSTER-IP:.spec.clusterIP,PORT(S):.spec.ports[0].port',
    ];
    p.info(`$ kubectl ${args.join(' ')}`);
    const r = await kubectl.run(args);
    p.out(r.stdout || r.stderr);
    if (!r.stdout.includes(CLUSTER_IP)) return stop(`kubectl shows no ClusterIP ${CLUSTER_IP}`);
  }

  p.step('TEST DOUBLE', 'the Deployment and ReplicaSet controllers and the scheduler: 2 Pods, one per node', [
    'kube-controller-manager + kube-scheduler: the ReplicaSet and its Pods are written by the demo',
  ]);
  let pods: (KubeObject & Json)[];
  try {
    pods = await scheduleSeedPods(store);
  } catch (e) {
    return stop(e instanceof Error ? e.message : String(e));
  }
  p.ok(SEED_PODS.map((x) => `${x.name} -> ${x.node}`).join(', '));

  // 12: the Pods' network.
  p.step(
    'REAL',
    "each Pod's network: a VF from the device plugin, then the NAD's chain sriov -> spiderpool -> coordinator",
    [
      'kubelet + Multus: the kubelet stand-in allocates (gRPC Allocate); the chain runner runs the built plugins',
    ],
  );
  if (noKernel)
    p.skip(
      `sriov and coordinator (move the VF into the Pod netns, routes, rules): ${noKernel}; only the spiderpool IPAM plugin runs, as sriov would call it`,
    );
  const running: StartedPod[] = [];
  for (const [i, pod] of pods.entries()) {
    const node = nodes.nodes[i];
    if (node === undefined) return stop('two nodes expected');
    const r = await startPod(store, pod, node, nad, nodes.topology);
    if (typeof r === 'string') return stop(`${r}\n${tail(agents[i] ?? operator)}`);
    running.push(r);
    if (r.netns) out.podNetns.push(r.netns);
    p.ok(`${r.name} on ${r.node.name}: VF ${r.vf}, eth0 ${r.ip}${r.netns ? ` in netns ${r.netns}` : ''}`);
  }

  // 13: the seed's outputs.
  p.step(
    'REAL',
    "the seed's kubectl outputs: Pods, pool and endpoints (the agents wrote them through the API)",
  );
  const rows = [...running].sort((a, b) => a.name.localeCompare(b.name));
  const podsOk = await until(async () => {
    const l = await store.list<KubeObject & Json>('SpiderEndpoint', { namespace: 'default' });
    return l.isOk() && l.value.items.length === 2;
  }, 10_000);
  if (!podsOk) return stop('no two SpiderEndpoints within 10 s');
  await until(async () => {
    const r = await store.get<KubeObject & Json>({ kind: 'SpiderIPPool', name: 'ippool-test' });
    return r.isOk() && rec(r.value.status).allocatedIPCount === 2;
  }, 10_000);
  if (
    !(await showView(
      p,
      podView(rows.map((r) => [r.name, '1/1', 'Running', '0', r.ip, r.node.name])),
      kubectl,
      store,
    ))
  )
    return out;
  if (!(await showView(p, poolView(false), kubectl, store))) return out;
  p.info(
    "the seed's DISABLE column: its chart printed it by default; Spiderpool's current CRD (followed here)",
  );
  p.info('prints it with -o wide only:');
  if (!(await showView(p, poolView(true), kubectl, store))) return out;
  if (
    !(await showView(
      p,
      endpointView(rows.map((r) => [r.name, 'eth0', 'ippool-test', `${r.ip}/16`, r.node.name])),
      kubectl,
      store,
    ))
  )
    return out;
  const want = new Map<string, string>([
    [SEED_PODS[0].name, '10.20.168.190'],
    [SEED_PODS[1].name, '10.20.168.191'],
  ]);
  for (const r of running)
    if (want.get(r.name) !== r.ip) return stop(`${r.name} got ${r.ip}, the seed shows ${want.get(r.name)}`);

  // 14: the data path.
  p.step(
    'REAL',
    'Pod -> Pod ping and Pod -> ClusterIP HTTP, as `kubectl exec ... ping` / `curl -I` in the seed',
    [
      'kube-proxy: iptables DNAT of 10.43.54.100:80 to the Pods in each node netns (the kube-proxy stand-in)',
      'the nginx container: a Node HTTP server on :80 in each Pod netns',
    ],
  );
  if (noKernel) {
    p.skip(`ping ${SEED_PODS[1].name} -> 10.20.168.190: ${noKernel}`);
    p.skip(`curl ${CLUSTER_IP} from ${SEED_PODS[1].name}: ${noKernel}`);
  } else {
    const [a, b] = running;
    if (a?.netns === undefined || b?.netns === undefined) return stop('Pod netns missing');
    p.info(
      `$ ip netns exec ${b.netns} ping -c 3 ${a.ip}   (kubectl exec -it ${b.name} -- ping ${a.ip} -c 3)`,
    );
    const ping = sh(['ip', 'netns', 'exec', b.netns, 'ping', '-c', '3', '-i', '0.2', '-W', '2', a.ip]);
    p.out(ping.out || ping.err);
    if (ping.code !== 0 || !/3 received/.test(ping.out)) return stop('ping lost packets');
    p.ok('3 packets transmitted, 3 received');
    const endpoints = running.map((x) => `${x.ip}:80`);
    for (const n of nodes.nodes) {
      if (!n.net) continue;
      const proxy = startKubeProxy({
        netns: n.net.netns,
        clusterIP: CLUSTER_IP,
        port: 80,
        nodeIP: n.net.ip,
        nodePort: 30080,
        endpoints,
      });
      cleanup.add(`${n.name}: the kube-proxy stand-in's rules`, () => proxy.remove());
    }
    for (const x of running) {
      if (!x.netns) continue;
      const server = await startPodServer(x.netns, x.name);
      cleanup.add(`${x.name}: its HTTP server`, () => server.stop());
    }
    p.info(
      `$ ip netns exec ${b.netns} curl -I ${CLUSTER_IP}   (kubectl exec -it ${b.name} -- curl ${CLUSTER_IP} -I)`,
    );
    const answer = await httpGetFrom(b.netns, CLUSTER_IP, 80, 5000);
    if (answer.status !== 200) return stop(`HTTP to ${CLUSTER_IP}: ${JSON.stringify(answer)}`);
    p.out(`HTTP/1.1 200 OK   (answered by ${answer.body ?? '?'})`);
    p.ok(`${CLUSTER_IP}:80 answers 200 through the kube-proxy stand-in and the coordinator's routes`);
  }
  writeFileSync(join(dir, 'done'), 'ok\n');
  out.ok = true;
  return out;
};

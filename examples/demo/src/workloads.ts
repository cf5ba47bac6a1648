// The seed's Deployment on the two nodes. No kube-controller-manager or scheduler runs here, so:
//   - `scheduleSeedPods` is a TEST DOUBLE of the Deployment + ReplicaSet controllers and the scheduler: the
//     ReplicaSet `sriov-deploy-9b4b9f6d9` and its 2 Pods from the Deployment's template, one per node
//     (-xfsvj on master-11, -mmpsm on worker-12, the seed's names);
//   - `startPod` is a TEST DOUBLE of kubelet + Multus for one Pod: a VF from the device plugin (Allocate over
//     real gRPC, through the kubelet stand-in), then the NAD's CNI chain sriov -> spiderpool -> coordinator
//     from the built plugins with the chain runner (as root, in a Pod netns), or without root only the
//     spiderpool IPAM plugin the sriov plugin would call (the kernel steps skipped), then the Pod's status.
import type { KubeObject, NetworkAttachmentDefinition, Pod, Store } from '@spiderpool-ts/core';
import { modifyObject } from '@spiderpool-ts/core';
import { invokePlugin, type JsonObject, kubeletCniArgs } from '@spiderpool-ts/node';
import { nodeLocalPlugin, runPodSandbox, type SandboxNode, type Topology } from '@spiderpool-ts/node/testing';
import type { Result } from 'neverthrow';
import { POD_TEMPLATE, SEED_NODES, SEED_RESOURCE } from './manifests.ts';
import type { DemoNode } from './nodes.ts';
import { NODE_BIN } from './paths.ts';

type Obj = KubeObject & Record<string, unknown>;
const RS = 'sriov-deploy-9b4b9f6d9';
export const SEED_PODS = [
  { name: `${RS}-xfsvj`, node: SEED_NODES[0] },
  { name: `${RS}-mmpsm`, node: SEED_NODES[1] },
] as const;

const must = <T>(r: Result<T, { message: string }>, what: string): T => {
  if (r.isErr()) throw new Error(`${what}: ${r.error.message}`);
  return r.value;
};

/** The ReplicaSet and the 2 Pods of Deployment default/sriov-deploy, bound to the seed's nodes. */
export const scheduleSeedPods = async (store: Store): Promise<Obj[]> => {
  const deploy = must<Obj>(
    await store.get<Obj>({ kind: 'Deployment', namespace: 'default', name: 'sriov-deploy' }),
    'read the Deployment',
  );
  const rs = must<Obj>(
    await store.create<Obj>({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        namespace: 'default',
        name: RS,
        labels: { app: 'sriov-deploy', 'pod-template-hash': '9b4b9f6d9' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'sriov-deploy',
            uid: deploy.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { replicas: 2, selector: { matchLabels: { app: 'sriov-deploy' } }, template: POD_TEMPLATE },
    }),
    'create the ReplicaSet',
  );
  const pods: Obj[] = [];
  for (const p of SEED_PODS) {
    pods.push(
      must<Obj>(
        await store.create<Obj>({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            namespace: 'default',
            name: p.name,
            labels: { ...POD_TEMPLATE.metadata.labels, 'pod-template-hash': '9b4b9f6d9' },
            annotations: POD_TEMPLATE.metadata.annotations,
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: RS,
                uid: rs.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: { ...POD_TEMPLATE.spec, nodeName: p.node, restartPolicy: 'Always' },
          status: { phase: 'Pending' },
        }),
        `create Pod ${p.name}`,
      ),
    );
  }
  return pods;
};

export interface StartedPod {
  name: string;
  node: DemoNode;
  vf: string;
  ip: string;
  /** As root: the Pod's netns. */
  netns?: string;
}

const ipOf = (result: unknown): string | undefined => {
  if (typeof result !== 'object' || result === null) return undefined;
  const ips = (result as { ips?: unknown }).ips;
  if (!Array.isArray(ips)) return undefined;
  const first: unknown = ips[0];
  const address =
    typeof first === 'object' && first !== null ? (first as { address?: unknown }).address : undefined;
  return typeof address === 'string' ? address : undefined;
};

const sandboxNode = (n: DemoNode): SandboxNode => ({
  netns: n.net?.netns ?? '',
  agentSocket: n.agentSocket,
  cacheDir: n.cniCache,
  sysfsRoot: n.sysfs,
  stateDir: n.cniState,
});

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The NAD's conflist: its cniVersion, name and plugins (JSON.parse yields JSON values only), or a message. */
const nadPlugins = (
  nad: NetworkAttachmentDefinition,
): { cniVersion: string; name: string; plugins: JsonObject[] } | string => {
  let conf: unknown;
  try {
    conf = JSON.parse(nad.spec?.config ?? '{}');
  } catch (e) {
    return `NAD ${nad.metadata.name}: config is not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (!isObject(conf) || !Array.isArray(conf.plugins))
    return `NAD ${nad.metadata.name}: its config has no plugin list`;
  if (typeof conf.cniVersion !== 'string' || typeof conf.name !== 'string')
    return `NAD ${nad.metadata.name}: its config has no cniVersion or name`;
  return { cniVersion: conf.cniVersion, name: conf.name, plugins: conf.plugins.filter(isObject) };
};

/** Allocates the Pod's VF, runs its network, writes its status; the outcome, or an error message. */
export const startPod = async (
  store: Store,
  pod: Obj,
  node: DemoNode,
  nad: NetworkAttachmentDefinition,
  topology: Topology | undefined,
): Promise<StartedPod | string> => {
  const name = pod.metadata.name;
  const alloc = await node.kubelet.allocatePod(pod);
  if (alloc.isErr()) return `allocate a VF for ${name}: ${alloc.error.message}`;
  const vf = alloc.value.containers[0]?.deviceIds[0];
  if (vf === undefined) return `${name}: the device plugin allocated no VF`;
  const containerId = `ctr-${name}`;
  let result: unknown;
  let netns: string | undefined;
  if (topology) {
    netns = topology.addPod('pod');
    const r = await runPodSandbox({
      node: sandboxNode(node),
      pod: pod as unknown as Pod,
      podNetns: netns,
      nads: [nad],
      cniPath: NODE_BIN,
      command: 'ADD',
      allocatedDevices: { [SEED_RESOURCE]: [vf] },
      containerId,
    });
    if (r.isErr()) return `CNI ADD of ${name}: ${r.error.message}`;
    result = r.value[0]?.result;
  } else {
    // The sriov plugin's own config, as it hands it to its IPAM plugin.
    const conf = nadPlugins(nad);
    if (typeof conf === 'string') return conf;
    const sriov = conf.plugins.find((p) => p.type === 'sriov');
    if (sriov === undefined) return `NAD ${nad.metadata.name} has no sriov plugin`;
    const netconf = nodeLocalPlugin(sandboxNode(node))({
      cniVersion: conf.cniVersion,
      name: conf.name,
      ...sriov,
      deviceID: vf,
    });
    const r = await invokePlugin({
      type: 'spiderpool',
      command: 'ADD',
      cniPath: [NODE_BIN],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        CNI_CONTAINERID: containerId,
        CNI_NETNS: `/var/run/netns/demo-${name}`,
        CNI_IFNAME: 'eth0',
        CNI_ARGS: kubeletCniArgs(pod as unknown as Pod, containerId)
          .map(([k, v]) => `${k}=${v}`)
          .join(';'),
        CNI_PATH: NODE_BIN,
      },
      stdin: JSON.stringify(netconf),
      timeoutMs: 20_000,
    });
    if (r.isErr()) return `IPAM ADD of ${name}: ${r.error.message}`;
    result = r.value.result;
  }
  const cidr = ipOf(result);
  if (cidr === undefined) return `${name}: the CNI result has no IP (${JSON.stringify(result)})`;
  const ip = cidr.split('/')[0] ?? cidr;
  const hostIP = node.net?.ip.split('/')[0] ?? (node.name === SEED_NODES[0] ? '10.20.1.11' : '10.20.1.12');
  const written = await modifyObject<Obj>(
    store,
    { kind: 'Pod', namespace: 'default', name },
    (cur) => ({
      ...cur,
      status: {
        phase: 'Running',
        hostIP,
        podIP: ip,
        podIPs: [{ ip }],
        startTime: new Date().toISOString(),
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'sriov-deploy', ready: true, restartCount: 0, image: 'nginx', started: true },
        ],
      },
    }),
    { status: true },
  );
  if (written.isErr()) return `status of ${name}: ${written.error.message}`;
  return { name, node, vf, ip, ...(netns ? { netns } : {}) };
};

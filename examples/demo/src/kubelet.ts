// Stands in for kubelet + Multus on each node: CNI ADD / DEL through that node's agent (an IpamEngine), then
// the Pod status kubelet would report.
import {
  createIpamEngine,
  type IpamAddResult,
  type IpamCniConfig,
  type IpamEngine,
  type Pod,
} from '@spiderpool-ts/core';
import type { Cluster } from './cluster.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Agents {
  on(nodeName: string): IpamEngine;
  dispose(): void;
}

/** One spiderpool-agent (IPAM engine) per node, all on the same store. */
export const startAgents = (cluster: Cluster, nodes: readonly string[]): Agents => {
  const engines = new Map(
    nodes.map((n) => [
      n,
      createIpamEngine({ store: cluster.store, nodeName: n, sleep, random: Math.random }),
    ]),
  );
  return {
    on: (n) => {
      const e = engines.get(n);
      if (!e) throw new Error(`no agent on node ${n}`);
      return e;
    },
    dispose: () => {
      for (const e of engines.values()) e.dispose();
    },
  };
};

/** CNI ADD for eth0 of `pod` on its node; on success the Pod becomes Running with the IP in status.podIPs. */
export const runSandbox = async (
  cluster: Cluster,
  agents: Agents,
  pod: Pod,
  ipamConfig: IpamCniConfig,
): Promise<{ ok: true; result: IpamAddResult } | { ok: false; error: string }> => {
  const nodeName = pod.spec?.nodeName ?? '';
  const ns = pod.metadata.namespace ?? 'default';
  const r = await agents.on(nodeName).allocate({
    podNamespace: ns,
    podName: pod.metadata.name,
    containerID: `containerd-${pod.metadata.name}`,
    ifName: 'eth0',
    ipamConfig,
  });
  if (r.isErr()) return { ok: false, error: r.error.message };
  const current = await cluster.store.get<Pod>({ kind: 'Pod', namespace: ns, name: pod.metadata.name });
  if (current.isOk()) {
    const ip = r.value.ips[0]?.address.split('/')[0];
    await cluster.store.updateStatus<Pod>({
      ...current.value,
      status: { phase: 'Running', ...(ip ? { podIPs: [{ ip }] } : {}) },
    });
  }
  return { ok: true, result: r.value };
};

/** `kubectl delete pod`: the Pod goes, then kubelet's CNI DEL runs (unless the node is dead). */
export const deletePod = async (
  cluster: Cluster,
  agents: Agents,
  pod: Pod,
  opts: { cniDel: boolean; ipamConfig: IpamCniConfig },
): Promise<string | undefined> => {
  const ns = pod.metadata.namespace ?? 'default';
  const d = await cluster.deletePod({ kind: 'Pod', namespace: ns, name: pod.metadata.name });
  if (d !== undefined) return d;
  if (!opts.cniDel) return undefined;
  const r = await agents.on(pod.spec?.nodeName ?? '').release({
    podNamespace: ns,
    podName: pod.metadata.name,
    ...(pod.metadata.uid ? { podUid: pod.metadata.uid } : {}),
    containerID: `containerd-${pod.metadata.name}`,
    ifName: 'eth0',
    ipamConfig: opts.ipamConfig,
  });
  return r.isErr() ? r.error.message : undefined;
};

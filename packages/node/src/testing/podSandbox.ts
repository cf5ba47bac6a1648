// A test double standing for kubelet's CNI call through Multus for one Pod sandbox on one node: the chain
// runner's Multus stand-in (attachPod) runs the NAD's plugins from `cniPath` with the node's own settings
// patched in, as a real node keeps them in its own files: this node's agent socket for the IPAM plugin and
// the coordinator, and (for the sriov plugin) this node's sysfs root and state dir. Used by the seed e2e
// tests and by `pnpm demo` (examples/demo).
import type { NetworkAttachmentDefinition, Pod } from '@spiderpool-ts/core';
import { type AttachPodRequest, attachPod } from '../chain/index.ts';
import type { JsonObject } from '../chain/json.ts';
import { netnsPath } from './topology.ts';

export interface SandboxNode {
  /** The netns standing for the node's root netns (the topology kit's node netns). */
  netns: string;
  /** This node's spiderpool agent socket. */
  agentSocket: string;
  /** This node's CNI result cache (libcni's layout). */
  cacheDir: string;
  /** For the sriov plugin: this node's sysfs root (a fixture tree) ... */
  sysfsRoot?: string;
  /** ... and its state dir. */
  stateDir?: string;
}

/** The node-local settings of every plugin that asks for them. */
export const nodeLocalPlugin =
  (node: SandboxNode) =>
  (plugin: JsonObject): JsonObject => {
    const ipam = plugin.ipam;
    let p: JsonObject =
      typeof ipam === 'object' && ipam !== null && !Array.isArray(ipam)
        ? { ...plugin, ipam: { ...ipam, ipam_unix_socket_path: node.agentSocket } }
        : plugin;
    if (p.type === 'coordinator') p = { ...p, ipam_unix_socket_path: node.agentSocket };
    if (p.type === 'sriov') {
      if (node.sysfsRoot !== undefined) p = { ...p, sysfsRoot: node.sysfsRoot };
      if (node.stateDir !== undefined) p = { ...p, stateDir: node.stateDir };
    }
    return p;
  };

export interface PodSandboxArgs {
  node: SandboxNode;
  pod: Pod;
  /** The Pod sandbox's netns name (the topology kit's `addPod`). */
  podNetns: string;
  nads: NetworkAttachmentDefinition[];
  cniPath: string;
  command: AttachPodRequest['command'];
  /** Resource name -> device ids kubelet allocated to the Pod (the device plugin's). */
  allocatedDevices?: Record<string, string[]>;
  /** A further change of each plugin's config (fault injection in tests). */
  patch?: (p: JsonObject) => JsonObject;
  /** Default `ctr-<pod name>`; a re-created sandbox has a new one. */
  containerId?: string;
  /** Per-plugin deadline (default 20 000 ms). */
  deadlineMs?: number;
}

/** kubelet → Multus → the NAD's chain for one Pod sandbox on its node. */
export const runPodSandbox = (a: PodSandboxArgs) =>
  attachPod({
    command: a.command,
    pod: a.pod,
    nads: a.nads,
    containerId: a.containerId ?? `ctr-${a.pod.metadata.name}`,
    netns: netnsPath(a.podNetns),
    cniPath: a.cniPath,
    cacheDir: a.node.cacheDir,
    hostNetns: a.node.netns,
    deadlineMs: a.deadlineMs ?? 20_000,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    ...(a.allocatedDevices ? { allocatedDevices: a.allocatedDevices } : {}),
    patchPlugin: (p) => (a.patch ?? ((x) => x))(nodeLocalPlugin(a.node)(p)),
  });

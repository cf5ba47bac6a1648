// The two nodes of the seed (master-11, worker-12) on this machine:
//   - the hardware (TEST DOUBLE of the NIC and its driver): a fake sysfs tree per node whose PF is the
//     seed's enp4s0f0np0 (mlx5_core 15b3:1017, totalvfs 8, no VFs yet), and the driver's side of a
//     `sriov_numvfs` write done by a watcher (the config daemon is another process), which creates the VF
//     devices and, as root, VF stand-in links (macvlan on the PF stand-in) in the node's netns;
//   - as root, the network (TEST DOUBLE of the underlay and the nodes' root netns): the topology kit's
//     switch netns with the gateway 10.20.0.1 and one netns per node holding the PF stand-in;
//   - kubelet (TEST DOUBLE): the kubelet stand-in's device manager on real gRPC (Registration server,
//     ListAndWatch, Allocate), writing the Node's capacity/allocatable through the API server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@spiderpool-ts/core';
import {
  createSriovHardware,
  createTopology,
  type KubeletStandIn,
  type NumVfsWatch,
  probeTopology,
  type SriovHardware,
  seedHardwarePf,
  startKubeletStandIn,
  type Topology,
  type TopologyNode,
  watchNumVfs,
} from '@spiderpool-ts/node/testing';
import type { Cleanup } from './cleanup.ts';
import type { NodeDirs } from './components.ts';
import { SEED_NODES } from './manifests.ts';

export interface DemoNode extends NodeDirs {
  hardware: SriovHardware;
  driver: NumVfsWatch;
  kubelet: KubeletStandIn;
  /** As root: this node's netns in the topology. */
  net?: TopologyNode;
}

export interface DemoNodes {
  nodes: DemoNode[];
  topology?: Topology;
  /** Why the kernel steps do not run here (not root, no netns, ...), or undefined. */
  noKernel?: string;
}

/** Why netns cannot be used here, or undefined (root with iproute2, netns, veth, macvlan, bridge). */
export const kernelMissing = (): string | undefined => probeTopology();

export const startNodes = async (
  dir: string,
  store: Store,
  cleanup: Cleanup,
  noKernel: string | undefined,
): Promise<DemoNodes> => {
  let topology: Topology | undefined;
  if (noKernel === undefined) {
    // No VF stand-ins yet: the policy creates them (through the hardware fixture).
    topology = createTopology({ vfCount: 0 });
    const t = topology;
    cleanup.add('the network namespaces', () => t.destroy());
  }
  const nodes: DemoNode[] = [];
  for (const name of SEED_NODES) {
    const root = join(dir, name);
    const d: NodeDirs = {
      name,
      sysfs: join(root, 'sys'),
      devicePlugins: join(root, 'dp'),
      deviceInfo: join(root, 'devinfo'),
      agentSocket: join(root, 'agent.sock'),
      cniState: join(root, 'sriov-state'),
      cniCache: join(root, 'cni-cache'),
    };
    for (const p of [d.sysfs, d.devicePlugins, d.deviceInfo, d.cniState, d.cniCache])
      mkdirSync(p, { recursive: true });
    const net = topology?.node(name);
    const pf = seedHardwarePf();
    const hardware = await createSriovHardware({
      sysfsRoot: d.sysfs,
      pfs: [pf],
      ...(net ? { standIns: { netns: net.netns, pfLink: net.pf } } : {}),
    });
    const driver = watchNumVfs(hardware, { pfs: [pf.pciAddress] });
    cleanup.add(`${name}: the driver watcher`, () => driver.stop());
    const kubelet = await startKubeletStandIn({
      socketDir: d.devicePlugins,
      nodeName: name,
      store,
      deviceInfoDir: d.deviceInfo,
    });
    cleanup.add(`${name}: the kubelet stand-in`, () => kubelet.close());
    nodes.push({ ...d, hardware, driver, kubelet, ...(net ? { net } : {}) });
  }
  return { nodes, ...(topology ? { topology } : {}), ...(noKernel ? { noKernel } : {}) };
};

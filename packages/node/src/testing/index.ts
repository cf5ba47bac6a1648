// @spiderpool-ts/node/testing: test doubles for host code. Each file says what it stands for.
// - the SR-IOV hardware fixture: stands for a PF's driver (sriov_numvfs writes create / remove VFs).

// - the kubelet stand-in: stands for kubelet's device manager (Registration server, plugin client, Node
//   capacity/allocatable, per-Pod device allocation) over real gRPC on unix sockets.

// - the numVfs watcher: the PF driver's side when the config daemon runs as its own process.
// - the Pod sandbox runner: kubelet -> Multus -> the NAD's chain for one Pod on one node.
// - the fake sysfs tree: stands for the kernel's view of a PF and its VFs (files and virtfnN links).
export type { FixturePf, FixtureVf } from '../sriov/sysfsFixture.ts';
export { seedPf, writeFixtureDevice, writeFixturePf } from '../sriov/sysfsFixture.ts';
export type { AllocationStep, ContainerAllocation } from './containerAllocation.ts';
export { allocateFromPlugin } from './containerAllocation.ts';
export { readDeviceInfo } from './deviceInfoRead.ts';
export type { KubeletError } from './kubeletErrors.ts';
export type {
  KubeletStandIn,
  KubeletStandInOptions,
  PodAllocation,
  ResourceView,
} from './kubeletStandIn.ts';
export { startKubeletStandIn } from './kubeletStandIn.ts';
// @spiderpool-ts/node/testing: test doubles for the host side. Each module says what it stands for.
export type { KubeProxy, KubeProxyOptions } from './kubeProxy.ts';
export { hasIptables, startKubeProxy } from './kubeProxy.ts';
export type { NodeSnapshot } from './nodeSnapshot.ts';
export { iptablesSave, snapshotNode, stableSnapshot } from './nodeSnapshot.ts';
export type { NumVfsWatch, NumVfsWatchOptions } from './numVfsWatch.ts';
export { watchNumVfs } from './numVfsWatch.ts';
export type { PluginClient } from './pluginClient.ts';
export { connectPlugin } from './pluginClient.ts';
export type { ContainerRequest } from './podResources.ts';
export { containerRequests } from './podResources.ts';
export type { PodSandboxArgs, SandboxNode } from './podSandbox.ts';
export { nodeLocalPlugin, runPodSandbox } from './podSandbox.ts';
export type { HttpAnswer, PodServer } from './podServer.ts';
export { httpGetFrom, startPodServer } from './podServer.ts';
export type { ShOutcome } from './sh.ts';
export { ipIn, ipJson, must, sh } from './sh.ts';
export type { SriovHardware, SriovHardwareOptions, VfStandIns } from './sriovHardware.ts';
export { createSriovHardware, seedHardwarePf, vfNetdevName, vfPciAddress } from './sriovHardware.ts';
export type { Topology, TopologyNode, TopologyOptions } from './topology.ts';
export { createTopology, netnsPath, probeTopology } from './topology.ts';

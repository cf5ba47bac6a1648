// @spiderpool-ts/node/testing: test doubles for the host side. Each module says what it stands for.
export type { KubeProxy, KubeProxyOptions } from './kubeProxy.ts';
export { hasIptables, startKubeProxy } from './kubeProxy.ts';
export type { NodeSnapshot } from './nodeSnapshot.ts';
export { iptablesSave, snapshotNode, stableSnapshot } from './nodeSnapshot.ts';
export type { HttpAnswer, PodServer } from './podServer.ts';
export { httpGetFrom, startPodServer } from './podServer.ts';
export type { ShOutcome } from './sh.ts';
export { ipIn, ipJson, must, sh } from './sh.ts';
export type { Topology, TopologyNode, TopologyOptions } from './topology.ts';
export { createTopology, netnsPath, probeTopology } from './topology.ts';

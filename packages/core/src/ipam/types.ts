// Shared shapes of the IPAM engine: the request an agent receives for one CNI ADD/DEL, the cluster settings
// that steer it, and the candidate pools per NIC that selection hands to allocation.
import type { Route } from '../api/index.ts';
import type { IPVersion } from '../ip/index.ts';

/** The `ipam` section of a CNI network config of type `spiderpool` (cmd/spiderpool/cmd/cni_types.go). */
export interface IpamCniConfig {
  default_ipv4_ippool?: string[];
  default_ipv6_ippool?: string[];
  clean_gateway?: boolean;
  match_master_subnet?: boolean;
}

/** One CNI ADD (or DEL) as the agent sees it. */
export interface IpamRequest {
  podNamespace: string;
  podName: string;
  /** CNI_ARGS K8S_POD_UID when the runtime gives it; the engine reads the Pod from the Store anyway. */
  podUid?: string;
  containerID: string;
  /** CNI_IFNAME, e.g. `eth0`, `net1`. */
  ifName: string;
  netns?: string;
  /** The `ipam` section of this NIC's CNI config. */
  ipamConfig: IpamCniConfig;
}

/** Agent/cluster settings (configmap `spiderpool-conf` and agent env), with Spiderpool's defaults. */
export interface IpamSettings {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableStatefulSet: boolean;
  readonly enableKubevirtStaticIP: boolean;
  readonly enableSpiderSubnet: boolean;
  /** Namespace Spiderpool is installed in: a `multusName` entry without `ns/` means this namespace. */
  readonly agentNamespace: string;
  /** Agent env MULTUS_CLUSTER_NETWORK: the first NIC's NAD when the Pod has no default-network annotation. */
  readonly multusClusterNetwork?: string;
  /** Cap on allocated records per pool (Spiderpool: 5000). `undefined`: no cap. */
  readonly maxAllocatedIPs?: number;
  /** `enableAutoPoolForApplication` (Spiderpool default true; `undefined` means true). */
  readonly enableAutoPoolForApplication?: boolean;
}

export const DEFAULT_IPAM_SETTINGS: IpamSettings = {
  enableIPv4: true,
  enableIPv6: true,
  enableStatefulSet: true,
  enableKubevirtStaticIP: true,
  enableSpiderSubnet: true,
  agentNamespace: 'kube-system',
};

/** Why selection dropped a pool for a NIC (kept for errors and `explain`). */
export type DropReason =
  | { _tag: 'NotFound' }
  | { _tag: 'Terminating' }
  | { _tag: 'Disabled' }
  | { _tag: 'IPVersionMismatch'; poolVersion: number | undefined }
  | { _tag: 'NodeNameMismatch'; node: string; nodeName: readonly string[] }
  | { _tag: 'NodeAffinityMismatch'; node: string }
  | { _tag: 'NamespaceNameMismatch'; namespace: string; namespaceName: readonly string[] }
  | { _tag: 'NamespaceAffinityMismatch'; namespace: string }
  | { _tag: 'PodAffinityMismatch' }
  | { _tag: 'MultusNameMismatch'; network: string | undefined; multusName: readonly string[] }
  | { _tag: 'MasterSubnetMismatch'; detail: string };

export interface DroppedPool {
  pool: string;
  reason: DropReason;
  /** Human-readable, Spiderpool-like: `unmatched Node name ...`. */
  message: string;
}

/** The usable pools of one IP family of one NIC, in the order allocation tries them. */
export interface VersionCandidates {
  version: IPVersion;
  /** Ordered (§3.4 plus the documented tie-break); only pools that passed every filter. */
  pools: string[];
  /** Every pool named for this NIC/version that a filter removed, with why. */
  dropped: DroppedPool[];
}

/** Where a NIC's candidates came from (§3.2 precedence), for `explain`. */
export type CandidateSource =
  | 'pod-subnet-annotation'
  | 'pod-ippools-annotation'
  | 'pod-ippool-annotation'
  | 'namespace-default'
  | 'cni-config'
  | 'cluster-default';

export interface NicCandidates {
  nic: string;
  cleanGateway: boolean;
  source: CandidateSource;
  versions: VersionCandidates[];
}

/** One IP handed out for one NIC and family, as recorded in the SpiderEndpoint and returned to CNI. */
export interface AllocatedIP {
  nic: string;
  version: IPVersion;
  /** `10.20.168.190/16`: the IP plus the pool subnet's prefix. */
  address: string;
  pool: string;
  gateway?: string;
  cleanGateway: boolean;
  routes: Route[];
}

// Names shared with Spiderpool (pkg/constant/k8s.go): API group, kinds, finalizer, annotation and label keys.
// Objects written by a real Spiderpool cluster carry exactly these strings.

export const SPIDERPOOL_API_GROUP = 'spiderpool.spidernet.io';
export const SPIDERPOOL_API_VERSION = 'v2beta1';
/** `apiVersion` of every Spiderpool CRD object. */
export const SPIDERPOOL_GROUP_VERSION = 'spiderpool.spidernet.io/v2beta1';
/** Finalizer added to pools, subnets, endpoints and the coordinator. */
export const SPIDER_FINALIZER = 'spiderpool.spidernet.io';

export const KIND_SPIDER_IPPOOL = 'SpiderIPPool';
export const KIND_SPIDER_SUBNET = 'SpiderSubnet';
export const KIND_SPIDER_ENDPOINT = 'SpiderEndpoint';
export const KIND_SPIDER_RESERVED_IP = 'SpiderReservedIP';
export const KIND_SPIDER_MULTUS_CONFIG = 'SpiderMultusConfig';
export const KIND_SPIDER_COORDINATOR = 'SpiderCoordinator';
export const KIND_NETWORK_ATTACHMENT_DEFINITION = 'NetworkAttachmentDefinition';
export const NAD_API_VERSION = 'k8s.cni.cncf.io/v1';

// Controller kinds (ownerControllerType of SpiderEndpoint).
export const KIND_POD = 'Pod';
export const KIND_DEPLOYMENT = 'Deployment';
export const KIND_REPLICA_SET = 'ReplicaSet';
export const KIND_STATEFUL_SET = 'StatefulSet';
export const KIND_DAEMON_SET = 'DaemonSet';
export const KIND_JOB = 'Job';
export const KIND_CRON_JOB = 'CronJob';
export const KIND_KUBEVIRT_VM = 'VirtualMachine';
export const KIND_KUBEVIRT_VMI = 'VirtualMachineInstance';
export const KIND_UNKNOWN = 'Unknown';

// Pod annotations (§3.1).
export const ANNO_POD_IPPOOL = 'ipam.spidernet.io/ippool';
export const ANNO_POD_IPPOOLS = 'ipam.spidernet.io/ippools';
export const ANNO_POD_ROUTES = 'ipam.spidernet.io/routes';
/** Defined by Spiderpool but not implemented there (quirk 14). */
export const ANNO_POD_DNS = 'ipam.spidernet.io/dns';
export const ANNO_POD_SUBNET = 'ipam.spidernet.io/subnet';
export const ANNO_POD_SUBNETS = 'ipam.spidernet.io/subnets';
export const ANNO_SUBNET_POOL_IP_NUMBER = 'ipam.spidernet.io/ippool-ip-number';
export const ANNO_SUBNET_RECLAIM_IPPOOL = 'ipam.spidernet.io/ippool-reclaim';
export const ANNO_DEFAULT_ROUTE_NIC = 'ipam.spidernet.io/default-route-nic';
// Namespace annotations.
export const ANNO_NS_DEFAULT_V4_POOL = 'ipam.spidernet.io/default-ipv4-ippool';
export const ANNO_NS_DEFAULT_V6_POOL = 'ipam.spidernet.io/default-ipv6-ippool';
// Multus annotations read from Pods and written on NADs.
export const ANNO_MULTUS_DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
export const ANNO_MULTUS_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const ANNO_MULTUS_NETWORK_STATUS = 'k8s.v1.cni.cncf.io/network-status';
export const ANNO_NAD_RESOURCE_NAME = 'k8s.v1.cni.cncf.io/resourceName';
export const OVS_CNI_RESOURCE_PREFIX = 'ovs-cni.network.kubevirt.io';
// SpiderMultusConfig annotations (§1.5).
export const ANNO_SMC_CR_NAME = 'multus.spidernet.io/cr-name';
export const ANNO_SMC_CNI_VERSION = 'multus.spidernet.io/cni-version';
export const ANNO_CNI_CONFIG_NAME = 'cni.spidernet.io/cniconfig-name';
export const ANNO_RDMA_RESOURCE_INJECT = 'cni.spidernet.io/rdma-resource-inject';
export const ANNO_NETWORK_RESOURCE_INJECT = 'cni.spidernet.io/network-resource-inject';

// Pool / subnet labels.
export const LABEL_IPPOOL_CIDR = 'ipam.spidernet.io/ippool-cidr';
export const LABEL_SUBNET_CIDR = 'ipam.spidernet.io/subnet-cidr';
export const LABEL_IPPOOL_OWNER_SUBNET = 'ipam.spidernet.io/owner-spider-subnet';
export const LABEL_IPPOOL_OWNER_APP_GV = 'ipam.spidernet.io/owner-application-gv';
export const LABEL_IPPOOL_OWNER_APP_KIND = 'ipam.spidernet.io/owner-application-kind';
export const LABEL_IPPOOL_OWNER_APP_NAMESPACE = 'ipam.spidernet.io/owner-application-namespace';
export const LABEL_IPPOOL_OWNER_APP_NAME = 'ipam.spidernet.io/owner-application-name';
export const LABEL_IPPOOL_OWNER_APP_UID = 'ipam.spidernet.io/owner-application-uid';
export const LABEL_IPPOOL_INTERFACE = 'ipam.spidernet.io/interface';
export const LABEL_IPPOOL_RECLAIM = 'ipam.spidernet.io/ippool-reclaim';
export const LABEL_IPPOOL_IP_VERSION = 'ipam.spidernet.io/ip-version';
export const LABEL_VALUE_IPV4 = 'IPv4';
export const LABEL_VALUE_IPV6 = 'IPv6';
// matchLabels keys of an auto-created pool's podAffinity.
export const AUTO_POOL_APP_API_GROUP = 'ipam.spidernet.io/app-api-group';
export const AUTO_POOL_APP_API_VERSION = 'ipam.spidernet.io/app-api-version';
export const AUTO_POOL_APP_KIND = 'ipam.spidernet.io/app-kind';
export const AUTO_POOL_APP_NAMESPACE = 'ipam.spidernet.io/app-namespace';
export const AUTO_POOL_APP_NAME = 'ipam.spidernet.io/app-name';

// CNI types of SpiderMultusConfig.spec.cniType.
export const CNI_TYPES = [
  'macvlan',
  'ipvlan',
  'vlan',
  'sriov',
  'ovs',
  'ib-sriov',
  'ipoib',
  'custom',
] as const;
export type CniType = (typeof CNI_TYPES)[number];
/** CNI versions a SpiderMultusConfig may ask for; the default is 0.3.1. */
export const SUPPORTED_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;
export const DEFAULT_CNI_VERSION = '0.3.1';
export const VLAN_MODE_MANUAL = 'manual';
export const VLAN_MODE_AUTO = 'auto';

export const COORDINATOR_MODES = ['auto', 'underlay', 'overlay', 'disabled'] as const;
export const POD_CIDR_TYPES = ['auto', 'cluster', 'calico', 'cilium', 'none'] as const;
/** The single SpiderCoordinator instance. */
export const DEFAULT_COORDINATOR_NAME = 'default';

// Errors of the IPAM engine (selection, allocation, release, GC). Tagged union; `message` derived from fields.
// Shared by ipam/ and gc/: add variants at the end, keep each constructor next to its variant.
import type { StoreError } from '../store/index.ts';
import type { DroppedPool } from './types.ts';

export type IpamError =
  | { _tag: 'PodNotFound'; namespace: string; name: string; message: string }
  | { _tag: 'PodNotAlive'; namespace: string; name: string; reason: string; message: string }
  | { _tag: 'BadAnnotation'; annotation: string; value: string; detail: string; message: string }
  | { _tag: 'BadCniConfig'; field: string; value: string; detail: string; message: string }
  | { _tag: 'NoPoolSelectionRule'; nic: string; message: string }
  | { _tag: 'DuplicatePool'; pool: string; nic: string; message: string }
  | { _tag: 'MissingDefaultNetwork'; nic: string; message: string }
  | { _tag: 'AllPoolsFilteredOut'; nic: string; version: number; dropped: DroppedPool[]; message: string }
  | { _tag: 'PoolExhausted'; pool: string; message: string }
  | { _tag: 'AllPoolsExhausted'; nic: string; version: number; pools: string[]; message: string }
  | { _tag: 'PoolRecordCapExceeded'; pool: string; cap: number; message: string }
  | { _tag: 'RetriesExhausted'; pool: string; attempts: number; message: string }
  | { _tag: 'EndpointMismatch'; endpoint: string; detail: string; message: string }
  | { _tag: 'CorruptPoolStatus'; pool: string; detail: string; message: string }
  | { _tag: 'Store'; cause: StoreError; message: string }
  | { _tag: 'StaticIPUnavailable'; pool: string; ip: string; detail: string; message: string }
  | { _tag: 'PoolNotFound'; pool: string; message: string }
  | NoEnabledVersionPools
  | AutoPoolNotReady;

export type IpamErrorTag = IpamError['_tag'];

export const podNotFound = (namespace: string, name: string): IpamError => ({
  _tag: 'PodNotFound',
  namespace,
  name,
  message: `pod ${namespace}/${name} not found`,
});

export const podNotAlive = (namespace: string, name: string, reason: string): IpamError => ({
  _tag: 'PodNotAlive',
  namespace,
  name,
  reason,
  message: `pod ${namespace}/${name} is not alive (${reason}), refusing to allocate`,
});

export const badAnnotation = (annotation: string, value: string, detail: string): IpamError => ({
  _tag: 'BadAnnotation',
  annotation,
  value,
  detail,
  message: `invalid annotation ${annotation}=${JSON.stringify(value)}: ${detail}`,
});

export const badCniConfig = (field: string, value: string, detail: string): IpamError => ({
  _tag: 'BadCniConfig',
  field,
  value,
  detail,
  message: `invalid CNI IPAM config ${field}=${JSON.stringify(value)}: ${detail}`,
});

export const noPoolSelectionRule = (nic: string): IpamError => ({
  _tag: 'NoPoolSelectionRule',
  nic,
  message: `no IPPool available for ${nic}, no pool selection rules of any type are specified`,
});

export const duplicatePool = (pool: string, nic: string): IpamError => ({
  _tag: 'DuplicatePool',
  pool,
  nic,
  message: `wrong input, duplicate IPPool ${pool} specified for NIC ${nic}`,
});

export const missingDefaultNetwork = (nic: string): IpamError => ({
  _tag: 'MissingDefaultNetwork',
  nic,
  message: `cannot tell which NetworkAttachmentDefinition NIC ${nic} uses: no v1.multus-cni.io/default-network annotation and no MULTUS_CLUSTER_NETWORK`,
});

export const allPoolsFilteredOut = (nic: string, version: number, dropped: DroppedPool[]): IpamError => ({
  _tag: 'AllPoolsFilteredOut',
  nic,
  version,
  dropped,
  message: `no IPPool available, all IPv${version} IPPools [${dropped.map((d) => d.pool).join(' ')}] of ${nic} filtered out: ${dropped.map((d) => `${d.pool}: ${d.message}`).join('; ')}`,
});

export const poolExhausted = (pool: string): IpamError => ({
  _tag: 'PoolExhausted',
  pool,
  message: `all IP addresses used out in IPPool ${pool}`,
});

export const allPoolsExhausted = (nic: string, version: number, pools: string[]): IpamError => ({
  _tag: 'AllPoolsExhausted',
  nic,
  version,
  pools,
  message: `failed to allocate IPv${version} IP to ${nic} from IPPools [${pools.join(' ')}]: all IP addresses used out`,
});

export const poolRecordCapExceeded = (pool: string, cap: number): IpamError => ({
  _tag: 'PoolRecordCapExceeded',
  pool,
  cap,
  message: `threshold of IP records(<=${cap}) for IPPool ${pool} exceeded`,
});

export const retriesExhausted = (pool: string, attempts: number): IpamError => ({
  _tag: 'RetriesExhausted',
  pool,
  attempts,
  message: `exhaust all retries (${attempts} times), failed to update IPPool ${pool}`,
});

export const endpointMismatch = (endpoint: string, detail: string): IpamError => ({
  _tag: 'EndpointMismatch',
  endpoint,
  detail,
  message: `SpiderEndpoint ${endpoint}: ${detail}`,
});

export const corruptPoolStatus = (pool: string, detail: string): IpamError => ({
  _tag: 'CorruptPoolStatus',
  pool,
  detail,
  message: `IPPool ${pool} has an unreadable status: ${detail}`,
});

export const storeFailed = (cause: StoreError): IpamError => ({
  _tag: 'Store',
  cause,
  message: cause.message,
});

/** A StatefulSet/KubeVirt Pod's recorded IP cannot be re-bound (record belongs to another pod, or IP now blocked). */
export const staticIPUnavailable = (pool: string, ip: string, detail: string): IpamError => ({
  _tag: 'StaticIPUnavailable',
  pool,
  ip,
  detail,
  message: `fixed IP ${ip} of IPPool ${pool} cannot be reused: ${detail}`,
});

export const poolNotFound = (pool: string): IpamError => ({
  _tag: 'PoolNotFound',
  pool,
  message: `IPPool ${pool} not found`,
});

// Appended by E1 (selection).
export type NoEnabledVersionPools = {
  _tag: 'NoEnabledVersionPools';
  nic: string;
  enableIPv4: boolean;
  enableIPv6: boolean;
  message: string;
};

/** The selection rule named pools only for IP families the cluster has disabled (or none at all). */
export const noEnabledVersionPools = (nic: string, enableIPv4: boolean, enableIPv6: boolean): IpamError => ({
  _tag: 'NoEnabledVersionPools',
  nic,
  enableIPv4,
  enableIPv6,
  message: `no IPPool of an enabled IP version (IPv4 ${enableIPv4 ? 'on' : 'off'}, IPv6 ${enableIPv6 ? 'on' : 'off'}) is specified for NIC ${nic}`,
});

export type AutoPoolNotReady = {
  _tag: 'AutoPoolNotReady';
  subnet: string;
  nic: string;
  version: number;
  application: string;
  message: string;
};

/** `ipam.spidernet.io/subnet(s)`: the application's auto-created pool does not exist (yet). */
export const autoPoolNotReady = (
  subnet: string,
  nic: string,
  version: number,
  application: string,
): IpamError => ({
  _tag: 'AutoPoolNotReady',
  subnet,
  nic,
  version,
  application,
  message: `no auto-created IPv${version} IPPool of SpiderSubnet ${subnet} for ${application} interface ${nic} yet`,
});

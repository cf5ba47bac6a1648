// The coordinator's network config (Spiderpool's cmd/coordinator/cmd/cni_types.go field names) and its merge
// with the agent's coordinator config (SpiderCoordinator `default` + the Pod's default-route-nic annotation):
// a value set in the NAD wins, an absent one comes from the agent. Types are checked like Go's json.Unmarshal
// (wrong type: code 6), values like Spiderpool's ParseConfig (bad CIDR, MAC prefix, rp_filter: code 7).
import { err, ok, type Result } from 'neverthrow';
import type { CoordinatorConfigAnswer } from '../agent/coordinatorProtocol.ts';
import { decodeFailure, incompatibleVersion, invalidNetConf } from '../cni/errors.ts';
import { DEFAULT_IPAM_SOCKET_PATH } from '../cni/index.ts';
import { SUPPORTED_CNI_VERSIONS } from '../cni/version.ts';
import { type Check, isBool, isInt, isObject, isString, isStringList } from '../json/checks.ts';
import type { CoordinatorError } from './errors.ts';

/** As the IPAM plugin: 0.3.0–1.0.0 plus 1.1.0 (STATUS, GC), which SUPPORTED_CNI_VERSIONS now lists itself. */
export const COORDINATOR_CNI_VERSIONS: readonly string[] = [...new Set([...SUPPORTED_CNI_VERSIONS, '1.1.0'])];

export type CoordinatorMode = 'auto' | 'underlay' | 'overlay' | 'disable';

/** What the NAD may set; absent fields come from the agent. */
export interface CoordinatorNetConf {
  cniVersion: string;
  name: string;
  socketPath: string;
  mode?: string;
  podDefaultCniNic: string;
  multusNicPrefix: string;
  overlayPodCIDR?: string[];
  serviceCIDR?: string[];
  hijackCIDR?: string[];
  tunePodRoutes?: boolean;
  podDefaultRouteNic?: string;
  hostRuleTable?: number;
  hostRPFilter?: number;
  podRPFilter?: number;
  txQueueLen?: number;
  podMACPrefix?: string;
  vethLinkAddress?: string;
  vethMTU?: number;
  detectGateway?: boolean;
  detectIPConflict?: boolean;
  detectOptions: { retries: number; intervalMs: number; timeoutMs: number };
  prevResult?: Record<string, unknown>;
}

/** The merged configuration one ADD / DEL runs with. */
export interface CoordinatorConf {
  cniVersion: string;
  name: string;
  socketPath: string;
  mode: CoordinatorMode;
  podDefaultCniNic: string;
  multusNicPrefix: string;
  /** overlayPodCIDR ∪ serviceCIDR ∪ hijackCIDR, in that order: routed via the host side. */
  hijack: string[];
  tunePodRoutes: boolean;
  podDefaultRouteNic: string;
  hostRuleTable: number;
  /** -1: leave as is. */
  hostRPFilter: number;
  podRPFilter: number;
  txQueueLen: number;
  podMACPrefix: string;
  vethLinkAddress: string;
  vethMTU: number;
  policyRoutes: { dst: string; gw: string }[];
  detectGateway: boolean;
  detectIPConflict: boolean;
  detectOptions: { retries: number; intervalMs: number; timeoutMs: number };
  prevResult?: Record<string, unknown>;
}

const FIELDS: readonly [string, Check, string][] = [
  ['mode', isString, 'a string'],
  ['podDefaultCniNic', isString, 'a string'],
  ['multusNicPrefix', isString, 'a string'],
  ['overlayPodCIDR', isStringList, 'a list of strings'],
  ['serviceCIDR', isStringList, 'a list of strings'],
  ['hijackCIDR', isStringList, 'a list of strings'],
  ['tunePodRoutes', isBool, 'a boolean'],
  ['podDefaultRouteNic', isString, 'a string'],
  ['hostRuleTable', isInt, 'an integer'],
  ['hostRPFilter', isInt, 'an integer'],
  ['podRPFilter', isInt, 'an integer'],
  ['txQueueLen', isInt, 'an integer'],
  ['podMACPrefix', isString, 'a string'],
  ['vethLinkAddress', isString, 'a string'],
  ['vethMTU', isInt, 'an integer'],
  ['detectGateway', isBool, 'a boolean'],
  ['detectIPConflict', isBool, 'a boolean'],
  ['ipam_unix_socket_path', isString, 'a string'],
  ['logOptions', isObject, 'an object'],
  ['detectOptions', isObject, 'an object'],
];

/** Go's time.ParseDuration for the forms the docs use: `10ms`, `1s`, `1.5s`, `1m`. */
export const parseGoDuration = (s: string): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(s.trim());
  if (m === null) return undefined;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  return Number(m[1]) * (unit[m[2] ?? 'ms'] ?? 1);
};

const parseDetect = (raw: unknown): Result<CoordinatorNetConf['detectOptions'], CoordinatorError> => {
  // Spiderpool: no detectOptions → 3 retries, 1 s interval, 3 s timeout; given but empty → 3, 10ms, 100ms.
  if (!isObject(raw)) return ok({ retries: 3, intervalMs: 1000, timeoutMs: 3000 });
  if (raw.retries !== undefined && !isInt(raw.retries))
    return err(decodeFailure('detectOptions.retries', 'not an integer'));
  for (const k of ['interval', 'timeout'] as const)
    if (raw[k] !== undefined && typeof raw[k] !== 'string')
      return err(decodeFailure(`detectOptions.${k}`, 'not a string'));
  const interval = parseGoDuration(
    typeof raw.interval === 'string' && raw.interval !== '' ? raw.interval : '10ms',
  );
  const timeout = parseGoDuration(
    typeof raw.timeout === 'string' && raw.timeout !== '' ? raw.timeout : '100ms',
  );
  if (interval === undefined)
    return err(invalidNetConf('detectOptions.interval', `${String(raw.interval)}: input like 1s`));
  if (timeout === undefined)
    return err(invalidNetConf('detectOptions.timeout', `${String(raw.timeout)}: input like 1s`));
  const retries = typeof raw.retries === 'number' && raw.retries !== 0 ? raw.retries : 3;
  return ok({ retries, intervalMs: interval, timeoutMs: timeout });
};

/** Parses stdin of ADD / DEL / CHECK / GC / STATUS. */
export const parseCoordinatorNetConf = (stdin: string): Result<CoordinatorNetConf, CoordinatorError> => {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch (e) {
    return err(decodeFailure('stdin', e instanceof Error ? e.message : String(e)));
  }
  if (!isObject(raw)) return err(decodeFailure('stdin', 'the network config is not a JSON object'));
  const version = raw.cniVersion === undefined || raw.cniVersion === '' ? '0.1.0' : raw.cniVersion;
  if (typeof version !== 'string') return err(decodeFailure('cniVersion', 'not a string'));
  if (!COORDINATOR_CNI_VERSIONS.includes(version))
    return err(incompatibleVersion(version, COORDINATOR_CNI_VERSIONS));
  if (raw.name !== undefined && typeof raw.name !== 'string')
    return err(decodeFailure('name', 'not a string'));
  for (const [field, check, what] of FIELDS) {
    const v = raw[field];
    if (v !== undefined && v !== null && !check(v))
      return err(decodeFailure(field, `${JSON.stringify(v)} is not ${what}`));
  }
  const prev = raw.prevResult;
  if (prev !== undefined && prev !== null && !isObject(prev))
    return err(decodeFailure('prevResult', 'not an object'));
  return parseDetect(raw.detectOptions).map((detectOptions) => {
    const opt = <T>(k: string): T | undefined =>
      raw[k] === undefined || raw[k] === null ? undefined : (raw[k] as T);
    const socket = opt<string>('ipam_unix_socket_path');
    const conf: CoordinatorNetConf = {
      cniVersion: version,
      name: opt<string>('name') ?? '',
      socketPath: socket === undefined || socket === '' ? DEFAULT_IPAM_SOCKET_PATH : socket,
      podDefaultCniNic: opt<string>('podDefaultCniNic') || 'eth0',
      multusNicPrefix: opt<string>('multusNicPrefix') || 'net',
      detectOptions,
    };
    for (const [field] of FIELDS) {
      if (
        [
          'podDefaultCniNic',
          'multusNicPrefix',
          'ipam_unix_socket_path',
          'logOptions',
          'detectOptions',
        ].includes(field)
      )
        continue;
      const v = opt<unknown>(field);
      // Go's omitempty / zero-value reading: "" and [] mean "not set" for strings and lists.
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      (conf as unknown as Record<string, unknown>)[field] = v;
    }
    if (isObject(prev)) conf.prevResult = prev;
    return conf;
  });
};

const MAC_PREFIX = /^[a-fA-F0-9][a-fA-F02-9][:-][a-fA-F0-9]{2}$/;
const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR6 = /^[0-9a-fA-F:.]+\/(\d{1,3})$/;

/** net.ParseCIDR-like check (after trimming, as Spiderpool does). */
export const isCidr = (s: string): boolean => {
  const t = s.trim();
  const m4 = CIDR4.exec(t);
  if (m4 !== null) return m4.slice(1, 5).every((o) => Number(o) <= 255) && Number(m4[5]) <= 32;
  const m6 = CIDR6.exec(t);
  return m6 !== null && t.includes(':') && Number(m6[1]) <= 128;
};

const resolveMode = (m: string): CoordinatorMode | undefined => {
  // The CRD enum says `disabled`, the plugin constant is `disable` (quirk 15): both switch it off here.
  if (m === 'disabled' || m === 'disable') return 'disable';
  if (m === 'auto' || m === 'underlay' || m === 'overlay') return m;
  return undefined;
};

/** NAD values win; absent ones come from the agent. */
export const mergeCoordinatorConf = (
  nad: CoordinatorNetConf,
  agent: CoordinatorConfigAnswer,
): Result<CoordinatorConf, CoordinatorError> => {
  const mode = resolveMode(nad.mode ?? agent.mode);
  if (mode === undefined) return err(invalidNetConf('mode', `unknown tuneMode: ${nad.mode ?? agent.mode}`));
  const overlay = nad.overlayPodCIDR ?? agent.overlayPodCIDR;
  const service = nad.serviceCIDR ?? agent.serviceCIDR;
  const hijack = nad.hijackCIDR ?? agent.hijackCIDR;
  for (const [field, list] of [
    ['overlayPodCIDR', overlay],
    ['serviceCIDR', service],
    ['hijackCIDR', hijack],
  ] as const)
    for (const c of list) if (!isCidr(c)) return err(invalidNetConf(field, `invalid CIDR address: ${c}`));
  const macPrefix = nad.podMACPrefix ?? agent.podMACPrefix;
  // Spiderpool's regex lets an odd first byte such as `0b` through (its second class only excludes `1`); a
  // multicast MAC cannot be set on a NIC, so the unicast bit is checked too, as the webhook does.
  if (
    macPrefix !== '' &&
    (!MAC_PREFIX.test(macPrefix) || (Number.parseInt(macPrefix.slice(0, 2), 16) & 1) === 1)
  )
    return err(
      invalidNetConf('podMACPrefix', `${macPrefix}: must look like '0a:1b' (unicast: first byte even)`),
    );
  const podRPFilter = nad.podRPFilter ?? agent.podRPFilter;
  const hostRPFilter = nad.hostRPFilter ?? -1;
  for (const [field, v] of [
    ['podRPFilter', podRPFilter],
    ['hostRPFilter', hostRPFilter],
  ] as const)
    if (v >= 0 && ![0, 1, 2].includes(v))
      return err(invalidNetConf(field, `invalid rp_filter value ${v}, available options: [-1,0,1,2]`));
  const txQueueLen = nad.txQueueLen ?? agent.txQueueLen;
  if (txQueueLen < 0) return err(invalidNetConf('txQueueLen', `${txQueueLen} must be >= 0`));
  const vethMTU = nad.vethMTU ?? (agent.vethMTU > 0 ? agent.vethMTU : 1500);
  if (vethMTU < 68) return err(invalidNetConf('vethMTU', `${vethMTU} is below 68`));
  const hostRuleTable = nad.hostRuleTable ?? (agent.hostRuleTable > 0 ? agent.hostRuleTable : 500);
  if (hostRuleTable <= 0 || hostRuleTable === 253 || hostRuleTable === 254 || hostRuleTable === 255)
    return err(invalidNetConf('hostRuleTable', `${hostRuleTable} is not a usable table`));
  const conf: CoordinatorConf = {
    cniVersion: nad.cniVersion,
    name: nad.name,
    socketPath: nad.socketPath,
    mode,
    podDefaultCniNic: nad.podDefaultCniNic,
    multusNicPrefix: nad.multusNicPrefix,
    hijack: [...overlay, ...service, ...hijack].map((c) => c.trim()),
    tunePodRoutes: nad.tunePodRoutes ?? agent.tunePodRoutes,
    podDefaultRouteNic: nad.podDefaultRouteNic ?? agent.podDefaultRouteNIC,
    hostRuleTable,
    hostRPFilter,
    podRPFilter,
    txQueueLen,
    podMACPrefix: macPrefix,
    vethLinkAddress: nad.vethLinkAddress ?? agent.vethLinkAddress,
    vethMTU,
    policyRoutes: agent.policyRoutes,
    detectGateway: nad.detectGateway ?? false,
    detectIPConflict: nad.detectIPConflict ?? false,
    detectOptions: nad.detectOptions,
  };
  if (nad.prevResult !== undefined) conf.prevResult = nad.prevResult;
  return ok(conf);
};

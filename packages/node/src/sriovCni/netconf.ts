// The network config of the `sriov` plugin, as Spiderpool's NAD renders it for cniType sriov
// (`{vlan, min_tx_rate, max_tx_rate, type, deviceID, ipam}`, plus what sriov-cni reads: `spoofchk`, `trust`,
// `link_state`, `mac`, `mtu`, `runtimeConfig.{deviceID,mac}`), and this project's overrides for tests:
// `sysfsRoot`, `stateDir`, `deviceInfoDir`, `resourceName`. Types are checked like Go's json.Unmarshal
// (wrong type: code 6); semantic problems are code 7. `ipam` is kept as it is: the IPAM plugin reads the
// whole config itself.
import { err, ok, type Result } from 'neverthrow';
import {
  type CniError,
  decodeFailure,
  incompatibleVersion,
  invalidNetConf,
  SUPPORTED_CNI_VERSIONS,
} from '../cni/index.ts';
import { isObject } from '../json/checks.ts';

/** The versions the sriov plugin speaks: the IPAM plugin's list plus 1.1.0 (STATUS and GC). */
export const SRIOV_CNI_VERSIONS = [...SUPPORTED_CNI_VERSIONS, '1.1.0'] as const;
export type SriovCniVersion = (typeof SRIOV_CNI_VERSIONS)[number];

export type OnOff = 'on' | 'off';
export type VfLinkState = 'auto' | 'enable' | 'disable';

export interface SriovNetConf {
  cniVersion: SriovCniVersion;
  name: string;
  /** The VF's PCI address, from `deviceID` or `runtimeConfig.deviceID` (absent: found later). */
  deviceID?: string;
  /** 0 = no VLAN (what the NAD renders by default). */
  vlan?: number;
  vlanQoS?: number;
  min_tx_rate?: number;
  max_tx_rate?: number;
  spoofchk?: OnOff;
  trust?: OnOff;
  link_state?: VfLinkState;
  /** MAC for the Pod interface (and the VF's admin MAC where supported); `runtimeConfig.mac` overrides. */
  mac?: string;
  mtu?: number;
  ipam: Record<string, unknown> & { type: string };
  sysfsRoot?: string;
  stateDir?: string;
  deviceInfoDir?: string;
  resourceName?: string;
}

type Kind = 'string' | 'int';
const FIELDS: readonly [keyof SriovNetConf, Kind][] = [
  ['deviceID', 'string'],
  ['vlan', 'int'],
  ['vlanQoS', 'int'],
  ['min_tx_rate', 'int'],
  ['max_tx_rate', 'int'],
  ['spoofchk', 'string'],
  ['trust', 'string'],
  ['link_state', 'string'],
  ['mac', 'string'],
  ['mtu', 'int'],
  ['sysfsRoot', 'string'],
  ['stateDir', 'string'],
  ['deviceInfoDir', 'string'],
  ['resourceName', 'string'],
];

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;
const PCI = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

const semantic = (c: SriovNetConf): CniError | undefined => {
  if (c.deviceID !== undefined && !PCI.test(c.deviceID))
    return invalidNetConf('deviceID', `${JSON.stringify(c.deviceID)} is not a PCI address`);
  if (c.vlan !== undefined && (c.vlan < 0 || c.vlan > 4094)) return invalidNetConf('vlan', 'must be 0..4094');
  if (c.vlanQoS !== undefined && (c.vlanQoS < 0 || c.vlanQoS > 7))
    return invalidNetConf('vlanQoS', 'must be 0..7');
  for (const f of ['min_tx_rate', 'max_tx_rate'] as const)
    if ((c[f] ?? 0) < 0) return invalidNetConf(f, 'must be >= 0');
  if ((c.max_tx_rate ?? 0) > 0 && (c.min_tx_rate ?? 0) > (c.max_tx_rate ?? 0))
    return invalidNetConf('min_tx_rate', 'must not exceed max_tx_rate');
  for (const f of ['spoofchk', 'trust'] as const)
    if (c[f] !== undefined && c[f] !== 'on' && c[f] !== 'off')
      return invalidNetConf(f, 'must be "on" or "off"');
  if (c.link_state !== undefined && !['auto', 'enable', 'disable'].includes(c.link_state))
    return invalidNetConf('link_state', 'must be auto, enable or disable');
  if (c.mac !== undefined && !MAC.test(c.mac)) return invalidNetConf('mac', 'expected aa:bb:cc:dd:ee:ff');
  if (c.mtu !== undefined && (c.mtu < 68 || c.mtu > 65535)) return invalidNetConf('mtu', 'must be 68..65535');
  return undefined;
};

const versionOf = (raw: Record<string, unknown>): Result<SriovCniVersion, CniError> => {
  const v = raw.cniVersion === undefined || raw.cniVersion === '' ? '0.1.0' : raw.cniVersion;
  if (typeof v !== 'string') return err(decodeFailure('cniVersion', 'not a string'));
  const known = (SRIOV_CNI_VERSIONS as readonly string[]).includes(v);
  return known ? ok(v as SriovCniVersion) : err(incompatibleVersion(v, SRIOV_CNI_VERSIONS));
};

/** Reads stdin of ADD/DEL/CHECK. */
export const parseSriovNetConf = (stdin: string): Result<SriovNetConf, CniError> => {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch (e) {
    return err(decodeFailure('stdin', e instanceof Error ? e.message : String(e)));
  }
  if (!isObject(raw)) return err(decodeFailure('stdin', 'the network config is not a JSON object'));
  const version = versionOf(raw);
  if (version.isErr()) return err(version.error);
  const rc = raw.runtimeConfig;
  if (rc !== undefined && rc !== null && !isObject(rc))
    return err(decodeFailure('runtimeConfig', 'not an object'));
  // runtimeConfig (filled by the runtime from capabilities) wins over the static fields.
  const merged: Record<string, unknown> = { ...raw };
  if (isObject(rc)) for (const k of ['deviceID', 'mac'] as const) if (rc[k] !== undefined) merged[k] = rc[k];
  const conf: Record<string, unknown> = {};
  for (const [field, kind] of FIELDS) {
    const v = merged[field];
    if (v === undefined || v === null || v === '') continue;
    const good = kind === 'string' ? typeof v === 'string' : typeof v === 'number' && Number.isInteger(v);
    if (!good)
      return err(
        decodeFailure(field, `${JSON.stringify(v)} is not ${kind === 'int' ? 'an integer' : 'a string'}`),
      );
    conf[field] = v;
  }
  if (typeof raw.name !== 'string' && raw.name !== undefined)
    return err(decodeFailure('name', 'not a string'));
  const ipam = raw.ipam;
  if (ipam === undefined || ipam === null)
    return err(invalidNetConf('ipam', 'missing (the sriov plugin needs an IPAM plugin)'));
  if (!isObject(ipam)) return err(decodeFailure('ipam', 'not an object'));
  if (typeof ipam.type !== 'string' || ipam.type === '') return err(invalidNetConf('ipam.type', 'missing'));
  const out = {
    ...conf,
    cniVersion: version.value,
    name: typeof raw.name === 'string' ? raw.name : '',
    ipam: { ...ipam, type: ipam.type },
  } as SriovNetConf;
  const bad = semantic(out);
  return bad === undefined ? ok(out) : err(bad);
};

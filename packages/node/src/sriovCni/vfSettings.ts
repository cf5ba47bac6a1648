// PF-side settings of a VF: `ip link set dev <pf> vf <n> vlan … qos … spoofchk … trust … min_tx_rate …
// max_tx_rate … mac … state …`, in ONE command (one process). Whether the device supports them is read from
// `ip -j link show dev <pf>`: a PF lists its VFs in `vfinfo_list`; a stand-in (macvlan/veth PF) does not, and
// the settings are skipped with the reason. The values before the change are returned for DEL to restore.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { Iproute } from '../iproute/index.ts';
import { type SriovCniError, vfConfigFailed } from './errors.ts';
import type { OnOff, SriovNetConf, VfLinkState } from './netconf.ts';

export interface VfSettings {
  vlan?: number;
  qos?: number;
  mac?: string;
  spoofchk?: OnOff;
  trust?: OnOff;
  min_tx_rate?: number;
  max_tx_rate?: number;
  link_state?: VfLinkState;
}

export type VfSettingsOutcome = { applied: true; original: VfSettings } | { applied: false; reason: string };

/** What the netconf asks for (only the keys it gives). */
export const desiredVfSettings = (c: SriovNetConf): VfSettings => {
  const s: VfSettings = {};
  if (c.vlan !== undefined) s.vlan = c.vlan;
  if (c.vlanQoS !== undefined) s.qos = c.vlanQoS;
  if (c.mac !== undefined) s.mac = c.mac;
  if (c.spoofchk !== undefined) s.spoofchk = c.spoofchk;
  if (c.trust !== undefined) s.trust = c.trust;
  if (c.min_tx_rate !== undefined) s.min_tx_rate = c.min_tx_rate;
  if (c.max_tx_rate !== undefined) s.max_tx_rate = c.max_tx_rate;
  if (c.link_state !== undefined) s.link_state = c.link_state;
  return s;
};

/** The argv (after `ip`) that sets `s` on VF `index` of `pf`. vlan first: qos is only valid after it. */
export const vfSetArgs = (pf: string, index: number, s: VfSettings): string[] => {
  const a = ['link', 'set', 'dev', pf, 'vf', String(index)];
  if (s.vlan !== undefined)
    a.push('vlan', String(s.vlan), ...(s.qos !== undefined ? ['qos', String(s.qos)] : []));
  if (s.mac !== undefined) a.push('mac', s.mac);
  if (s.spoofchk !== undefined) a.push('spoofchk', s.spoofchk);
  if (s.trust !== undefined) a.push('trust', s.trust);
  if (s.min_tx_rate !== undefined) a.push('min_tx_rate', String(s.min_tx_rate));
  if (s.max_tx_rate !== undefined) a.push('max_tx_rate', String(s.max_tx_rate));
  if (s.link_state !== undefined) a.push('state', s.link_state);
  return a;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const onOff = (v: unknown): OnOff | undefined => (v === true ? 'on' : v === false ? 'off' : undefined);

/** The current settings of VF `index` from `ip -j link show dev <pf>`; undefined when the PF lists no such VF. */
export const currentVfSettings = (linkJson: unknown, index: number): VfSettings | undefined => {
  const link = Array.isArray(linkJson) ? linkJson[0] : undefined;
  const list = isRecord(link) ? link.vfinfo_list : undefined;
  if (!Array.isArray(list)) return undefined;
  const vf = list.find((v) => isRecord(v) && v.vf === index);
  if (!isRecord(vf)) return undefined;
  const vlans = Array.isArray(vf.vlan_list) ? vf.vlan_list[0] : undefined;
  const s: VfSettings = {};
  const vlan = num(isRecord(vlans) ? vlans.vlan : vf.vlan);
  const qos = num(isRecord(vlans) ? vlans.qos : vf.qos);
  if (vlan !== undefined) s.vlan = vlan;
  if (qos !== undefined) s.qos = qos;
  const mac = typeof vf.address === 'string' ? vf.address : typeof vf.mac === 'string' ? vf.mac : undefined;
  if (mac !== undefined) s.mac = mac;
  const spoof = onOff(vf.spoofchk);
  if (spoof !== undefined) s.spoofchk = spoof;
  const trust = onOff(vf.trust);
  if (trust !== undefined) s.trust = trust;
  const min = num(vf.min_tx_rate);
  const max = num(vf.max_tx_rate);
  if (min !== undefined) s.min_tx_rate = min;
  if (max !== undefined) s.max_tx_rate = max;
  if (vf.link_state === 'auto' || vf.link_state === 'enable' || vf.link_state === 'disable')
    s.link_state = vf.link_state;
  return s;
};

/** The original values of exactly the keys `desired` changes. */
const originalOf = (current: VfSettings, desired: VfSettings): VfSettings => {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(desired) as (keyof VfSettings)[])
    if (current[k] !== undefined) o[k] = current[k];
  return o as VfSettings;
};

/** Applies the netconf's VF settings on the PF where the device supports them. */
export const applyVfSettings = (
  ip: Iproute,
  vf: { pfNetdev?: string; vfIndex: number },
  desired: VfSettings,
): ResultAsync<VfSettingsOutcome, SriovCniError> => {
  const pf = vf.pfNetdev;
  if (Object.keys(desired).length === 0)
    return okAsync({ applied: false, reason: 'the config sets nothing' });
  if (pf === undefined) return okAsync({ applied: false, reason: 'the PF has no netdev' });
  return ip
    .json(['link', 'show', 'dev', pf])
    .mapErr((e) => vfConfigFailed(pf, vf.vfIndex, e.message))
    .andThen((j): ResultAsync<VfSettingsOutcome, SriovCniError> => {
      const current = currentVfSettings(j, vf.vfIndex);
      if (current === undefined)
        return okAsync({
          applied: false,
          reason: `${pf} lists no VF ${vf.vfIndex} (no vfinfo_list: not an SR-IOV PF, e.g. a stand-in)`,
        });
      return ip
        .exec(vfSetArgs(pf, vf.vfIndex, desired))
        .mapErr((e) => vfConfigFailed(pf, vf.vfIndex, e.message))
        .map(() => ({ applied: true as const, original: originalOf(current, desired) }));
    });
};

/** Puts the original values back (DEL, or an ADD that fails after applying). */
export const restoreVfSettings = (
  ip: Iproute,
  vf: { pfNetdev?: string; vfIndex: number },
  original: VfSettings,
): ResultAsync<void, SriovCniError> => {
  const pf = vf.pfNetdev;
  if (pf === undefined || Object.keys(original).length === 0) return okAsync(undefined);
  return ip
    .exec(vfSetArgs(pf, vf.vfIndex, original))
    .map(() => undefined)
    .orElse((e) => errAsync(vfConfigFailed(pf, vf.vfIndex, e.message)));
};

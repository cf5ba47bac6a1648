// Device-plugin-style VF selection: a selector narrows the VFs filter by filter (vendors, devices,
// drivers, pciAddresses, pfNames, rootDevices — the plugin's order); an empty or absent list does not
// filter. pfNames / rootDevices use the FIRST item whose part before `#` equals the PF name / PF PCI
// address (case-insensitively) or, as a regular expression, matches it anywhere; then that item's VF
// ranges decide. A resource pool's selector list is a union; a VF already taken by an earlier pool is
// not offered to a later one (the plugin's excludeAllocatedDevices).
import { err, ok, Result } from 'neverthrow';
import { invalidSelector, type SriovError } from './errors.ts';
import type { SriovPf, SriovVf } from './types.ts';
import {
  firstInvalidEntry,
  type PfSelectorItem,
  splitPfSelectorItem,
  vfIndexMatches,
} from './vfIndexSelector.ts';

export interface VfSelector {
  /** VF vendor ids (`15b3`). */
  vendors?: string[];
  /** VF device ids (`1018`). */
  devices?: string[];
  /** VF driver names (`mlx5_core`, `iavf`, `vfio-pci`). */
  drivers?: string[];
  /** VF PCI addresses. */
  pciAddresses?: string[];
  /** PF netdev names, optionally with VF ranges: `enp4s0f0np0#0,2-7,9`. */
  pfNames?: string[];
  /** PF PCI addresses, optionally with VF ranges: `0000:04:00.0#0-1,3`. */
  rootDevices?: string[];
}

export interface ResourcePoolConfig {
  resourceName: string;
  /** Defaults to the device plugin's `intel.com`; Spiderpool installs with `spidernet.io`. */
  resourcePrefix?: string;
  /** One selector object, or a list whose matches are joined. */
  selectors: VfSelector | VfSelector[];
}

export interface VfSelection {
  vfs: SriovVf[];
  /** Malformed selector entries met while matching (the plugin logs them and selects nothing for them). */
  problems: SriovError[];
}

export interface ResourcePool {
  /** `prefix/name`, e.g. `spidernet.io/sriov_netdevice`. */
  resourceName: string;
  vfs: SriovVf[];
  problems: SriovError[];
}

interface Candidate {
  vf: SriovVf;
  pf: SriovPf;
}

// A pattern that is not a valid regular expression (an unbalanced bracket) only matches exactly.
const compileRegex = Result.fromThrowable((pattern: string) => new RegExp(pattern));
const compiled = new Map<string, RegExp | null>();
const regexOf = (pattern: string): RegExp | null => {
  const hit = compiled.get(pattern);
  if (hit !== undefined) return hit;
  const re = compileRegex(pattern).unwrapOr(null);
  compiled.set(pattern, re);
  return re;
};

/** The plugin's getItem: first item naming `needle` exactly (any case) or matching it as a regex. */
const findItem = (items: readonly string[], needle: string): PfSelectorItem | undefined => {
  for (const item of items) {
    const p = splitPfSelectorItem(item);
    if (p.pattern.toLowerCase() === needle.toLowerCase()) return p;
    if (regexOf(p.pattern)?.test(needle)) return p;
  }
  return undefined;
};

const byRanges = (
  items: readonly string[],
  key: (c: Candidate) => string | undefined,
  problems: SriovError[],
): ((c: Candidate) => boolean) => {
  return (c) => {
    const needle = key(c);
    if (needle === undefined || needle === '') return false;
    const p = findItem(items, needle);
    if (p === undefined) return false;
    const bad = firstInvalidEntry(p);
    if (bad !== undefined && !problems.some((x) => x.message === bad.message)) problems.push(bad);
    return vfIndexMatches(p, c.vf.index);
  };
};

const among = (list: readonly string[], v: string | undefined): boolean =>
  v !== undefined && list.includes(v);

const candidatesOf = (pfs: readonly SriovPf[]): Candidate[] =>
  pfs.flatMap((pf) => pf.vfs.map((vf) => ({ vf, pf })));

const filterCandidates = (cands: Candidate[], s: VfSelector, problems: SriovError[]): Candidate[] => {
  const steps: ((c: Candidate) => boolean)[] = [];
  const { vendors, devices, drivers, pciAddresses, pfNames, rootDevices } = s;
  if (vendors?.length) steps.push((c) => among(vendors, c.vf.vendor));
  if (devices?.length) steps.push((c) => among(devices, c.vf.device));
  if (drivers?.length) steps.push((c) => among(drivers, c.vf.driver));
  if (pciAddresses?.length) steps.push((c) => among(pciAddresses, c.vf.pciAddress));
  if (pfNames?.length) steps.push(byRanges(pfNames, (c) => c.pf.netdev, problems));
  if (rootDevices?.length) steps.push(byRanges(rootDevices, (c) => c.pf.pciAddress, problems));
  return steps.reduce((acc, step) => acc.filter(step), cands);
};

/** The VFs one selector picks, in PF then VF-index order, with any malformed selector entries met. */
export const selectVfs = (pfs: readonly SriovPf[], selector: VfSelector): VfSelection => {
  const problems: SriovError[] = [];
  const vfs = filterCandidates(candidatesOf(pfs), selector, problems).map((c) => c.vf);
  return { vfs, problems };
};

/** Strict check of a selector's range syntax (for config validation before use). */
export const validateVfSelector = (selector: VfSelector): Result<VfSelector, SriovError> => {
  for (const item of [...(selector.pfNames ?? []), ...(selector.rootDevices ?? [])]) {
    if (item.split('#')[0] === '') return err(invalidSelector(item, item, 'empty PF name / address'));
    const bad = firstInvalidEntry(splitPfSelectorItem(item));
    if (bad !== undefined) return err(bad);
  }
  return ok(selector);
};

/** Resource pools in config order; each VF goes to the first pool that selects it. */
export const selectResourcePools = (
  pfs: readonly SriovPf[],
  configs: readonly ResourcePoolConfig[],
): ResourcePool[] => {
  const taken = new Set<string>();
  return configs.map((cfg) => {
    const problems: SriovError[] = [];
    const vfs: SriovVf[] = [];
    const selectors = Array.isArray(cfg.selectors) ? cfg.selectors : [cfg.selectors];
    for (const s of selectors) {
      for (const c of filterCandidates(candidatesOf(pfs), s, problems)) {
        if (taken.has(c.vf.pciAddress)) continue;
        taken.add(c.vf.pciAddress);
        vfs.push(c.vf);
      }
    }
    return { resourceName: `${cfg.resourcePrefix ?? 'intel.com'}/${cfg.resourceName}`, vfs, problems };
  });
};

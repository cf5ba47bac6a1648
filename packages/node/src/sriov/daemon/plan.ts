// The rendered node spec against what the host has: which PFs need `sriov_numvfs` rewritten (disruptive:
// VFs are destroyed and re-created, so Pods using them must go first), which need only MTUs. A PF the
// daemon configured before (in the stored spec) that no policy selects any more goes back to 0 VFs.
import type { SriovInterfaceExt, SriovSpecInterface, SriovVfGroup } from '@spiderpool-ts/core';
import { parseVfRange } from '@spiderpool-ts/core';

export interface PfChange {
  pciAddress: string;
  name?: string;
  currentNumVfs: number;
  numVfs: number;
  /** The PF's MTU to set (the largest of its groups), when it differs. */
  mtu?: number;
  /** Per VF index, the MTU of its group's policy (each VF its own policy's MTU). */
  vfMtus: Map<number, number>;
  /** Resource names served from this PF before the change (whose Pods a numVfs change disrupts). */
  resourcesBefore: string[];
}

export interface Plan {
  changes: PfChange[];
  /** Any numVfs rewrite. */
  disruptive: boolean;
}

const vfMtus = (groups: readonly SriovVfGroup[] | undefined): Map<number, number> => {
  const out = new Map<number, number>();
  for (const g of groups ?? []) {
    const r = parseVfRange(g.vfRange);
    if (r === undefined || g.mtu === undefined) continue;
    for (let i = r.first; i <= r.last; i++) out.set(i, g.mtu);
  }
  return out;
};

const vfMtusDiffer = (want: Map<number, number>, iface: SriovInterfaceExt): boolean =>
  (iface.Vfs ?? []).some((vf) => {
    const m = want.get(vf.vfID);
    return m !== undefined && vf.mtu !== undefined && vf.mtu !== m;
  });

export const planChanges = (
  desired: readonly SriovSpecInterface[],
  previous: readonly SriovSpecInterface[],
  found: readonly SriovInterfaceExt[],
): Plan => {
  const changes: PfChange[] = [];
  const wanted = new Map(desired.map((d) => [d.pciAddress, d]));
  for (const iface of found) {
    const d = wanted.get(iface.pciAddress);
    const before = previous.find((p) => p.pciAddress === iface.pciAddress);
    const resourcesBefore = [...new Set((before?.vfGroups ?? []).map((g) => g.resourceName))];
    const current = iface.numVfs ?? 0;
    if (d === undefined) {
      // Only undo what this daemon did: a PF absent from the previous spec is left as found.
      if (before !== undefined && current !== 0)
        changes.push({
          pciAddress: iface.pciAddress,
          currentNumVfs: current,
          numVfs: 0,
          vfMtus: new Map(),
          resourcesBefore,
          ...(iface.name ? { name: iface.name } : {}),
        });
      continue;
    }
    const numVfs = d.numVfs ?? 0;
    const mtus = vfMtus(d.vfGroups);
    const pfMtu = d.mtu !== undefined && d.mtu !== iface.mtu ? d.mtu : undefined;
    if (numVfs === current && pfMtu === undefined && !vfMtusDiffer(mtus, iface)) continue;
    const c: PfChange = {
      pciAddress: iface.pciAddress,
      currentNumVfs: current,
      numVfs,
      vfMtus: mtus,
      resourcesBefore,
    };
    if (iface.name !== undefined) c.name = iface.name;
    if (d.mtu !== undefined) c.mtu = d.mtu;
    changes.push(c);
  }
  return { changes, disruptive: changes.some((c) => c.numVfs !== c.currentNumVfs && c.currentNumVfs > 0) };
};

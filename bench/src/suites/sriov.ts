// SR-IOV suite: discovery + node-state render of 2 PFs x 128 VFs on a fake sysfs tree made by the hardware
// fixture (target <= 50 ms), plus the policy merge. Baseline measured in the same run: a naive reader that,
// for every VF, lists the whole PCI bus again and re-reads the PF's attributes before reading the VF
// (what a per-VF lookup through a PCI enumerator such as ghw.PCI() amounts to), sequentially.
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNodeSpec, type SriovNetworkNodePolicy } from '@spiderpool-ts/core';
import { readNodeInterfaces } from '@spiderpool-ts/node';
import { createSriovHardware } from '@spiderpool-ts/node/testing';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';

const SUITE = 'sriov';
const VFS = 128;
const PFS = [
  { pciAddress: '0000:04:00.0', netdev: 'enp4s0f0np0' },
  { pciAddress: '0000:05:00.0', netdev: 'enp5s0f0np0' },
];

const naiveRead = async (root: string): Promise<number> => {
  const devices = join(root, 'bus', 'pci', 'devices');
  let vfs = 0;
  for (const pf of PFS) {
    const dir = join(devices, pf.pciAddress);
    const n = Number.parseInt(await readFile(join(dir, 'sriov_numvfs'), 'utf8'), 10);
    for (let k = 0; k < n; k++) {
      await readdir(devices); // enumerate the bus again
      for (const a of ['sriov_totalvfs', 'sriov_numvfs', 'vendor', 'device'])
        await readFile(join(dir, a), 'utf8');
      await readlink(join(dir, 'driver'));
      const vf = (await readlink(join(dir, `virtfn${k}`))).replace('../', '');
      const vdir = join(devices, vf);
      for (const a of ['vendor', 'device']) await readFile(join(vdir, a), 'utf8');
      await readlink(join(vdir, 'driver'));
      await readlink(join(vdir, 'physfn'));
      for (const name of await readdir(join(vdir, 'net'))) {
        await readFile(join(vdir, 'net', name, 'mtu'), 'utf8');
        await readFile(join(vdir, 'net', name, 'address'), 'utf8');
      }
      vfs++;
    }
  }
  return vfs;
};

const policies: SriovNetworkNodePolicy[] = PFS.flatMap((pf) =>
  [0, 1].map((half) => ({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodePolicy' as const,
    metadata: { name: `${pf.netdev}-${half}`, namespace: 'sriov-network-operator' },
    spec: {
      resourceName: `r_${pf.netdev}_${half}`,
      numVfs: VFS,
      priority: 10 + half,
      nicSelector: { pfNames: [`${pf.netdev}#${half * 64}-${half * 64 + 63}`] },
    },
  })),
);

export async function run(): Promise<SuiteResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sriov-'));
  try {
    const root = join(dir, 'sys');
    const hw = await createSriovHardware({
      sysfsRoot: root,
      pfs: PFS.map((p) => ({
        ...p,
        driver: 'mlx5_core',
        vendor: '15b3',
        device: '101d',
        totalVfs: VFS,
        vfs: [],
      })),
    });
    for (const pf of PFS)
      await hw.writeAttr(join(root, 'bus', 'pci', 'devices', pf.pciAddress, 'sriov_numvfs'), String(VFS));
    const check = (await readNodeInterfaces(root))._unsafeUnwrap();
    if (check.interfaces.reduce((n, i) => n + (i.Vfs?.length ?? 0), 0) !== 2 * VFS)
      throw new Error('bad bench input');
    if ((await naiveRead(root)) !== 2 * VFS) throw new Error('bad baseline input');
    const ours = `discovery + state render, ${PFS.length} PFs x ${VFS} VFs`;
    const base = `baseline: per-VF bus re-enumeration, ${PFS.length} PFs x ${VFS} VFs`;
    const merge = `renderNodeSpec: 4 partition policies over ${PFS.length} PFs`;
    // Async tasks of tens of ms: a few iterations each (tinybench's default minimum of 64 would take minutes).
    const bench = new Bench({ time: 100, iterations: 8, warmupTime: 0, warmupIterations: 2 });
    bench.add(ours, async () => {
      const r = await readNodeInterfaces(root);
      if (r.isErr()) throw new Error(r.error.message);
    });
    bench.add(base, async () => {
      await naiveRead(root);
    });
    bench.add(merge, () => void renderNodeSpec(policies, {}, check.interfaces));
    await bench.run();
    const [o, b, m] = [ours, base, merge].map((n) => taskStats(bench, n));
    const oursMs = (o?.meanNs ?? Number.NaN) / 1e6;
    const rows: BenchRow[] = [
      {
        suite: SUITE,
        name: ours,
        value: o?.meanNs ?? Number.NaN,
        unit: 'ns',
        target: '<= 50 ms',
        met: oursMs <= 50,
        ratio: (b?.meanNs ?? Number.NaN) / (o?.meanNs ?? Number.NaN),
        baseline: base,
        note: `p99 ${((o?.p99Ns ?? Number.NaN) / 1e6).toFixed(1)} ms; ratio = baseline time / our time`,
      },
      { suite: SUITE, name: base, value: b?.meanNs ?? Number.NaN, unit: 'ns' },
      { suite: SUITE, name: merge, value: m?.meanNs ?? Number.NaN, unit: 'ns' },
    ];
    return { suite: SUITE, rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

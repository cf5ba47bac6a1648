import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSriov } from './discover.ts';
import { seedPf, writeFixtureDevice, writeFixturePf } from './sysfsFixture.ts';

let root = '';
const devices = (...p: string[]): string => join(root, 'bus', 'pci', 'devices', ...p);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sysfs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverSriov', () => {
  it('reads the seed PF with its 8 VFs', async () => {
    await writeFixturePf(root, seedPf());
    await writeFixtureDevice(root, '0000:00:1f.6');
    const r = await discoverSriov({ sysfsRoot: root });
    const d = r._unsafeUnwrap();
    expect(d.problems).toEqual([]);
    expect(d.pfs).toHaveLength(1);
    const pf = d.pfs[0]!;
    expect(pf).toMatchObject({
      pciAddress: '0000:04:00.0',
      netdev: 'enp4s0f0np0',
      driver: 'mlx5_core',
      vendor: '15b3',
      device: '1017',
      numaNode: 0,
      totalVfs: 8,
      numVfs: 8,
      linkState: 'up',
    });
    expect(pf.vfs.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pf.vfs.map((v) => v.pciAddress)).toEqual([
      '0000:04:00.2',
      '0000:04:00.3',
      '0000:04:00.4',
      '0000:04:00.5',
      '0000:04:00.6',
      '0000:04:00.7',
      '0000:04:01.0',
      '0000:04:01.1',
    ]);
    expect(pf.vfs[2]).toEqual({
      index: 2,
      pciAddress: '0000:04:00.4',
      pfPciAddress: '0000:04:00.0',
      netdev: 'enp4s0f0v2',
      netdevs: ['enp4s0f0v2'],
      driver: 'mlx5_core',
      vendor: '15b3',
      device: '1018',
    });
  });

  it('sorts virtfn links numerically (virtfn10 after virtfn9)', async () => {
    const vfs = Array.from({ length: 12 }, (_, i) => ({
      index: i,
      pciAddress: `0000:3b:0${2 + (i >> 3)}.${i & 7}`,
    }));
    await writeFixturePf(root, { pciAddress: '0000:3b:00.0', netdev: 'ens1f0', totalVfs: 16, vfs });
    const pf = (await discoverSriov({ sysfsRoot: root }))._unsafeUnwrap().pfs[0]!;
    expect(pf.vfs.map((v) => v.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(pf.vfs[0]?.netdev).toBeUndefined();
  });

  it('reports a PF without VFs and a VF without netdev or driver', async () => {
    await writeFixturePf(root, {
      pciAddress: '0000:05:00.0',
      netdev: 'ens5f0',
      totalVfs: 4,
      numaNode: -1,
      vfs: [],
    });
    await writeFixturePf(root, {
      pciAddress: '0000:06:00.0',
      totalVfs: 2,
      operstate: 'down',
      vfs: [{ index: 0, pciAddress: '0000:06:00.1', driver: 'vfio-pci' }],
    });
    const d = (await discoverSriov({ sysfsRoot: root }))._unsafeUnwrap();
    expect(d.problems).toEqual([]);
    expect(d.pfs.map((p) => [p.pciAddress, p.numVfs, p.vfs.length, p.numaNode])).toEqual([
      ['0000:05:00.0', 0, 0, -1],
      ['0000:06:00.0', 1, 1, undefined],
    ]);
    expect(d.pfs[1]?.netdev).toBeUndefined();
    expect(d.pfs[1]?.vfs[0]).toEqual({
      index: 0,
      pciAddress: '0000:06:00.1',
      pfPciAddress: '0000:06:00.0',
      netdevs: [],
      driver: 'vfio-pci',
    });
  });

  it('fails with SysfsUnreadable when bus/pci/devices is missing', async () => {
    const r = await discoverSriov({ sysfsRoot: join(root, 'nope') });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'SysfsUnreadable', code: 'ENOENT' });
  });

  it('turns malformed entries into problems, never a throw', async () => {
    await writeFixturePf(root, seedPf());
    // a PF whose sriov_totalvfs is garbage: skipped
    await mkdir(devices('0000:07:00.0'), { recursive: true });
    await writeFile(devices('0000:07:00.0', 'sriov_totalvfs'), 'lots\n');
    // a stray entry that is no PCI address
    await mkdir(devices('junk'), { recursive: true });
    // a PF with a dangling virtfn, a virtfn naming no PCI address, a bad vendor and a bad operstate
    await writeFixturePf(root, {
      pciAddress: '0000:08:00.0',
      netdev: 'ens8',
      operstate: 'sideways',
      totalVfs: 4,
      numVfs: 3,
      vfs: [{ index: 0, pciAddress: '0000:08:00.1' }],
    });
    await symlink('../0000:08:00.5', devices('0000:08:00.0', 'virtfn1'));
    await symlink('../garbage', devices('0000:08:00.0', 'virtfn2'));
    await writeFile(devices('0000:08:00.0', 'vendor'), 'zz\n');
    // a VF whose physfn points elsewhere
    await rm(devices('0000:08:00.1', 'physfn'));
    await symlink('../0000:04:00.0', devices('0000:08:00.1', 'physfn'));

    const d = (await discoverSriov({ sysfsRoot: root }))._unsafeUnwrap();
    expect(d.pfs.map((p) => p.pciAddress)).toEqual(['0000:04:00.0', '0000:08:00.0']);
    const bad = d.pfs[1]!;
    expect(bad.vfs.map((v) => v.pciAddress)).toEqual(['0000:08:00.1']);
    expect(bad.vendor).toBeUndefined();
    expect(bad.linkState).toBeUndefined();
    expect(d.problems.every((p) => p._tag === 'MalformedEntry')).toBe(true);
    const details = d.problems.map((p) => (p._tag === 'MalformedEntry' ? `${p.value}: ${p.detail}` : ''));
    expect(details).toEqual(
      expect.arrayContaining([
        'lots: not a decimal integer',
        'junk: not a PCI address',
        'zz: not a hex id',
        'sideways: unknown operstate',
        '0000:08:00.5: virtfn link points to a missing device',
        'garbage: virtfn link does not name a PCI address',
        '0000:04:00.0: expected a link to the PF 0000:08:00.0',
        '3: but 1 usable virtfn links',
      ]),
    );
    expect(d.problems).toHaveLength(8);
  });
});

import { describe, expect, it } from 'vitest';
import { selectResourcePools, selectVfs, validateVfSelector } from './selectVfs.ts';
import type { SriovPf, SriovVf } from './types.ts';

const vf = (pf: string, index: number, pciAddress: string, extra: Partial<SriovVf> = {}): SriovVf => ({
  index,
  pciAddress,
  pfPciAddress: pf,
  netdevs: [],
  driver: 'mlx5_core',
  vendor: '15b3',
  device: '1018',
  ...extra,
});

const seed: SriovPf = {
  pciAddress: '0000:04:00.0',
  netdev: 'enp4s0f0np0',
  netdevs: ['enp4s0f0np0'],
  totalVfs: 12,
  numVfs: 10,
  vfs: Array.from({ length: 10 }, (_, k) => vf('0000:04:00.0', k, `0000:04:0${k >> 3}.${k & 7}`)),
};
const intel: SriovPf = {
  pciAddress: '0000:86:00.0',
  netdev: 'ens786f0',
  netdevs: ['ens786f0'],
  totalVfs: 4,
  numVfs: 4,
  vfs: [0, 1, 2, 3].map((k) =>
    vf('0000:86:00.0', k, `0000:86:02.${k}`, {
      driver: k === 3 ? 'vfio-pci' : 'iavf',
      vendor: '8086',
      device: '154c',
    }),
  ),
};
const pfs = [seed, intel];
const picked = (s: Parameters<typeof selectVfs>[1]): string[] =>
  selectVfs(pfs, s).vfs.map((v) => `${v.pfPciAddress}#${v.index}`);

describe('selectVfs', () => {
  it('selects by pfNames with VF ranges', () => {
    expect(picked({ pfNames: ['enp4s0f0np0#0,2-7,9'] })).toEqual(
      [0, 2, 3, 4, 5, 6, 7, 9].map((i) => `0000:04:00.0#${i}`),
    );
  });

  it('selects by rootDevices, case-insensitively and by regular expression', () => {
    expect(picked({ rootDevices: ['0000:86:00.0#0-1,3'] })).toEqual([
      '0000:86:00.0#0',
      '0000:86:00.0#1',
      '0000:86:00.0#3',
    ]);
    expect(picked({ pfNames: ['ENS786F0#2'] })).toEqual(['0000:86:00.0#2']);
    expect(picked({ pfNames: ['^ens7.*#0'] })).toEqual(['0000:86:00.0#0']);
  });

  it('treats a pattern that is no valid regular expression as an exact name only', () => {
    expect(picked({ pfNames: ['(ens786f0#0', 'ens786f0#1'] })).toEqual(['0000:86:00.0#1']);
  });

  it('uses the first matching item only (later items for the same PF are ignored)', () => {
    expect(picked({ pfNames: ['ens786f0#0', 'ens786f0#1-3'] })).toEqual(['0000:86:00.0#0']);
  });

  it('narrows filter by filter (vendors, devices, drivers, pciAddresses)', () => {
    expect(picked({ vendors: ['8086'], drivers: ['iavf'] })).toEqual([
      '0000:86:00.0#0',
      '0000:86:00.0#1',
      '0000:86:00.0#2',
    ]);
    expect(picked({ devices: ['1018'], pciAddresses: ['0000:04:01.1', '0000:86:02.0'] })).toEqual([
      '0000:04:00.0#9',
    ]);
    expect(picked({ vendors: ['15b3'], pfNames: ['ens786f0'] })).toEqual([]);
    expect(picked({})).toHaveLength(14);
  });

  it('reports malformed range entries it met and selects what the plugin would', () => {
    const r = selectVfs(pfs, { pfNames: ['ens786f0#1,x'] });
    expect(r.vfs.map((v) => v.index)).toEqual([1]);
    expect(r.problems).toMatchObject([{ _tag: 'InvalidSelector', entry: 'x' }]);
  });

  it('validates selectors strictly', () => {
    expect(validateVfSelector({ pfNames: ['enp4s0f0np0#0,2-7,9'] }).isOk()).toBe(true);
    expect(validateVfSelector({ rootDevices: ['0000:86:00.0#1--2'] })._unsafeUnwrapErr()._tag).toBe(
      'InvalidSelector',
    );
    expect(validateVfSelector({ pfNames: ['#1'] })._unsafeUnwrapErr()._tag).toBe('InvalidSelector');
  });
});

describe('selectResourcePools', () => {
  it('gives each VF to the first pool that selects it and joins a pool’s selectors', () => {
    const pools = selectResourcePools(pfs, [
      {
        resourceName: 'sriov_netdevice',
        resourcePrefix: 'spidernet.io',
        selectors: { pfNames: ['enp4s0f0np0#0-7'] },
      },
      {
        resourceName: 'rest',
        selectors: [
          { pfNames: ['enp4s0f0np0'] },
          { drivers: ['vfio-pci'] },
          { rootDevices: ['0000:86:00.0#3'] },
        ],
      },
    ]);
    expect(pools.map((p) => [p.resourceName, p.vfs.length])).toEqual([
      ['spidernet.io/sriov_netdevice', 8],
      ['intel.com/rest', 3],
    ]);
    expect(pools[1]?.vfs.map((v) => v.pciAddress)).toEqual(['0000:04:01.0', '0000:04:01.1', '0000:86:02.3']);
  });
});

// The file-system parts of the sriov plugin on temp dirs: VF lookup on a fixture sysfs, deviceID sources
// (device-info files), the per-VF lock (deadline, dead owner taken over), the state record (atomic, checked).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedPf, writeFixturePf } from '../sriov/index.ts';
import { resolveDeviceId } from './deviceId.ts';
import { readRecord, recordPath, writeJsonAtomic } from './stateRecord.ts';
import { lockVf } from './vfLock.ts';
import { lookupVf } from './vfLookup.ts';

const dir = mkdtempSync(join(tmpdir(), 'spts-sriovcni-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lookupVf', () => {
  it('resolves a VF PCI address to its netdev, index and PF; refuses a PF and an unknown address', async () => {
    const sys = join(dir, 'sys');
    await writeFixturePf(sys, seedPf());
    expect((await lookupVf(sys, '0000:04:00.5'))._unsafeUnwrap()).toEqual({
      pciAddress: '0000:04:00.5',
      pfPciAddress: '0000:04:00.0',
      pfNetdev: 'enp4s0f0np0',
      vfIndex: 3,
      netdev: 'enp4s0f0v3',
    });
    expect((await lookupVf(sys, '0000:04:00.0'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'VfNotFound',
      detail: expect.stringContaining('physfn'),
    });
    expect((await lookupVf(sys, '0000:09:00.1'))._unsafeUnwrapErr()).toMatchObject({ _tag: 'VfNotFound' });
  });
});

describe('resolveDeviceId', () => {
  const devinfo = join(dir, 'devinfo');
  it('netconf first, then CNI_ARGS deviceID, then the one device-info file of the resource', async () => {
    const base = { args: [['deviceID', '0000:04:00.4']] as [string, string][], deviceInfoDir: devinfo };
    expect((await resolveDeviceId({ ...base, fromConf: '0000:04:00.2' }))._unsafeUnwrap()).toBe(
      '0000:04:00.2',
    );
    expect((await resolveDeviceId(base))._unsafeUnwrap()).toBe('0000:04:00.4');
    mkdirSync(devinfo, { recursive: true });
    writeFileSync(
      join(devinfo, 'spidernet.io-sriov_netdevice-0000:04:00.6-device.json'),
      JSON.stringify({
        type: 'pci',
        version: '1.1.0',
        pci: { 'pci-address': '0000:04:00.6', 'pf-pci-address': '0000:04:00.0' },
      }),
    );
    const viaFile = await resolveDeviceId({
      args: [],
      deviceInfoDir: devinfo,
      resourceName: 'spidernet.io/sriov_netdevice',
    });
    expect(viaFile._unsafeUnwrap()).toBe('0000:04:00.6');
    writeFileSync(join(devinfo, 'spidernet.io-sriov_netdevice-0000:04:00.7-device.json'), '{}');
    const two = await resolveDeviceId({
      args: [],
      deviceInfoDir: devinfo,
      resourceName: 'spidernet.io/sriov_netdevice',
    });
    expect(two._unsafeUnwrapErr().message).toContain('2 device-info files');
    expect((await resolveDeviceId({ args: [], deviceInfoDir: devinfo }))._unsafeUnwrapErr()._tag).toBe(
      'VfNotFound',
    );
  });
});

describe('lockVf', () => {
  it('waits until its deadline for a held lock, and takes over one whose pid is gone', async () => {
    const state = join(dir, 'state');
    const held = (await lockVf(state, '0000:04:00.2'))._unsafeUnwrap();
    const started = Date.now();
    expect((await lockVf(state, '0000:04:00.2', 150))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'LockTimeout',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await held.release();
    writeFileSync(join(state, 'pci', '0000:04:00.2.lock'), '999999999\n'); // a pid that cannot exist
    const taken = (await lockVf(state, '0000:04:00.2', 500))._unsafeUnwrap();
    await taken.release();
    expect(readdirSync(join(state, 'pci'))).toEqual([]);
  });
});

describe('state record', () => {
  it('round-trips through an atomic write and refuses a record that is not version 1', async () => {
    const state = join(dir, 'records');
    const rec = {
      version: 1 as const,
      containerID: 'c1',
      ifName: 'eth0',
      netns: '/var/run/netns/p',
      deviceID: '0000:04:00.2',
      vfIndex: 0,
      attach: {
        podNetns: '/var/run/netns/p',
        hostIfName: 'vf0',
        podIfName: 'eth0',
        original: { mtu: 1500, up: false, altnames: [] },
        addresses: [],
        routes: [],
      },
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    (await writeJsonAtomic(recordPath(state, 'c1', 'eth0'), rec))._unsafeUnwrap();
    expect(readdirSync(state)).toEqual(['c1-eth0.json']); // no temporary file left
    expect((await readRecord(state, 'c1', 'eth0'))._unsafeUnwrap()).toEqual(rec);
    expect((await readRecord(state, 'c2', 'eth0'))._unsafeUnwrap()).toBeUndefined();
    writeFileSync(recordPath(state, 'c3', 'eth0'), JSON.stringify({ ...rec, containerID: 'c3', version: 2 }));
    expect((await readRecord(state, 'c3', 'eth0'))._unsafeUnwrapErr()).toMatchObject({ _tag: 'StateIo' });
  });
});

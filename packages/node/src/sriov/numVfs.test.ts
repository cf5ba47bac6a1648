import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setNumVfs, type WriteAttr } from './numVfs.ts';
import { seedPf, writeFixtureDevice, writeFixturePf } from './sysfsFixture.ts';

let root = '';
const numVfsPath = (): string => join(root, 'bus/pci/devices/0000:04:00.0/sriov_numvfs');

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sysfs-'));
  await writeFixturePf(root, seedPf());
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const recorder = (): { writes: [string, string][]; write: WriteAttr } => {
  const writes: [string, string][] = [];
  return { writes, write: async (path, value) => void writes.push([path, value]) };
};

describe('setNumVfs', () => {
  it('writes 0 then N when changing a non-zero count', async () => {
    const rec = recorder();
    const r = await setNumVfs({
      sysfsRoot: root,
      pciAddress: '0000:04:00.0',
      numVfs: 4,
      writeAttr: rec.write,
    });
    expect(r._unsafeUnwrap()).toEqual({
      pciAddress: '0000:04:00.0',
      previous: 8,
      current: 4,
      writes: ['0', '4'],
    });
    expect(rec.writes).toEqual([
      [numVfsPath(), '0'],
      [numVfsPath(), '4'],
    ]);
  });

  it('writes to the real file by default and does nothing when unchanged', async () => {
    const r1 = await setNumVfs({ sysfsRoot: root, pciAddress: '0000:04:00.0', numVfs: 0 });
    expect(r1._unsafeUnwrap().writes).toEqual(['0']);
    expect(await readFile(numVfsPath(), 'utf8')).toBe('0');
    const r2 = await setNumVfs({ sysfsRoot: root, pciAddress: '0000:04:00.0', numVfs: 6 });
    expect(r2._unsafeUnwrap().writes).toEqual(['6']);
    const rec = recorder();
    const r3 = await setNumVfs({
      sysfsRoot: root,
      pciAddress: '0000:04:00.0',
      numVfs: 6,
      writeAttr: rec.write,
    });
    expect(r3._unsafeUnwrap()).toMatchObject({ previous: 6, current: 6, writes: [] });
    expect(rec.writes).toEqual([]);
  });

  it.each([9, -1, 1.5, Number.NaN])('refuses %s VFs (total 8) without writing', async (n) => {
    const rec = recorder();
    const r = await setNumVfs({
      sysfsRoot: root,
      pciAddress: '0000:04:00.0',
      numVfs: n,
      writeAttr: rec.write,
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'NumVfsOutOfRange', requested: n, total: 8 });
    expect(rec.writes).toEqual([]);
  });

  it('refuses a device that is not a PF', async () => {
    await writeFixtureDevice(root, '0000:00:1f.6');
    const r = await setNumVfs({ sysfsRoot: root, pciAddress: '0000:00:1f.6', numVfs: 1 });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'NotAPhysicalFunction', pciAddress: '0000:00:1f.6' });
  });

  it('maps a failing write to SysfsWriteFailed with the errno code', async () => {
    const busy: WriteAttr = async () => {
      throw Object.assign(new Error('busy'), { code: 'EBUSY' });
    };
    const r = await setNumVfs({ sysfsRoot: root, pciAddress: '0000:04:00.0', numVfs: 2, writeAttr: busy });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'SysfsWriteFailed', value: '0', code: 'EBUSY' });
  });
});

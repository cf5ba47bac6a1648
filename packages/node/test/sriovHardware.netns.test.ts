// The hardware fixture with VF stand-in netdevs (root): the daemon applies the seed's policy on the fake
// sysfs tree, and the fixture, standing for the PF driver, creates one macvlan per VF on the PF stand-in
// (a veth named enp4s0f0np0) in a netns this test made; deleting the policy returns the PF to 0 VFs
// and the macvlans disappear. Gated: skipped without root/netns/macvlan outside CI, a failure under CI=true.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@spiderpool-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type SriovConfigDaemon, startSriovConfigDaemon } from '../src/index.ts';
import { addNode, NS, seedPolicy, until } from '../src/sriov/daemon/daemonKit.ts';
import { createSriovHardware, seedHardwarePf } from '../src/testing/index.ts';
import { addNetns, cleanupAll, gate, ipj, probe, sh, uniqueName } from './netnsKit.ts';

const skip = gate('node/sriov hardware netns', probe());

const macvlans = (netns: string): string[] =>
  (ipj(netns, 'link', 'show') as { ifname: string; link_type?: string; linkinfo?: { info_kind?: string } }[])
    .map((l) => l.ifname)
    .filter((n) => /^enp4s0f0v\d+$/.test(n))
    .sort();

describe.skipIf(skip)('hardware fixture: VF stand-in netdevs in a netns', () => {
  let dir = '';
  let daemon: SriovConfigDaemon | undefined;
  afterAll(async () => {
    await daemon?.stop();
    cleanupAll();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('numVfs 8 -> eight macvlans on the PF stand-in; policy deleted -> numVfs 0 and none left', async () => {
    const host = addNetns(uniqueName('sriovhw'));
    expect(
      sh(['ip', '-n', host, 'link', 'add', 'enp4s0f0np0', 'type', 'veth', 'peer', 'name', 'pfpeer']).code,
    ).toBe(0);
    expect(sh(['ip', '-n', host, 'link', 'set', 'enp4s0f0np0', 'up']).code).toBe(0);
    dir = await mkdtemp(join(tmpdir(), 'sriovhw-'));
    const hw = await createSriovHardware({
      sysfsRoot: join(dir, 'sys'),
      pfs: [seedHardwarePf()],
      standIns: { netns: host },
    });
    const store = createMemoryStore({ now: () => new Date() });
    await addNode(store);
    daemon = (
      await startSriovConfigDaemon({
        store,
        nodeName: 'node-1',
        sysfsRoot: hw.sysfsRoot,
        writeAttr: hw.writeAttr,
      })
    )._unsafeUnwrap();
    await daemon.idle();
    expect(macvlans(host)).toEqual([]);
    (await store.create(seedPolicy()))._unsafeUnwrap();
    await until(() => daemon?.last?.changes.length === 1, 10_000);
    await daemon.idle();
    expect(macvlans(host)).toEqual(Array.from({ length: 8 }, (_, k) => `enp4s0f0v${k}`).sort());
    const link = ipj(host, '-d', 'link', 'show', 'enp4s0f0v3') as { linkinfo?: { info_kind?: string } }[];
    expect(link[0]?.linkinfo?.info_kind).toBe('macvlan');

    (await store.delete({ kind: 'SriovNetworkNodePolicy', namespace: NS, name: 'policy1' }))._unsafeUnwrap();
    await until(() => daemon?.last?.changes[0]?.numVfs === 0, 10_000);
    await daemon.idle();
    expect(macvlans(host)).toEqual([]);
    expect(hw.writes).toEqual([
      'bus/pci/devices/0000:04:00.0/sriov_numvfs=8',
      'bus/pci/devices/0000:04:00.0/sriov_numvfs=0',
    ]);
  });
});

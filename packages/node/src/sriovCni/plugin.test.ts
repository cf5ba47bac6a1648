// runSriovPlugin with an injected IPAM invoker and a scripted iproute2 (no netns, no processes): a failure
// after IPAM ADD sends IPAM DEL; STATUS/GC need 1.1.0; GC releases records the runtime no longer lists.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { okAsync } from 'neverthrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { InvokePluginOptions } from '../cni/invokePlugin.ts';
import { createIproute, type RunOutcome, type RunRequest } from '../iproute/index.ts';
import { seedPf, writeFixturePf } from '../sriov/index.ts';
import { runSriovPlugin } from './plugin.ts';
import { recordPath, writeJsonAtomic } from './stateRecord.ts';

const dir = mkdtempSync(join(tmpdir(), 'spts-sriovplugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VF_LINK =
  '[{"ifindex":7,"ifname":"enp4s0f0v0","flags":["BROADCAST"],"mtu":1500,"address":"66:ad:ed:c8:d4:90"}]';
const POD_TAKEN =
  '[{"ifindex":1,"ifname":"lo","flags":["UP"],"mtu":65536},{"ifindex":2,"ifname":"eth0","flags":[],"mtu":1500}]';

const world = () => {
  const commands: string[] = [];
  const ipam: string[] = [];
  const runner = async (r: RunRequest): Promise<RunOutcome> => {
    const cmd = [r.file, ...r.args].join(' ');
    commands.push(cmd);
    if (cmd.includes('/var/run/netns/gone'))
      return {
        exitCode: 1,
        signal: null,
        stdout: '',
        stderr: 'nsenter: cannot open /var/run/netns/gone: No such file or directory\n',
      };
    const stdout = cmd.endsWith('link show dev enp4s0f0v0')
      ? VF_LINK
      : cmd.endsWith('-j link show')
        ? POD_TAKEN
        : '';
    return { exitCode: 0, signal: null, stdout, stderr: '' };
  };
  const invoke = (o: InvokePluginOptions) => {
    ipam.push(`${o.type} ${o.command}`);
    const result = { cniVersion: '1.0.0', ips: [{ address: '10.20.168.190/16', gateway: '10.20.0.1' }] };
    return okAsync({ path: `/opt/cni/bin/${o.type}`, result: o.command === 'ADD' ? result : undefined });
  };
  return { commands, ipam, world: { iproute: createIproute({ runner }), runner, invoke } };
};

const env = (command: string) => ({
  CNI_COMMAND: command,
  CNI_CONTAINERID: 'c1',
  CNI_NETNS: '/var/run/netns/pod-1',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
  CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=p1',
  SPIDERPOOL_SYSFS_ROOT: join(dir, 'sys'),
  SPIDERPOOL_SRIOV_STATE_DIR: join(dir, 'state'),
});
const conf = (cniVersion = '1.0.0') =>
  JSON.stringify({
    cniVersion,
    name: 'sriov-test',
    type: 'sriov',
    deviceID: '0000:04:00.2',
    vlan: 0,
    ipam: { type: 'spiderpool' },
  });

describe('runSriovPlugin', () => {
  it('a taken Pod interface name after IPAM ADD: CNI error, IPAM DEL sent, no record, lock released', async () => {
    await writeFixturePf(join(dir, 'sys'), seedPf());
    const w = world();
    const out = await runSriovPlugin({ env: env('ADD'), stdin: conf(), world: w.world });
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 999,
      details: 'Plumbing',
      msg: expect.stringContaining('eth0'),
    });
    expect(w.ipam).toEqual(['spiderpool ADD', 'spiderpool DEL']);
    expect(w.commands.some((c) => c.includes(' netns '))).toBe(false); // nothing was moved
    expect(readdirSync(join(dir, 'state', 'pci'))).toEqual([]);
  });
  it('VERSION lists 1.1.0; STATUS and GC refuse an older cniVersion and STATUS answers 50 without sysfs', async () => {
    const w = world();
    const v = await runSriovPlugin({
      env: { CNI_COMMAND: 'VERSION' },
      stdin: '{"cniVersion":"1.1.0"}',
      world: w.world,
    });
    expect(JSON.parse(v.stdout).supportedVersions).toContain('1.1.0');
    const old = await runSriovPlugin({ env: env('STATUS'), stdin: conf(), world: w.world });
    expect(JSON.parse(old.stdout)).toMatchObject({ code: 4 });
    expect(
      (await runSriovPlugin({ env: env('STATUS'), stdin: conf('1.1.0'), world: w.world })).exitCode,
    ).toBe(0);
    const gone = { ...env('STATUS'), SPIDERPOOL_SYSFS_ROOT: join(dir, 'nosys') };
    expect(
      JSON.parse((await runSriovPlugin({ env: gone, stdin: conf('1.1.0'), world: w.world })).stdout),
    ).toMatchObject({ code: 50 });
  });
  it('GC releases the records of attachments the runtime no longer lists, keeps the others, passes GC on', async () => {
    const state = join(dir, 'state');
    const rec = (containerID: string, pci: string) => ({
      version: 1,
      containerID,
      ifName: 'eth0',
      netns: '/var/run/netns/gone',
      deviceID: pci,
      vfIndex: 0,
      attach: {
        podNetns: '/var/run/netns/gone',
        hostIfName: 'vf0',
        podIfName: 'eth0',
        original: { mtu: 1500, up: false, altnames: [] },
        addresses: [],
        routes: [],
      },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    (await writeJsonAtomic(recordPath(state, 'keep', 'eth0'), rec('keep', '0000:04:00.3')))._unsafeUnwrap();
    (await writeJsonAtomic(recordPath(state, 'stale', 'eth0'), rec('stale', '0000:04:00.4')))._unsafeUnwrap();
    const w = world();
    const stdin = JSON.stringify({
      ...JSON.parse(conf('1.1.0')),
      'cni.dev/valid-attachments': [{ containerID: 'keep', ifname: 'eth0' }],
    });
    const out = await runSriovPlugin({ env: { ...env('GC'), CNI_CONTAINERID: '' }, stdin, world: w.world });
    expect(out).toEqual({ stdout: '', exitCode: 0 });
    expect(readdirSync(state).filter((f) => f.endsWith('.json'))).toEqual(['keep-eth0.json']);
    expect(w.ipam).toEqual(['spiderpool GC']);
  });
});

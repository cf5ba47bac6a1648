// The built daemon (bin/spiderpool-sriov-device-plugin -> dist/bin/spiderpool-sriov-device-plugin.js, one
// self-contained bundle) as a separate process, through a symlink, against the kubelet stand-in in this
// process. Needs `pnpm build` (gated: skips outside CI when the bundle is missing, fails under CI=true).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeletStandIn } from '../src/testing/index.ts';
import { type Dirs, makeDirs, removeDirs, SEED_RESOURCE, seedPod, writeSeed } from './devicePluginKit.ts';
import { gate } from './netnsKit.ts';

const bin = fileURLToPath(new URL('../bin/spiderpool-sriov-device-plugin', import.meta.url));
const bundle = fileURLToPath(new URL('../dist/bin/spiderpool-sriov-device-plugin.js', import.meta.url));
const skip = gate(
  'device plugin daemon',
  existsSync(bundle) ? undefined : `${bundle} missing (run pnpm build)`,
);

let dirs: Dirs;
let link = '';
beforeAll(async () => {
  dirs = await makeDirs();
  link = join(dirs.root, 'spiderpool-sriov-device-plugin');
  await symlink(bin, link);
});
afterAll(async () => {
  await removeDirs(dirs);
});

const run = (args: string[]): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => {
    execFile(link, args, { timeout: 30_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout + stderr }),
    );
  });

describe.skipIf(skip)('spiderpool-sriov-device-plugin (built bundle)', () => {
  it('--help exits 0; a bad config exits 1 naming the field', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--config-file');
    const cfg = join(dirs.root, 'bad.json');
    await writeFile(cfg, '{"resourceList":[{"resourceName":"sriov-netdevice","selectors":{}}]}');
    const bad = await run(['--config-file', cfg, '--sysfs-root', dirs.sysfs]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('resourceList[0].resourceName');
    expect((await run(['--no-such-flag'])).code).toBe(2);
  });

  it('registers with kubelet, advertises 8 VFs, allocates, and exits 0 on SIGTERM', async () => {
    await writeSeed(dirs.sysfs);
    const cfg = join(dirs.root, 'config.json');
    await writeFile(
      cfg,
      JSON.stringify({
        resourceList: [{ resourceName: 'sriov_netdevice', selectors: { pfNames: ['enp4s0f0np0'] } }],
      }),
    );
    const kubelet = await startKubeletStandIn({ socketDir: dirs.sockets, deviceInfoDir: dirs.devinfo });
    const child = spawn(
      link,
      [
        '--config-file',
        cfg,
        '--sysfs-root',
        dirs.sysfs,
        '--device-plugin-dir',
        dirs.sockets,
        '--device-info-dir',
        dirs.devinfo,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    try {
      expect(await kubelet.waitFor(() => kubelet.resources()[SEED_RESOURCE]?.allocatable === 8, 30_000)).toBe(
        true,
      );
      const a = await kubelet.allocatePod(seedPod('p'));
      if (a.isErr()) throw new Error(a.error.message);
      expect(a.value.containers[0]?.response.envs.PCIDEVICE_SPIDERNET_IO_SRIOV_NETDEVICE).toBe(
        '0000:04:00.2',
      );
      expect(a.value.containers[0]?.deviceInfo['0000:04:00.2']?.pci['pci-address']).toBe('0000:04:00.2');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await kubelet.close();
    }
    expect(existsSync(join(dirs.sockets, 'spidernet.io_sriov_netdevice.sock'))).toBe(false);
  });
});

// The built daemon process (bin/sriov-config-daemon -> dist/bin/sriov-config-daemon.js, run through a symlink)
// against the API-server emulator over a kubeconfig file: it writes the node state for the fake sysfs tree,
// prints a JSON line per pass, and exits 0 on SIGTERM. Needs `pnpm build` (gated: skipped when the bundle
// is missing outside CI, a failure under CI=true, where .ci/run builds first).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SriovNetworkNodeState } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { describe, expect, it } from 'vitest';
import { addNode, NS, until } from '../src/sriov/daemon/daemonKit.ts';
import { createSriovHardware, seedHardwarePf } from '../src/testing/index.ts';
import { gate } from './netnsKit.ts';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(pkg, 'dist', 'bin', 'sriov-config-daemon.js');
const skip = gate(
  'node/sriov-config-daemon bundle',
  existsSync(bundle) ? undefined : `${bundle} missing (pnpm build)`,
);

describe.skipIf(skip)('sriov-config-daemon executable', () => {
  it('runs from a symlink, writes the node state, stops on SIGTERM with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sriovd-bin-'));
    const emu = await startApiServerEmulator();
    try {
      const kubeconfig = emu.writeKubeconfig(join(dir, 'kubeconfig'));
      const store = createKubernetesStore({ kubeConfig: emu.kubeConfig() })._unsafeUnwrap();
      await addNode(store);
      const hw = await createSriovHardware({ sysfsRoot: join(dir, 'sys'), pfs: [seedHardwarePf()] });
      const link = join(dir, 'sriov-config-daemon');
      symlinkSync(join(pkg, 'bin', 'sriov-config-daemon'), link);
      const child = spawn(link, [], {
        env: { ...process.env, NODE_NAME: 'node-1', SYSFS_ROOT: hw.sysfsRoot, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await until(() => out.includes('"syncStatus":"Succeeded"'), 20_000);
      const st = (
        await store.get<SriovNetworkNodeState>({
          kind: 'SriovNetworkNodeState',
          namespace: NS,
          name: 'node-1',
        })
      )._unsafeUnwrap();
      expect(st.status?.interfaces?.[0]).toMatchObject({ name: 'enp4s0f0np0', totalvfs: 8, numVfs: 0 });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

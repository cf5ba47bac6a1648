// The coordinator example of packages/node/README.md, kept runnable (mode disable: no netns needed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, SPIDERPOOL_GROUP_VERSION, type SpiderCoordinator } from '@spiderpool-ts/core';
import { describe, expect, it } from 'vitest';
import { runCoordinatorPlugin, startIpamAgent, unixSocketTransport } from '../index.ts';

describe('README: coordinator example', () => {
  it('asks the agent, merges, and passes prevResult through with mode disable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spts-coord-readme-'));
    const socketPath = join(dir, 'agent.sock');
    const store = createMemoryStore({ now: () => new Date() });
    const created = (
      await store.create<SpiderCoordinator>({
        apiVersion: SPIDERPOOL_GROUP_VERSION,
        kind: 'SpiderCoordinator',
        metadata: { name: 'default' },
        spec: { mode: 'auto', podCIDRType: 'cluster' },
      })
    )._unsafeUnwrap();
    (
      await store.updateStatus<SpiderCoordinator>({
        ...created,
        status: { phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.43.0.0/16'] },
      })
    )._unsafeUnwrap();
    await store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web-1' } });
    const agent = (await startIpamAgent({ store, nodeName: 'node-1', socketPath }))._unsafeUnwrap();
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '10.20.168.190/16' }], dns: {} };
    try {
      const out = await runCoordinatorPlugin({
        env: {
          CNI_COMMAND: 'ADD',
          CNI_CONTAINERID: 'ctr1',
          CNI_NETNS: '/var/run/netns/pod1',
          CNI_IFNAME: 'eth0',
          CNI_PATH: '/opt/cni/bin',
          CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1',
        },
        stdin: JSON.stringify({
          cniVersion: '1.0.0',
          name: 'n',
          type: 'coordinator',
          mode: 'disable',
          ipam_unix_socket_path: socketPath,
          prevResult,
        }),
        transport: unixSocketTransport(),
      });
      expect(out.exitCode).toBe(0);
      expect(JSON.parse(out.stdout)).toEqual(prevResult);
    } finally {
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Test kit of the daemon tests: a fake sysfs tree with the hardware fixture, a store with the Node, the
// seed's policy, a byte-level snapshot of the tree, and a recorder of node-state sync statuses.
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultSriovPolicy,
  type KubeObject,
  type SriovNetworkNodePolicy,
  type SriovNetworkNodePolicySpec,
  type SriovNetworkNodeState,
  type Store,
} from '@spiderpool-ts/core';
import { createSriovHardware, type SriovHardware, seedHardwarePf } from '../../testing/sriovHardware.ts';

export const NS = 'sriov-network-operator';

export const seedPolicy = (
  name = 'policy1',
  spec: Partial<SriovNetworkNodePolicySpec> = {},
): SriovNetworkNodePolicy =>
  defaultSriovPolicy({
    apiVersion: 'sriovnetwork.openshift.io/v1',
    kind: 'SriovNetworkNodePolicy',
    metadata: { name, namespace: NS },
    spec: {
      deviceType: 'netdevice',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      nicSelector: { pfNames: ['enp4s0f0np0'] },
      numVfs: 8,
      resourceName: 'sriov_netdevice',
      ...spec,
    },
  });

export const makeHardware = async (): Promise<{
  dir: string;
  hw: SriovHardware;
  cleanup: () => Promise<void>;
}> => {
  const dir = await mkdtemp(join(tmpdir(), 'sriovd-'));
  const hw = await createSriovHardware({ sysfsRoot: join(dir, 'sys'), pfs: [seedHardwarePf()] });
  return { dir, hw, cleanup: () => rm(dir, { recursive: true, force: true }) };
};

export const addNode = async (store: Store, name = 'node-1'): Promise<void> => {
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name } },
  };
  (await store.create(node))._unsafeUnwrap();
};

/** Every entry under `root` with its content (files) or target (links), sorted: equal means byte-identical. */
export const snapshot = async (root: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const st = await lstat(p);
      if (st.isSymbolicLink()) out.push(`${p} -> ${await readlink(p)}`);
      else if (st.isDirectory()) {
        out.push(`${p}/`);
        await walk(p);
      } else out.push(`${p} = ${JSON.stringify(await readFile(p, 'utf8'))}`);
    }
  };
  await walk(root);
  return out;
};

/** Records each change of node-1's syncStatus from now on (a spec-only write repeats the old one: skipped). */
export const recordSync = async (store: Store, node = 'node-1') => {
  const seen: string[] = [];
  let last = (await getState(store, node)).status?.syncStatus;
  const h = (
    await store.watch<SriovNetworkNodeState>('SriovNetworkNodeState', { namespace: NS }, (e) => {
      if (e.type === 'MODIFIED')
        if (e.object.metadata.name === node && e.object.status?.syncStatus) {
          if (last !== e.object.status.syncStatus) seen.push(e.object.status.syncStatus);
          last = e.object.status.syncStatus;
        }
    })
  )._unsafeUnwrap();
  return { seen, close: () => h.close() };
};

export const getState = async (store: Store, node = 'node-1'): Promise<SriovNetworkNodeState> =>
  (
    await store.get<SriovNetworkNodeState>({ kind: 'SriovNetworkNodeState', namespace: NS, name: node })
  )._unsafeUnwrap();

/** Waits (bounded) until `check` holds. */
export const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

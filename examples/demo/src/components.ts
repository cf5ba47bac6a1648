// The REAL components, each started as its own OS process from its built bundle (bin/ wrappers of
// @spiderpool-ts/node run dist/ with plain node; the sample operator runs its own dist/operator.js).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATOR_BUNDLE } from './build.ts';
import { NODE_BIN, OPERATOR_DIR } from './paths.ts';
import { type Proc, spawnProc } from './processes.ts';

/** The sample operator (NAD controller, pool/subnet status controllers, SpiderCoordinator controller, GC). */
export const spawnOperator = (kubeconfig: string): Proc =>
  spawnProc(
    'operator',
    process.execPath,
    [
      OPERATOR_BUNDLE,
      '--kubeconfig',
      kubeconfig,
      '--identity',
      'demo-operator',
      '--port',
      '0',
      '--coordinator-resync',
      '1',
    ],
    { cwd: OPERATOR_DIR, env: { ...process.env, KUBECONFIG: kubeconfig } },
  );

export interface NodeDirs {
  name: string;
  /** This node's fake sysfs (the hardware fixture's tree). */
  sysfs: string;
  /** kubelet's device-plugins dir (kubelet.sock and the plugin's socket). */
  devicePlugins: string;
  /** The device plugin's device-info files, read by the Multus stand-in. */
  deviceInfo: string;
  agentSocket: string;
  /** The sriov CNI plugin's state dir and the CNI result cache. */
  cniState: string;
  cniCache: string;
}

/** The spiderpool agent of one node (IPAM behind a unix socket, over the API server). */
export const spawnAgent = (n: NodeDirs, kubeconfig: string): Proc =>
  spawnProc(`${n.name}/agent`, join(NODE_BIN, 'spiderpool-agent'), [
    '--node-name',
    n.name,
    '--kubeconfig',
    kubeconfig,
    '--ipam-unix-socket-path',
    n.agentSocket,
  ]);

/** sriov-network-operator's config daemon of one node: renders SriovNetworkNodeState, applies policies. */
export const spawnConfigDaemon = (n: NodeDirs, kubeconfig: string): Proc =>
  spawnProc(`${n.name}/sriov-config-daemon`, join(NODE_BIN, 'sriov-config-daemon'), [], {
    env: {
      ...process.env,
      NODE_NAME: n.name,
      SYSFS_ROOT: n.sysfs,
      KUBECONFIG: kubeconfig,
      RESYNC_MS: '30000',
    },
  });

/** sriov-network-device-plugin of one node, with the resource list the operator renders for policy1. */
export const spawnDevicePlugin = (n: NodeDirs): Proc => {
  const config = join(n.devicePlugins, '..', 'device-plugin-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      resourceList: [{ resourceName: 'sriov_netdevice', selectors: { pfNames: ['enp4s0f0np0'] } }],
    }),
  );
  return spawnProc(`${n.name}/device-plugin`, join(NODE_BIN, 'spiderpool-sriov-device-plugin'), [
    '--config-file',
    config,
    '--resource-prefix',
    'spidernet.io',
    '--sysfs-root',
    n.sysfs,
    '--device-plugin-dir',
    n.devicePlugins,
    '--device-info-dir',
    n.deviceInfo,
  ]);
};

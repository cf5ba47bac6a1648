// `sriov-config-daemon`: the node config daemon as a process (built by tsup to dist/bin/sriov-config-daemon.js,
// started by bin/sriov-config-daemon). Configuration from the environment, as the operator's DaemonSet:
//   NODE_NAME (required), SYSFS_ROOT (/sys), NAMESPACE (sriov-network-operator), KUBECONFIG (a file; absent:
//   in-cluster service account), RESYNC_MS (30000), DRAIN_TIMEOUT_MS (300000).
// One JSON line per reconcile pass on stdout; SIGTERM / SIGINT stop it cleanly (exit 0).
import { KubeConfig } from '@kubernetes/client-node';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { startSriovConfigDaemon } from './daemon.ts';

const env = process.env;
const intEnv = (name: string, fallback: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v)) {
    console.error(`sriov-config-daemon: ${name}=${JSON.stringify(v)} is not a number of milliseconds`);
    process.exit(2);
  }
  return Number.parseInt(v, 10);
};

const nodeName = env.NODE_NAME ?? '';
if (nodeName === '') {
  console.error('sriov-config-daemon: NODE_NAME is required');
  process.exit(2);
}
const kc = new KubeConfig();
try {
  if (env.KUBECONFIG) kc.loadFromFile(env.KUBECONFIG);
  else kc.loadFromCluster();
} catch (e) {
  console.error(`sriov-config-daemon: cannot load kubeconfig: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
const opened = createKubernetesStore({ kubeConfig: kc });
if (opened.isErr()) {
  console.error(`sriov-config-daemon: ${opened.error.message}`);
  process.exit(2);
}
const store = opened.value;
const started = await startSriovConfigDaemon({
  store,
  nodeName,
  sysfsRoot: env.SYSFS_ROOT ?? '/sys',
  ...(env.NAMESPACE ? { namespace: env.NAMESPACE } : {}),
  resyncMs: intEnv('RESYNC_MS', 30_000),
  drainTimeoutMs: intEnv('DRAIN_TIMEOUT_MS', 300_000),
  onPass: (o) =>
    console.log(
      JSON.stringify({
        time: new Date().toISOString(),
        node: nodeName,
        syncStatus: o.syncStatus,
        ...(o.lastSyncError ? { lastSyncError: o.lastSyncError } : {}),
        changed: o.changes.map((c) => ({ pciAddress: c.pciAddress, numVfs: c.numVfs })),
        evicted: o.evicted.map((p) => `${p.namespace}/${p.name}`),
      }),
    ),
});
if (started.isErr()) {
  console.error(`sriov-config-daemon: ${started.error.message}`);
  process.exit(1);
}
const daemon = started.value;
const stop = (): void => {
  void daemon.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

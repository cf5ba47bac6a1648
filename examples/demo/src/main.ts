// `pnpm demo`: the seed walkthrough (SR-IOV + Multus + Spiderpool) on the embedded in-memory store.
// `pnpm demo -- --store=k8s`: the same walkthrough through KubernetesStore against the API-server emulator,
// then the real kubectl; with `--real-cluster` (and KUBECONFIG) against that cluster instead.
import { parseDemoArgs } from './args.ts';
import { emulatorTarget } from './emulatorTarget.ts';
import { consolePrinter } from './printer.ts';
import { openRealCluster } from './realClusterTarget.ts';
import { DEFAULT_DEMO_OPTIONS, K8S_STORM, runDemo } from './runDemo.ts';

const args = parseDemoArgs(process.argv.slice(2), process.env.KUBECONFIG);
if (typeof args === 'string') {
  console.error(args);
  process.exit(2);
}
const p = consolePrinter();
const where = {
  memory: 'on the embedded in-memory store',
  emulator: 'through KubernetesStore on the API-server emulator (127.0.0.1)',
  real: `through KubernetesStore on the cluster of ${args.kubeconfig ?? ''}`,
}[args.store];
console.log(`spiderpool-ts demo: the seed walkthrough (SR-IOV + Multus + Spiderpool) ${where}`);
const started = performance.now();
const target =
  args.store === 'memory'
    ? undefined
    : args.store === 'emulator'
      ? await emulatorTarget()
      : await openRealCluster(p, args.kubeconfig ?? '');
const ok =
  target !== null &&
  (await runDemo(p, {
    storm: args.store === 'memory' ? DEFAULT_DEMO_OPTIONS.storm : K8S_STORM,
    ...(target ? { target } : {}),
  }));
const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  ok ? `\ndemo finished in ${secs} s: every step passed` : `\ndemo stopped after ${secs} s: a step failed`,
);
process.exit(ok ? 0 : 1);

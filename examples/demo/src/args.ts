// Command line of `pnpm demo`: `--store=memory|k8s` (default memory) and `--real-cluster` (k8s only, needs
// KUBECONFIG). A literal `--` (as `pnpm demo -- --store=k8s` may pass it) is ignored.

export interface DemoArgs {
  store: 'memory' | 'emulator' | 'real';
  /** The kubeconfig of the real cluster. */
  kubeconfig?: string;
}

export const DEMO_USAGE =
  'usage: pnpm demo [-- --store=memory|k8s [--real-cluster]]   (--real-cluster reads KUBECONFIG)';

/** The parsed arguments, or a message saying what is wrong (with the usage). */
export const parseDemoArgs = (argv: readonly string[], kubeconfig: string | undefined): DemoArgs | string => {
  let store = 'memory';
  let real = false;
  for (const a of argv) {
    if (a === '--') continue;
    if (a.startsWith('--store=')) store = a.slice('--store='.length);
    else if (a === '--real-cluster') real = true;
    else return `unknown argument ${a}\n${DEMO_USAGE}`;
  }
  if (store !== 'memory' && store !== 'k8s')
    return `--store must be memory or k8s, not ${store}\n${DEMO_USAGE}`;
  if (real && store !== 'k8s') return `--real-cluster needs --store=k8s\n${DEMO_USAGE}`;
  if (!real) return { store: store === 'k8s' ? 'emulator' : 'memory' };
  if (!kubeconfig) return `--real-cluster needs KUBECONFIG set to the cluster's kubeconfig\n${DEMO_USAGE}`;
  return { store: 'real', kubeconfig };
};

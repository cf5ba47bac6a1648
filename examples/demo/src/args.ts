// Command line of `pnpm demo`: `--keep` (leave everything running and print how to use and stop it) and
// `--help`. A literal `--` (as `pnpm demo -- --keep` may pass it) is ignored.

export interface DemoArgs {
  help: boolean;
  keep: boolean;
}

export const DEMO_USAGE = `usage: pnpm demo [-- --keep] [-- --help]

Runs the seed walkthrough (Spiderpool's SR-IOV quick start: SR-IOV + Multus + Spiderpool) end to end on one machine with
the real components: the admission webhook server, the sample operator, one spiderpool-agent, one SR-IOV
config daemon and one device plugin per node (master-11, worker-12), the CNI chain sriov -> spiderpool ->
coordinator, and the real kubectl. The API server, kubelet, kube-proxy and the NIC are test doubles; every
step says which is which. As root, Pods are network namespaces that ping each other and reach the Service.

  --keep      leave everything running at the end; prints a KUBECONFIG=... kubectl line to try and how to stop
  -h, --help  this text

Exit code 0 when every step showed what the seed shows, 1 when a step differed, 2 on bad arguments.
`;

/** The parsed arguments, or a message saying what is wrong (with the usage). */
export const parseDemoArgs = (argv: readonly string[]): DemoArgs | string => {
  const args: DemoArgs = { help: false, keep: false };
  for (const a of argv) {
    if (a === '--') continue;
    if (a === '--keep') args.keep = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a.startsWith('--store'))
      return `${a}: the in-memory and KubernetesStore variants are gone; the demo always runs the real parts\n\n${DEMO_USAGE}`;
    else return `unknown argument ${a}\n\n${DEMO_USAGE}`;
  }
  return args;
};

// `pnpm demo`: the seed walkthrough on the real components (runDemo.ts). Builds missing bundles first, runs
// every step, cleans up everything it started (also on Ctrl-C and on a failed step) unless `--keep`, then
// waits for Ctrl-C / SIGTERM. Exit 0: every step showed what the seed shows; 1: a step differed; 2: bad args.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USAGE, parseDemoArgs } from './args.ts';
import { ensureBundles } from './build.ts';
import { createCleanup } from './cleanup.ts';
import { consolePrinter } from './printer.ts';
import { killAllSync } from './processes.ts';

const args = parseDemoArgs(process.argv.slice(2));
if (typeof args === 'string') {
  console.error(args);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(DEMO_USAGE);
  process.exit(0);
}

console.log('spiderpool-ts demo: the seed walkthrough (SR-IOV + Multus + Spiderpool) on the real components');
console.log(
  "each step says REAL (this project's component, as on a cluster) or TEST DOUBLE (and what it stands for)",
);
const t0 = performance.now();
const built = ensureBundles((l) => console.log(l));
if (built !== undefined) {
  console.error(`demo: ${built}`);
  process.exit(1);
}

// Only now: runDemo imports the packages' built libraries, which the build above made when missing.
const { runDemo } = await import('./runDemo.ts');

// Short: unix socket paths are limited to 107 bytes.
const dir = mkdtempSync(join(tmpdir(), 'spts-demo-'));
const cleanup = createCleanup();
cleanup.add('the temp dir', () => rmSync(dir, { recursive: true, force: true }));
process.on('exit', () => {
  // Last resort when the demo dies another way: no child outlives it.
  killAllSync();
});

const finish = async (code: number, why?: string): Promise<never> => {
  if (why) console.log(`\n${why}: stopping everything`);
  const problems = await cleanup.runAll();
  for (const x of problems) console.error(`  cleanup: ${x}`);
  killAllSync();
  process.exit(problems.length > 0 && code === 0 ? 1 : code);
};
let interrupted = false;
/** --keep after a successful run: a stop is the normal end (exit 0). */
let kept = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    void finish(kept ? 0 : 130, sig);
  });

const p = consolePrinter();
let outcome: Awaited<ReturnType<typeof runDemo>>;
try {
  outcome = await runDemo({ p, dir, cleanup });
} catch (e) {
  p.fail(`unexpected: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  outcome = { ok: false, podNetns: [] };
}
if (interrupted) await new Promise(() => undefined); // finish() exits
const secs = ((performance.now() - t0) / 1000).toFixed(1);
if (!outcome.ok) {
  console.log(`\ndemo stopped after ${secs} s: a step differed from the seed (FAIL above)`);
  await finish(1);
}
console.log(`\ndemo finished in ${secs} s: every step showed what the seed shows`);
if (!args.keep) await finish(0);
kept = true;

console.log('\n--keep: everything is still running. Try:');
console.log(`  KUBECONFIG=${outcome.kubeconfig} kubectl get spiderippool,spiderendpoints,pods -owide`);
console.log(
  `  KUBECONFIG=${outcome.kubeconfig} kubectl get sriovnetworknodestates -n sriov-network-operator -o yaml`,
);
const [a] = outcome.podNetns;
if (a !== undefined) console.log(`  ip netns exec ${a} ping -c 1 10.20.168.191`);
console.log(`stop with Ctrl-C (or kill ${process.pid}): everything is cleaned up`);

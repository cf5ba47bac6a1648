// `pnpm bench [suite ...]`: runs the named suites (all by default), prints one table, writes
// bench/results/<suite>.json and .md. Each suite module exports `run(): Promise<SuiteResult>`.
import { machineMeta, withLoadEnd } from './machine.ts';
import { regenerate } from './regenerate.ts';
import { type SuiteResult, toMarkdown, writeResults } from './report.ts';

type Suite = () => Promise<SuiteResult>;
const suites: Record<string, () => Promise<Suite>> = {
  // Suites register here: name -> lazy import of its run().
  store: async () => (await import('./suites/store.ts')).run,
  ip: async () => (await import('./suites/ip.ts')).run,
  ipam: async () => (await import('./suites/ipam.ts')).run,
  'ipam-scale': async () => (await import('./suites/ipamScale.ts')).run,
  'status-encode': async () => (await import('./suites/statusEncode.ts')).run,
  bitmap: async () => (await import('./suites/bitmap.ts')).run,
  webhook: async () => (await import('./suites/webhook.ts')).run,
  'sriov-plugin': async () => (await import('./suites/sriovPlugin.ts')).run,
  deviceplugin: async () => (await import('./suites/devicePlugin.ts')).run,
  informers: async () => (await import('./suites/informers.ts')).run,
  admission: async () => (await import('./suites/admission.ts')).run,
  coordinator: async () => (await import('./suites/coordinator.ts')).run,
  sriov: async () => (await import('./suites/sriov.ts')).run,
  chain: async () => (await import('./suites/chain.ts')).run,
  'store-etcd': async () => (await import('./suites/storeEtcd.ts')).run,
  'large-pool': async () => (await import('./suites/largePool.ts')).run,
  'http-storm': async () => (await import('./suites/httpStorm.ts')).run,
  'http-storm-10k': async () => (await import('./suites/httpStorm.ts')).run10k,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(suites);
for (const name of names) {
  const load = suites[name];
  if (!load) {
    console.error(`unknown suite ${name}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}`);
  const meta = machineMeta();
  const result = await (await load())();
  console.log(toMarkdown(result.rows));
  console.log(`wrote ${writeResults(name, [result], { ...withLoadEnd(meta) })}`);
}
const regenerated = regenerate();
if ('error' in regenerated) {
  console.error(regenerated.error);
  process.exit(2);
}
console.log(`\nwrote ${regenerated.report} and the README's figure table from every suite's stored results`);

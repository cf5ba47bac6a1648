// Admission suite: what the webhook path costs a write. A SpiderIPPool create (then delete) through the
// API-server emulator over HTTP, three ways in one run: no admission (baseline), core's defaultIPPool as the
// in-process hook, and the real webhook server registered as Mutating+ValidatingWebhookConfigurations and
// called over HTTPS (mutation + validation reading all pools through the lister). Ratio = time / baseline.
import { DEFAULT_CLUSTER_SETTINGS, defaultIPPool, type SpiderIPPool } from '@spiderpool-ts/core';
import {
  generateSelfSignedTls,
  renderWebhookConfigurations,
  startWebhookServer,
  storeLister,
} from '@spiderpool-ts/k8s';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { Bench } from 'tinybench';
import { type BenchRow, type SuiteResult, taskStats } from '../report.ts';

const SUITE = 'admission';
const EXISTING = 50;

const pool = (name: string, k: number): SpiderIPPool => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { subnet: `10.${k >> 8}.${k & 255}.0/24`, ips: [`10.${k >> 8}.${k & 255}.10`] },
});

const SP = '/apis/spiderpool.spidernet.io/v2beta1/spiderippools';

/** One create + delete through the emulator; throws on an unexpected answer (the bench must not lie). */
const roundTrip = async (emu: ApiServerEmulator, k: number): Promise<void> => {
  const name = `bench-${k}`;
  const created = await fetch(`${emu.url}${SP}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(pool(name, 1000 + (k % 50_000))),
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
  // strip the finalizer the webhook adds, then delete
  await fetch(`${emu.url}${SP}/${name}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { finalizers: null } }),
  });
  const deleted = await fetch(`${emu.url}${SP}/${name}`, { method: 'DELETE' });
  if (deleted.status !== 200) throw new Error(`delete answered ${deleted.status}`);
};

const seed = async (emu: ApiServerEmulator): Promise<void> => {
  for (let k = 0; k < EXISTING; k++) {
    const p = defaultIPPool(pool(`seed-${k}`, k), { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] });
    (await emu.store.create(p))._unsafeUnwrap();
  }
};

export async function run(): Promise<SuiteResult> {
  const plain = await startApiServerEmulator({ historyLimit: 256 });
  const inProcess = await startApiServerEmulator({
    historyLimit: 256,
    admission: (_op, o) => ({
      allowed: true,
      object:
        o.kind === 'SpiderIPPool'
          ? defaultIPPool(o as SpiderIPPool, { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] })
          : o,
    }),
  });
  const viaWebhook = await startApiServerEmulator({ historyLimit: 256 });
  const tls = (await generateSelfSignedTls())._unsafeUnwrap();
  const server = (await startWebhookServer({ tls, lister: storeLister(viaWebhook.store) }))._unsafeUnwrap();
  for (const c of renderWebhookConfigurations({ caBundle: server.caBundle, url: server.url })) {
    (await viaWebhook.store.create(c))._unsafeUnwrap();
  }
  for (const e of [plain, inProcess, viaWebhook]) await seed(e);
  let k = 0;
  const tasks: Record<string, () => Promise<void>> = {
    'baseline: create+delete, no admission': () => roundTrip(plain, k++),
    'create+delete, in-process defaultIPPool': () => roundTrip(inProcess, k++),
    [`create+delete, webhooks over HTTPS (${EXISTING} pools listed)`]: () => roundTrip(viaWebhook, k++),
  };
  const bench = new Bench({ time: 1500, warmupTime: 200 });
  for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
  try {
    await bench.run();
  } finally {
    await server.close();
    for (const e of [plain, inProcess, viaWebhook]) await e.close();
  }
  const names = Object.keys(tasks);
  const [base, hook, https] = names.map((n) => taskStats(bench, n));
  const row = (i: number, s: typeof base): BenchRow => ({
    suite: SUITE,
    name: names[i] as string,
    value: s?.meanNs ?? Number.NaN,
    unit: 'ns',
    ...(i === 0
      ? {}
      : {
          ratio: (s?.meanNs ?? Number.NaN) / (base?.meanNs ?? Number.NaN),
          baseline: names[0] as string,
          note: 'ratio = time / baseline time (cost multiplier of the admission path)',
        }),
  });
  return { suite: SUITE, rows: [row(0, base), row(1, hook), row(2, https)] };
}

// `pnpm operator`: the sample operator as a long-running process (built into dist/operator.js). Against
// $KUBECONFIG / --kubeconfig, or against the emulator it starts (kubeconfig path printed; the webhook
// configurations are registered in it). Exits 0 on SIGTERM/SIGINT after releasing the Lease (10 s
// deadline), 1 when it cannot start, 2 on bad flags.
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { parseArgs, USAGE } from './args.ts';
import { registerWebhooks, startSeededEmulator } from './emulator.ts';
import { startHttpServer } from './httpServer.ts';
import { createMetrics } from './metrics.ts';
import { startOperator } from './operator.ts';
import { startOperatorWebhook } from './webhook.ts';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const main = async (): Promise<number> => {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error.message}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let closeEmulator = async () => {};
  let kubeconfig = args.kubeconfig;
  let ownEmulator: Awaited<ReturnType<typeof startSeededEmulator>>['emulator'] | undefined;
  if (kubeconfig === undefined) {
    const { emulator, kubeconfig: path } = await startSeededEmulator();
    ownEmulator = emulator;
    closeEmulator = () => emulator.close();
    kubeconfig = path;
    log(`no KUBECONFIG: started the API-server emulator (a test double) at ${emulator.url}`);
    log(`kubeconfig: ${path}   (try: kubectl --kubeconfig ${path} get spidercoordinators,leases -A)`);
  } else {
    log(`using kubeconfig ${kubeconfig}`);
  }
  const opened = createKubernetesStore({ kubeConfig: kubeconfig });
  if (opened.isErr()) {
    process.stderr.write(`${opened.error.message}\n`);
    await closeEmulator();
    return 1;
  }
  const store = opened.value;
  // WEBHOOK SERVER: on every replica, leader or not.
  const started = await startOperatorWebhook(store, args, log);
  if (started.isErr()) {
    process.stderr.write(`webhook server: ${started.error.message}\n`);
    await closeEmulator();
    return 1;
  }
  const webhook = started.value;
  const tlsFrom = args.tlsCertFile === undefined ? 'a self-signed certificate (dev)' : args.tlsCertFile;
  log(`serving admission webhooks on https port ${webhook.server.port} (${tlsFrom})`);
  if (ownEmulator !== undefined) {
    await registerWebhooks(ownEmulator, webhook.server);
    log('registered the Mutating/ValidatingWebhookConfigurations (with the CA bundle) in the emulator');
  }
  const operator = startOperator(store, args, log);
  const registry = createMetrics(store, operator.counters);
  let stopping = false;
  const http = await startHttpServer(
    args.port,
    {
      live: async () => !stopping && (await webhook.healthy()),
      ready: async () => !stopping && operator.reachable() && (await webhook.ready()),
    },
    registry,
  );
  log(`serving /healthz /readyz /metrics on port ${http.port}`);

  const stopped = new Promise<number>((resolve) => {
    const stop = (sig: string) => {
      if (stopping) return;
      stopping = true;
      log(`${sig}: stopping`);
      const deadline = setTimeout(() => {
        log('stop deadline (10 s) passed; exiting without a clean release');
        resolve(1);
      }, 10_000);
      operator.stop();
      void operator.done.then(async () => {
        clearTimeout(deadline);
        http.server.close();
        await webhook.close();
        await closeEmulator();
        resolve(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  return stopped;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`operator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);

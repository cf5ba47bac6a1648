// The admission webhook server of the operator: @spiderpool-ts/k8s's AdmissionReview HTTPS server, on every
// replica (the API server calls whichever Pod the Service picks; admission writes nothing, so it needs no
// Lease). Validation that reads other objects (pool overlap, subnet containment, SMC/NAD names, Pod
// resource injection) reads them from informers, not with a LIST per review; until an informer has
// synced, that kind is read from the API server.
import { request } from 'node:https';
import type { InformerSet, KubeObject, Store } from '@spiderpool-ts/core';
import {
  type AdmissionLister,
  createNodeInformerSet,
  generateSelfSignedTls,
  HEALTH_CHECK_PATH,
  loadTlsFiles,
  startWebhookServer,
  storeLister,
  type TlsMaterial,
  type WebhookServer,
  type WebhookServerError,
} from '@spiderpool-ts/k8s';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { OperatorArgs } from './args.ts';
import type { Log } from './operator.ts';

/** The kinds the webhooks read besides the object under review (see the k8s package's clusterReads). */
export const WEBHOOK_READ_KINDS = [
  'SpiderIPPool',
  'SpiderSubnet',
  'SpiderMultusConfig',
  'NetworkAttachmentDefinition',
  'Namespace',
] as const;

export interface OperatorWebhook {
  readonly server: WebhookServer;
  readonly tls: TlsMaterial;
  /** The server answers its health check over HTTPS (within 2 s). */
  healthy(): Promise<boolean>;
  /** Healthy, and every informer the reviews read has synced. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Reads from the informer of `kind` once it has synced, else from the API server. */
const informerLister = (informers: InformerSet, fallback: AdmissionLister): AdmissionLister => ({
  list: (kind, namespace) => {
    const inf = informers.whole<KubeObject>(kind);
    if (inf?.hasSynced() !== true) return fallback.list(kind, namespace);
    return okAsync(inf.list(namespace === undefined ? {} : { namespace }));
  },
});

const tlsOf = (args: OperatorArgs): ResultAsync<TlsMaterial, WebhookServerError> => {
  if (args.tlsCertFile === undefined || args.tlsKeyFile === undefined) return generateSelfSignedTls();
  const loaded = loadTlsFiles({
    certFile: args.tlsCertFile,
    keyFile: args.tlsKeyFile,
    ...(args.tlsCaFile === undefined ? {} : { caFile: args.tlsCaFile }),
  });
  return loaded.isOk() ? okAsync(loaded.value) : errAsync(loaded.error);
};

/** GET /webhook-health-check on our own port, trusting our CA (the name is not checked: 127.0.0.1). */
const probe = (port: number, ca: string): Promise<boolean> =>
  new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: HEALTH_CHECK_PATH,
        method: 'GET',
        ca,
        checkServerIdentity: () => undefined,
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });

export const startOperatorWebhook = (
  store: Store,
  args: OperatorArgs,
  log: Log,
): ResultAsync<OperatorWebhook, WebhookServerError> => {
  const informers = createNodeInformerSet(store, {
    onError: (e) => log(`webhook informer: ${e.message}`),
  });
  for (const kind of WEBHOOK_READ_KINDS) informers.informer(kind);
  return tlsOf(args).andThen((tls) =>
    startWebhookServer({
      tls,
      lister: informerLister(informers, storeLister(store)),
      host: '0.0.0.0',
      port: args.webhookPort,
      onRejected: (r) => log(`webhook: refused ${r.path} (${r.status})`),
    }).map((server): OperatorWebhook => {
      // Each informer on its own, so one kind that cannot be listed (a CRD not installed, RBAC) is logged
      // and read from the API server, while the others serve from their cache.
      for (const kind of WEBHOOK_READ_KINDS) {
        void informers
          .informer(kind)
          .start()
          .then((r) => {
            if (r.isErr()) log(`webhook informer ${kind} did not start: ${r.error.message}`);
          });
      }
      const healthy = () => probe(server.port, tls.ca);
      return {
        server,
        tls,
        healthy,
        ready: async () => (await healthy()) && informers.health().every((h) => h.synced),
        close: async () => {
          informers.stop();
          await server.close();
        },
      };
    }),
  );
};

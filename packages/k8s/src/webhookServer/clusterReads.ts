// The cluster reads one review needs, through the lister, each with a deadline, and the webhook contexts of
// core built from them.
import type {
  ClusterSettings,
  IPPoolWebhookContext,
  KubeObject,
  MultusConfigValidationContext,
  OwnerReference,
  SpiderIPPool,
  SpiderMultusConfig,
  SpiderSubnet,
} from '@spiderpool-ts/core';
import { errAsync, ResultAsync } from 'neverthrow';
import { listFailed, listTimeout, type WebhookServerError } from './errors.ts';
import type { AdmissionLister } from './lister.ts';

export interface ClusterReads {
  readonly settings: ClusterSettings;
  list(kind: string, namespace?: string): ResultAsync<readonly KubeObject[], WebhookServerError>;
}

export const clusterReads = (
  lister: AdmissionLister,
  settings: ClusterSettings,
  timeoutMs: number,
): ClusterReads => ({
  settings,
  list: (kind, namespace) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const listed = lister.list(kind, namespace);
    return ResultAsync.fromSafePromise(Promise.race([listed, deadline])).andThen((r) => {
      clearTimeout(timer);
      if (r === 'timeout') return errAsync(listTimeout(kind, timeoutMs));
      return r.mapErr((e) => listFailed(kind, e));
    });
  },
});

/** Objects of the kind the webhook expects: the lister returns what the API server stores. */
const ofKind = <T extends KubeObject>(kind: T['kind'], objects: readonly KubeObject[]): T[] =>
  objects.filter((o): o is T => o.kind === kind);

export const poolContext = (reads: ClusterReads): ResultAsync<IPPoolWebhookContext, WebhookServerError> =>
  ResultAsync.combine([reads.list('SpiderIPPool'), reads.list('SpiderSubnet')]).map(([pools, subnets]) => ({
    settings: reads.settings,
    pools: ofKind<SpiderIPPool>('SpiderIPPool', pools),
    subnets: ofKind<SpiderSubnet>('SpiderSubnet', subnets),
  }));

export const multusContext = (
  reads: ClusterReads,
): ResultAsync<MultusConfigValidationContext, WebhookServerError> =>
  reads.list('NetworkAttachmentDefinition').map((nads) => ({
    settings: reads.settings,
    netAttachDefs: new Map(
      nads.map((n): [string, { ownerReferences?: readonly OwnerReference[] }] => [
        `${n.metadata.namespace ?? ''}/${n.metadata.name}`,
        n.metadata.ownerReferences ? { ownerReferences: n.metadata.ownerReferences } : {},
      ]),
    ),
  }));

export const podInjectContext = (reads: ClusterReads, namespace: string | undefined) =>
  ResultAsync.combine([reads.list('SpiderMultusConfig'), reads.list('Namespace')]).map(
    ([smcs, namespaces]) => ({
      multusConfigs: ofKind<SpiderMultusConfig>('SpiderMultusConfig', smcs),
      namespaceAnnotations: namespaces.find((n) => n.metadata.name === namespace)?.metadata.annotations,
    }),
  );

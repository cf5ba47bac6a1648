// One reconcile of the NetworkAttachmentDefinition controller (Spiderpool's multusconfig informer): make the
// NAD of a SpiderMultusConfig exist and equal what core's generator produces, with the SMC as its controller
// ownerReference. Writes are compare-and-swap on the NAD's resourceVersion (a Conflict re-reads, bounded).
// A NAD of that name that another object controls is never overwritten (NadNotOwned); one left by an
// earlier SMC of the same name (deleted and re-created before the API server's GC ran) is taken over.
// An SMC that is gone or being deleted takes its NADs with it; so does a rename (`multus.spidernet.io/cr-name`).
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { NetworkAttachmentDefinition, OwnerReference, SpiderMultusConfig } from '../api/index.ts';
import { KIND_NETWORK_ATTACHMENT_DEFINITION, KIND_SPIDER_MULTUS_CONFIG } from '../api/index.ts';
import { generateNetAttachDef } from '../multus/index.ts';
import { equalJson, type Store, type StoreError } from '../store/index.ts';
import { invalidMultusConfig, type NadControllerError, nadNotOwned, nadStore } from './nadErrors.ts';

export type NadReconcileOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

export interface NadReconcileOptions {
  /** Attempts of the read + CAS write on Conflict (default 5). */
  attempts?: number;
}

const controllerOf = (o: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined =>
  (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);

const isSmcRef = (r: OwnerReference | undefined): r is OwnerReference =>
  r !== undefined && r.kind === KIND_SPIDER_MULTUS_CONFIG;

const nadRef = (namespace: string, name: string) => ({
  kind: KIND_NETWORK_ATTACHMENT_DEFINITION,
  namespace,
  name,
});

/** Deletes the NADs in `namespace` controlled by SMC `smcName` (and `uid` when given), except `keep`. */
const deleteOwnedNads = (
  store: Store,
  namespace: string,
  smcName: string,
  uid: string | undefined,
  keep?: string,
): ResultAsync<number, NadControllerError> =>
  store
    .list<NetworkAttachmentDefinition>(KIND_NETWORK_ATTACHMENT_DEFINITION, { namespace })
    .mapErr(nadStore)
    .andThen((list) => {
      const owned = list.items.filter((n) => {
        const c = controllerOf(n);
        return (
          isSmcRef(c) &&
          c.name === smcName &&
          (uid === undefined || c.uid === uid) &&
          n.metadata.name !== keep
        );
      });
      return ResultAsync.combine(
        owned.map((n) =>
          store
            .delete(nadRef(namespace, n.metadata.name), {
              preconditions: { ...(n.metadata.uid ? { uid: n.metadata.uid } : {}) },
            })
            .map(() => 1)
            .orElse((e) => (e._tag === 'NotFound' || e._tag === 'Conflict' ? okAsync(0) : errAsync(e)))
            .mapErr(nadStore),
        ),
      ).map((ns) => ns.reduce((a, b) => a + b, 0));
    });

/** `existing` rewritten to `desired`'s annotations, ownerReferences and spec; its other metadata kept. */
const merged = (
  existing: NetworkAttachmentDefinition,
  desired: NetworkAttachmentDefinition,
): NetworkAttachmentDefinition => ({
  ...existing,
  metadata: {
    ...existing.metadata,
    annotations: desired.metadata.annotations ?? {},
    ownerReferences: desired.metadata.ownerReferences ?? [],
  },
  spec: desired.spec ?? {},
});

const sameContent = (a: NetworkAttachmentDefinition, b: NetworkAttachmentDefinition): boolean =>
  equalJson(a.spec ?? {}, b.spec ?? {}) &&
  equalJson(a.metadata.annotations ?? {}, b.metadata.annotations ?? {}) &&
  equalJson(a.metadata.ownerReferences ?? [], b.metadata.ownerReferences ?? []);

const writeNad = (
  store: Store,
  smc: SpiderMultusConfig,
  desired: NetworkAttachmentDefinition,
  attempts: number,
): ResultAsync<NadReconcileOutcome, NadControllerError> => {
  const namespace = desired.metadata.namespace ?? '';
  const name = desired.metadata.name;
  const retry = (n: number, e: StoreError): ResultAsync<NadReconcileOutcome, NadControllerError> =>
    (e._tag === 'Conflict' || e._tag === 'AlreadyExists' || e._tag === 'NotFound') && n < attempts
      ? attempt(n + 1)
      : errAsync(nadStore(e));
  const attempt = (n: number): ResultAsync<NadReconcileOutcome, NadControllerError> =>
    store
      .get<NetworkAttachmentDefinition>(nadRef(namespace, name))
      .map((x): NetworkAttachmentDefinition | undefined => x)
      .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
      .mapErr(nadStore)
      .andThen((existing): ResultAsync<NadReconcileOutcome, NadControllerError> => {
        if (existing === undefined) {
          return store
            .create(desired)
            .map((): NadReconcileOutcome => 'created')
            .orElse((e) => retry(n, e));
        }
        const c = controllerOf(existing);
        const ours = isSmcRef(c) && (c.uid === smc.metadata.uid || c.name === smc.metadata.name);
        if (!ours) {
          return errAsync(
            nadNotOwned(
              namespace,
              name,
              smc.metadata.name,
              c === undefined ? undefined : `${c.kind}/${c.name}`,
            ),
          );
        }
        if (sameContent(existing, desired)) return okAsync('unchanged');
        return store
          .update(merged(existing, desired))
          .map((): NadReconcileOutcome => 'updated')
          .orElse((e) => retry(n, e));
      });
  return attempt(1);
};

/** Reconciles SpiderMultusConfig `namespace/name` into its NetworkAttachmentDefinition. */
export const reconcileMultusConfig = (
  store: Store,
  ref: { namespace: string; name: string },
  options: NadReconcileOptions = {},
): ResultAsync<NadReconcileOutcome, NadControllerError> =>
  store
    .get<SpiderMultusConfig>({ kind: KIND_SPIDER_MULTUS_CONFIG, namespace: ref.namespace, name: ref.name })
    .map((x): SpiderMultusConfig | undefined => x)
    .orElse((e) => (e._tag === 'NotFound' ? okAsync(undefined) : errAsync(e)))
    .mapErr(nadStore)
    .andThen((smc): ResultAsync<NadReconcileOutcome, NadControllerError> => {
      if (smc === undefined || smc.metadata.deletionTimestamp !== undefined) {
        return deleteOwnedNads(store, ref.namespace, ref.name, smc?.metadata.uid).map(
          (n): NadReconcileOutcome => (n > 0 ? 'deleted' : 'absent'),
        );
      }
      const generated = generateNetAttachDef(smc);
      if (generated.isErr()) return errAsync(invalidMultusConfig(ref.namespace, ref.name, generated.error));
      const desired = generated.value;
      return writeNad(store, smc, desired, options.attempts ?? 5).andThen((outcome) =>
        deleteOwnedNads(store, ref.namespace, ref.name, smc.metadata.uid, desired.metadata.name).map(
          () => outcome,
        ),
      );
    });

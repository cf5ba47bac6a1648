// SpiderSubnet auto-pools of Pods whose top controller is not a Kubernetes-native workload (an OpenKruise
// CloneSet, any operator's kind): reference §3.9, Spiderpool `applyThirdControllerAutoPool`. Nobody can read
// the replicas of a kind it does not know, so, as in Spiderpool:
// - the pool is made when a Pod's first ADD needs it (the agent, not the controller's informers), from the
//   Pod's own annotations, with a FIXED `ipam.spidernet.io/ippool-ip-number` (absent or `+n` is refused:
//   "only supports fixed auto-created IPPool IP Number");
// - it is not scaled with the application afterwards, and it is not deleted with it: the auto-pool
//   controller watches only the native kinds. We label such pools `ippool-reclaim: false` whatever the
//   annotation says (the label then tells the truth, and a re-created application of the same name reuses
//   the pool instead of leaking a second one). docs/adr/0025-sample-operator-runtime.md.
// Reservation, planning and the pool write are the native path's (`reconcileAutoPoolItem`).
import { err, errAsync, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import type { Pod } from '../api/index.ts';
import { ANNO_SUBNET_POOL_IP_NUMBER, KIND_POD } from '../api/index.ts';
import {
  type AutoPoolNotReady,
  badAnnotation,
  type IpamEngine,
  type IpamError,
  K8S_API_VERSIONS,
  K8S_KINDS,
  parsePodSubnetAnnotation,
  parsePoolIPNumber,
  type TopController,
  topController,
} from '../ipam/index.ts';
import type { Store } from '../store/index.ts';
import { type AutoPoolIntent, type AutoPoolSettings, DEFAULT_AUTO_POOL_SETTINGS } from './autoPoolApp.ts';
import type { AutoPoolChange } from './autoPoolDelete.ts';
import {
  type AutoPoolControllerError,
  autoPoolStore,
  invalidApplicationAnnotation,
} from './autoPoolErrors.ts';
import { type ItemContext, listPools, readReserved, reconcileAutoPoolItem } from './autoPoolItem.ts';
import { type AutoPoolReconcileOptions, itemsOf, sequence } from './autoPoolReconcile.ts';

/** Spiderpool's `constant.K8sAPIVersions` x `K8sKinds` test: anything else is a third-party controller. */
export const isThirdPartyController = (c: Pick<TopController, 'apiVersion' | 'kind'>): boolean =>
  !(K8S_API_VERSIONS.includes(c.apiVersion) && K8S_KINDS.includes(c.kind));

export type ThirdPartySkipReason =
  | 'SubnetFeatureDisabled'
  | 'NoSubnetAnnotation'
  | 'HostNetwork'
  | 'NotThirdParty'
  | 'UnknownControllerUID';

export type ThirdPartyPoolsOutcome =
  | { _tag: 'Skipped'; reason: ThirdPartySkipReason }
  | { _tag: 'Reconciled'; pools: AutoPoolChange[] };

const ONLY_FIXED = 'only supports fixed auto-created IPPool IP Number for third-party controllers';

/** The intent of a third-party application, read from one of its Pods, or why it gets no auto-pool. */
export const readThirdPartyIntent = (
  pod: Pod,
  controller: TopController,
  settings: AutoPoolSettings,
): Result<AutoPoolIntent | ThirdPartySkipReason, AutoPoolControllerError> => {
  if (!settings.enableSpiderSubnet || !settings.enableAutoPoolForApplication)
    return ok('SubnetFeatureDisabled');
  if (!isThirdPartyController(controller) || controller.kind === KIND_POD) return ok('NotThirdParty');
  if (pod.spec?.hostNetwork === true) return ok('HostNetwork');
  const label = `${controller.kind}/${controller.namespace}/${controller.name}`;
  const annotations = pod.metadata.annotations ?? {};
  const parsed = parsePodSubnetAnnotation(annotations);
  if (parsed.isErr()) return err(invalidApplicationAnnotation(label, parsed.error));
  if (parsed.value === undefined) return ok('NoSubnetAnnotation');
  if (controller.uid === undefined || controller.uid === '') return ok('UnknownControllerUID');
  const text = annotations[ANNO_SUBNET_POOL_IP_NUMBER];
  const n = text === undefined ? undefined : parsePoolIPNumber(text);
  if (n === undefined || n.isErr() || n.value._tag !== 'Fixed') {
    const why = n?.isErr() ? n.error.message : ONLY_FIXED;
    return err(
      invalidApplicationAnnotation(label, badAnnotation(ANNO_SUBNET_POOL_IP_NUMBER, text ?? '', why)),
    );
  }
  return ok({
    app: {
      apiVersion: controller.apiVersion,
      kind: controller.kind,
      namespace: controller.namespace,
      name: controller.name,
      uid: controller.uid,
    },
    items: parsed.value.items,
    ipNumber: n.value,
    ipNumberText: String(n.value.count),
    reclaim: false,
    desired: n.value.count,
  });
};

/**
 * Creates (or, when the annotation's number changed, resizes) the auto-pools of the third-party
 * application `controller` that `pod` belongs to. Native controllers are `Skipped` ('NotThirdParty'):
 * their pools are the auto-pool controller's.
 */
export const reconcileThirdPartyPools = (
  store: Store,
  pod: Pod,
  controller: TopController,
  opts: AutoPoolReconcileOptions = {},
): ResultAsync<ThirdPartyPoolsOutcome, AutoPoolControllerError> => {
  const settings: AutoPoolSettings = { ...DEFAULT_AUTO_POOL_SETTINGS, ...opts.settings };
  const intent = readThirdPartyIntent(pod, controller, settings);
  if (intent.isErr()) return errAsync(intent.error);
  const value = intent.value;
  if (typeof value === 'string') return okAsync({ _tag: 'Skipped', reason: value });
  return ResultAsync.combine([listPools(store), readReserved(store)] as const).andThen(
    ([pools, reserved]) => {
      const ctx: ItemContext = { store, settings, intent: value, reserved };
      return sequence(itemsOf(value, settings), (item) =>
        reconcileAutoPoolItem(ctx, pools, item, opts.attempts ?? 8),
      ).map((changes): ThirdPartyPoolsOutcome => ({ _tag: 'Reconciled', pools: changes }));
    },
  );
};

const poolNotMade = (e: AutoPoolNotReady, cause: AutoPoolControllerError): IpamError => ({
  ...e,
  message: `${e.message}: creating the third-party application's auto-pool failed: ${cause.message}`,
});

/**
 * An engine whose ADD makes a third-party application's auto-pool when the Pod needs one: `AutoPoolNotReady`
 * for a Pod of a third-party controller -> `reconcileThirdPartyPools` on `store` (the engine's store, so its
 * cache sees the new pool) -> one more ADD. Native applications keep `AutoPoolNotReady` (their pool comes
 * from the auto-pool controller; the caller retries). Everything else is the wrapped engine's.
 */
export const withThirdPartyAutoPools = (
  engine: IpamEngine,
  store: Store,
  opts: AutoPoolReconcileOptions = {},
): IpamEngine => {
  const s = engine.settings;
  const settings: Partial<AutoPoolSettings> = {
    enableIPv4: s.enableIPv4,
    enableIPv6: s.enableIPv6,
    enableSpiderSubnet: s.enableSpiderSubnet,
    enableAutoPoolForApplication: s.enableAutoPoolForApplication ?? true,
    ...opts.settings,
  };
  return {
    ...engine,
    allocate: (req) =>
      engine.allocate(req).orElse((e) => {
        if (e._tag !== 'AutoPoolNotReady') return errAsync(e);
        return store
          .get<Pod>({ kind: KIND_POD, namespace: req.podNamespace, name: req.podName })
          .mapErr((se) => poolNotMade(e, autoPoolStore(se)))
          .andThen((pod) => {
            const controller = topController(pod);
            if (!isThirdPartyController(controller)) return errAsync<never, IpamError>(e);
            return reconcileThirdPartyPools(store, pod, controller, { ...opts, settings })
              .mapErr((cause) => poolNotMade(e, cause))
              .andThen((outcome) =>
                outcome._tag === 'Reconciled' ? engine.allocate(req) : errAsync<never, IpamError>(e),
              );
          });
      }),
  };
};

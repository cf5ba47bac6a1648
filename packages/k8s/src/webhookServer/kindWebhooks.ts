// Core's webhooks per kind, as the server dispatches them: a mutation (default) and the validation of
// CREATE / UPDATE / DELETE, each given what it reads of the cluster. Field errors become the Status the
// Spiderpool controller answers with (`apierrors.NewInvalid`, `NewAlreadyExists`, an internal error).
import {
  defaultCoordinator,
  defaultIPPool,
  defaultMultusConfig,
  defaultReservedIP,
  defaultSubnet,
  type FieldError,
  formatFieldErrors,
  injectPodNetworkResources,
  type KubeObject,
  type SpiderCoordinator,
  type SpiderIPPool,
  type SpiderMultusConfig,
  type SpiderReservedIP,
  type SpiderSubnet,
  validateCoordinatorCreate,
  validateCoordinatorUpdate,
  validateIPPoolCreate,
  validateIPPoolDelete,
  validateIPPoolUpdate,
  validateMultusConfigCreate,
  validateMultusConfigUpdate,
  validateReservedIPCreate,
  validateReservedIPUpdate,
  validateSubnetCreate,
  validateSubnetDelete,
  validateSubnetUpdate,
} from '@spiderpool-ts/core';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { AdmissionOperation, AdmissionStatus } from './admissionReview.ts';
import { type ClusterReads, multusContext, podInjectContext, poolContext } from './clusterReads.ts';

const GROUP = 'spiderpool.spidernet.io';

/** A refusal, as the AdmissionResponse status. */
export type Denial = AdmissionStatus;

export interface KindWebhook {
  readonly kind: string;
  /** API group ('' for core). */
  readonly group: string;
  readonly resource: string;
  /** The defaulted object (Spiderpool's mutations never refuse, except the Pod webhook's). */
  mutate?(object: KubeObject, reads: ClusterReads): ResultAsync<KubeObject, Denial>;
  /** Field errors of the operation ([] admits); `object` for CREATE/UPDATE, `old` for UPDATE/DELETE. */
  validate?(
    op: AdmissionOperation,
    objects: { object: KubeObject | undefined; old: KubeObject | undefined },
    reads: ClusterReads,
  ): ResultAsync<FieldError[], Denial>;
}

export const internalDenial = (message: string): Denial => ({
  code: 500,
  reason: 'InternalError',
  message: `Internal error occurred: ${message}`,
});

/** The Status of a list of field errors, as the Spiderpool controller builds it. */
export const denialOf = (
  kind: string,
  resource: string,
  name: string,
  errors: readonly FieldError[],
): Denial => {
  const already = errors.find((e) => e.type === 'AlreadyExists');
  if (already) {
    return {
      code: 409,
      reason: 'AlreadyExists',
      message: `${resource}.${GROUP} "${name}" already exists`,
      details: { name, group: GROUP, kind: resource },
    };
  }
  const internal = errors.find((e) => e.type === 'InternalError');
  if (internal) return internalDenial(internal.message);
  return {
    code: 422,
    reason: 'Invalid',
    message: `${kind}.${GROUP} "${name}" is invalid: ${formatFieldErrors(errors)}`,
    details: {
      name,
      group: GROUP,
      kind,
      causes: errors.map((e) => ({ reason: `Field${e.type}`, field: e.field, message: e.message })),
    },
  };
};

const internal = (e: { message: string }): Denial => internalDenial(e.message);

// The typed views below are checked first: the server validates each review object against the kind's CRD
// schema (see webhookHandlers.ts) before any of these runs.
const as = <T>(o: KubeObject | undefined): T => o as unknown as T;

const spider = (
  kind: string,
  resource: string,
  parts: Pick<KindWebhook, 'mutate' | 'validate'>,
): KindWebhook => ({ kind, group: GROUP, resource, ...parts });

const ippool = spider('SpiderIPPool', 'spiderippools', {
  mutate: (o, reads) =>
    reads
      .list('SpiderSubnet')
      .mapErr(internal)
      .map((subnets) =>
        defaultIPPool(as<SpiderIPPool>(o), {
          settings: reads.settings,
          subnets: subnets.filter((s) => s.kind === 'SpiderSubnet').map((s) => as<SpiderSubnet>(s)),
        }),
      ),
  validate: (op, { object, old }, reads) => {
    if (op === 'DELETE')
      return okAsync(validateIPPoolDelete(as<SpiderIPPool>(old), { settings: reads.settings }));
    return poolContext(reads)
      .mapErr(internal)
      .map((ctx) =>
        op === 'CREATE'
          ? validateIPPoolCreate(as<SpiderIPPool>(object), ctx)
          : validateIPPoolUpdate(as<SpiderIPPool>(old), as<SpiderIPPool>(object), ctx),
      );
  },
});

const subnet = spider('SpiderSubnet', 'spidersubnets', {
  mutate: (o) => okAsync(defaultSubnet(as<SpiderSubnet>(o))),
  validate: (op, { object, old }, reads) => {
    if (op === 'DELETE')
      return okAsync(validateSubnetDelete(as<SpiderSubnet>(old), { settings: reads.settings }));
    return poolContext(reads)
      .mapErr(internal)
      .map((ctx) =>
        op === 'CREATE'
          ? validateSubnetCreate(as<SpiderSubnet>(object), ctx)
          : validateSubnetUpdate(as<SpiderSubnet>(old), as<SpiderSubnet>(object), ctx),
      );
  },
});

const reservedIP = spider('SpiderReservedIP', 'spiderreservedips', {
  mutate: (o) => okAsync(defaultReservedIP(as<SpiderReservedIP>(o))),
  validate: (op, { object, old }, reads) => {
    const ctx = { settings: reads.settings };
    if (op === 'CREATE') return okAsync(validateReservedIPCreate(as<SpiderReservedIP>(object), ctx));
    if (op === 'UPDATE') {
      return okAsync(validateReservedIPUpdate(as<SpiderReservedIP>(old), as<SpiderReservedIP>(object), ctx));
    }
    return okAsync([]);
  },
});

const multusConfig = spider('SpiderMultusConfig', 'spidermultusconfigs', {
  mutate: (o) => okAsync(defaultMultusConfig(as<SpiderMultusConfig>(o))),
  validate: (op, { object, old }, reads) => {
    if (op === 'DELETE') return okAsync([]);
    return multusContext(reads)
      .mapErr(internal)
      .map((ctx) =>
        op === 'CREATE'
          ? validateMultusConfigCreate(as<SpiderMultusConfig>(object), ctx)
          : validateMultusConfigUpdate(as<SpiderMultusConfig>(old), as<SpiderMultusConfig>(object), ctx),
      );
  },
});

const coordinator = spider('SpiderCoordinator', 'spidercoordinators', {
  mutate: (o) => okAsync(defaultCoordinator(as<SpiderCoordinator>(o))),
  validate: (op, { object, old }) => {
    if (op === 'CREATE') return okAsync(validateCoordinatorCreate(as<SpiderCoordinator>(object)));
    if (op === 'UPDATE') {
      return okAsync(validateCoordinatorUpdate(as<SpiderCoordinator>(old), as<SpiderCoordinator>(object)));
    }
    return okAsync([]);
  },
});

/** Spiderpool's Pod webhook: only a mutation (resource injection); its errors deny the Pod (403). */
const pod: KindWebhook = {
  kind: 'Pod',
  group: '',
  resource: 'pods',
  mutate: (o, reads) =>
    podInjectContext(reads, o.metadata.namespace)
      .mapErr(internal)
      .andThen((ctx) => {
        const r = injectPodNetworkResources(o, ctx);
        return r.isOk()
          ? okAsync(r.value.pod)
          : errAsync<KubeObject, Denial>({ code: 403, reason: 'Forbidden', message: r.error.message });
      }),
};

/** Every kind the server has a webhook for. SpiderEndpoint has none (neither has Spiderpool). */
export const KIND_WEBHOOKS: readonly KindWebhook[] = [
  ippool,
  subnet,
  reservedIP,
  multusConfig,
  coordinator,
  pod,
];

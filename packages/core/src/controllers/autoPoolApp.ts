// What the auto-pool controller reads of an application (reference §3.9, Spiderpool
// pkg/applicationcontroller/app_controller.go): the pod template's SpiderSubnet annotations, the IP number
// (`ipam.spidernet.io/ippool-ip-number`, default flexible `+clusterSubnetDefaultFlexibleIPNumber`), reclaim,
// and the replica count per kind — Deployment / ReplicaSet / StatefulSet `.spec.replicas` (absent: 0, as
// Spiderpool's `GetAppReplicas`), DaemonSet `.status.desiredNumberScheduled`, Job / CronJob
// `CalculateJobPodNum`. Pure.
import { err, ok, type Result } from 'neverthrow';
import type { KubeObject } from '../api/index.ts';
import {
  ANNO_SUBNET_POOL_IP_NUMBER,
  ANNO_SUBNET_RECLAIM_IPPOOL,
  KIND_CRON_JOB,
  KIND_DAEMON_SET,
  KIND_DEPLOYMENT,
  KIND_JOB,
  KIND_REPLICA_SET,
  KIND_STATEFUL_SET,
} from '../api/index.ts';
import {
  type AutoPoolApp,
  badAnnotation,
  controllerOf,
  type PoolIPNumber,
  parsePodSubnetAnnotation,
  parsePoolIPNumber,
  type SubnetItem,
} from '../ipam/index.ts';
import { type AutoPoolControllerError, invalidApplicationAnnotation } from './autoPoolErrors.ts';

/** Settings of the auto-pool controller (configmap `spiderpool-conf`), with Spiderpool's defaults. */
export interface AutoPoolSettings {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableSpiderSubnet: boolean;
  readonly enableAutoPoolForApplication: boolean;
  /** `clusterSubnetDefaultFlexibleIPNumber`: the flexible extra when the annotation is absent (default 1). */
  readonly clusterSubnetDefaultFlexibleIPNumber: number;
}

export const DEFAULT_AUTO_POOL_SETTINGS: AutoPoolSettings = {
  enableIPv4: true,
  enableIPv6: true,
  enableSpiderSubnet: true,
  enableAutoPoolForApplication: true,
  clusterSubnetDefaultFlexibleIPNumber: 1,
};

/** The kinds the controller serves, with the apiVersion Spiderpool records for them. */
export const AUTO_POOL_APP_KINDS: Readonly<Record<string, string>> = {
  [KIND_DEPLOYMENT]: 'apps/v1',
  [KIND_REPLICA_SET]: 'apps/v1',
  [KIND_STATEFUL_SET]: 'apps/v1',
  [KIND_DAEMON_SET]: 'apps/v1',
  [KIND_JOB]: 'batch/v1',
  [KIND_CRON_JOB]: 'batch/v1',
};

interface PodTemplateLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { hostNetwork?: boolean };
}

interface JobSpecLike {
  parallelism?: number;
  completions?: number;
  template?: PodTemplateLike;
}

/** The fields of the six workload kinds the controller reads (everything optional: objects are not checked). */
export interface WorkloadObject extends KubeObject {
  spec?: {
    replicas?: number;
    parallelism?: number;
    completions?: number;
    template?: PodTemplateLike;
    jobTemplate?: { spec?: JobSpecLike };
  };
  status?: { desiredNumberScheduled?: number };
}

/** What the controller should keep in place for one application. */
export interface AutoPoolIntent {
  app: AutoPoolApp;
  /** One item per NIC, as the annotation gives them. */
  items: SubnetItem[];
  ipNumber: PoolIPNumber;
  /** The `ipam.spidernet.io/ippool-ip-number` value written on the pools: `5` or `+1`. */
  ipNumberText: string;
  reclaim: boolean;
  /** The IP count every auto-pool of the app should hold. */
  desired: number;
}

/** Why an application gets no auto-pool. */
export type SkipReason = 'SubnetFeatureDisabled' | 'NoSubnetAnnotation' | 'HostNetwork' | 'NotTopController';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `CalculateJobPodNum`: completions if set (0 -> 1), else parallelism (0 -> 1), else 1. */
export const jobPodCount = (parallelism: number | undefined, completions: number | undefined): number => {
  if (completions !== undefined) return completions === 0 ? 1 : completions;
  if (parallelism !== undefined) return parallelism === 0 ? 1 : parallelism;
  return 1;
};

const templateOf = (app: WorkloadObject): PodTemplateLike | undefined =>
  app.kind === KIND_CRON_JOB ? app.spec?.jobTemplate?.spec?.template : app.spec?.template;

/** The replica count Spiderpool uses for `kind`. */
export const appReplicas = (app: WorkloadObject): number => {
  switch (app.kind) {
    case KIND_DAEMON_SET:
      return Math.max(0, num(app.status?.desiredNumberScheduled) ?? 0);
    case KIND_JOB:
      return jobPodCount(num(app.spec?.parallelism), num(app.spec?.completions));
    case KIND_CRON_JOB: {
      const js = app.spec?.jobTemplate?.spec;
      return jobPodCount(num(js?.parallelism), num(js?.completions));
    }
    default:
      return Math.max(0, num(app.spec?.replicas) ?? 0);
  }
};

/** A ReplicaSet under a Deployment, or a Job under a CronJob: its top controller owns the pools. */
const ownedByTopController = (app: WorkloadObject): boolean => {
  const ref = controllerOf(app);
  if (ref === undefined) return false;
  if (app.kind === KIND_REPLICA_SET) return ref.apiVersion === 'apps/v1' && ref.kind === KIND_DEPLOYMENT;
  if (app.kind === KIND_JOB) return ref.apiVersion === 'batch/v1' && ref.kind === KIND_CRON_JOB;
  return false;
};

const appLabel = (app: WorkloadObject): string =>
  `${app.kind}/${app.metadata.namespace ?? ''}/${app.metadata.name}`;

/**
 * The intent for `app`, or the reason it gets no auto-pool. An unparsable subnet / ip-number / reclaim
 * annotation is an error (Spiderpool logs it and retries).
 */
export const readAutoPoolIntent = (
  app: WorkloadObject,
  settings: AutoPoolSettings,
): Result<AutoPoolIntent | SkipReason, AutoPoolControllerError> => {
  if (!settings.enableSpiderSubnet || !settings.enableAutoPoolForApplication)
    return ok('SubnetFeatureDisabled');
  const template = templateOf(app);
  // Spiderpool's order: host network, then the top-controller check, then the annotations
  if (template?.spec?.hostNetwork === true) return ok('HostNetwork');
  if (ownedByTopController(app)) return ok('NotTopController');
  const annotations = template?.metadata?.annotations ?? {};
  const parsed = parsePodSubnetAnnotation(annotations);
  const label = appLabel(app);
  if (parsed.isErr()) return err(invalidApplicationAnnotation(label, parsed.error));
  if (parsed.value === undefined) return ok('NoSubnetAnnotation');

  const numberText = annotations[ANNO_SUBNET_POOL_IP_NUMBER];
  let ipNumber: PoolIPNumber = { _tag: 'Flexible', extra: settings.clusterSubnetDefaultFlexibleIPNumber };
  if (numberText !== undefined) {
    const n = parsePoolIPNumber(numberText);
    if (n.isErr()) {
      const cause = badAnnotation(ANNO_SUBNET_POOL_IP_NUMBER, numberText, n.error.message);
      return err(invalidApplicationAnnotation(label, cause));
    }
    ipNumber = n.value;
  }
  const reclaimText = annotations[ANNO_SUBNET_RECLAIM_IPPOOL];
  const reclaim = reclaimText === undefined ? true : parseGoBool(reclaimText);
  if (reclaim === undefined) {
    const cause = badAnnotation(ANNO_SUBNET_RECLAIM_IPPOOL, reclaimText ?? '', 'not a boolean');
    return err(invalidApplicationAnnotation(label, cause));
  }
  const replicas = appReplicas(app);
  return ok({
    app: {
      apiVersion: AUTO_POOL_APP_KINDS[app.kind] ?? app.apiVersion,
      kind: app.kind,
      namespace: app.metadata.namespace ?? '',
      name: app.metadata.name,
      uid: app.metadata.uid ?? '',
    },
    items: parsed.value.items,
    ipNumber,
    ipNumberText: ipNumber._tag === 'Fixed' ? String(ipNumber.count) : `+${ipNumber.extra}`,
    reclaim,
    desired: ipNumber._tag === 'Fixed' ? ipNumber.count : replicas + ipNumber.extra,
  });
};

/** Go's `strconv.ParseBool`. */
export const parseGoBool = (s: string): boolean | undefined => {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
};

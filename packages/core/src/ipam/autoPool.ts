// SpiderSubnet auto-created pools (reference §1.1, §3.9): their names, the application key recorded in
// the subnet's controlledIPPools, their labels and pod affinity, and the `ipam.spidernet.io/ippool-ip-number`
// annotation. Naming and types only; the auto-pool controller comes later.
import { err, ok, type Result } from 'neverthrow';
import type { LabelSelector } from '../api/index.ts';
import {
  AUTO_POOL_APP_API_GROUP,
  AUTO_POOL_APP_API_VERSION,
  AUTO_POOL_APP_KIND,
  AUTO_POOL_APP_NAME,
  AUTO_POOL_APP_NAMESPACE,
  LABEL_IPPOOL_CIDR,
  LABEL_IPPOOL_INTERFACE,
  LABEL_IPPOOL_IP_VERSION,
  LABEL_IPPOOL_OWNER_APP_GV,
  LABEL_IPPOOL_OWNER_APP_KIND,
  LABEL_IPPOOL_OWNER_APP_NAME,
  LABEL_IPPOOL_OWNER_APP_NAMESPACE,
  LABEL_IPPOOL_OWNER_APP_UID,
  LABEL_IPPOOL_OWNER_SUBNET,
  LABEL_IPPOOL_RECLAIM,
  LABEL_VALUE_IPV4,
  LABEL_VALUE_IPV6,
} from '../api/index.ts';
import type { IPVersion } from '../ip/index.ts';

/** The application an auto-pool serves (Spiderpool `AppNamespacedName` plus its UID). */
export interface AutoPoolApp {
  /** `apps/v1`, `batch/v1`, `v1`, or a third-party `group/version`. */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

/** `ipam.spidernet.io/ippool-ip-number`: `5` (fixed) or `+1` (flexible: replicas + n). */
export type PoolIPNumber = { _tag: 'Fixed'; count: number } | { _tag: 'Flexible'; extra: number };

export type AutoPoolError = { _tag: 'InvalidPoolIPNumber'; value: string; message: string };

const DNS1123_SUBDOMAIN_MAX = 253;
const UID_SUFFIX_LENGTH = 5;

/**
 * `AutoPoolName`: `auto<4|6>-<appName>-<ifName>-<first ≤5 chars of the UID's last dash segment>`, lower-cased;
 * the app name is cut so the whole name fits a DNS-1123 subdomain (253). `autoPoolName(4, 'test-name',
 * 'test-nic', 'a-b-c-d')` -> `auto4-test-name-test-nic-d`.
 */
export const autoPoolName = (version: IPVersion, appName: string, ifName: string, appUid: string): string => {
  const segments = appUid.split('-');
  const suffix = (segments[segments.length - 1] ?? '').slice(0, UID_SUFFIX_LENGTH);
  // `auto4-` + two `-` separators = 8 fixed characters. Spiderpool subtracts 7 here, so its longest names
  // are 254 characters, one more than the API server accepts; we subtract 8 (ADR 0007).
  const maxCustom = DNS1123_SUBDOMAIN_MAX - suffix.length - 8;
  const name =
    appName.length + ifName.length > maxCustom
      ? appName.slice(0, Math.max(0, maxCustom - ifName.length))
      : appName;
  return `auto${version}-${name.toLowerCase()}-${ifName.toLowerCase()}-${suffix.toLowerCase()}`;
};

/** `ApplicationLabelGV`: `apps/v1` -> `apps_v1`, `v1` -> `v1`. */
export const applicationLabelGV = (apiVersion: string): string => apiVersion.replace('/', '_');

/**
 * `ApplicationNamespacedName`: the key of an auto-pool in the subnet's controlledIPPools,
 * `apps_v1_Deployment_default_nginx` (core group: `v1_Pod_default_x`).
 */
export const applicationKey = (app: Omit<AutoPoolApp, 'uid'>): string =>
  `${applicationLabelGV(app.apiVersion)}_${app.kind}_${app.namespace}_${app.name}`;

/** `ParseApplicationNamespacedName`: the inverse of `applicationKey` (4 or 5 `_` parts), else undefined. */
export const parseApplicationKey = (key: string): Omit<AutoPoolApp, 'uid'> | undefined => {
  const p = key.split('_');
  if (p.length === 4)
    return {
      apiVersion: p[0] as string,
      kind: p[1] as string,
      namespace: p[2] as string,
      name: p[3] as string,
    };
  if (p.length === 5) {
    return {
      apiVersion: `${p[0]}/${p[1]}`,
      kind: p[2] as string,
      namespace: p[3] as string,
      name: p[4] as string,
    };
  }
  return undefined;
};

/** The application key of an auto-pool, read back from its owner-application labels. */
export const applicationKeyFromPoolLabels = (
  labels: Readonly<Record<string, string>>,
): string | undefined => {
  const gv = labels[LABEL_IPPOOL_OWNER_APP_GV];
  const kind = labels[LABEL_IPPOOL_OWNER_APP_KIND];
  const ns = labels[LABEL_IPPOOL_OWNER_APP_NAMESPACE];
  const name = labels[LABEL_IPPOOL_OWNER_APP_NAME];
  if (gv === undefined || kind === undefined || ns === undefined || name === undefined) return undefined;
  return `${gv}_${kind}_${ns}_${name}`;
};

/** `NewAutoPoolPodAffinity`: matchLabels on the app's group, version, kind, namespace and name. */
export const autoPoolPodAffinity = (app: Omit<AutoPoolApp, 'uid'>): LabelSelector => {
  const slash = app.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : app.apiVersion.slice(0, slash);
  const version = slash < 0 ? app.apiVersion : app.apiVersion.slice(slash + 1);
  return {
    matchLabels: {
      [AUTO_POOL_APP_API_GROUP]: group,
      [AUTO_POOL_APP_API_VERSION]: version,
      [AUTO_POOL_APP_KIND]: app.kind,
      [AUTO_POOL_APP_NAMESPACE]: app.namespace,
      [AUTO_POOL_APP_NAME]: app.name,
    },
  };
};

export interface AutoPoolLabelInput {
  app: AutoPoolApp;
  subnet: string;
  version: IPVersion;
  ifName: string;
  reclaim: boolean;
  /** `ipam.spidernet.io/ippool-cidr` value, e.g. `172-18-40-0-24` (see `cidrToLabelValue`). */
  cidrLabel: string;
}

/** The labels an auto-created pool carries (reference §1.1). */
export const autoPoolLabels = (input: AutoPoolLabelInput): Record<string, string> => ({
  [LABEL_IPPOOL_OWNER_SUBNET]: input.subnet,
  [LABEL_IPPOOL_OWNER_APP_GV]: applicationLabelGV(input.app.apiVersion),
  [LABEL_IPPOOL_OWNER_APP_KIND]: input.app.kind,
  [LABEL_IPPOOL_OWNER_APP_NAMESPACE]: input.app.namespace,
  [LABEL_IPPOOL_OWNER_APP_NAME]: input.app.name,
  [LABEL_IPPOOL_OWNER_APP_UID]: input.app.uid,
  [LABEL_IPPOOL_INTERFACE]: input.ifName,
  [LABEL_IPPOOL_RECLAIM]: input.reclaim ? 'true' : 'false',
  [LABEL_IPPOOL_IP_VERSION]: input.version === 4 ? LABEL_VALUE_IPV4 : LABEL_VALUE_IPV6,
  [LABEL_IPPOOL_CIDR]: input.cidrLabel,
});

const invalidPoolIPNumber = (value: string, detail: string): AutoPoolError => ({
  _tag: 'InvalidPoolIPNumber',
  value,
  message: `invalid ipam.spidernet.io/ippool-ip-number ${JSON.stringify(value)}: ${detail}`,
});

/**
 * `GetPoolIPNumber` plus the annotation's non-negative rule: `"5"` -> Fixed 5, `"+1"` -> Flexible 1.
 * More than one `+`, a non-integer or a negative number is an error.
 */
export const parsePoolIPNumber = (value: string): Result<PoolIPNumber, AutoPoolError> => {
  const plus = value.split('+').length - 1;
  if (plus > 1) return err(invalidPoolIPNumber(value, "at most one '+' is allowed"));
  const flexible = plus === 1;
  const digits = flexible ? value.slice(value.indexOf('+') + 1) : value;
  // Go's strconv.Atoi: optional sign, decimal digits, nothing else.
  if (!/^[+-]?[0-9]+$/.test(digits)) return err(invalidPoolIPNumber(value, 'not an integer'));
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return err(invalidPoolIPNumber(value, 'out of range'));
  if (n < 0) return err(invalidPoolIPNumber(value, 'must be equal or greater than 0'));
  return ok(flexible ? { _tag: 'Flexible', extra: n } : { _tag: 'Fixed', count: n });
};

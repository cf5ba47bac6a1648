// The device plugin's configuration, the shape of sriov-network-device-plugin's config.json:
//   { "resourceList": [ { "resourceName": "sriov_netdevice", "resourcePrefix": "spidernet.io",
//                         "selectors": { "pfNames": ["enp4s0f0np0#0-7"] } } ] }
// `selectors` is one object or a list (the list form is a union). Only the selectors the landed
// `selectResourcePools` implements are accepted; any other key is refused rather than ignored, because
// ignoring a selector would silently widen a pool. Every failure names its JSON path.
import { readFile } from 'node:fs/promises';
import { err, ok, Result, ResultAsync } from 'neverthrow';
import type { ResourcePoolConfig, VfSelector } from '../sriov/selectVfs.ts';
import { validateVfSelector } from '../sriov/selectVfs.ts';
import { configInvalid, configUnreadable, type DevicePluginError, errorCode } from './errors.ts';

/** Spiderpool installs sriov-network-operator with this prefix (the peer's own default is `intel.com`). */
export const DEFAULT_RESOURCE_PREFIX = 'spidernet.io';

export interface ResourceEntry {
  /** `resourceName` as configured (`[a-zA-Z0-9_]+`). */
  name: string;
  /** The effective prefix (the entry's own, else the plugin's default). */
  prefix: string;
  /** `prefix/name`, the extended resource kubelet advertises. */
  resourceName: string;
  selectors: VfSelector[];
  /** Leave NUMA topology out of the advertised devices. */
  excludeTopology: boolean;
}

export interface DevicePluginConfig {
  resources: ResourceEntry[];
}

type Parsed<T> = Result<T, DevicePluginError>;

const RESOURCE_NAME = /^[a-zA-Z0-9_]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SELECTOR_KEYS = ['vendors', 'devices', 'drivers', 'pciAddresses', 'pfNames', 'rootDevices'] as const;
const ENTRY_KEYS = new Set(['resourceName', 'resourcePrefix', 'deviceType', 'selectors', 'excludeTopology']);

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const stringList = (v: unknown, path: string): Parsed<string[]> => {
  if (!Array.isArray(v)) return err(configInvalid(path, v, 'expected a list of strings'));
  const out: string[] = [];
  for (const [i, s] of v.entries()) {
    if (typeof s !== 'string' || s === '')
      return err(configInvalid(`${path}[${i}]`, s, 'expected a non-empty string'));
    out.push(s);
  }
  return ok(out);
};

const parseSelector = (v: unknown, path: string): Parsed<VfSelector> => {
  if (!isRecord(v)) return err(configInvalid(path, v, 'a selector is an object'));
  const sel: VfSelector = {};
  for (const [key, value] of Object.entries(v)) {
    const known = SELECTOR_KEYS.find((k) => k === key);
    if (known === undefined)
      return err(
        configInvalid(
          `${path}.${key}`,
          value,
          `unsupported selector (supported: ${SELECTOR_KEYS.join(', ')})`,
        ),
      );
    const list = stringList(value, `${path}.${key}`);
    if (list.isErr()) return err(list.error);
    sel[known] = list.value;
  }
  return validateVfSelector(sel).mapErr((e) => configInvalid(path, v, e.message));
};

const parseSelectors = (v: unknown, path: string): Parsed<VfSelector[]> => {
  if (v === undefined) return err(configInvalid(path, v, 'selectors are required'));
  const items = Array.isArray(v) ? v : [v];
  const out: VfSelector[] = [];
  for (const [i, s] of items.entries()) {
    const r = parseSelector(s, Array.isArray(v) ? `${path}[${i}]` : path);
    if (r.isErr()) return err(r.error);
    out.push(r.value);
  }
  return ok(out);
};

const parseEntry = (v: unknown, path: string, defaultPrefix: string): Parsed<ResourceEntry> => {
  if (!isRecord(v)) return err(configInvalid(path, v, 'a resource is an object'));
  const unknown = Object.keys(v).find((k) => !ENTRY_KEYS.has(k));
  if (unknown !== undefined) return err(configInvalid(`${path}.${unknown}`, v[unknown], 'unsupported field'));
  const { resourceName: name, resourcePrefix, deviceType, excludeTopology } = v;
  if (typeof name !== 'string' || !RESOURCE_NAME.test(name))
    return err(configInvalid(`${path}.resourceName`, name, 'must match [a-zA-Z0-9_]+'));
  const prefix = resourcePrefix === undefined || resourcePrefix === '' ? defaultPrefix : resourcePrefix;
  if (typeof prefix !== 'string' || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
    return err(configInvalid(`${path}.resourcePrefix`, resourcePrefix, 'must be a DNS subdomain'));
  if (deviceType !== undefined && deviceType !== 'netDevice')
    return err(configInvalid(`${path}.deviceType`, deviceType, 'only "netDevice" is supported'));
  if (excludeTopology !== undefined && typeof excludeTopology !== 'boolean')
    return err(configInvalid(`${path}.excludeTopology`, excludeTopology, 'expected a boolean'));
  return parseSelectors(v.selectors, `${path}.selectors`).map((selectors) => ({
    name,
    prefix,
    resourceName: `${prefix}/${name}`,
    selectors,
    excludeTopology: excludeTopology === true,
  }));
};

/** Validates an already-parsed config object. */
export const parseDevicePluginConfig = (
  v: unknown,
  defaultPrefix: string = DEFAULT_RESOURCE_PREFIX,
): Parsed<DevicePluginConfig> => {
  if (!isRecord(v)) return err(configInvalid('', v, 'the config is a JSON object'));
  if (!Array.isArray(v.resourceList))
    return err(configInvalid('resourceList', v.resourceList, 'expected a list of resources'));
  const seen = new Set<string>();
  const resources: ResourceEntry[] = [];
  for (const [i, item] of v.resourceList.entries()) {
    const r = parseEntry(item, `resourceList[${i}]`, defaultPrefix);
    if (r.isErr()) return err(r.error);
    if (seen.has(r.value.resourceName))
      return err(configInvalid(`resourceList[${i}].resourceName`, r.value.resourceName, 'listed twice'));
    seen.add(r.value.resourceName);
    resources.push(r.value);
  }
  return ok({ resources });
};

/** Parses config.json text. */
export const parseDevicePluginConfigJson = (
  text: string,
  defaultPrefix: string = DEFAULT_RESOURCE_PREFIX,
): Parsed<DevicePluginConfig> =>
  Result.fromThrowable(
    () => JSON.parse(text) as unknown,
    (e) => configInvalid('', text.slice(0, 80), `not JSON: ${e instanceof Error ? e.message : String(e)}`),
  )().andThen((v) => parseDevicePluginConfig(v, defaultPrefix));

/** Reads and parses a config file (the peer's `--config-file`, default /etc/pcidp/config.json). */
export const loadDevicePluginConfig = (
  path: string,
  defaultPrefix: string = DEFAULT_RESOURCE_PREFIX,
): ResultAsync<DevicePluginConfig, DevicePluginError> =>
  ResultAsync.fromPromise(readFile(path, 'utf8'), (e) => configUnreadable(path, errorCode(e))).andThen((t) =>
    parseDevicePluginConfigJson(t, defaultPrefix),
  );

/** The entries as `selectResourcePools` input (prefix resolved). */
export const poolConfigsOf = (config: DevicePluginConfig): ResourcePoolConfig[] =>
  config.resources.map((r) => ({ resourceName: r.name, resourcePrefix: r.prefix, selectors: r.selectors }));

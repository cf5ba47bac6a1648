// Network configuration as libcni loads it: a conflist (`name`, `cniVersion`, `plugins`, `disableCheck`,
// `disableGC`), or a single plugin conf wrapped into a one-plugin list the way libcni's ConfListFromConf
// does (the list takes the conf's `name` and `cniVersion`). Also how one plugin's stdin is built for a call:
// the list's `name` and `cniVersion` injected, `prevResult` when given, and `runtimeConfig` holding only
// the capability args the plugin declares in `capabilities` (libcni's injectRuntimeConfig).
import { err, ok, type Result } from 'neverthrow';
import { type ChainError, invalidConf } from './errors.ts';
import { isJsonObject, type JsonObject, type JsonValue, parseJson, toJsonObject } from './json.ts';
import { CHAIN_CNI_VERSIONS } from './version.ts';

export interface PluginConf {
  /** The executable looked up in CNI_PATH. */
  type: string;
  /** The plugin's config object as written (without the list's name/cniVersion injected). */
  raw: JsonObject;
}

export interface NetworkConfigList {
  name: string;
  cniVersion: string;
  disableCheck: boolean;
  disableGC: boolean;
  plugins: PluginConf[];
  /** The list as JSON text (what libcni caches as `config`). */
  bytes: string;
}

/** libcni's ValidateNetworkName / ValidateContainerID pattern. */
export const NAME_PATTERN: RegExp = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

const boolField = (o: JsonObject, key: string): Result<boolean, ChainError> => {
  const v = o[key];
  if (v === undefined) return ok(false);
  if (typeof v === 'boolean') return ok(v);
  // libcni accepts the strings "true"/"false" for disableCheck/disableGC too.
  if (v === 'true' || v === 'false') return ok(v === 'true');
  return err(invalidConf(key, v, 'must be a boolean'));
};

const versionOf = (o: JsonObject, path: string): Result<string, ChainError> => {
  const v = o.cniVersion;
  // An absent cniVersion is read as 0.1.0, as libcni does.
  if (v === undefined) return ok('0.1.0');
  if (typeof v !== 'string') return err(invalidConf(path, v, 'must be a string'));
  if (!CHAIN_CNI_VERSIONS.includes(v))
    return err(invalidConf(path, v, `unsupported version (supported: ${CHAIN_CNI_VERSIONS.join(', ')})`));
  return ok(v);
};

const nameOf = (o: JsonObject, path: string): Result<string, ChainError> => {
  const v = o.name;
  if (typeof v !== 'string' || v === '') return err(invalidConf(path, v ?? '', 'a network name is required'));
  if (!NAME_PATTERN.test(v)) return err(invalidConf(path, v, `must match ${NAME_PATTERN.source}`));
  return ok(v);
};

const pluginOf = (v: JsonValue | undefined, path: string): Result<PluginConf, ChainError> => {
  if (!isJsonObject(v)) return err(invalidConf(path, v ?? null, 'a plugin config must be an object'));
  const type = v.type;
  if (typeof type !== 'string' || type === '')
    return err(invalidConf(`${path}.type`, type ?? '', 'required'));
  // The type is a file name in CNI_PATH, never a path.
  if (type.includes('/') || type === '.' || type === '..')
    return err(invalidConf(`${path}.type`, type, 'must be a plain file name'));
  return ok({ type, raw: v });
};

const fromList = (o: JsonObject): Result<NetworkConfigList, ChainError> =>
  nameOf(o, 'name').andThen((name) =>
    versionOf(o, 'cniVersion').andThen((cniVersion) =>
      boolField(o, 'disableCheck').andThen((disableCheck) =>
        boolField(o, 'disableGC').andThen((disableGC): Result<NetworkConfigList, ChainError> => {
          const list = o.plugins;
          if (!Array.isArray(list) || list.length === 0)
            return err(
              invalidConf('plugins', list ?? null, 'a non-empty list of plugin configs is required'),
            );
          const plugins: PluginConf[] = [];
          for (const [i, p] of list.entries()) {
            const one = pluginOf(p, `plugins[${i}]`);
            if (one.isErr()) return err(one.error);
            plugins.push(one.value);
          }
          return ok({ name, cniVersion, disableCheck, disableGC, plugins, bytes: JSON.stringify(o) });
        }),
      ),
    ),
  );

/** A single conf wrapped like libcni's ConfListFromConf. */
const fromSingle = (o: JsonObject): Result<NetworkConfigList, ChainError> =>
  nameOf(o, 'name').andThen((name) =>
    versionOf(o, 'cniVersion').andThen((cniVersion) => fromList({ cniVersion, name, plugins: [o] })),
  );

/**
 * Loads a conflist or a single conf (JSON text or an already parsed object, e.g. a NAD's `spec.config`).
 * A config with a `plugins` key is a list; anything else is a single plugin conf (Multus's rule too).
 */
export const loadNetworkConfig = (input: string | object): Result<NetworkConfigList, ChainError> => {
  const parsed = typeof input === 'string' ? parseJson(input) : toJsonObject(input);
  if (!isJsonObject(parsed))
    return err(invalidConf('(root)', typeof input === 'string' ? input : '', 'not a JSON object'));
  return 'plugins' in parsed ? fromList(parsed) : fromSingle(parsed);
};

export interface PluginCallConf {
  prevResult?: JsonObject | undefined;
  capabilityArgs?: Readonly<Record<string, JsonValue>> | undefined;
  /** Extra top-level keys (GC's `cni.dev/valid-attachments`). */
  extra?: Readonly<Record<string, JsonValue>> | undefined;
}

/** The stdin of one plugin call (libcni's buildOneConfig). */
export const buildPluginStdin = (
  list: NetworkConfigList,
  index: number,
  call: PluginCallConf,
): JsonObject => {
  const plugin = list.plugins[index];
  if (plugin === undefined) throw new RangeError(`plugin index ${index} out of range`);
  const out: JsonObject = { ...plugin.raw, name: list.name, cniVersion: list.cniVersion };
  if (call.prevResult !== undefined) out.prevResult = call.prevResult;
  const caps = plugin.raw.capabilities;
  if (isJsonObject(caps) && call.capabilityArgs !== undefined) {
    const rc: JsonObject = {};
    for (const [k, v] of Object.entries(call.capabilityArgs)) if (caps[k] === true) rc[k] = v;
    if (Object.keys(rc).length > 0) out.runtimeConfig = rc;
  }
  for (const [k, v] of Object.entries(call.extra ?? {})) out[k] = v;
  return out;
};

// The chain runner: libcni's AddNetworkList / DelNetworkList / CheckNetworkList / GetStatusNetworkList /
// GCNetworkList over a conflist (or a single conf wrapped into one), each plugin run by `invokeChainPlugin`.
//   ADD    plugins in order, each given the previous plugin's result as `prevResult`; the last result is
//          cached per network+container+ifname and returned. A failure stops the chain (the runtime then
//          sends DEL, as kubelet / Multus do; `attachPod` does it for you).
//   DEL    plugins in reverse order, each given the cached result as `prevResult` (from 0.4.0 on), then the
//          cache file is removed. No cache (never added, already deleted) is not an error.
//   CHECK  from 0.4.0 on, unless `disableCheck`: plugins in order with the cached result; no cache = error.
//   STATUS from 1.1.0 on: each plugin in order; the first error stops.
//   GC     from 1.1.0 on, unless `disableGC`: cached attachments of this network not among
//          `validAttachments` are DELeted, then every plugin gets `cni.dev/valid-attachments`.
//   VERSION each plugin's version info.
import { errAsync, ok, okAsync, ResultAsync } from 'neverthrow';
import {
  type AttachmentKey,
  CACHE_KIND,
  DEFAULT_CACHE_DIR,
  deleteCachedAttachment,
  listCachedAttachments,
  readCachedAttachment,
  writeCachedAttachment,
} from './cache.ts';
import {
  type ChainCommand,
  type ChainError,
  invalidArgument,
  invalidConf,
  noCachedResult,
} from './errors.ts';
import { invokeChainPlugin, type PluginCall } from './invoke.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { buildPluginStdin, loadNetworkConfig, NAME_PATTERN, type NetworkConfigList } from './netconf.ts';
import { versionAtLeast } from './version.ts';

export interface ValidAttachment {
  containerID: string;
  ifname: string;
}

export interface ChainRequest {
  /** A conflist or single conf: JSON text, a parsed object, or what `loadNetworkConfig` returned. */
  conf: string | object | NetworkConfigList;
  command: ChainCommand;
  containerId?: string;
  /** CNI_NETNS (a path); required for ADD and CHECK. */
  netns?: string;
  ifName?: string;
  /** CNI_ARGS pairs (or an object), e.g. K8S_POD_NAMESPACE / K8S_POD_NAME. */
  args?: readonly (readonly [string, string])[] | Readonly<Record<string, string>>;
  /** libcni's CapabilityArgs: reach a plugin as `runtimeConfig` only for the capabilities it declares. */
  capabilityArgs?: Readonly<Record<string, JsonValue>>;
  /** CNI_PATH: a ':'-separated string or the directories. */
  cniPath: string | readonly string[];
  /** Default /var/lib/cni; the cache is `<cacheDir>/results/…`. */
  cacheDir?: string;
  /** Per plugin call. Default 30 s. */
  deadlineMs?: number;
  /** The netns the plugins run in (a test node); default this process's. */
  hostNetns?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** GC: the attachments of this network the runtime still has. */
  validAttachments?: readonly ValidAttachment[];
}

export interface ChainOutcome {
  /** ADD: the final result; CHECK/DEL/STATUS/GC: undefined. */
  result?: JsonObject;
  /** VERSION: each plugin's answer, in order. */
  versions?: { plugin: string; info: JsonObject | undefined }[];
  /** GC: attachments deleted because the runtime no longer lists them. */
  collected?: ValidAttachment[];
  /** True when the command is not defined for this cniVersion (libcni's no-op: STATUS / GC before 1.1.0). */
  skipped?: boolean;
}

const isList = (c: ChainRequest['conf']): c is NetworkConfigList =>
  typeof c === 'object' && c !== null && 'plugins' in c && 'bytes' in c && typeof c.bytes === 'string';

const pairsOf = (a: ChainRequest['args']): [string, string][] => {
  if (a === undefined) return [];
  if (Array.isArray(a)) return a.map(([k, v]) => [k, v] as [string, string]);
  return Object.entries(a as Readonly<Record<string, string>>);
};

/** libcni's ValidateInterfaceName. */
const badIfName = (n: string): string | undefined => {
  if (n === '') return 'is empty';
  if (Buffer.byteLength(n) > 15) return 'is longer than 15 bytes';
  if (n === '.' || n === '..') return 'is . or ..';
  if (/[/:\s]/.test(n)) return 'contains /, : or whitespace';
  return undefined;
};

interface Ctx {
  list: NetworkConfigList;
  req: ChainRequest;
  cniPath: string[];
  cacheDir: string;
  args: [string, string][];
}

const call = (ctx: Ctx, index: number, command: ChainCommand, stdin: JsonObject) => {
  const p = ctx.list.plugins[index];
  if (p === undefined) throw new RangeError(`plugin index ${index}`);
  const c: PluginCall = {
    plugin: p.type,
    command,
    cniPath: ctx.cniPath,
    stdin,
    deadlineMs: ctx.req.deadlineMs,
    hostNetns: ctx.req.hostNetns,
    env: ctx.req.env,
  };
  if (command !== 'STATUS' && command !== 'GC' && command !== 'VERSION') {
    c.containerId = ctx.req.containerId;
    c.netns = ctx.req.netns;
    c.ifName = ctx.req.ifName;
    c.args = ctx.args;
  }
  return invokeChainPlugin(c);
};

const keyOf = (ctx: Ctx): AttachmentKey => ({
  network: ctx.list.name,
  containerId: ctx.req.containerId ?? '',
  ifName: ctx.req.ifName ?? '',
});

/** Runs `step(i)` for each index in order; stops at the first error. */
const sequence = <T>(
  indices: readonly number[],
  first: T,
  step: (i: number, prev: T) => ResultAsync<T, ChainError>,
): ResultAsync<T, ChainError> =>
  indices.reduce<ResultAsync<T, ChainError>>(
    (acc, i) => acc.andThen((prev) => step(i, prev)),
    okAsync(first),
  );

const indices = (ctx: Ctx): number[] => ctx.list.plugins.map((_, i) => i);

const add = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> =>
  sequence<JsonObject | undefined>(indices(ctx), undefined, (i, prev) =>
    call(
      ctx,
      i,
      'ADD',
      buildPluginStdin(ctx.list, i, { prevResult: prev, capabilityArgs: ctx.req.capabilityArgs }),
    ),
  ).andThen((result) => {
    const rec = {
      kind: CACHE_KIND,
      containerId: ctx.req.containerId ?? '',
      config: Buffer.from(ctx.list.bytes).toString('base64'),
      ifName: ctx.req.ifName ?? '',
      networkName: ctx.list.name,
      ...(ctx.req.netns === undefined ? {} : { netns: ctx.req.netns }),
      ...(ctx.args.length === 0 ? {} : { cniArgs: ctx.args }),
      ...(ctx.req.capabilityArgs === undefined ? {} : { capabilityArgs: { ...ctx.req.capabilityArgs } }),
      ...(result === undefined ? {} : { result }),
    } as const;
    return writeCachedAttachment(ctx.cacheDir, rec).map(() => (result === undefined ? {} : { result }));
  });

const del = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> => {
  const cached: ResultAsync<JsonObject | undefined, ChainError> = versionAtLeast(ctx.list.cniVersion, '0.4.0')
    ? readCachedAttachment(ctx.cacheDir, keyOf(ctx)).map((r) => r?.result)
    : okAsync(undefined);
  return cached
    .andThen((prevResult) =>
      sequence<undefined>([...indices(ctx)].reverse(), undefined, (i) =>
        call(
          ctx,
          i,
          'DEL',
          buildPluginStdin(ctx.list, i, { prevResult, capabilityArgs: ctx.req.capabilityArgs }),
        ).map(() => undefined),
      ),
    )
    .andThen(() => deleteCachedAttachment(ctx.cacheDir, keyOf(ctx)))
    .map(() => ({}));
};

const check = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> => {
  if (!versionAtLeast(ctx.list.cniVersion, '0.4.0'))
    return errAsync(
      invalidConf(
        'cniVersion',
        ctx.list.cniVersion,
        'configuration version does not support the CHECK command',
      ),
    );
  if (ctx.list.disableCheck) return okAsync({ skipped: true });
  return readCachedAttachment(ctx.cacheDir, keyOf(ctx)).andThen((rec) => {
    const k = keyOf(ctx);
    if (rec?.result === undefined) return errAsync(noCachedResult(k.network, k.containerId, k.ifName));
    const prevResult = rec.result;
    return sequence<undefined>(indices(ctx), undefined, (i) =>
      call(
        ctx,
        i,
        'CHECK',
        buildPluginStdin(ctx.list, i, { prevResult, capabilityArgs: ctx.req.capabilityArgs }),
      ).map(() => undefined),
    ).map(() => ({}));
  });
};

const status = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> => {
  if (!versionAtLeast(ctx.list.cniVersion, '1.1.0')) return okAsync({ skipped: true });
  return sequence<undefined>(indices(ctx), undefined, (i) =>
    call(ctx, i, 'STATUS', buildPluginStdin(ctx.list, i, {})).map(() => undefined),
  ).map(() => ({}));
};

/** Runs every step, keeps going after an error, answers the first error (libcni joins them). */
const all = (steps: (() => ResultAsync<unknown, ChainError>)[]): ResultAsync<void, ChainError> =>
  ResultAsync.fromSafePromise(
    (async () => {
      let first: ChainError | undefined;
      for (const s of steps) {
        const r = await s();
        if (r.isErr() && first === undefined) first = r.error;
      }
      return first;
    })(),
  ).andThen((first) => (first === undefined ? okAsync(undefined) : errAsync(first)));

const gc = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> => {
  if (!versionAtLeast(ctx.list.cniVersion, '1.1.0')) return okAsync({ skipped: true });
  if (ctx.list.disableGC) return okAsync({ skipped: true });
  const valid = ctx.req.validAttachments ?? [];
  const isValid = (c: string, i: string) => valid.some((v) => v.containerID === c && v.ifname === i);
  return listCachedAttachments(ctx.cacheDir, ctx.list.name).andThen((cached) => {
    const stale = cached.filter((a) => !isValid(a.containerId, a.ifName));
    const dels = stale.map(
      (a) => () =>
        del({
          ...ctx,
          args: a.cniArgs ?? [],
          req: {
            ...ctx.req,
            containerId: a.containerId,
            ifName: a.ifName,
            ...(a.netns === undefined ? {} : { netns: a.netns }),
          },
        }),
    );
    const attachments: JsonValue = valid.map((v) => ({ containerID: v.containerID, ifname: v.ifname }));
    const gcs = indices(ctx).map(
      (i) => () =>
        call(
          ctx,
          i,
          'GC',
          buildPluginStdin(ctx.list, i, { extra: { 'cni.dev/valid-attachments': attachments } }),
        ),
    );
    return all([...dels, ...gcs]).map(() => ({
      collected: stale.map((a) => ({ containerID: a.containerId, ifname: a.ifName })),
    }));
  });
};

const version = (ctx: Ctx): ResultAsync<ChainOutcome, ChainError> =>
  sequence<{ plugin: string; info: JsonObject | undefined }[]>(indices(ctx), [], (i, acc) =>
    call(ctx, i, 'VERSION', { cniVersion: ctx.list.cniVersion }).map((info) => [
      ...acc,
      { plugin: ctx.list.plugins[i]?.type ?? '', info },
    ]),
  ).map((versions) => ({ versions }));

const validate = (req: ChainRequest): ChainError | undefined => {
  if (req.command === 'STATUS' || req.command === 'GC' || req.command === 'VERSION') return undefined;
  const id = req.containerId ?? '';
  if (!NAME_PATTERN.test(id)) return invalidArgument('containerId', id, `must match ${NAME_PATTERN.source}`);
  const bad = badIfName(req.ifName ?? '');
  if (bad !== undefined) return invalidArgument('ifName', req.ifName ?? '', bad);
  if ((req.command === 'ADD' || req.command === 'CHECK') && (req.netns ?? '') === '')
    return invalidArgument('netns', '', `required for ${req.command}`);
  if (req.deadlineMs !== undefined && !(req.deadlineMs > 0))
    return invalidArgument('deadlineMs', String(req.deadlineMs), 'must be > 0');
  return undefined;
};

/** One CNI operation over a network config list, libcni's way. Never rejects. */
export const runChain = (req: ChainRequest): ResultAsync<ChainOutcome, ChainError> => {
  const bad = validate(req);
  if (bad !== undefined) return errAsync(bad);
  const loaded = isList(req.conf) ? ok(req.conf) : loadNetworkConfig(req.conf);
  if (loaded.isErr()) return errAsync(loaded.error);
  const list = loaded.value;
  {
    const cniPath = typeof req.cniPath === 'string' ? req.cniPath.split(':') : [...req.cniPath];
    const ctx: Ctx = {
      list,
      req,
      cniPath: cniPath.filter((p) => p !== ''),
      cacheDir: req.cacheDir ?? DEFAULT_CACHE_DIR,
      args: pairsOf(req.args),
    };
    switch (req.command) {
      case 'ADD':
        return add(ctx);
      case 'DEL':
        return del(ctx);
      case 'CHECK':
        return check(ctx);
      case 'STATUS':
        return status(ctx);
      case 'GC':
        return gc(ctx);
      case 'VERSION':
        return version(ctx);
    }
  }
};

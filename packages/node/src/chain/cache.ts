// libcni's result cache: one file per attachment at `<cacheDir>/results/<network>-<containerID>-<ifName>`,
// JSON `{ kind: "cniCacheV1", containerId, config (base64 of the list), ifName, networkName, netns?,
// cniArgs?, capabilityArgs?, result? }`, written by ADD, read by DEL (prevResult) / CHECK / GC, removed by
// DEL. The file is written to a temp name and renamed, so a reader never sees half a record.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { type ChainError, cacheFailed } from './errors.ts';
import { isJsonObject, type JsonObject, type JsonValue, parseJson } from './json.ts';

export const DEFAULT_CACHE_DIR = '/var/lib/cni';
export const CACHE_KIND = 'cniCacheV1';

export interface AttachmentKey {
  network: string;
  containerId: string;
  ifName: string;
}

export interface CachedAttachment {
  kind: typeof CACHE_KIND;
  containerId: string;
  /** The network config list, base64 (Go's []byte in JSON). */
  config: string;
  ifName: string;
  networkName: string;
  netns?: string;
  cniArgs?: [string, string][];
  capabilityArgs?: JsonObject;
  result?: JsonObject;
}

export const resultCachePath = (cacheDir: string, k: AttachmentKey): string =>
  join(cacheDir, 'results', `${k.network}-${k.containerId}-${k.ifName}`);

const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

const isPairs = (v: JsonValue | undefined): v is [string, string][] =>
  Array.isArray(v) &&
  v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');

/** Validates a cache file's JSON; undefined when it is not a cniCacheV1 record. */
export const decodeCachedAttachment = (v: unknown): CachedAttachment | undefined => {
  if (!isJsonObject(v) || v.kind !== CACHE_KIND) return undefined;
  const { containerId, config, ifName, networkName, netns, cniArgs, capabilityArgs, result } = v;
  if (typeof containerId !== 'string' || typeof ifName !== 'string' || typeof networkName !== 'string')
    return undefined;
  if (typeof config !== 'string') return undefined;
  const out: CachedAttachment = { kind: CACHE_KIND, containerId, config, ifName, networkName };
  if (typeof netns === 'string') out.netns = netns;
  if (isPairs(cniArgs)) out.cniArgs = cniArgs;
  if (isJsonObject(capabilityArgs)) out.capabilityArgs = capabilityArgs;
  if (isJsonObject(result)) out.result = result;
  return out;
};

export const writeCachedAttachment = (
  cacheDir: string,
  a: CachedAttachment,
): ResultAsync<void, ChainError> => {
  const path = resultCachePath(cacheDir, {
    network: a.networkName,
    containerId: a.containerId,
    ifName: a.ifName,
  });
  const tmp = `${path}.tmp-${process.pid}`;
  return ResultAsync.fromPromise(
    (async () => {
      await mkdir(join(cacheDir, 'results'), { recursive: true, mode: 0o700 });
      await writeFile(tmp, JSON.stringify(a), { mode: 0o600 });
      await rename(tmp, path);
    })(),
    (e) => cacheFailed(path, 'write', e),
  ).orElse((e) =>
    ResultAsync.fromSafePromise(rm(tmp, { force: true }).catch(() => undefined)).andThen(() => errAsync(e)),
  );
};

/** The cached record, or undefined when there is none (a DEL without ADD, a second DEL). */
export const readCachedAttachment = (
  cacheDir: string,
  k: AttachmentKey,
): ResultAsync<CachedAttachment | undefined, ChainError> => {
  const path = resultCachePath(cacheDir, k);
  const read = readFile(path, 'utf8').catch((e: unknown) =>
    errnoOf(e) === 'ENOENT' ? undefined : Promise.reject(e),
  );
  return ResultAsync.fromPromise(read, (e) => cacheFailed(path, 'read', e)).andThen((text) => {
    if (text === undefined) return okAsync(undefined);
    const rec = decodeCachedAttachment(parseJson(text));
    return rec === undefined ? errAsync(cacheFailed(path, 'read', 'not a cniCacheV1 record')) : okAsync(rec);
  });
};

export const deleteCachedAttachment = (cacheDir: string, k: AttachmentKey): ResultAsync<void, ChainError> => {
  const path = resultCachePath(cacheDir, k);
  return ResultAsync.fromPromise(rm(path, { force: true }), (e) => cacheFailed(path, 'delete', e));
};

/** Every readable record of `network` (GC); unreadable files are skipped, not fatal. */
export const listCachedAttachments = (
  cacheDir: string,
  network: string,
): ResultAsync<CachedAttachment[], ChainError> => {
  const dir = join(cacheDir, 'results');
  return ResultAsync.fromPromise(readdir(dir), (e) => e)
    .orElse((e) => (errnoOf(e) === 'ENOENT' ? okAsync([]) : errAsync(cacheFailed(dir, 'read', e))))
    .andThen((files) =>
      ResultAsync.fromSafePromise(
        Promise.all(
          files
            .filter((f) => f.startsWith(`${network}-`) && !f.includes('.tmp-'))
            .map((f) =>
              readFile(join(dir, f), 'utf8').then(
                (t) => decodeCachedAttachment(parseJson(t)),
                () => undefined,
              ),
            ),
        ),
      ),
    )
    .map((recs) => recs.filter((r): r is CachedAttachment => r !== undefined && r.networkName === network));
};

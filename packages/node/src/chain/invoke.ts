// Runs ONE CNI plugin the way libcni's RawExec does: the executable found in CNI_PATH, the CNI_* variables
// on top of the runtime's environment, the config on stdin, stdout parsed as a result or as the CNI error
// JSON. Added here: a per-plugin deadline (the plugin's whole process group is killed), and an optional
// netns to run the plugin in (the test "node"; on a real node the runtime's own netns).
// The find-and-run part is cni/rawExec.ts, shared with the plugins' own IPAM call (cni/invokePlugin.ts).
import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { findInCniPath, rawExec } from '../cni/rawExec.ts';
import {
  type ChainCommand,
  type ChainError,
  pluginBadOutput,
  pluginFailed,
  pluginNotFound,
  pluginTimeout,
} from './errors.ts';
import { isJsonObject, type JsonObject, parseJson } from './json.ts';

export const CHAIN_DEFAULT_DEADLINE_MS = 30_000;

/** libcni's FindInPath: the first CNI_PATH directory holding an executable file named `plugin`. */
export const findChainPlugin = (plugin: string, cniPath: readonly string[]): Result<string, ChainError> => {
  const path = findInCniPath(plugin, cniPath);
  return path === undefined ? err(pluginNotFound(plugin, cniPath)) : ok(path);
};

export interface PluginCall {
  plugin: string;
  command: ChainCommand;
  cniPath: readonly string[];
  stdin: JsonObject;
  containerId?: string | undefined;
  netns?: string | undefined;
  ifName?: string | undefined;
  args?: readonly (readonly [string, string])[] | undefined;
  deadlineMs?: number | undefined;
  /** Run the plugin inside this netns (a name under /var/run/netns, or a path): the node in tests. */
  hostNetns?: string | undefined;
  /** The environment the CNI_* variables are added to; default: this process's, minus any CNI_*. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

const baseEnv = (env: PluginCall['env']): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? process.env))
    if (v !== undefined && !k.startsWith('CNI_')) out[k] = v;
  return out;
};

const cniEnv = (c: PluginCall): Record<string, string> => {
  const env = baseEnv(c.env);
  env.CNI_COMMAND = c.command;
  env.CNI_PATH = c.cniPath.join(':');
  if (c.containerId !== undefined) env.CNI_CONTAINERID = c.containerId;
  if (c.netns !== undefined) env.CNI_NETNS = c.netns;
  if (c.ifName !== undefined) env.CNI_IFNAME = c.ifName;
  if (c.args !== undefined && c.args.length > 0) env.CNI_ARGS = c.args.map(([k, v]) => `${k}=${v}`).join(';');
  return env;
};

const argvFor = (path: string, hostNetns: string | undefined): [string, string[]] => {
  if (hostNetns === undefined) return [path, []];
  return hostNetns.includes('/')
    ? ['nsenter', [`--net=${hostNetns}`, path]]
    : ['ip', ['netns', 'exec', hostNetns, path]];
};

/** The CNI error JSON of a failed call (`code` number, `msg` string, `details` optional). */
const cniErrorOf = (stdout: string): { code: number; msg: string; details: string } | undefined => {
  const v = parseJson(stdout);
  if (!isJsonObject(v) || typeof v.code !== 'number') return undefined;
  const msg = typeof v.msg === 'string' ? v.msg : '';
  const details = typeof v.details === 'string' ? v.details : '';
  return { code: v.code, msg, details };
};

/**
 * One plugin call. Ok: the parsed stdout object (ADD / CHECK results, VERSION info), or undefined when the
 * plugin printed nothing (DEL, CHECK, STATUS, GC). Never rejects.
 */
export const invokeChainPlugin = (c: PluginCall): ResultAsync<JsonObject | undefined, ChainError> => {
  const found = findChainPlugin(c.plugin, c.cniPath);
  if (found.isErr()) return new ResultAsync(Promise.resolve(err(found.error)));
  const deadlineMs = c.deadlineMs ?? CHAIN_DEFAULT_DEADLINE_MS;
  const [file, argv] = argvFor(found.value, c.hostNetns);
  return ResultAsync.fromSafePromise(
    rawExec({ file, argv, env: cniEnv(c), stdin: JSON.stringify(c.stdin), deadlineMs }),
  ).andThen((x): Result<JsonObject | undefined, ChainError> => {
    const bad = (why: string) =>
      err(
        pluginBadOutput(c.plugin, c.command, { exitCode: x.code, stdout: x.stdout, stderr: x.stderr, why }),
      );
    if (x.timedOut) return err(pluginTimeout(c.plugin, c.command, deadlineMs));
    if (x.spawnError !== undefined) return bad(`cannot start: ${x.spawnError}`);
    if (x.code !== 0) {
      const e = x.code === null ? undefined : cniErrorOf(x.stdout);
      if (e === undefined)
        return bad(
          x.code === null ? `killed by ${x.signal ?? 'a signal'}` : `exit ${x.code} without a CNI error`,
        );
      return err(pluginFailed(c.plugin, c.command, { ...e, stderr: x.stderr }));
    }
    if (x.stdout.trim() === '') return ok(undefined);
    const v = parseJson(x.stdout);
    return isJsonObject(v) ? ok(v) : bad('stdout is not a JSON object');
  });
};

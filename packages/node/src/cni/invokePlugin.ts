// Running one CNI plugin executable the way libcni does (pkg/invoke): the binary named by `type` is looked up
// in the CNI_PATH directories in order, started with the caller's environment plus the CNI_* variables of
// this call (CNI_COMMAND set to the command), the network config on stdin, and a deadline after which it is
// killed. Exit 0: stdout is the result (empty for DEL/CHECK/STATUS/GC). Non-zero: stdout should be the CNI
// error object `{ code, msg, details }`, passed on unchanged (a main plugin prints its IPAM plugin's error as
// is); anything else becomes PluginBroken. Used by the sriov plugin for its IPAM call. The find-and-run part is
// rawExec.ts, shared with the chain runner.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { isObject } from '../json/checks.ts';
import type { EnvSource } from './env.ts';
import { type CniError, pluginBroken, pluginFailed, pluginNotFound, pluginTimeout } from './errors.ts';
import { findInCniPath, type RawExit, rawExec } from './rawExec.ts';

export type PluginCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';

export interface InvokePluginOptions {
  /** The plugin's `type` (its file name in a CNI_PATH directory). */
  type: string;
  command: PluginCommand;
  /** CNI_PATH, split (the directories searched in order). */
  cniPath: readonly string[];
  /**
   * The environment of the child: typically the caller's own (process.env, with CNI_CONTAINERID, CNI_NETNS,
   * CNI_IFNAME, CNI_ARGS, CNI_PATH). CNI_COMMAND is set from `command`.
   */
  env: EnvSource;
  /** The network config, exactly as the plugin should read it. */
  stdin: string;
  /** Default 60 s (libcni callers give the runtime's context deadline). */
  timeoutMs?: number;
}

export interface PluginAnswer {
  /** Where the executable was found. */
  path: string;
  /** stdout parsed as JSON; undefined when the plugin printed nothing. */
  result: unknown;
}

export const DEFAULT_PLUGIN_TIMEOUT_MS = 60_000;

/** The first `<dir>/<type>` that is an executable file (libcni's FindInPath). */
export const findPlugin = (type: string, cniPath: readonly string[]): ResultAsync<string, CniError> => {
  if (type === '' || type.includes('/'))
    return errAsync(pluginBroken(type, 'a plugin type is a file name, without "/"'));
  const path = findInCniPath(type, cniPath);
  return path === undefined ? errAsync(pluginNotFound(type, cniPath)) : okAsync(path);
};

const childEnv = (opts: InvokePluginOptions): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env.CNI_COMMAND = opts.command;
  return env;
};

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

const toAnswer = (
  type: string,
  path: string,
  exit: RawExit,
  timeoutMs: number,
): ResultAsync<PluginAnswer, CniError> => {
  if (exit.timedOut) return errAsync(pluginTimeout(type, timeoutMs));
  if (exit.spawnError !== undefined) return errAsync(pluginBroken(type, exit.spawnError));
  const text = exit.stdout.trim();
  const parsed = text === '' ? { ok: true as const, value: undefined } : parseJson(text);
  if (exit.code === 0) {
    if (!parsed.ok) return errAsync(pluginBroken(type, `result is not JSON: ${text.slice(0, 200)}`));
    return okAsync({ path, result: parsed.value });
  }
  const e = parsed.ok ? parsed.value : undefined;
  if (isObject(e) && typeof e.code === 'number' && typeof e.msg === 'string')
    return errAsync(pluginFailed(type, e.code, e.msg, typeof e.details === 'string' ? e.details : ''));
  const why = exit.stderr.trim() || text || 'no output';
  return errAsync(pluginBroken(type, `exit code ${exit.code ?? 'none'}: ${why.slice(0, 300)}`));
};

/** Finds and runs one plugin; the result, or the plugin's CNI error, as a Result. */
export const invokePlugin = (opts: InvokePluginOptions): ResultAsync<PluginAnswer, CniError> => {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  return findPlugin(opts.type, opts.cniPath).andThen((path) =>
    ResultAsync.fromSafePromise(
      rawExec({ file: path, argv: [], env: childEnv(opts), stdin: opts.stdin, deadlineMs: timeoutMs }),
    ).andThen((exit) => toAnswer(opts.type, path, exit, timeoutMs)),
  );
};

// Running one CNI plugin executable the way libcni does (pkg/invoke): the binary named by `type` is looked up
// in the CNI_PATH directories in order, started with the caller's environment plus the CNI_* variables of
// this call (CNI_COMMAND set to the command), the network config on stdin, and a deadline after which it is
// killed. Exit 0: stdout is the result (empty for DEL/CHECK/STATUS/GC). Non-zero: stdout should be the CNI
// error object `{ code, msg, details }`, passed on unchanged (a main plugin prints its IPAM plugin's error as
// is); anything else becomes PluginBroken. Used by the sriov plugin for its IPAM call; a chain runner can use
// it for each plugin of a list.
import { spawn } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { EnvSource } from './env.ts';
import { type CniError, pluginBroken, pluginFailed, pluginNotFound, pluginTimeout } from './errors.ts';

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

const isExecutableFile = async (path: string): Promise<boolean> => {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

/** The first `<dir>/<type>` that is an executable file (libcni's FindInPath). */
export const findPlugin = (type: string, cniPath: readonly string[]): ResultAsync<string, CniError> => {
  if (type === '' || type.includes('/'))
    return errAsync(pluginBroken(type, 'a plugin type is a file name, without "/"'));
  const search = async (): Promise<string | undefined> => {
    for (const dir of cniPath) if (await isExecutableFile(join(dir, type))) return join(dir, type);
    return undefined;
  };
  return ResultAsync.fromSafePromise(search()).andThen((p) =>
    p === undefined ? errAsync(pluginNotFound(type, cniPath)) : okAsync(p),
  );
};

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: string;
}

const runChild = (path: string, opts: InvokePluginOptions, timeoutMs: number): Promise<Exit> =>
  new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
    env.CNI_COMMAND = opts.command;
    // Its own process group, so the deadline kills the plugin's children too (they would hold stdout open).
    const child = spawn(path, [], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      done({ code: null, stdout, stderr, timedOut });
    }, timeoutMs);
    const done = (e: Exit): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(e);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (e) => done({ code: null, stdout, stderr, timedOut, spawnError: e.message }));
    child.on('close', (code) => done({ code, stdout, stderr, timedOut }));
    child.stdin.on('error', () => {}); // EPIPE: the plugin exited before reading its config
    child.stdin.end(opts.stdin);
  });

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const toAnswer = (
  type: string,
  path: string,
  exit: Exit,
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
  if (isRecord(e) && typeof e.code === 'number' && typeof e.msg === 'string')
    return errAsync(pluginFailed(type, e.code, e.msg, typeof e.details === 'string' ? e.details : ''));
  const why = exit.stderr.trim() || text || 'no output';
  return errAsync(pluginBroken(type, `exit code ${exit.code ?? 'none'}: ${why.slice(0, 300)}`));
};

/** Finds and runs one plugin; the result, or the plugin's CNI error, as a Result. */
export const invokePlugin = (opts: InvokePluginOptions): ResultAsync<PluginAnswer, CniError> => {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  return findPlugin(opts.type, opts.cniPath).andThen((path) =>
    ResultAsync.fromSafePromise(runChild(path, opts, timeoutMs)).andThen((exit) =>
      toAnswer(opts.type, path, exit, timeoutMs),
    ),
  );
};

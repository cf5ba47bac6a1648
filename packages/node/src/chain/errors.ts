// Errors of the CNI chain runner. Tagged union; `message` derived from the fields. A plugin's own CNI error
// JSON (`{ code, msg, details }`) is surfaced unchanged as `PluginFailed`.
export type ChainCommand = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';

export type ChainError =
  /** The network config (conflist or single conf) or an argument is not what libcni accepts. */
  | { _tag: 'InvalidConf'; path: string; value: string; message: string }
  | { _tag: 'InvalidArgument'; field: string; value: string; message: string }
  /** `type` not found in any CNI_PATH directory (libcni's FindInPath). */
  | { _tag: 'PluginNotFound'; plugin: string; cniPath: readonly string[]; message: string }
  /** The plugin exited non-zero and printed a CNI error. */
  | {
      _tag: 'PluginFailed';
      plugin: string;
      command: ChainCommand;
      code: number;
      msg: string;
      details: string;
      stderr: string;
      message: string;
    }
  /** The plugin did not finish within the per-plugin deadline; it was killed. */
  | { _tag: 'PluginTimeout'; plugin: string; command: ChainCommand; deadlineMs: number; message: string }
  /** The plugin could not be started, died by a signal, or printed something that is not CNI JSON. */
  | {
      _tag: 'PluginBadOutput';
      plugin: string;
      command: ChainCommand;
      exitCode: number | null;
      stdout: string;
      stderr: string;
      message: string;
    }
  /** CHECK needs the result cached by ADD (libcni: "could not retrieve cached result"). */
  | { _tag: 'NoCachedResult'; network: string; containerId: string; ifName: string; message: string }
  | { _tag: 'CacheFailed'; path: string; op: 'read' | 'write' | 'delete'; cause: string; message: string };

export type ChainErrorTag = ChainError['_tag'];

export const invalidConf = (path: string, value: unknown, why: string): ChainError => {
  const v = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return { _tag: 'InvalidConf', path, value: v, message: `invalid network config at ${path}: ${why}` };
};

export const invalidArgument = (field: string, value: string, why: string): ChainError => ({
  _tag: 'InvalidArgument',
  field,
  value,
  message: `invalid ${field}=${JSON.stringify(value)}: ${why}`,
});

export const pluginNotFound = (plugin: string, cniPath: readonly string[]): ChainError => ({
  _tag: 'PluginNotFound',
  plugin,
  cniPath,
  message: `failed to find plugin ${JSON.stringify(plugin)} in path [${cniPath.join(' ')}]`,
});

export const pluginFailed = (
  plugin: string,
  command: ChainCommand,
  e: { code: number; msg: string; details: string; stderr: string },
): ChainError => ({
  _tag: 'PluginFailed',
  plugin,
  command,
  ...e,
  message: `plugin ${plugin} ${command} failed (code ${e.code}): ${e.msg}${e.details === '' ? '' : `; ${e.details}`}`,
});

export const pluginTimeout = (plugin: string, command: ChainCommand, deadlineMs: number): ChainError => ({
  _tag: 'PluginTimeout',
  plugin,
  command,
  deadlineMs,
  message: `plugin ${plugin} ${command} did not finish within ${deadlineMs} ms (killed)`,
});

export const pluginBadOutput = (
  plugin: string,
  command: ChainCommand,
  o: { exitCode: number | null; stdout: string; stderr: string; why: string },
): ChainError => ({
  _tag: 'PluginBadOutput',
  plugin,
  command,
  exitCode: o.exitCode,
  stdout: o.stdout,
  stderr: o.stderr,
  message: `plugin ${plugin} ${command}: ${o.why}${o.stderr.trim() === '' ? '' : `; stderr: ${o.stderr.trim().slice(0, 500)}`}`,
});

export const noCachedResult = (network: string, containerId: string, ifName: string): ChainError => ({
  _tag: 'NoCachedResult',
  network,
  containerId,
  ifName,
  message: `could not retrieve cached result for network ${network}, container ${containerId}, interface ${ifName}`,
});

export const cacheFailed = (path: string, op: 'read' | 'write' | 'delete', cause: unknown): ChainError => {
  const c = cause instanceof Error ? cause.message : String(cause);
  return { _tag: 'CacheFailed', path, op, cause: c, message: `result cache ${op} ${path}: ${c}` };
};

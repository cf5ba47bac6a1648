// The CNI environment (spec "Parameters"): CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS,
// CNI_PATH, checked per command the way libcni's skel does, plus the Kubernetes keys of CNI_ARGS that
// Spiderpool needs (K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_UID).
import { err, ok, type Result } from 'neverthrow';
import { type CniError, invalidEnv } from './errors.ts';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION' | 'STATUS' | 'GC';
const COMMANDS: readonly string[] = ['ADD', 'DEL', 'CHECK', 'VERSION', 'STATUS', 'GC'];

export interface PodRef {
  namespace: string;
  name: string;
  uid?: string;
}

export type CniEnv =
  | { command: 'VERSION' }
  /** CNI 1.1.0 STATUS / GC: no container, netns or interface; CNI_PATH only. */
  | { command: 'STATUS' | 'GC'; path: string[] }
  | {
      command: 'ADD' | 'DEL' | 'CHECK';
      containerID: string;
      /** Absent only on DEL (the sandbox may be gone). */
      netns?: string;
      ifName: string;
      /** CNI_PATH split on ':' (empty entries dropped). */
      path: string[];
      /** Every CNI_ARGS pair, in order. */
      args: [string, string][];
      pod: PodRef;
    };

export type EnvSource = Readonly<Record<string, string | undefined>>;

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** CNI_ARGS `K=V;K=V`: every pair needs exactly one `=` (skel: "ARGS: invalid pair"). */
export const parseCniArgs = (raw: string): Result<[string, string][], CniError> => {
  const out: [string, string][] = [];
  for (const pair of raw.split(';')) {
    if (pair === '') continue;
    const kv = pair.split('=');
    if (kv.length !== 2 || kv[0] === '')
      return err(invalidEnv('CNI_ARGS', raw, `invalid pair ${JSON.stringify(pair)}`));
    out.push([kv[0] ?? '', kv[1] ?? '']);
  }
  return ok(out);
};

/** CNI_IFNAME as the kernel and the spec allow it: 1-15 bytes, not `.`/`..`, no `/`, `:` or whitespace. */
export const checkIfName = (name: string): string | undefined => {
  if (name === '') return 'is empty';
  if (Buffer.byteLength(name) > 15) return 'is longer than 15 bytes';
  if (name === '.' || name === '..') return 'is . or ..';
  if (/[/:\s]/.test(name)) return 'contains /, : or whitespace';
  return undefined;
};

const need = (env: EnvSource, variable: string): Result<string, CniError> => {
  const v = env[variable];
  return v === undefined || v === '' ? err(invalidEnv(variable, v ?? '', 'required')) : ok(v);
};

const podOf = (args: [string, string][], raw: string): Result<PodRef, CniError> => {
  // libcni's LoadArgs sets the field once per pair, so with a key given twice the last pair wins.
  const get = (k: string): string | undefined => {
    for (let i = args.length - 1; i >= 0; i--) if (args[i]?.[0] === k) return args[i]?.[1];
    return undefined;
  };
  const namespace = get('K8S_POD_NAMESPACE');
  const name = get('K8S_POD_NAME');
  if (namespace === undefined || namespace === '')
    return err(invalidEnv('CNI_ARGS', raw, 'K8S_POD_NAMESPACE is required'));
  if (name === undefined || name === '') return err(invalidEnv('CNI_ARGS', raw, 'K8S_POD_NAME is required'));
  const uid = get('K8S_POD_UID');
  return ok(uid === undefined || uid === '' ? { namespace, name } : { namespace, name, uid });
};

/** Reads the CNI environment for one invocation. */
export const parseCniEnv = (env: EnvSource): Result<CniEnv, CniError> =>
  need(env, 'CNI_COMMAND').andThen((command): Result<CniEnv, CniError> => {
    if (!COMMANDS.includes(command)) return err(invalidEnv('CNI_COMMAND', command, 'unknown command'));
    if (command === 'VERSION') return ok({ command: 'VERSION' });
    if (command === 'STATUS' || command === 'GC')
      return ok({ command, path: (env.CNI_PATH ?? '').split(':').filter((p) => p !== '') });
    const cmd = command as 'ADD' | 'DEL' | 'CHECK';
    return need(env, 'CNI_CONTAINERID').andThen((containerID) => {
      if (!CONTAINER_ID.test(containerID))
        return err(invalidEnv('CNI_CONTAINERID', containerID, 'must match [a-zA-Z0-9][a-zA-Z0-9_.-]*'));
      const netns = env.CNI_NETNS;
      if (cmd !== 'DEL' && (netns === undefined || netns === ''))
        return err(invalidEnv('CNI_NETNS', netns ?? '', 'required'));
      return need(env, 'CNI_IFNAME').andThen((ifName) => {
        const bad = checkIfName(ifName);
        if (bad !== undefined) return err(invalidEnv('CNI_IFNAME', ifName, bad));
        return need(env, 'CNI_PATH').andThen((rawPath) => {
          const rawArgs = env.CNI_ARGS ?? '';
          return parseCniArgs(rawArgs).andThen((args) =>
            podOf(args, rawArgs).map(
              (pod): CniEnv => ({
                command: cmd,
                containerID,
                ...(netns === undefined || netns === '' ? {} : { netns }),
                ifName,
                path: rawPath.split(':').filter((p) => p !== ''),
                args,
                pod,
              }),
            ),
          );
        });
      });
    });
  });

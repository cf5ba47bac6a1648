// The `spiderpool-agent` command line: flags, then environment variables, then defaults. Pure parsing into
// a tagged result; `--help` is a result too (the entry prints it and exits 0).
import { parseArgs } from 'node:util';
import { err, ok, type Result } from 'neverthrow';

export const DEFAULT_AGENT_SOCKET = '/var/run/spidernet/spiderpool.sock';
export const DEFAULT_START_TIMEOUT_S = 30;

export interface AgentFlags {
  nodeName: string;
  /** Absent: client-node's default lookup ($KUBECONFIG, ~/.kube/config, in-cluster service account). */
  kubeconfig?: string;
  socketPath: string;
  startTimeoutMs: number;
}

export type AgentFlagsOutcome = { _tag: 'Run'; flags: AgentFlags } | { _tag: 'Help'; text: string };

export interface AgentFlagsError {
  _tag: 'BadFlags';
  flag: string;
  value: string;
  message: string;
}

export const AGENT_HELP = `spiderpool-agent: the spiderpool-ts node agent (IPAM engine behind a unix socket, over the API server)

Usage: spiderpool-agent [flags]

  --node-name <name>           this node (env SPIDERPOOL_NODE_NAME, then NODE_NAME); required
  --kubeconfig <path>          kubeconfig file (env KUBECONFIG; default: ~/.kube/config, then in-cluster)
  --ipam-unix-socket-path <p>  socket the spiderpool CNI plugin talks to (env SPIDERPOOL_IPAM_UNIX_SOCKET_PATH;
                               default ${DEFAULT_AGENT_SOCKET}); created 0600
  --start-timeout <seconds>    deadline for the first list of every cached kind (default ${DEFAULT_START_TIMEOUT_S})
  -h, --help                   print this and exit

Exit codes: 0 after SIGTERM/SIGINT or --help; 1 when it cannot start (bad kubeconfig, API server unreachable
within the deadline, a live agent already on the socket, a non-socket file at the socket path); 2 bad flags.
`;

const badFlags = (flag: string, value: string, why: string): AgentFlagsError => ({
  _tag: 'BadFlags',
  flag,
  value,
  message: `${flag}: ${why}${value === '' ? '' : ` (got ${JSON.stringify(value)})`}`,
});

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export const parseAgentFlags = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Result<AgentFlagsOutcome, AgentFlagsError> => {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'node-name': { type: 'string' },
        kubeconfig: { type: 'string' },
        'ipam-unix-socket-path': { type: 'string' },
        'start-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return err(badFlags('argv', argv.join(' '), e instanceof Error ? e.message : String(e)));
  }
  if (values.help === true) return ok({ _tag: 'Help', text: AGENT_HELP });
  const str = (k: string): string | undefined => {
    const v = values[k];
    return typeof v === 'string' ? nonEmpty(v) : undefined;
  };
  const nodeName = str('node-name') ?? nonEmpty(env.SPIDERPOOL_NODE_NAME) ?? nonEmpty(env.NODE_NAME);
  if (nodeName === undefined)
    return err(badFlags('--node-name', '', 'required (or SPIDERPOOL_NODE_NAME / NODE_NAME)'));
  const timeoutText = str('start-timeout') ?? String(DEFAULT_START_TIMEOUT_S);
  const timeout = Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout <= 0)
    return err(badFlags('--start-timeout', timeoutText, 'must be a positive number of seconds'));
  const kubeconfig = str('kubeconfig') ?? nonEmpty(env.KUBECONFIG);
  return ok({
    _tag: 'Run',
    flags: {
      nodeName,
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      socketPath:
        str('ipam-unix-socket-path') ??
        nonEmpty(env.SPIDERPOOL_IPAM_UNIX_SOCKET_PATH) ??
        DEFAULT_AGENT_SOCKET,
      startTimeoutMs: timeout * 1000,
    },
  });
};

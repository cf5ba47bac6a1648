// iproute2 as a value: `exec` (plain), `json` (`ip -j`) and `batch` (`ip -batch -`, stops at the first
// failing line, which the error names). A netns is a name under /run/netns (`ip -n <name>`) or a path such
// as CNI_NETNS `/proc/<pid>/ns/net` or `/var/run/netns/<name>` (run through `nsenter --net=<path>`).
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { badOutput, type IprouteError, toIprouteError } from './errors.ts';
import { type CommandRunner, spawnRunner } from './runner.ts';

export interface IprouteOptions {
  /** Defaults to the child_process runner. */
  runner?: CommandRunner;
  /** Defaults to `ip` (from PATH). */
  ipPath?: string;
  /** Defaults to `nsenter` (from PATH); used only for netns given as paths. */
  nsenterPath?: string;
  /** Per-command timeout, default 30 s. */
  timeoutMs?: number;
}

export interface InNetns {
  /** Name (`ip -n`) or path (`nsenter --net=`); absent: the caller's own netns. */
  netns?: string | undefined;
}

export interface Iproute {
  /** `ip <args>` → stdout. */
  exec(args: readonly string[], where?: InNetns): ResultAsync<string, IprouteError>;
  /** `ip -j <args>` → parsed JSON (`[]` for empty output). */
  json(args: readonly string[], where?: InNetns): ResultAsync<unknown, IprouteError>;
  /**
   * `ip -batch -` with one command per line (no leading `ip`); stops at the first failing line (named in
   * the error's `batchLine`) unless `force` (`ip -force`: run every line, fail if any failed).
   */
  batch(lines: readonly string[], where?: InNetns & { force?: boolean }): ResultAsync<string, IprouteError>;
}

const parseJson = ResultAsync.fromThrowable(async (s: string): Promise<unknown> => JSON.parse(s));

/** An iproute2 client over an injectable runner. */
export const createIproute = (opts: IprouteOptions = {}): Iproute => {
  const run = opts.runner ?? spawnRunner;
  const ip = opts.ipPath ?? 'ip';
  const nsenter = opts.nsenterPath ?? 'nsenter';

  const argv = (args: readonly string[], netns: string | undefined): string[] => {
    if (netns === undefined) return [ip, ...args];
    if (netns.includes('/')) return [nsenter, `--net=${netns}`, ip, ...args];
    return [ip, '-n', netns, ...args];
  };

  const go = (command: string[], stdin?: string): ResultAsync<string, IprouteError> => {
    const [file, ...args] = command;
    const req = {
      file: file ?? ip,
      args,
      ...(stdin === undefined ? {} : { stdin }),
      timeoutMs: opts.timeoutMs ?? 30_000,
    };
    return ResultAsync.fromSafePromise(run(req)).andThen((o) =>
      o.exitCode === 0 && o.errno === undefined ? okAsync(o.stdout) : errAsync(toIprouteError(command, o)),
    );
  };

  return {
    exec: (args, where) => go(argv(args, where?.netns)),
    json: (args, where) => {
      const command = argv(['-j', ...args], where?.netns);
      return go(command).andThen((out) =>
        out.trim() === ''
          ? okAsync<unknown, IprouteError>([])
          : parseJson(out).mapErr(() => badOutput(command, out, 'not JSON')),
      );
    },
    batch: (lines, where) =>
      go(argv([...(where?.force ? ['-force'] : []), '-batch', '-'], where?.netns), `${lines.join('\n')}\n`),
  };
};

// Running commands in the host or the Pod netns for the coordinator: `ip` through the shared iproute client,
// everything else (iptables, ip6tables, sysctl, arping) through the same injectable runner, entered with
// `ip netns exec <name>` or `nsenter --net=<path>`. Failures go through the one error mapper of src/iproute.
// The applier records an undo for each change and rolls back newest first.
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { createIproute, type Iproute, type IprouteError, toIprouteError } from '../iproute/index.ts';
import { type CommandRunner, spawnRunner } from '../iproute/runner.ts';
import { type CoordinatorError, setupFailed } from './errors.ts';

export interface CoordinatorTools {
  runner?: CommandRunner;
  /** The netns the plugin treats as "the host": absent = this process's netns (a name or a path). */
  hostNetns?: string;
  ipPath?: string;
  nsenterPath?: string;
  iptablesPath?: string;
  ip6tablesPath?: string;
  sysctlPath?: string;
  arpingPath?: string;
  timeoutMs?: number;
}

export type Side = 'host' | 'pod';

export interface Exec {
  readonly ip: Iproute;
  netnsOf(side: Side): string | undefined;
  /** `ip <args>` on a side. */
  ipx(side: Side, args: readonly string[]): ResultAsync<string, IprouteError>;
  ipj(side: Side, args: readonly string[]): ResultAsync<unknown, IprouteError>;
  /** Any other program (first element a key of `programs` or a path) on a side. */
  run(side: Side, argv: readonly string[]): ResultAsync<string, IprouteError>;
  /** The raw outcome (for checks whose exit code is the answer, e.g. `iptables -C`, `arping`). */
  probe(
    side: Side,
    argv: readonly string[],
  ): ResultAsync<{ exitCode: number | null; stderr: string }, IprouteError>;
  readonly programs: { iptables: string; ip6tables: string; sysctl: string; arping: string };
}

export const createExec = (tools: CoordinatorTools, podNetns: string): Exec => {
  const runner = tools.runner ?? spawnRunner;
  const nsenter = tools.nsenterPath ?? 'nsenter';
  const ipPath = tools.ipPath ?? 'ip';
  const timeoutMs = tools.timeoutMs ?? 30_000;
  const ip = createIproute({ runner, ipPath, nsenterPath: nsenter, timeoutMs });
  const netnsOf = (side: Side): string | undefined => (side === 'pod' ? podNetns : tools.hostNetns);
  const wrap = (side: Side, argv: readonly string[]): string[] => {
    const ns = netnsOf(side);
    if (ns === undefined) return [...argv];
    if (ns.includes('/')) return [nsenter, `--net=${ns}`, ...argv];
    return [ipPath, 'netns', 'exec', ns, ...argv];
  };
  const spawnIt = (side: Side, argv: readonly string[]) => {
    const command = wrap(side, argv);
    const [file, ...args] = command;
    return {
      command,
      outcome: ResultAsync.fromSafePromise(runner({ file: file ?? ipPath, args, timeoutMs })),
    };
  };
  return {
    ip,
    netnsOf,
    ipx: (side, args) => ip.exec(args, { netns: netnsOf(side) }),
    ipj: (side, args) => ip.json(args, { netns: netnsOf(side) }),
    run: (side, argv) => {
      const { command, outcome } = spawnIt(side, argv);
      return outcome.andThen((o) =>
        o.exitCode === 0 && o.errno === undefined ? okAsync(o.stdout) : errAsync(toIprouteError(command, o)),
      );
    },
    probe: (side, argv) => {
      const { command, outcome } = spawnIt(side, argv);
      return outcome.andThen((o) =>
        o.errno !== undefined || (o.exitCode === null && o.signal !== null)
          ? errAsync(toIprouteError(command, o))
          : okAsync({ exitCode: o.exitCode, stderr: o.stderr }),
      );
    },
    programs: {
      iptables: tools.iptablesPath ?? 'iptables',
      ip6tables: tools.ip6tablesPath ?? 'ip6tables',
      sysctl: tools.sysctlPath ?? 'sysctl',
      arping: tools.arpingPath ?? 'arping',
    },
  };
};

/** One undo: a function returning its result; NotFound (already gone) counts as done. */
export type Undo = () => ResultAsync<unknown, IprouteError>;

export interface Applier {
  /** Runs `change`; on success remembers `undo` (if any). The error names the step. */
  apply<T>(step: string, change: ResultAsync<T, IprouteError>, undo?: Undo): ResultAsync<T, CoordinatorError>;
  /** Registers an undo for something already done. */
  push(undo: Undo): void;
  /** Runs every undo newest first, never stopping early; returns the ones that failed. */
  rollback(): Promise<IprouteError[]>;
}

export const createApplier = (): Applier => {
  const undos: Undo[] = [];
  return {
    apply: (step, change, undo) =>
      change
        .map((v) => {
          if (undo !== undefined) undos.push(undo);
          return v;
        })
        .mapErr((cause) => setupFailed(step, cause)),
    push: (undo) => {
      undos.push(undo);
    },
    rollback: async () => {
      const failed: IprouteError[] = [];
      while (undos.length > 0) {
        const u = undos.pop();
        if (u === undefined) break;
        const r = await u();
        if (r.isErr() && r.error._tag !== 'NotFound') failed.push(r.error);
      }
      return failed;
    },
  };
};

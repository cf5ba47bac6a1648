// Errors of iproute2 commands. ONE function, `toIprouteError`, maps a failed run (exit code, stderr and,
// for spawn failures, errno) to a tag; every tag keeps the command line and stderr for the log.
import type { RunOutcome } from './runner.ts';

export type IprouteErrorTag =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Busy'
  | 'PermissionDenied'
  | 'NoSuchNetns'
  | 'InvalidArgument'
  | 'BadOutput'
  | 'Unknown';

export interface IprouteError {
  _tag: IprouteErrorTag;
  /** argv as run, program first. */
  command: string[];
  exitCode: number | null;
  stderr: string;
  /** errno code when the program could not be spawned (`ENOENT`: no `ip` binary). */
  errno?: string;
  /** 1-based line of an `-batch` input that failed. */
  batchLine?: number;
  message: string;
}

// Order matters: a missing netns reads "No such file or directory" too, so it is tested before NotFound.
const RULES: readonly [IprouteErrorTag, RegExp][] = [
  [
    'NoSuchNetns',
    /cannot open network namespace|invalid "netns" value|nsenter: (?:cannot open|reassociate)/i,
  ],
  ['AlreadyExists', /file exists|already exists|exists in the target netns/i],
  ['Busy', /device or resource busy/i],
  ['PermissionDenied', /operation not permitted|permission denied/i],
  [
    'NotFound',
    /cannot find device|does not exist|no such device|no such process|no such file or directory|address not found/i,
  ],
  [
    'InvalidArgument',
    /invalid argument|is expected|invalid gateway|is invalid|is wrong|network is unreachable|out of range|greater than|less than|garbage/i,
  ],
];

// A spawn ENOENT means the PROGRAM (ip, nsenter) is missing: not NotFound, which callers read as "no such
// link" (detach would report 'not-found' success, attach InterfaceNotFound). It stays Unknown, errno kept.
const ERRNO: Readonly<Record<string, IprouteErrorTag>> = {
  EACCES: 'PermissionDenied',
  EPERM: 'PermissionDenied',
  EBUSY: 'Busy',
  EEXIST: 'AlreadyExists',
};

const classify = (o: RunOutcome): IprouteErrorTag => {
  if (o.errno !== undefined) return ERRNO[o.errno] ?? 'Unknown';
  return RULES.find(([, re]) => re.test(o.stderr))?.[0] ?? 'Unknown';
};

const firstLine = (s: string): string =>
  s
    .trim()
    .split('\n')
    .find((l) => l.trim() !== '') ?? '';

/** The tag of a failed `ip` run, with the command line, exit code and stderr kept. */
export const toIprouteError = (command: readonly string[], o: RunOutcome): IprouteError => {
  const tag = classify(o);
  const line = /Command failed \S*:(\d+)/.exec(o.stderr)?.[1];
  const why =
    o.errno !== undefined
      ? `spawn failed: ${o.errno}`
      : firstLine(o.stderr) ||
        (o.exitCode === null && o.signal !== null
          ? `killed by ${o.signal} (timeout?)`
          : `exit ${o.exitCode}`);
  const e: IprouteError = {
    _tag: tag,
    command: [...command],
    exitCode: o.exitCode,
    stderr: o.stderr,
    message: `${tag}: \`${command.join(' ')}\`${line === undefined ? '' : ` (batch line ${line})`}: ${why}`,
  };
  if (o.errno !== undefined) e.errno = o.errno;
  if (line !== undefined) e.batchLine = Number.parseInt(line, 10);
  return e;
};

/** Output that is not the JSON `ip -j` promises. */
export const badOutput = (command: readonly string[], stdout: string, detail: string): IprouteError => ({
  _tag: 'BadOutput',
  command: [...command],
  exitCode: 0,
  stderr: '',
  message: `BadOutput: \`${command.join(' ')}\`: ${detail} (${JSON.stringify(stdout.slice(0, 80))})`,
});

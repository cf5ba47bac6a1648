// Test doubles only. Synchronous command helpers for building netns fixtures (a failed setup step throws:
// the test environment is broken, there is nothing to recover).
import { spawnSync } from 'node:child_process';

export interface ShOutcome {
  code: number;
  out: string;
  err: string;
}

export const sh = (args: readonly string[], input?: string): ShOutcome => {
  const r = spawnSync(args[0] ?? 'true', args.slice(1), { encoding: 'utf8', input: input ?? '' });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? (r.error ? String(r.error) : '') };
};

export const must = (args: readonly string[], input?: string): string => {
  const r = sh(args, input);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}: ${r.err.trim()}`);
  return r.out;
};

/** `ip -n <netns> <args>`. */
export const ipIn = (netns: string, ...args: string[]): string => must(['ip', '-n', netns, ...args]);

/** JSON of `ip -n <netns> -j <args>`. */
export const ipJson = (netns: string, ...args: string[]): unknown =>
  JSON.parse(must(['ip', '-n', netns, '-j', ...args]) || '[]') as unknown;

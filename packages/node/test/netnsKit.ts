// Test kit: throwaway network namespaces ("host" and "pod") made with iproute2, never touching the root
// namespace. `probe()` says why netns tests cannot run here (not root, no ip, no macvlan), or undefined.
import { spawnSync } from 'node:child_process';

export const sh = (args: readonly string[], input?: string): { code: number; out: string; err: string } => {
  const r = spawnSync(args[0] ?? 'ip', args.slice(1), { encoding: 'utf8', input: input ?? '' });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? (r.error ? String(r.error) : '') };
};

const must = (args: readonly string[]): string => {
  const r = sh(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.err}`);
  return r.out;
};

let counter = 0;
const created: string[] = [];

/** A unique, short netns name for this process. */
export const uniqueName = (role: string): string => `spts-${role}-${process.pid}-${++counter}`;

export const addNetns = (name: string): string => {
  must(['ip', 'netns', 'add', name]);
  created.push(name);
  must(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return name;
};

export const delNetns = (name: string): void => {
  sh(['ip', 'netns', 'del', name]);
};

/** Deletes every netns this kit made (idempotent; for afterAll). */
export const cleanupAll = (): void => {
  while (created.length > 0) delNetns(created.pop() ?? '');
};

export const probe = (): string | undefined => {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root';
  if (sh(['ip', '-V']).code !== 0) return 'iproute2 (ip) not installed';
  const n = `spts-probe-${process.pid}`;
  if (sh(['ip', 'netns', 'add', n]).code !== 0) return 'cannot create a network namespace';
  try {
    if (sh(['ip', '-n', n, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']).code !== 0)
      return 'kernel lacks veth';
    if (
      sh(['ip', '-n', n, 'link', 'add', 'link', 'p0', 'name', 'mv0', 'type', 'macvlan', 'mode', 'bridge'])
        .code !== 0
    )
      return 'kernel lacks macvlan';
    return undefined;
  } finally {
    delNetns(n);
  }
};

/**
 * The gate every capability-dependent suite goes through: outside CI a missing capability prints why and the
 * suite skips; under `CI=true` it is a failure (the file fails to load), so CI cannot go green by skipping.
 * Returns true when the suite must skip.
 */
export const gate = (suite: string, reason: string | undefined): boolean => {
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`[${suite}] needed under CI=true but missing: ${reason}`);
  console.log(`[${suite}] skipped: ${reason}`);
  return true;
};

/** JSON of `ip -n <netns> -j <args>`. */
export const ipj = (netns: string, ...args: string[]): unknown =>
  JSON.parse(must(['ip', '-n', netns, '-j', ...args]) || '[]');

/**
 * The test "host": a veth pair gw0 <-> p0 (gw0 holds the gateway address), and a macvlan `vf` on p0 as the
 * VF stand-in, with an altname, as a VF would have.
 */
export const makeHost = (host: string, opts: { gateway: string; vf: string; altname?: string }): void => {
  must(['ip', '-n', host, 'link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'p0']);
  must(['ip', '-n', host, 'addr', 'add', opts.gateway, 'dev', 'gw0']);
  must(['ip', '-n', host, 'link', 'set', 'gw0', 'up']);
  must(['ip', '-n', host, 'link', 'set', 'p0', 'up']);
  must(['ip', '-n', host, 'link', 'add', 'link', 'p0', 'name', opts.vf, 'type', 'macvlan', 'mode', 'bridge']);
  if (opts.altname !== undefined)
    must(['ip', '-n', host, 'link', 'property', 'add', 'dev', opts.vf, 'altname', opts.altname]);
};

export const hasPing = (): boolean => sh(['ping', '-V']).code === 0;

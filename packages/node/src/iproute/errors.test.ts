import { describe, expect, it } from 'vitest';
import { toIprouteError } from './errors.ts';
import type { RunOutcome } from './runner.ts';

const failed = (stderr: string, exitCode = 2): RunOutcome => ({ exitCode, signal: null, stdout: '', stderr });
const cmd = ['ip', '-n', 'pod', 'link', 'set', 'dev', 'eth0', 'up'];

describe('toIprouteError', () => {
  it.each([
    ['Cannot find device "eth0"\n', 'NotFound'],
    ['Device "eth9" does not exist.\n', 'NotFound'],
    ['RTNETLINK answers: No such process\n', 'NotFound'],
    ['Error: ipv6: address not found.\n', 'NotFound'],
    ['RTNETLINK answers: File exists\n', 'AlreadyExists'],
    ['Error: An interface with the altname eth0 exists in the target netns.\n', 'AlreadyExists'],
    ['RTNETLINK answers: Device or resource busy\n', 'Busy'],
    ['RTNETLINK answers: Operation not permitted\n', 'PermissionDenied'],
    ['Cannot open network namespace "pod": No such file or directory\n', 'NoSuchNetns'],
    ['Error: argument "gone" is wrong: Invalid "netns" value\n', 'NoSuchNetns'],
    ['nsenter: cannot open /proc/4242/ns/net: No such file or directory\n', 'NoSuchNetns'],
    ['Error: Nexthop has invalid gateway.\n', 'InvalidArgument'],
    ['Error: inet address is expected rather than "zz".\n', 'InvalidArgument'],
    ['"zz" is invalid lladdr.\n', 'InvalidArgument'],
    ['Error: mtu greater than device maximum.\n', 'InvalidArgument'],
    ['something new\n', 'Unknown'],
  ])('%j -> %s', (stderr, tag) => {
    const e = toIprouteError(cmd, failed(stderr));
    expect(e._tag).toBe(tag);
    expect(e.command).toEqual(cmd);
    expect(e.stderr).toBe(stderr);
    expect(e.message).toContain('ip -n pod link set dev eth0 up');
    expect(e.message).toContain(stderr.trim());
  });

  it('maps spawn errno and keeps it', () => {
    const e = toIprouteError(['ip', 'link'], {
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
      errno: 'ENOENT',
    });
    // the program is missing, not the link: callers must not read it as NotFound
    expect(e).toMatchObject({ _tag: 'Unknown', errno: 'ENOENT', exitCode: null });
    expect(e.message).toContain('spawn failed: ENOENT');
    const p = toIprouteError(['ip'], {
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
      errno: 'EACCES',
    });
    expect(p._tag).toBe('PermissionDenied');
  });

  it('names the failing batch line', () => {
    const e = toIprouteError(
      ['ip', '-batch', '-'],
      failed('RTNETLINK answers: File exists\nCommand failed -:3\n', 1),
    );
    expect(e).toMatchObject({ _tag: 'AlreadyExists', batchLine: 3 });
    expect(e.message).toContain('batch line 3');
  });

  it('falls back to the exit code when stderr is empty', () => {
    expect(toIprouteError(['ip'], failed('', 255)).message).toContain('exit 255');
  });

  it('says a run was killed (the runner timeout) instead of "exit null"', () => {
    const e = toIprouteError(['ip'], { exitCode: null, signal: 'SIGTERM', stdout: '', stderr: '' });
    expect(e.message).toContain('killed by SIGTERM');
  });
});

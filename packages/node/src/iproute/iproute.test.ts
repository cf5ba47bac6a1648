import { describe, expect, it } from 'vitest';
import { createIproute } from './iproute.ts';
import type { RunOutcome, RunRequest } from './runner.ts';

const fake = (answer: (r: RunRequest) => Partial<RunOutcome>) => {
  const calls: RunRequest[] = [];
  const runner = async (r: RunRequest): Promise<RunOutcome> => {
    calls.push(r);
    return { exitCode: 0, signal: null, stdout: '', stderr: '', ...answer(r) };
  };
  return { calls, runner };
};

describe('createIproute', () => {
  it('runs ip -j with -n for a named netns and parses the JSON', async () => {
    const f = fake(() => ({ stdout: '[{"ifname":"lo","mtu":65536}]\n' }));
    const r = await createIproute({ runner: f.runner }).json(['link', 'show'], { netns: 'pod' });
    expect(r._unsafeUnwrap()).toEqual([{ ifname: 'lo', mtu: 65536 }]);
    expect(f.calls[0]).toMatchObject({ file: 'ip', args: ['-n', 'pod', '-j', 'link', 'show'] });
  });

  it('enters a netns given as a path through nsenter', async () => {
    const f = fake(() => ({}));
    const ip = createIproute({ runner: f.runner, ipPath: '/sbin/ip', nsenterPath: '/usr/bin/nsenter' });
    await ip.exec(['link', 'set', 'lo', 'up'], { netns: '/proc/42/ns/net' });
    expect(f.calls[0]).toMatchObject({
      file: '/usr/bin/nsenter',
      args: ['--net=/proc/42/ns/net', '/sbin/ip', 'link', 'set', 'lo', 'up'],
    });
  });

  it('answers [] for empty JSON output and BadOutput for garbage', async () => {
    const empty = await createIproute({ runner: fake(() => ({ stdout: '\n' })).runner }).json(['route']);
    expect(empty._unsafeUnwrap()).toEqual([]);
    const bad = await createIproute({ runner: fake(() => ({ stdout: 'oops' })).runner }).json(['route']);
    expect(bad._unsafeUnwrapErr()).toMatchObject({ _tag: 'BadOutput', command: ['ip', '-j', 'route'] });
  });

  it('feeds batch lines on stdin and maps a failure with its line', async () => {
    const f = fake(() => ({
      exitCode: 1,
      stderr: 'Error: Nexthop has invalid gateway.\nCommand failed -:2\n',
    }));
    const r = await createIproute({ runner: f.runner }).batch(
      ['link set dev eth0 up', 'route add default via 1.2.3.4'],
      {
        netns: 'pod',
      },
    );
    expect(f.calls[0]).toMatchObject({
      args: ['-n', 'pod', '-batch', '-'],
      stdin: 'link set dev eth0 up\nroute add default via 1.2.3.4\n',
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'InvalidArgument', batchLine: 2 });
  });

  it('reports a missing binary through the real spawn runner as Unknown with errno (not NotFound)', async () => {
    const r = await createIproute({ ipPath: '/nonexistent/ip' }).exec(['link']);
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'Unknown', errno: 'ENOENT' });
  });

  it('runs a real command and returns its stdout', async () => {
    const r = await createIproute({ ipPath: process.execPath }).exec(['-e', 'process.stdout.write("hi")']);
    expect(r._unsafeUnwrap()).toBe('hi');
  });
});

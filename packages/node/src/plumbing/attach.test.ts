// Rollback order of attachInterface against a scripted runner (no netns needed): which command fails
// decides which undos run, newest first.
import { describe, expect, it } from 'vitest';
import { createIproute, type RunOutcome, type RunRequest } from '../iproute/index.ts';
import { attachInterface } from './attach.ts';
import { type DetachOptions, detachInterface } from './detach.ts';

const HOST_LINK =
  '[{"ifindex":7,"ifname":"enp4s0f0v0","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,"address":"66:ad:ed:c8:d4:90","altnames":["enp4s0f0np0v0"]}]';
const POD_LINKS = '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536}]';

type Script = (cmd: string, stdin: string) => Partial<RunOutcome> | undefined;

const scripted = (script: Script) => {
  const log: string[] = [];
  const runner = async (r: RunRequest): Promise<RunOutcome> => {
    const cmd = [r.file, ...r.args].join(' ');
    const stdin = r.stdin ?? '';
    log.push(stdin === '' ? cmd : `${cmd} <<< ${stdin.trim().split('\n').join(' | ')}`);
    const base = { exitCode: 0, signal: null, stdout: '', stderr: '' };
    if (cmd.endsWith('-j link show dev enp4s0f0v0')) return { ...base, stdout: HOST_LINK };
    if (cmd.endsWith('-j link show')) return { ...base, stdout: POD_LINKS };
    return { ...base, ...script(cmd, stdin) };
  };
  return { log, iproute: createIproute({ runner }) };
};

const opts = {
  hostNetns: 'h',
  podNetns: 'p',
  hostIfName: 'enp4s0f0v0',
  podIfName: 'eth0',
  addresses: ['10.20.168.190/16'],
  routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
  mtu: 1400,
  selfNetns: '/proc/1/ns/net',
};

describe('attachInterface rollback order', () => {
  it('undoes the applied config lines, then moves back and re-adds altnames', async () => {
    const { log, iproute } = scripted((cmd, stdin) =>
      cmd === 'ip -n p -batch -' && stdin.includes('route add')
        ? { exitCode: 1, stderr: 'Error: Nexthop has invalid gateway.\nCommand failed -:4\n' }
        : undefined,
    );
    const r = await attachInterface({ ...opts, iproute });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: 'AttachFailed',
      step: 'configure',
      rollbackErrors: [],
    });
    expect(log.slice(2)).toEqual([
      'ip -n h -batch - <<< link property del dev enp4s0f0v0 altname enp4s0f0np0v0',
      'ip -n h link set dev enp4s0f0v0 netns p name eth0',
      'ip -n p -batch - <<< link set dev eth0 mtu 1400 | addr add 10.20.168.190/16 dev eth0 | link set dev eth0 up | route add 0.0.0.0/0 via 10.20.0.1 dev eth0',
      'ip -n p -force -batch - <<< addr del 10.20.168.190/16 dev eth0',
      'ip -n p -force -batch - <<< link set dev eth0 down | link set dev eth0 mtu 1500',
      'ip -n p link set dev eth0 netns h name enp4s0f0v0',
      'ip -n h link set dev enp4s0f0v0 up',
      'ip -n h -force -batch - <<< link property add dev enp4s0f0v0 altname enp4s0f0np0v0',
    ]);
  });

  it('an undo batch iproute2 aborts (exit without a line number) still lets MAC and MTU be restored', async () => {
    const { log, iproute } = scripted((cmd, stdin) => {
      if (cmd === 'ip -n p -batch -' && stdin.includes('addr add'))
        return {
          exitCode: 255,
          stderr: 'Error: an inet prefix is expected rather than "10.20.168.190/16".\n',
        };
      if (cmd.includes('-force') && stdin.includes('addr del'))
        return {
          exitCode: 255,
          stderr: 'Error: an inet prefix is expected rather than "10.20.168.190/16".\n',
        };
      return undefined;
    });
    const e = (await attachInterface({ ...opts, iproute, mac: '0a:1b:0a:14:a8:be' }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'AttachFailed', step: 'configure' });
    if (e._tag === 'AttachFailed') expect(e.rollbackErrors).toHaveLength(1);
    expect(log).toContain(
      'ip -n p -force -batch - <<< link set dev eth0 down | link set dev eth0 address 66:ad:ed:c8:d4:90 | link set dev eth0 mtu 1500',
    );
  });
  it('re-adds altnames when the move fails, and reports undo failures', async () => {
    const { log, iproute } = scripted((cmd) => {
      if (cmd.includes('netns p name eth0'))
        return { exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' };
      if (cmd.includes('-force'))
        return { exitCode: 1, stderr: 'RTNETLINK answers: Operation not permitted\n' };
      return undefined;
    });
    const r = await attachInterface({ ...opts, iproute });
    const e = r._unsafeUnwrapErr();
    expect(e).toMatchObject({ _tag: 'AttachFailed', step: 'move', cause: { _tag: 'AlreadyExists' } });
    if (e._tag === 'AttachFailed') expect(e.rollbackErrors.map((x) => x._tag)).toEqual(['PermissionDenied']);
    expect(e.message).toContain('rollback incomplete');
    expect(log.at(-1)).toBe(
      'ip -n h -force -batch - <<< link property add dev enp4s0f0v0 altname enp4s0f0np0v0',
    );
  });

  it('refuses bad input before running anything', async () => {
    const { log, iproute } = scripted(() => undefined);
    const r = await attachInterface({ ...opts, iproute, mac: 'not-a-mac' });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'BadInput', field: 'mac' });
    const long = await attachInterface({ ...opts, iproute, podIfName: 'a-very-long-interface' });
    expect(long._unsafeUnwrapErr()).toMatchObject({ _tag: 'BadInput', field: 'podIfName' });
    expect(log).toEqual([]);
  });
});

describe('detachInterface', () => {
  it('restores MTU/MAC in the Pod, moves back to this process netns, then altnames and up', async () => {
    const { log, iproute } = scripted(() => undefined);
    const r = await detachInterface({
      iproute,
      podNetns: 'p',
      podIfName: 'enp4s0f0v0',
      hostIfName: 'enp4s0f0v0',
      selfNetns: '/proc/1/ns/net',
      original: { mtu: 1500, mac: '66:ad:ed:c8:d4:90', up: true, altnames: ['alt0'] },
    });
    expect(r._unsafeUnwrap()).toBe('detached');
    expect(log.slice(1)).toEqual([
      'ip -n p -batch - <<< addr flush dev enp4s0f0v0 | link set dev enp4s0f0v0 down | link set dev enp4s0f0v0 mtu 1500 | link set dev enp4s0f0v0 address 66:ad:ed:c8:d4:90',
      'ip -n p link set dev enp4s0f0v0 netns /proc/1/ns/net name enp4s0f0v0',
      'ip -batch - <<< link property add dev enp4s0f0v0 altname alt0 | link set dev enp4s0f0v0 up',
    ]);
  });

  it('refuses names and original values that would inject batch lines, before running anything', async () => {
    const { log, iproute } = scripted(() => undefined);
    const base = { iproute, podNetns: 'p', podIfName: 'eth0', hostIfName: 'enp4s0f0v0' };
    const original = { mtu: 1500, up: true, altnames: ['alt0'] };
    const cases: [DetachOptions, string][] = [
      [{ ...base, podIfName: 'eth0\nlink del dev lo' }, 'podIfName'],
      [{ ...base, hostIfName: 'a b' }, 'hostIfName'],
      [{ ...base, original: { ...original, mac: '66:ad:ed:c8:d4:90 mtu 9000' } }, 'original.mac'],
      [{ ...base, original: { ...original, altnames: ['x\nlink del dev lo'] } }, 'original.altnames'],
      [{ ...base, original: { ...original, mtu: 1.5 } }, 'original.mtu'],
    ];
    for (const [o, field] of cases)
      expect((await detachInterface(o))._unsafeUnwrapErr()).toMatchObject({ _tag: 'BadInput', field });
    expect(log).toEqual([]);
  });

  it('fails (not "not-found") when the ip binary is missing', async () => {
    const r = await detachInterface({
      iproute: createIproute({ ipPath: '/nonexistent/ip' }),
      podNetns: 'p',
      podIfName: 'eth0',
      hostIfName: 'enp4s0f0v0',
    });
    expect(r._unsafeUnwrapErr()).toMatchObject({
      _tag: 'DetachFailed',
      step: 'inspect',
      cause: { errno: 'ENOENT' },
    });
  });

  it('succeeds when the Pod netns is gone', async () => {
    const gone = createIproute({
      runner: async () => ({
        exitCode: 255,
        signal: null,
        stdout: '',
        stderr: 'Cannot open network namespace "p": No such file or directory\n',
      }),
    });
    const r = await detachInterface({
      iproute: gone,
      podNetns: 'p',
      podIfName: 'eth0',
      hostIfName: 'enp4s0f0v0',
    });
    expect(r._unsafeUnwrap()).toBe('netns-gone');
  });
});

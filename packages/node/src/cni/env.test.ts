import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIfName, parseCniArgs, parseCniEnv } from './env.ts';

const base = {
  CNI_COMMAND: 'ADD',
  CNI_CONTAINERID: 'abc123',
  CNI_NETNS: '/var/run/netns/cni-1',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin::/usr/lib/cni',
  CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_UID=u-1',
};

const tagOf = (env: Record<string, string | undefined>) => {
  const r = parseCniEnv(env);
  return r.isErr()
    ? { tag: r.error._tag, variable: r.error._tag === 'InvalidEnv' ? r.error.variable : '' }
    : 'ok';
};

describe('parseCniEnv', () => {
  it('reads ADD with the Kubernetes CNI_ARGS keys and the split CNI_PATH', () => {
    expect(parseCniEnv(base)._unsafeUnwrap()).toEqual({
      command: 'ADD',
      containerID: 'abc123',
      netns: '/var/run/netns/cni-1',
      ifName: 'eth0',
      path: ['/opt/cni/bin', '/usr/lib/cni'],
      args: [
        ['IgnoreUnknown', '1'],
        ['K8S_POD_NAMESPACE', 'default'],
        ['K8S_POD_NAME', 'web-0'],
        ['K8S_POD_UID', 'u-1'],
      ],
      pod: { namespace: 'default', name: 'web-0', uid: 'u-1' },
    });
  });

  it('a CNI_ARGS key given twice takes the last value, as libcni does', () => {
    const env = {
      ...base,
      CNI_ARGS: 'K8S_POD_NAMESPACE=a;K8S_POD_NAME=first;K8S_POD_NAME=second;K8S_POD_NAMESPACE=b',
    };
    expect(parseCniEnv(env)._unsafeUnwrap()).toMatchObject({ pod: { namespace: 'b', name: 'second' } });
  });

  it('VERSION needs nothing else', () => {
    expect(parseCniEnv({ CNI_COMMAND: 'VERSION' })._unsafeUnwrap()).toEqual({ command: 'VERSION' });
  });

  it('DEL may come without CNI_NETNS (sandbox gone); ADD and CHECK may not', () => {
    const del = parseCniEnv({ ...base, CNI_COMMAND: 'DEL', CNI_NETNS: '' })._unsafeUnwrap();
    expect(del).not.toHaveProperty('netns');
    expect(tagOf({ ...base, CNI_NETNS: undefined })).toEqual({ tag: 'InvalidEnv', variable: 'CNI_NETNS' });
    expect(tagOf({ ...base, CNI_COMMAND: 'CHECK', CNI_NETNS: '' })).toEqual({
      tag: 'InvalidEnv',
      variable: 'CNI_NETNS',
    });
  });

  it('a missing K8S_POD_UID is fine (the agent reads the Pod)', () => {
    const r = parseCniEnv({ ...base, CNI_ARGS: 'K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p' })._unsafeUnwrap();
    expect('pod' in r && r.pod).toEqual({ namespace: 'ns', name: 'p' });
  });

  it.each([
    [{ CNI_COMMAND: undefined }, 'CNI_COMMAND'],
    [{ CNI_COMMAND: 'FOO' }, 'CNI_COMMAND'],
    [{ CNI_COMMAND: 'add' }, 'CNI_COMMAND'],
    [{ CNI_CONTAINERID: '' }, 'CNI_CONTAINERID'],
    [{ CNI_CONTAINERID: '-bad' }, 'CNI_CONTAINERID'],
    [{ CNI_CONTAINERID: 'a b' }, 'CNI_CONTAINERID'],
    [{ CNI_IFNAME: undefined }, 'CNI_IFNAME'],
    [{ CNI_IFNAME: 'averyveryverylongname' }, 'CNI_IFNAME'],
    [{ CNI_IFNAME: 'eth/0' }, 'CNI_IFNAME'],
    [{ CNI_PATH: '' }, 'CNI_PATH'],
    [{ CNI_ARGS: 'K8S_POD_NAMESPACE=default' }, 'CNI_ARGS'],
    [{ CNI_ARGS: 'K8S_POD_NAME=p' }, 'CNI_ARGS'],
    [{ CNI_ARGS: 'K8S_POD_NAMESPACE=a;K8S_POD_NAME' }, 'CNI_ARGS'],
    [{ CNI_ARGS: undefined }, 'CNI_ARGS'],
  ])('%j is InvalidEnv on %s', (patch, variable) => {
    expect(tagOf({ ...base, ...patch })).toEqual({ tag: 'InvalidEnv', variable });
  });
});

describe('parseCniArgs', () => {
  it('skips empty pairs and refuses a pair without exactly one "="', () => {
    expect(parseCniArgs(';a=1;;b=;')._unsafeUnwrap()).toEqual([
      ['a', '1'],
      ['b', ''],
    ]);
    expect(parseCniArgs('a=1=2').isErr()).toBe(true);
    expect(parseCniArgs('=1').isErr()).toBe(true);
  });

  it('round-trips any list of simple pairs', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9_./-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 8 }), (pairs) => {
        const raw = pairs.map(([k, v]) => `${k}=${v}`).join(';');
        expect(parseCniArgs(raw)._unsafeUnwrap()).toEqual(pairs);
      }),
    );
  });
});

describe('checkIfName', () => {
  it('accepts kernel-valid names and names the problem otherwise', () => {
    expect(checkIfName('net1')).toBeUndefined();
    expect(checkIfName('a'.repeat(15))).toBeUndefined();
    expect(checkIfName('a'.repeat(16))).toBe('is longer than 15 bytes');
    expect(checkIfName('..')).toBe('is . or ..');
    expect(checkIfName('eth 0')).toBe('contains /, : or whitespace');
    expect(checkIfName('')).toBe('is empty');
  });
});

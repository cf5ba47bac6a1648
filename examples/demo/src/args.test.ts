import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from './args.ts';

describe('demo arguments', () => {
  it('defaults to the in-memory store and ignores a literal --', () => {
    expect(parseDemoArgs([], undefined)).toEqual({ store: 'memory' });
    expect(parseDemoArgs(['--', '--store=memory'], '/k')).toEqual({ store: 'memory' });
  });
  it('--store=k8s is the emulator; --real-cluster takes KUBECONFIG', () => {
    expect(parseDemoArgs(['--store=k8s'], '/k')).toEqual({ store: 'emulator' });
    expect(parseDemoArgs(['--store=k8s', '--real-cluster'], '/k')).toEqual({
      store: 'real',
      kubeconfig: '/k',
    });
  });
  it('refuses what it cannot do, with the usage', () => {
    expect(parseDemoArgs(['--store=k8s', '--real-cluster'], undefined)).toMatch(/needs KUBECONFIG/);
    expect(parseDemoArgs(['--real-cluster'], '/k')).toMatch(/needs --store=k8s/);
    expect(parseDemoArgs(['--store=etcd'], undefined)).toMatch(/must be memory or k8s, not etcd\nusage/);
    expect(parseDemoArgs(['-x'], undefined)).toMatch(/unknown argument -x/);
  });
});

// startWatch against a scripted client-node Watch: what each connection does is decided by the test, so the
// behaviours of client-node 2.x (inactivity timeout) and HTTP refusals of a resumed stream can be shown.
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, WatchEvent } from '@spiderpool-ts/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWatch } from './watchStream.ts';

type OnEvent = (phase: string, object: unknown) => void;
type OnDone = (e: unknown) => void;
type Connection = (on: OnEvent, done: OnDone) => void;
const later =
  (c: Connection): Connection =>
  (on, done) =>
    setTimeout(() => c(on, done), 1);

const script: Connection[] = [];
const paths: Record<string, unknown>[] = [];

vi.mock('@kubernetes/client-node', async (importOriginal) => {
  const real = await importOriginal<typeof import('@kubernetes/client-node')>();
  class ScriptedWatch {
    async watch(_path: string, query: Record<string, unknown>, on: OnEvent, done: OnDone) {
      paths.push(query);
      const next = script.shift();
      const controller = new AbortController();
      // Like client-node: a refused request calls done before watch() resolves; streams run later.
      next?.(on, done);
      return controller;
    }
  }
  return { ...real, Watch: ScriptedWatch };
});

const pool = (name: string, rv: string) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, resourceVersion: rv },
});

const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
const httpError = (statusCode: number) => Object.assign(new Error('refused'), { statusCode });

const run = async (resourceVersion: string) => {
  const seen: string[] = [];
  const handle = (
    await startWatch<KubeObject>({
      kc: new KubeConfig(),
      kind: 'SpiderIPPool',
      path: '/apis/spiderpool.spidernet.io/v2beta1/spiderippools',
      labelSelector: undefined,
      resourceVersion,
      fill: (o) => o as KubeObject,
      openTimeoutMs: 5000,
      listener: (e: WatchEvent<KubeObject>) =>
        seen.push(
          e.type === 'ERROR'
            ? `ERROR ${e.error._tag}`
            : `${e.type} ${String('object' in e ? e.object.metadata.name : '')}`,
        ),
    })
  )._unsafeUnwrap();
  return { seen, handle };
};

afterEach(() => {
  script.length = 0;
  paths.length = 0;
});

describe('startWatch', () => {
  it('resumes after client-node 2.x inactivity timeouts, however many, from the last version', async () => {
    // Five quiet periods in a row (more than the idle-resume limit for server closes), then an event.
    for (let i = 0; i < 5; i++) script.push(later((_on, done) => done(timeout())));
    script.push(later((on) => on('ADDED', pool('a', '12'))));
    const { seen, handle } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a']);
    expect(paths.map((q) => q.resourceVersion)).toEqual(['10', '10', '10', '10', '10', '10']);
    handle.close();
  });

  it('a resumed stream refused with HTTP 410 ends with ERROR Gone, not Unavailable', async () => {
    script.push(
      later((on, done) => {
        on('ADDED', pool('a', '12'));
        done(null);
      }),
    );
    script.push((_on, done) => done(httpError(410)));
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ADDED a', 'ERROR Gone']);
    expect(paths.map((q) => q.resourceVersion)).toEqual(['10', '12']);
  });

  it('a stream broken by a network error ends with ERROR Unavailable', async () => {
    script.push(later((_on, done) => done(new Error('socket hang up'))));
    const { seen } = await run('10');
    await expect.poll(() => seen).toEqual(['ERROR Unavailable']);
    expect(paths).toHaveLength(1);
  });
});

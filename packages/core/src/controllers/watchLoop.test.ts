import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/index.ts';
import { startWatchLoop } from './watchLoop.ts';

const newStore = () => createMemoryStore({ now: () => new Date('2026-01-01T00:00:00Z') });

describe('startWatchLoop', () => {
  it('starts all watches or none: a watch that fails to start closes the ones already started', async () => {
    const store = newStore();
    const r = await startWatchLoop(
      [store.watch('SpiderIPPool', {}, () => {}), store.watch('NoSuchKind', {}, () => {})],
      new AbortController().signal,
      new Map(),
    );
    expect(r.isErr() && r.error._tag).toBe('Invalid');
    expect(store.watcherCount).toBe(0);
  });

  it('closes every watch when the signal aborts, and idle() waits for running work', async () => {
    const store = newStore();
    const abort = new AbortController();
    let finish = (): void => {};
    const running = new Map([['k', new Promise<void>((r) => (finish = r))]]);
    const handle = (
      await startWatchLoop(
        [store.watch('SpiderIPPool', {}, () => {}), store.watch('SpiderSubnet', {}, () => {})],
        abort.signal,
        running,
      )
    )._unsafeUnwrap();
    expect(store.watcherCount).toBe(2);
    let idle = false;
    const waiting = handle.idle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    running.delete('k');
    finish();
    await waiting;
    expect(idle).toBe(true);
    abort.abort();
    expect(store.watcherCount).toBe(0);
  });
});

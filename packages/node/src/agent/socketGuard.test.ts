import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '@spiderpool-ts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { startIpamAgent } from './ipamAgent.ts';
import { leaveStaleSocket } from './socketTestKit.ts';

describe('agent socket rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spts-sock-'));
  const store = createMemoryStore({ now: () => new Date() });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is 0600 whatever the umask', async () => {
    const old = process.umask(0o000);
    try {
      const path = join(dir, 'open-umask.sock');
      const agent = (await startIpamAgent({ store, nodeName: 'n', socketPath: path }))._unsafeUnwrap();
      expect(statSync(path).mode & 0o777).toBe(0o600);
      await agent.close();
    } finally {
      process.umask(old);
    }
  });

  it('refuses to start when a live agent holds the socket, and leaves that agent serving', async () => {
    const path = join(dir, 'live.sock');
    const first = (await startIpamAgent({ store, nodeName: 'n', socketPath: path }))._unsafeUnwrap();
    const second = await startIpamAgent({ store, nodeName: 'n', socketPath: path });
    expect(second._unsafeUnwrapErr()).toMatchObject({ _tag: 'SocketSetupFailed' });
    expect(second._unsafeUnwrapErr().message).toMatch(/live agent/);
    expect(statSync(path).isSocket()).toBe(true);
    await first.close();
  });

  it('never deletes a file that is not a socket', async () => {
    const path = join(dir, 'precious');
    writeFileSync(path, 'not yours');
    const r = await startIpamAgent({ store, nodeName: 'n', socketPath: path });
    expect(r._unsafeUnwrapErr().message).toMatch(/not a socket; refusing to delete it/);
    expect(readFileSync(path, 'utf8')).toBe('not yours');
  });

  it('replaces a stale socket (its agent was killed)', async () => {
    const path = join(dir, 'stale.sock');
    leaveStaleSocket(path);
    const agent = (await startIpamAgent({ store, nodeName: 'n', socketPath: path }))._unsafeUnwrap();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await agent.close();
    expect(() => statSync(path)).toThrow();
  });
});

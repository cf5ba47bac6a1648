import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInCniPath, rawExec } from './rawExec.ts';

const dir = mkdtempSync(join(tmpdir(), 'rawexec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, body: string): string => {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
};

describe('rawExec', () => {
  it('gives stdin to the plugin and returns its stdout, stderr and exit code', async () => {
    const cat = script('cat-plugin', 'cat; echo oops >&2; exit 3');
    const x = await rawExec({ file: cat, argv: [], env: {}, stdin: '{"a":1}', deadlineMs: 10_000 });
    expect(x).toMatchObject({ code: 3, stdout: '{"a":1}', stderr: 'oops\n', timedOut: false });
  });

  it('answers at the deadline even when a grandchild outside the group holds the pipes', async () => {
    // setsid puts `sleep` in a new session: the group kill misses it, and it keeps stdout open.
    const stuck = script('stuck-plugin', 'setsid sleep 3 & sleep 3');
    const t0 = Date.now();
    const x = await rawExec({
      file: stuck,
      argv: [],
      env: { PATH: process.env.PATH ?? '' },
      stdin: '',
      deadlineMs: 300,
    });
    expect(x.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('reports a file that cannot be started', async () => {
    const x = await rawExec({ file: join(dir, 'missing'), argv: [], env: {}, stdin: '', deadlineMs: 1_000 });
    expect(x.spawnError).toMatch(/ENOENT/);
  });

  it('finds the first executable file in CNI_PATH order, skipping directories and non-executables', () => {
    const a = mkdtempSync(join(dir, 'a-'));
    const b = mkdtempSync(join(dir, 'b-'));
    writeFileSync(join(a, 'p'), 'not executable');
    writeFileSync(join(b, 'p'), '#!/bin/sh\n');
    chmodSync(join(b, 'p'), 0o755);
    expect(findInCniPath('p', [join(dir, 'nowhere'), a, b])).toBe(join(b, 'p'));
    expect(findInCniPath('p', [a])).toBeUndefined();
  });
});

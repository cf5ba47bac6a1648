// invokePlugin against real executables (small sh scripts in a temp CNI_PATH dir): lookup order, the
// environment and stdin the plugin sees, results, passed-on CNI errors, the deadline.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPlugin, invokePlugin } from './invokePlugin.ts';

const dir = mkdtempSync(join(tmpdir(), 'spts-invoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const a = join(dir, 'a');
const b = join(dir, 'b');
mkdirSync(a);
mkdirSync(b);
const script = (d: string, name: string, body: string): void => {
  writeFileSync(join(d, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(d, name), 0o755);
};
// Echoes what it got: the command, one env var and stdin.
script(
  b,
  'echo',
  'in=$(cat); printf \'{"cmd":"%s","id":"%s","stdin":%s}\' "$CNI_COMMAND" "$CNI_CONTAINERID" "$in"',
);
script(
  b,
  'fails',
  'echo \'{"cniVersion":"1.0.0","code":11,"msg":"agent down","details":"/run/x.sock"}\'; exit 1',
);
script(b, 'garbage', 'echo oops >&2; exit 3');
script(b, 'slow', 'sleep 5');
script(b, 'quiet', 'exit 0');
writeFileSync(join(a, 'echo'), 'not executable');

const base = { cniPath: [a, b], env: { CNI_CONTAINERID: 'c1', PATH: process.env.PATH }, stdin: '{"n":1}' };

describe('invokePlugin', () => {
  it('finds the first executable in CNI_PATH order and runs it with CNI_COMMAND, the env and stdin', async () => {
    expect((await findPlugin('echo', [a, b]))._unsafeUnwrap()).toBe(join(b, 'echo'));
    const r = (await invokePlugin({ ...base, type: 'echo', command: 'ADD' }))._unsafeUnwrap();
    expect(r).toEqual({ path: join(b, 'echo'), result: { cmd: 'ADD', id: 'c1', stdin: { n: 1 } } });
    expect(
      (await invokePlugin({ ...base, type: 'quiet', command: 'DEL' }))._unsafeUnwrap().result,
    ).toBeUndefined();
  });
  it('passes the CNI error of a failing plugin on unchanged, code included', async () => {
    const e = (await invokePlugin({ ...base, type: 'fails', command: 'ADD' }))._unsafeUnwrapErr();
    expect(e).toMatchObject({
      _tag: 'PluginFailed',
      code: 11,
      message: 'agent down',
      details: '/run/x.sock',
    });
  });
  it('not found, no CNI error on stdout, and the deadline are tagged errors', async () => {
    expect((await invokePlugin({ ...base, type: 'nope', command: 'ADD' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'PluginNotFound',
      message: `failed to find plugin "nope" in path [${a} ${b}]`,
    });
    expect((await invokePlugin({ ...base, type: '../b/echo', command: 'ADD' }))._unsafeUnwrapErr()._tag).toBe(
      'PluginBroken',
    );
    const g = (await invokePlugin({ ...base, type: 'garbage', command: 'ADD' }))._unsafeUnwrapErr();
    expect(g).toMatchObject({ _tag: 'PluginBroken', detail: 'exit code 3: oops' });
    const started = Date.now();
    const t = (
      await invokePlugin({ ...base, type: 'slow', command: 'ADD', timeoutMs: 200 })
    )._unsafeUnwrapErr();
    expect(t).toMatchObject({ _tag: 'PluginTimeout', timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

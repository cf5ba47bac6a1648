// The bin/ wrappers as a runtime meets them: from a symlink in an /opt/cni/bin-style directory, running the
// built bundle with plain node (no tsx), and answering CNI error JSON (not a shell's exit 127) when node is
// not on PATH.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './buildKit.ts';
import { OUR_BIN_DIR } from './cniKit.ts';

const cniBin = mkdtempSync(join(tmpdir(), 'spts-optcni-'));
afterAll(() => rmSync(cniBin, { recursive: true, force: true }));

const run = (file: string, env: Record<string, string>, input: string) =>
  spawnSync('/bin/sh', [file], { env, input, encoding: 'utf8' });

describe('bin/sriov and bin/spiderpool', () => {
  beforeAll(() => {
    ensureBuilt();
    for (const name of ['sriov', 'spiderpool']) symlinkSync(join(OUR_BIN_DIR, name), join(cniBin, name));
  }, 180_000);

  it.each([
    ['sriov', '1.1.0'],
    ['spiderpool', '1.1.0'],
  ])('%s answers VERSION from a symlink, running the bundle without tsx', (name, newest) => {
    const r = run(
      join(cniBin, name),
      { PATH: process.env.PATH ?? '', CNI_COMMAND: 'VERSION' },
      '{"cniVersion":"0.4.0"}',
    );
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cniVersion).toBe('0.4.0');
    expect(j.supportedVersions.at(-1)).toBe(newest);
  });

  it.each(['sriov', 'spiderpool'])('%s without node on PATH: CNI error JSON, exit 1', (name) => {
    const r = run(join(cniBin, name), { PATH: '/nonexistent', CNI_COMMAND: 'ADD' }, '{}');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      cniVersion: '1.0.0',
      code: 999,
      msg: `${name}: node is not installed`,
      details: `bin/${name}`,
    });
  });
});

// The client-node range this package declares is the one its tests run on: client-node 2.x needs
// Node >= 22.19 and crashes on import under Node 20 (which the README names), so it is not declared.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
  engines: { node: string };
};
const workspace = readFileSync(new URL('../../../pnpm-workspace.yaml', import.meta.url), 'utf8');
const installed = (require('@kubernetes/client-node/package.json') as { version: string }).version;

/** `^M.m.p` as a predicate (the only form declared here). */
const caret = (range: string) => {
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) throw new Error(`not a caret range: ${range}`);
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (v: string): boolean => {
    const [a = 0, b = 0, c = 0] = v.split('.').map((x) => Number.parseInt(x, 10));
    return a === maj && (b > min || (b === min && c >= pat));
  };
};

describe('@kubernetes/client-node peer range', () => {
  const declared = pkg.peerDependencies['@kubernetes/client-node'] ?? '';

  it('is 1.x from 1.4 on, the same range the workspace installs and tests with', () => {
    expect(declared).toBe('^1.4.0');
    expect(workspace).toContain(`"@kubernetes/client-node": ${declared}`);
    expect(caret(declared)(installed)).toBe(true);
  });

  it('excludes 2.x (Node >= 22.19 only) and older 1.x (APIs this package uses appeared in 1.4)', () => {
    const ok = caret(declared);
    expect(ok('2.0.0')).toBe(false);
    expect(ok('2.0.1')).toBe(false);
    expect(ok('1.3.0')).toBe(false);
    expect(ok('1.4.0')).toBe(true);
  });

  it('the declared Node engine is the one the tests run on, and client-node loads under it', async () => {
    expect(pkg.engines.node).toBe('>=20.19');
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
    const mod = await import('@kubernetes/client-node');
    expect(typeof mod.KubeConfig).toBe('function');
  });
});

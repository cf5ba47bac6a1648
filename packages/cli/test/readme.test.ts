// Runs the README's TypeScript example as written (import path pointed at the sources) and checks the output
// it promises in its closing comment.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

describe('README example', () => {
  it('runs and prints what its comment says', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(code).toContain('auditIpam');
    const promised = /\/\/ (\[.*\])\s*$/.exec(code.trim())?.[1];
    const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.readme-'));
    const file = join(dir, 'example.ts');
    writeFileSync(file, code.replace("'@spiderpool-ts/cli'", "'../../src/index.ts'"));
    const logged: unknown[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((v: unknown) => logged.push(v));
    try {
      await import(file);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(logged).toEqual([['LeakedIP: Pod default/gone does not exist']]);
    expect(promised).toBe("[ 'LeakedIP: Pod default/gone does not exist' ]");
  });
});

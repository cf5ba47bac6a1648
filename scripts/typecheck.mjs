// Type-checks every project listed in the root tsconfig.json's references, one `tsc --noEmit -p` each.
// Projects are independent (no emit), so each keeps its own `types` (core has no Node types at all).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const root = JSON.parse(readFileSync(new URL('../tsconfig.json', import.meta.url), 'utf8'));
let failed = 0;
for (const { path } of root.references) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path], { stdio: 'inherit' });
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${path} (${Date.now() - started} ms)`);
}
process.exit(failed === 0 ? 0 : 1);

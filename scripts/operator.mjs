// `pnpm operator [flags]`: runs the sample operator's bundle (examples/sample-operator/dist/operator.js) with
// plain node, building it first when it is missing (the WASM module, then the bundle). Signals are passed
// on, so Ctrl-C / SIGTERM stop the operator cleanly (it releases its Lease); the exit code is the operator's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'examples/sample-operator/dist/operator.js');

if (!existsSync(bundle)) {
  console.error('building the sample operator bundle first (examples/sample-operator/dist/operator.js)');
  const wasm = spawnSync(process.execPath, [join(root, 'packages/wasm-bitmap/scripts/buildWasm.mjs')], {
    stdio: 'inherit',
    cwd: root,
  });
  if (wasm.status !== 0) process.exit(wasm.status ?? 1);
  const pnpmCli = process.env.npm_execpath;
  const args = ['--filter', '@spiderpool-ts/sample-operator', 'build'];
  const build = pnpmCli
    ? spawnSync(process.execPath, [pnpmCli, ...args], { stdio: 'inherit', cwd: root })
    : spawnSync('pnpm', args, { stdio: 'inherit', cwd: root });
  if (build.status !== 0 || !existsSync(bundle)) process.exit(build.status || 1);
}

const child = spawn(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

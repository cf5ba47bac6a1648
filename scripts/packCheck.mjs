// `pnpm pack:check` (CI runs it after `pnpm build`): what a user outside the repository gets.
// 1. `pnpm pack` every publishable package (workspace:/catalog: ranges become real versions);
// 2. publint and @arethetypeswrong/cli on each tarball;
// 3. a scratch project installs the tarballs with plain npm, imports every entry from ESM and requires it from
//    CJS, type-checks a consumer under moduleResolution node16, nodenext and bundler, and runs the `spiderpool`
//    CNI executable by absolute path and from a symlink in an /opt/cni/bin-style directory.
// Prints one line per check and a plain "N passed, N failed" summary; exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'spts-pack-'));
const keep = process.argv.includes('--keep');
let passed = 0;
let failed = 0;

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...opts });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
};
const check = (name, r, okWhen = (x) => x.code === 0) => {
  if (okWhen(r)) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}\n${r.out.trim().split('\n').slice(-30).join('\n')}`);
  }
  return okWhen(r);
};

const packages = readdirSync(join(root, 'packages')).filter((d) => {
  try {
    return JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')).private !== true;
  } catch {
    return false;
  }
});

// 1-2: pack, lint, types.
const tarballs = {};
const tarDir = join(work, 'tarballs');
mkdirSync(tarDir);
for (const dir of packages) {
  const cwd = join(root, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const before = new Set(readdirSync(tarDir));
  if (!check(`pack ${manifest.name}`, run('pnpm', ['pack', '--pack-destination', tarDir], { cwd }))) continue;
  const tgz = readdirSync(tarDir).find((f) => !before.has(f));
  tarballs[manifest.name] = join(tarDir, tgz);
  const listing = run('tar', ['-tzf', tarballs[manifest.name]]);
  check(
    `${manifest.name}: tarball ships no tests or test kits`,
    listing,
    (x) => x.code === 0 && !/\.test\.ts$|TestKit\.ts$/m.test(x.out),
  );
  check(`${manifest.name}: publint`, run(bin('publint'), ['run', tarballs[manifest.name], '--strict']));
  check(
    `${manifest.name}: attw (node10 ignored: no subpath support there)`,
    run(bin('attw'), [tarballs[manifest.name], '--profile', 'node16', '--format', 'table-flipped']),
  );
}

// 3: a scratch consumer with plain npm.
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'scratch', private: true, version: '1.0.0' }),
);
const installed = check(
  'npm install the tarballs (+ @kubernetes/client-node 1.x, typescript) into a fresh project',
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...Object.values(tarballs),
      '@kubernetes/client-node@^1.4.0',
      'typescript@~5.9.3',
      '@types/node@^20.19.0',
      // client-node's declarations import 'ws' types; a TypeScript consumer of @spiderpool-ts/k8s needs them too
      '@types/ws@^8',
    ],
    { cwd: app },
  ),
);

if (installed) {
  const entries = [];
  for (const [name, tgz] of Object.entries(tarballs)) {
    const manifest = JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json']).out);
    for (const sub of Object.keys(manifest.exports ?? { '.': {} })) {
      if (sub === './package.json') continue;
      entries.push(sub === '.' ? name : `${name}/${sub.slice(2)}`);
    }
  }
  // The testing entries need their peers (vitest); a consumer without them imports only the main entries.
  const runtime = entries.filter((e) => !e.endsWith('/testing'));
  writeFileSync(
    join(app, 'esm.mjs'),
    `${runtime.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\n` +
      `const mods = [${runtime.map((_, i) => `m${i}`).join(', ')}];\n` +
      `for (const m of mods) if (Object.keys(m).length === 0) throw new Error('empty module');\n` +
      `console.log('esm', mods.map((m) => Object.keys(m).length).join(','));\n`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `const names = ${JSON.stringify(runtime)};\n` +
      `for (const n of names) { const m = require(n); if (Object.keys(m).length === 0) throw new Error('empty ' + n); }\n` +
      `console.log('cjs', names.length);\n`,
  );
  check(`ESM import of ${runtime.join(', ')}`, run('node', ['esm.mjs'], { cwd: app }));
  check(`CJS require of ${runtime.join(', ')}`, run('node', ['cjs.cjs'], { cwd: app }));

  // Type-check a consumer that uses a named export of each main entry, under three resolutions.
  const named = {
    '@spiderpool-ts/wasm-bitmap': 'createDenseBitmap',
    '@spiderpool-ts/core': 'createMemoryStore',
    '@spiderpool-ts/k8s': 'createKubernetesStore',
    '@spiderpool-ts/node': 'discoverSriov',
  };
  const used = Object.entries(named).filter(([n]) => n in tarballs);
  const src = `${used.map(([n, x], i) => `import { ${x} as x${i} } from '${n}';`).join('\n')}\nexport const all = [${used.map((_, i) => `x${i}`).join(', ')}];\n`;
  for (const [mode, resolution, file] of [
    ['node16', 'node16', 'consumer.mts'],
    ['nodenext', 'nodenext', 'consumer.mts'],
    ['nodenext', 'nodenext', 'consumer.cts'],
    ['esnext', 'bundler', 'consumer.ts'],
  ]) {
    const dir = join(app, `tc-${resolution}-${file.split('.')[1]}`);
    mkdirSync(dir);
    // In a .cts file the same import statements compile to require(): the `require` conditions are checked.
    writeFileSync(join(dir, file), src);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: mode,
          moduleResolution: resolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(app, 'node_modules', '@types')],
        },
        files: [file],
      }),
    );
    check(
      `type-check a consumer (${file}, module ${mode}, moduleResolution ${resolution})`,
      run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', dir]),
    );
  }

  // The CNI executable as a runtime finds it.
  if ('@spiderpool-ts/node' in tarballs) {
    const exe = join(app, 'node_modules', '@spiderpool-ts', 'node', 'bin', 'spiderpool');
    const env = { ...process.env, CNI_COMMAND: 'VERSION' };
    const version = (x) => x.code === 0 && /"supportedVersions"/.test(x.out);
    check(
      'run bin/spiderpool VERSION by absolute path',
      run(exe, [], { env, input: '{"cniVersion":"1.0.0"}' }),
      version,
    );
    const cniBin = join(work, 'opt', 'cni', 'bin');
    mkdirSync(cniBin, { recursive: true });
    symlinkSync(exe, join(cniBin, 'spiderpool'));
    check(
      'run spiderpool VERSION from a symlink in an /opt/cni/bin-style directory',
      run(join(cniBin, 'spiderpool'), [], { env, input: '{"cniVersion":"1.0.0"}' }),
      version,
    );
    check(
      'npm linked the spiderpool bin executable',
      run(join(app, 'node_modules', '.bin', 'spiderpool'), [], { env, input: '{"cniVersion":"1.0.0"}' }),
      version,
    );
  }
}

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
console.log(`pack: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

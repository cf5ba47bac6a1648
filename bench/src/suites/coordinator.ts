// Coordinator suite: process start cost of the built `coordinator` CNI executable (CNI_COMMAND=VERSION, no
// agent, no netns) against a bare `node -e 0` measured in the same run, alternating runs so machine load hits
// all three alike. Target (issue 8): each plugin ≤ 1.5× a bare Node start. Needs `pnpm build` (dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, SuiteResult } from '../report.ts';

const SUITE = 'coordinator';
const RUNS = 30;
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'node');

const timeMs = (file: string, args: string[]): number => {
  const t = process.hrtime.bigint();
  const r = spawnSync(file, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CNI_COMMAND: 'VERSION' },
    input: '{"cniVersion":"1.1.0"}',
  });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stdout}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN;
};

export const run = async (): Promise<SuiteResult> => {
  const bundle = join(pkg, 'dist', 'coordinator.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} missing: run pnpm build first`);
  // An empty ES module: what Node's ESM loader alone adds to a bare start (the bundle is ESM).
  const dir = mkdtempSync(join(tmpdir(), 'spts-bench-coord-'));
  const empty = join(dir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const base: number[] = [];
  const esm: number[] = [];
  const plugin: number[] = [];
  const wrapper: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(timeMs(process.execPath, ['-e', '0']));
    esm.push(timeMs(process.execPath, [empty]));
    plugin.push(timeMs(process.execPath, [bundle]));
    wrapper.push(timeMs(join(pkg, 'bin', 'coordinator'), []));
  }
  rmSync(dir, { recursive: true, force: true });
  const b50 = pct(base, 0.5);
  const row = (name: string, xs: number[], target?: boolean): BenchRow => {
    const p50 = pct(xs, 0.5);
    const ratio = p50 / b50;
    return {
      suite: SUITE,
      name,
      value: p50 * 1e6,
      unit: 'ns',
      ratio,
      baseline: 'node -e 0',
      note: `p99 ${(pct(xs, 0.99)).toFixed(0)} ms over ${RUNS} runs; ratio = p50 / p50 of node -e 0 (lower is better)`,
      ...(target ? { target: '<= 1.5x node -e 0', met: ratio <= 1.5 } : {}),
    };
  };
  return {
    suite: SUITE,
    rows: [
      row('node -e 0 (baseline)', base),
      row('node <empty ES module>', esm),
      row('coordinator VERSION (dist/coordinator.js)', plugin, true),
      row('coordinator VERSION (bin/coordinator wrapper)', wrapper, true),
    ],
  };
};

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headlineRows } from './headlines.ts';
import { packageReadmes } from './regenerate.ts';
import { resultsDir } from './report.ts';
import {
  README_END,
  README_START,
  renderReadmeFigures,
  renderReport,
  replaceFigureBlocks,
  replaceReadmeFigures,
} from './reportDoc.ts';
import { parseResultFile, type ResultFile, ResultFileError, readResultFiles } from './resultFiles.ts';

const file = (suite: string, rows: ResultFile['rows']): ResultFile => ({
  suite,
  node: 'v20.20.2',
  cpu: 'Test CPU',
  cores: 2,
  memGiB: 24,
  date: '2026-12-01T10:00:00.000Z',
  loadStart: 0.5,
  loadEnd: 1.5,
  rows,
});

const fixture = [
  file('alpha', [
    { suite: 'alpha', name: 'baseline thing', value: 10, unit: 'ops/s' },
    { suite: 'alpha', name: 'fast thing', value: 100, unit: 'ops/s', ratio: 10, baseline: 'baseline thing' },
    { suite: 'alpha', name: 'slow goal', value: 2e6, unit: 'ns', target: '<= 1 ms', met: false },
  ]),
  file('beta', [{ suite: 'beta', name: 'a | piped name', value: 3, unit: 'B', target: '<= 4 B', met: true }]),
];

describe('bench report', () => {
  it('lists every suite with its machine, the missed goals, and a chart only where a suite has ratios', () => {
    const md = renderReport(fixture);
    expect(md).toContain(
      '| [alpha](#alpha) | 2026-12-01 10:00 UTC on Test CPU, 2 cores, 24 GiB, Node v20.20.2, load average 0.5 → 1.5 | 3 | 0 | 1 |',
    );
    expect(md).toContain('## Goals missed (1 of 2)');
    expect(md).toContain('| alpha | slow goal | 2.00 ms | <= 1 ms | **no** |');
    expect(md).toContain('![alpha: ratios against the same-run baselines](results/alpha.svg)');
    expect(md).not.toContain('results/beta.svg');
    expect(md).toContain('a \\| piped name');
    expect(md).toContain('| fast thing | 100 ops/s |  |  | 10.0x vs baseline thing |');
  });

  it('picks headline rows: listed patterns, else goals then ratios, at most three', () => {
    const rows = fixture[0]?.rows ?? [];
    expect(headlineRows('alpha', rows).map((r) => r.name)).toEqual(['slow goal', 'fast thing']);
    expect(renderReadmeFigures(fixture)).toContain(
      '| [beta](bench/REPORT.md#beta) | a \\| piped name |  | 3.00 B | <= 4 B | yes |',
    );
  });

  it('replaces only what lies between the README markers, and refuses a README without them', () => {
    const readme = `# x\n\n${README_START}\nold\n${README_END}\n\ntail\n`;
    const once = replaceReadmeFigures(readme, fixture);
    const table = renderReadmeFigures(fixture);
    expect(once).toEqual({
      ok: true,
      blocks: 1,
      text: `# x\n\n${README_START}\n\n${table}\n${README_END}\n\ntail\n`,
    });
    if (!once.ok) return;
    expect(replaceReadmeFigures(once.text, fixture)).toEqual(once);
    expect(replaceReadmeFigures('# x\n', fixture).ok).toBe(false);
  });

  it('renders a package block with only its suites, every measured row, and the link it names', () => {
    const pkg = `a\n<!-- bench-figures:start suites=beta report=../../bench/REPORT.md -->\n${README_END}\nb\n`;
    const r = replaceFigureBlocks(pkg, fixture);
    expect(r.ok && r.blocks).toBe(1);
    const text = r.ok ? r.text : '';
    expect(text).toContain('| [beta](../../bench/REPORT.md#beta) | a \\| piped name |');
    expect(text).not.toContain('alpha');
    expect(replaceFigureBlocks('x <!-- bench-figures:start suites=beta --> y', fixture).ok).toBe(false);
  });

  it('refuses a result file of the wrong shape, naming the field', () => {
    const bad = JSON.stringify({
      node: 'v20',
      cpu: 'c',
      date: 'd',
      rows: [{ suite: 's', name: 'n', value: '1', unit: 'u' }],
    });
    expect(() => parseResultFile('s.json', 's', bad)).toThrow(ResultFileError);
    expect(() => parseResultFile('s.json', 's', bad)).toThrow('$.rows[0].value');
  });

  it('bench/REPORT.md and the README figure table are what the stored results render (run `pnpm bench:report`)', () => {
    const files = readResultFiles(resultsDir);
    expect(files.length).toBeGreaterThan(0);
    const root = join(resultsDir, '..', '..');
    expect(readFileSync(join(root, 'bench', 'REPORT.md'), 'utf8')).toBe(renderReport(files));
    for (const p of [join(root, 'README.md'), ...packageReadmes()]) {
      const readme = readFileSync(p, 'utf8');
      const regenerated = replaceFigureBlocks(readme, files);
      expect(regenerated.ok && regenerated.text === readme, p).toBe(true);
    }
  });
});

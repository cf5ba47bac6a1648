// Writes bench/REPORT.md and the README's figure table from the stored results (`pnpm bench:report`; `pnpm
// bench` calls it after its suites). Exits 2 when the README has lost its markers.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './report.ts';
import { renderReport, replaceFigureBlocks, replaceReadmeFigures } from './reportDoc.ts';
import { readResultFiles } from './resultFiles.ts';

export const benchDir = join(resultsDir, '..');
export const repoRoot = join(benchDir, '..');

/** The package and example READMEs that may hold figure blocks (`suites=...`). */
export const packageReadmes = (): string[] =>
  ['packages', 'examples'].flatMap((dir) =>
    readdirSync(join(repoRoot, dir))
      .map((p) => join(repoRoot, dir, p, 'README.md'))
      .filter((p) => existsSync(p)),
  );

export const regenerate = (): { report: string; readme: string } | { error: string } => {
  const files = readResultFiles(resultsDir);
  const report = join(benchDir, 'REPORT.md');
  writeFileSync(report, renderReport(files));
  const readme = join(repoRoot, 'README.md');
  const updated = replaceReadmeFigures(readFileSync(readme, 'utf8'), files);
  if (!updated.ok) return { error: updated.message };
  writeFileSync(readme, updated.text);
  for (const p of packageReadmes()) {
    const before = readFileSync(p, 'utf8');
    const r = replaceFigureBlocks(before, files);
    if (!r.ok) return { error: `${p}: ${r.message}` };
    if (r.text !== before) writeFileSync(p, r.text);
  }
  return { report, readme };
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const r = regenerate();
  if ('error' in r) {
    console.error(r.error);
    process.exit(2);
  }
  console.log(`wrote ${r.report} and the figure table in ${r.readme}`);
}

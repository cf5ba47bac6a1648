// Writes bench/REPORT.md and the README's figure table from the stored results (`pnpm bench:report`; `pnpm
// bench` calls it after its suites). Exits 2 when the README has lost its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './report.ts';
import { renderReadmeFigures, renderReport, replaceReadmeFigures } from './reportDoc.ts';
import { readResultFiles } from './resultFiles.ts';

export const benchDir = join(resultsDir, '..');
export const repoRoot = join(benchDir, '..');

export const regenerate = (): { report: string; readme: string } | { error: string } => {
  const files = readResultFiles(resultsDir);
  const report = join(benchDir, 'REPORT.md');
  writeFileSync(report, renderReport(files));
  const readme = join(repoRoot, 'README.md');
  const updated = replaceReadmeFigures(readFileSync(readme, 'utf8'), renderReadmeFigures(files));
  if (!updated.ok) return { error: updated.message };
  writeFileSync(readme, updated.text);
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

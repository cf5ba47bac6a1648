// An SVG bar chart of every row that has a ratio against a same-run baseline (log scale, 1x in the middle),
// written beside each suite's JSON so results can be compared at a glance.
import type { BenchRow } from './report.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const ratioChart = (suite: string, rows: readonly BenchRow[]): string => {
  const bars = rows.filter((r) => r.ratio !== undefined && r.ratio > 0);
  const labelW = 420;
  const plotW = 420;
  const rowH = 22;
  const top = 40;
  const height = top + Math.max(1, bars.length) * rowH + 30;
  const logs = bars.map((r) => Math.log10(r.ratio ?? 1));
  const span = Math.max(1, ...logs.map((l) => Math.abs(l)));
  const mid = labelW + plotW / 2;
  const scale = plotW / 2 / span;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 120}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(suite)}: speed-up against a baseline measured in the same run (log scale, 1x at the line)</text>`,
    `<line x1="${mid}" y1="${top - 6}" x2="${mid}" y2="${height - 24}" stroke="#444"/>`,
  ];
  bars.forEach((r, i) => {
    const y = top + i * rowH;
    const l = logs[i] ?? 0;
    const w = Math.max(1, Math.abs(l) * scale);
    const x = l >= 0 ? mid : mid - w;
    const ratio = r.ratio ?? 1;
    const text = ratio >= 100 ? ratio.toFixed(0) : ratio.toPrecision(3);
    parts.push(
      `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(r.name.slice(0, 70))}</text>`,
      `<rect x="${x}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="${l >= 0 ? '#2b7bb9' : '#c0504d'}"/>`,
      `<text x="${l >= 0 ? x + w + 4 : mid + 4}" y="${y + 14}">${text}x</text>`,
    );
  });
  parts.push(
    `<text x="10" y="${height - 8}" fill="#666">bars right of the line: faster than the named baseline; left: slower. See the .md table for baselines.</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
};

// Plain-text tables the way kubectl prints them: upper-case headers, columns padded by three spaces.

export const renderTable = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
};

/** `[#####.....]  50%` for used of total (a zero total shows an empty bar and `-`). */
export const usageBar = (used: number, total: number, width = 20): string => {
  if (total <= 0) return `[${'.'.repeat(width)}]    -`;
  const ratio = Math.min(1, used / total);
  const filled = Math.round(ratio * width);
  const pct = `${Math.round(ratio * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}`;
};

// Shared bench reporting: every suite returns rows; main prints one table and writes JSON (+ a markdown
// table) under bench/results/. Figures are compared as ratios against a baseline measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from 'tinybench';
import { ratioChart } from './ratioChart.ts';

export interface BenchRow {
  suite: string;
  /** What was measured, e.g. "merge 10k v4 ranges". */
  name: string;
  /** The headline figure and its unit, e.g. 1.2e7 and "ops/s", or 38 and "ns". */
  value: number;
  unit: string;
  /** A target written as text, e.g. ">= 20 M/s", and whether the figure meets it (absent: no target). */
  target?: string;
  met?: boolean;
  /** Ratio against the named baseline row measured in the same run (e.g. 1450 means 1450x faster). */
  ratio?: number;
  baseline?: string;
  note?: string;
}

export interface SuiteResult {
  suite: string;
  rows: BenchRow[];
}

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Operations per second and mean latency in ns of a finished tinybench task, by name. */
export const taskStats = (bench: Bench, name: string): { hz: number; meanNs: number; p99Ns: number } => {
  const task = bench.getTask(name);
  const r = task?.result;
  if (!task || !r || !('latency' in r)) throw new Error(`bench task ${name} has no result`);
  return {
    hz: r.throughput.mean,
    meanNs: r.latency.mean * 1e6,
    p99Ns: (r.latency.p99 ?? r.latency.mean) * 1e6,
  };
};

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)} k`;
  if (a >= 100) return v.toFixed(0);
  return v.toPrecision(3);
};

/** A ratio as the tables print it, e.g. "18.9x". */
export const fmtRatio = (ratio: number): string => `${fmt(ratio)}x`;

/** A figure with its unit; durations in ns are shown in µs / ms / s once they grow. */
export const figure = (value: number, unit: string): string => {
  if (unit === 'ns' || unit.startsWith('ns/')) {
    const rest = unit.slice(2);
    if (value >= 1e9) return `${(value / 1e9).toPrecision(3)} s${rest}`;
    if (value >= 1e6) return `${(value / 1e6).toPrecision(3)} ms${rest}`;
    if (value >= 1e4) return `${(value / 1e3).toPrecision(3)} µs${rest}`;
  }
  return `${fmt(value)} ${unit}`;
};

export const toMarkdown = (rows: readonly BenchRow[]): string => {
  const head = '| suite | measurement | figure | target | met | vs baseline |\n|---|---|---|---|---|---|\n';
  return (
    head +
    rows
      .map((r) => {
        const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
        const ratio = r.ratio === undefined ? '' : `${fmtRatio(r.ratio)} vs ${r.baseline ?? '?'}`;
        return `| ${r.suite} | ${r.name} | ${figure(r.value, r.unit)} | ${r.target ?? ''} | ${met} | ${ratio} |`;
      })
      .join('\n') +
    '\n'
  );
};

export const writeResults = (
  name: string,
  results: readonly SuiteResult[],
  meta: Record<string, unknown>,
): string => {
  mkdirSync(resultsDir, { recursive: true });
  const rows = results.flatMap((s) => s.rows);
  const json = join(resultsDir, `${name}.json`);
  writeFileSync(json, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
  writeFileSync(join(resultsDir, `${name}.md`), toMarkdown(rows));
  writeFileSync(join(resultsDir, `${name}.svg`), ratioChart(name, rows));
  return json;
};

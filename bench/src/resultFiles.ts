// Reads the stored results (bench/results/<suite>.json) back, checking their shape field by field: the report
// and the README figures are generated from these files, never typed in by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './report.ts';

export interface ResultFile {
  suite: string;
  node: string;
  cpu: string;
  date: string;
  cores?: number;
  memGiB?: number;
  os?: string;
  loadStart?: number;
  loadEnd?: number;
  rows: BenchRow[];
}

export class ResultFileError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {
    super(`${file}: ${path} is not valid (got ${JSON.stringify(value)?.slice(0, 80)})`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (file: string, o: Obj, key: string, path: string): string => {
  const v = o[key];
  if (typeof v !== 'string') throw new ResultFileError(file, `${path}.${key}`, v);
  return v;
};
const optNum = (file: string, o: Obj, key: string, path: string): number | undefined => {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ResultFileError(file, `${path}.${key}`, v);
  return v;
};
const optStr = (file: string, o: Obj, key: string, path: string): string | undefined => {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ResultFileError(file, `${path}.${key}`, v);
  return v;
};

const parseRow = (file: string, v: unknown, path: string): BenchRow => {
  if (!isObj(v)) throw new ResultFileError(file, path, v);
  const value = v.value;
  // JSON has no Infinity/NaN: a figure that was not finite is stored as null and shown as "n/a".
  if (typeof value !== 'number' && value !== null) throw new ResultFileError(file, `${path}.value`, value);
  const met = v.met;
  if (met !== undefined && typeof met !== 'boolean') throw new ResultFileError(file, `${path}.met`, met);
  const row: BenchRow = {
    suite: str(file, v, 'suite', path),
    name: str(file, v, 'name', path),
    value: value ?? Number.NaN,
    unit: str(file, v, 'unit', path),
  };
  const target = optStr(file, v, 'target', path);
  const ratio = optNum(file, v, 'ratio', path);
  const baseline = optStr(file, v, 'baseline', path);
  const note = optStr(file, v, 'note', path);
  if (target !== undefined) row.target = target;
  if (met !== undefined) row.met = met;
  if (ratio !== undefined) row.ratio = ratio;
  if (baseline !== undefined) row.baseline = baseline;
  if (note !== undefined) row.note = note;
  return row;
};

export const parseResultFile = (file: string, suite: string, text: string): ResultFile => {
  const j: unknown = JSON.parse(text);
  if (!isObj(j)) throw new ResultFileError(file, '$', j);
  const rows = j.rows;
  if (!Array.isArray(rows)) throw new ResultFileError(file, '$.rows', rows);
  const out: ResultFile = {
    suite,
    node: str(file, j, 'node', '$'),
    cpu: str(file, j, 'cpu', '$'),
    date: str(file, j, 'date', '$'),
    rows: rows.map((r, i) => parseRow(file, r, `$.rows[${i}]`)),
  };
  for (const k of ['cores', 'memGiB', 'loadStart', 'loadEnd'] as const) {
    const n = optNum(file, j, k, '$');
    if (n !== undefined) out[k] = n;
  }
  const os = optStr(file, j, 'os', '$');
  if (os !== undefined) out.os = os;
  return out;
};

/** Every stored suite result, sorted by suite name. */
export const readResultFiles = (dir: string): ResultFile[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parseResultFile(f, f.slice(0, -'.json'.length), readFileSync(join(dir, f), 'utf8')))
    .sort((a, b) => (a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0));

// What a bench result ran on, recorded beside every suite's rows: absolute figures are this machine's, so the
// report prints the machine (and how loaded it was) next to them.
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineMeta {
  node: string;
  cpu: string;
  cores: number;
  memGiB: number;
  os: string;
  /** 1-minute load average when the suite started and when it ended: a loaded machine slows every figure. */
  loadStart: number;
  loadEnd?: number;
  date: string;
}

export const machineMeta = (): MachineMeta => ({
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  os: `${process.platform} ${release()}`,
  loadStart: Number((loadavg()[0] ?? 0).toFixed(2)),
  date: new Date().toISOString(),
});

export const withLoadEnd = (meta: MachineMeta): MachineMeta => ({
  ...meta,
  loadEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
});

// iproute2 runner: `ip -j`, `ip -batch -`, one error mapper, an injectable command runner.
export type { IprouteError, IprouteErrorTag } from './errors.ts';
export { badOutput, toIprouteError } from './errors.ts';
export type { InNetns, Iproute, IprouteOptions } from './iproute.ts';
export { createIproute } from './iproute.ts';
export type { CommandRunner, RunOutcome, RunRequest } from './runner.ts';
export { spawnRunner } from './runner.ts';

#!/usr/bin/env node
// The `spiderpool-ts` executable (package.json `bin`, built into dist/main.js).
import { runCli } from './cli.ts';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
  env: process.env,
};

process.exitCode = await runCli(process.argv.slice(2), io).catch((e: unknown) => {
  io.err(`spiderpool-ts: internal error: ${e instanceof Error ? e.message : String(e)}`);
  return 70;
});

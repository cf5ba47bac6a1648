// @spiderpool-ts/cli: the `spiderpool-ts` program as functions (the bin is dist/main.js).
export type { ArgsError, FlagSpec, ParsedArgs } from './args.ts';
export { parseArgs } from './args.ts';
export type { AuditFinding, AuditInput } from './audit/findings.ts';
export { auditIpam } from './audit/findings.ts';
export { openKubernetesStore, runCli } from './cli.ts';
export { renderExplanation } from './commands/explain.ts';
export type { PoolUsage } from './commands/getPools.ts';
export { poolUsage } from './commands/getPools.ts';
export type { CliIo, OpenStore, Output } from './commands/io.ts';
export type { CheckStatus, HostCheckItem, HostCheckOptions } from './hostcheck/hostCheck.ts';
export { DEFAULT_NM_CONF, hostCheck, renderNmDropIn } from './hostcheck/hostCheck.ts';
export { renderTable, usageBar } from './render/table.ts';

// Dev tool (run with tsx): `tsx scripts/namedExports.mts packages/core/src/index.ts [names to leave out...]`.
// Rewrites packages/core/src/index.ts: every `export * from './x/index.ts'` becomes explicit named lists
// (values, then types) read from the barrel with the TypeScript checker. Names in `drop` are left out.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const [indexPath, ...drop] = process.argv.slice(2);
const dir = dirname(resolve(indexPath));
const src = readFileSync(indexPath, 'utf8');
const program = ts.createProgram([resolve(indexPath)], {
  allowImportingTsExtensions: true,
  noEmit: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  strict: true,
});
const checker = program.getTypeChecker();
const out = src.replace(/^export \* from '(\.\/[^']+)';$/gm, (_m, spec: string) => {
  const file = program.getSourceFile(join(dir, spec));
  if (!file) throw new Error(`cannot load ${spec}`);
  const sym = checker.getSymbolAtLocation(file);
  if (!sym) throw new Error(`no module symbol for ${spec}`);
  const values: string[] = [];
  const types: string[] = [];
  for (const e of checker.getExportsOfModule(sym)) {
    const name = e.getName();
    if (drop.includes(name)) continue;
    const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    if (target.flags & ts.SymbolFlags.Value) values.push(name);
    else types.push(name);
  }
  const cmp = (a: string, b: string) => a.localeCompare(b);
  const block = (kw: string, names: string[]) =>
    names.length === 0
      ? ''
      : `${kw} {\n${names
          .sort(cmp)
          .map((n) => `  ${n},`)
          .join('\n')}\n} from '${spec}';\n`;
  return (block('export type', types) + block('export', values)).trimEnd();
});
writeFileSync(
  indexPath,
  out.replace(
    'each area keeps an explicit barrel; this file only joins them.',
    'the public API, by name (each area keeps its own barrel).',
  ),
);
console.log('rewrote', indexPath);

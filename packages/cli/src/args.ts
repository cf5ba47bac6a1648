// Command-line parsing for `spiderpool-ts`: a command path, positionals and `--flag value` / `--flag=value` /
// `-o json` flags, checked against each command's declared flags. Errors are values, never throws.
import { err, ok, type Result } from 'neverthrow';

export type FlagKind = 'string' | 'boolean';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly help: string;
  /** Allowed values of a string flag. */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

export type ArgsError =
  | { readonly _tag: 'UnknownFlag'; readonly flag: string; readonly message: string }
  | { readonly _tag: 'MissingFlagValue'; readonly flag: string; readonly message: string }
  | {
      readonly _tag: 'BadFlagValue';
      readonly flag: string;
      readonly value: string;
      readonly message: string;
    };

const unknownFlag = (flag: string): ArgsError => ({
  _tag: 'UnknownFlag',
  flag,
  message: `unknown flag ${flag} (see --help)`,
});

/** Parses `argv` (after the command words) against `specs`. `--help`/`-h` is always known. */
export function parseArgs(
  argv: readonly string[],
  specs: readonly FlagSpec[],
): Result<ParsedArgs, ArgsError> {
  const all: FlagSpec[] = [...specs, { name: 'help', short: 'h', kind: 'boolean', help: 'show this help' }];
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a;
    const spec = key.startsWith('--')
      ? all.find((s) => s.name === key.slice(2))
      : all.find((s) => s.short !== undefined && s.short === key.slice(1));
    if (spec === undefined) return err(unknownFlag(key));
    if (spec.kind === 'boolean') {
      if (eq >= 0)
        return err({
          _tag: 'BadFlagValue',
          flag: key,
          value: a.slice(eq + 1),
          message: `${key} takes no value`,
        });
      flags.set(spec.name, true);
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('-')))
      return err({ _tag: 'MissingFlagValue', flag: key, message: `${key} needs a value` });
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      return err({
        _tag: 'BadFlagValue',
        flag: key,
        value,
        message: `${key} must be one of ${spec.choices.join(', ')}, not ${JSON.stringify(value)}`,
      });
    }
    flags.set(spec.name, value);
  }
  return ok({ positionals, flags });
}

/** The value of a string flag, or `fallback`. */
export const stringFlag = (args: ParsedArgs, name: string, fallback?: string): string | undefined => {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : fallback;
};

/** Usage text of a flag list, aligned. */
export const flagHelp = (specs: readonly FlagSpec[]): string =>
  specs
    .map((s) => {
      const names = `${s.short === undefined ? '    ' : `-${s.short}, `}--${s.name}${s.kind === 'string' ? ' VALUE' : ''}`;
      return `  ${names.padEnd(30)} ${s.help}`;
    })
    .join('\n');

// Console output of the demo: numbered steps, each labelled REAL (the project's own component, as it would
// run on a cluster) or TEST DOUBLE (a stand-in, with one line on what it stands for), check marks, skips and
// failures. Every line goes through `write` so the test can read it.

export type Kind = 'REAL' | 'TEST DOUBLE';

export interface Printer {
  /** A new step; `doubles` names the test doubles the step relies on and what each stands for. */
  step(kind: Kind, title: string, doubles?: readonly string[]): void;
  ok(line: string): void;
  info(line: string): void;
  /** Output of a command, indented. */
  out(text: string): void;
  /** A step that cannot run here, and why. */
  skip(line: string): void;
  /** Prints a failure and returns false, so a step can `return p.fail(...)`. */
  fail(line: string): false;
  /** The number of failures printed so far. */
  failures(): number;
}

export const consolePrinter = (write: (line: string) => void = (l) => console.log(l)): Printer => {
  let n = 0;
  let failed = 0;
  const t0 = performance.now();
  const secs = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`.padStart(6);
  return {
    step: (kind, title, doubles = []) => {
      write(`\n[${++n}] ${secs()}  ${kind.padEnd(11)} ${title}`);
      for (const d of doubles) write(`      (test double) ${d}`);
    },
    ok: (line) => write(`  ok  ${line}`),
    info: (line) => write(`      ${line}`),
    out: (text) => {
      for (const l of text.trimEnd().split('\n')) write(`      | ${l}`);
    },
    skip: (line) => write(`  SKIP ${line}`),
    fail: (line) => {
      failed++;
      write(`  FAIL ${line}`);
      return false;
    },
    failures: () => failed,
  };
};

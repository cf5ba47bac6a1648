// Console output of the demo: numbered steps, check marks, and a plain-text table like `kubectl get`.

export interface Printer {
  step(title: string): void;
  ok(line: string): void;
  info(line: string): void;
  /** Prints a failure and returns false, so a step can `return p.fail(...)`. */
  fail(line: string): false;
  table(headers: readonly string[], rows: readonly (readonly string[])[]): void;
}

export const consolePrinter = (write: (line: string) => void = (l) => console.log(l)): Printer => {
  let n = 0;
  return {
    step: (title) => write(`\n[${++n}] ${title}`),
    ok: (line) => write(`  ok  ${line}`),
    info: (line) => write(`      ${line}`),
    fail: (line) => {
      write(`  FAIL ${line}`);
      return false;
    },
    table: (headers, rows) => {
      const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
      const line = (cells: readonly string[]) =>
        `      ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('   ')}`.trimEnd();
      write(line(headers));
      for (const r of rows) write(line(r));
    },
  };
};

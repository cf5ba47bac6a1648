// The real kubectl against the emulator (never blocking the event loop: the emulator answers from this
// very process). Its cache and HOME are in the demo's temp dir, so nothing is written to the user's ~/.kube.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  readonly kubeconfig: string;
  run(args: readonly string[]): Promise<KubectlRun>;
}

export const kubectlFor = (kubeconfig: string, dir: string): Kubectl => ({
  kubeconfig,
  run: (args) =>
    new Promise((resolve) => {
      const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
      execFile(
        'kubectl',
        [...args, '--cache-dir', join(dir, 'kubectl-cache')],
        { env, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
        },
      );
    }),
});

/** Why kubectl cannot be used here, or undefined when `kubectl version --client` runs. */
export const kubectlMissing = (): Promise<string | undefined> =>
  new Promise((resolve) => {
    execFile('kubectl', ['version', '--client'], { timeout: 15_000 }, (error, _out, stderr) =>
      resolve(error ? `kubectl not runnable (${stderr.trim() || error.message})` : undefined),
    );
  });

/** The table's rows as lists of cells, columns found by header name. */
export const tableCells = (stdout: string, columns: readonly string[]): string[][] => {
  const lines = stdout.trimEnd().split('\n');
  const header = lines[0] ?? '';
  // Columns are separated by 2+ spaces; headers may contain one space ("SYNC STATUS").
  const starts: { name: string; at: number }[] = [];
  for (const m of header.matchAll(/\S+( \S+)*/g)) starts.push({ name: m[0], at: m.index ?? 0 });
  return lines.slice(1).map((row) =>
    columns.map((c) => {
      const i = starts.findIndex((s) => s.name === c);
      if (i < 0) return '';
      const from = starts[i]?.at ?? 0;
      const to = starts[i + 1]?.at ?? row.length;
      return row.slice(from, to).trim();
    }),
  );
};

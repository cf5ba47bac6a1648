// The last step on an API server: the real `kubectl` (when it is on PATH) prints the pools and endpoints as a
// user sees them, the API server's Table rendering of Spiderpool's printer columns.
import { execFile } from 'node:child_process';
import type { SpiderEndpoint, SpiderIPPool, Store } from '@spiderpool-ts/core';
import type { Printer } from './printer.ts';
import type { KubectlAccess } from './target.ts';

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl without blocking the event loop (the emulator answers from this very process). */
export const runKubectl = (access: KubectlAccess, args: readonly string[]): Promise<KubectlRun> =>
  new Promise((resolve) => {
    const env = { ...process.env, KUBECONFIG: access.kubeconfig };
    execFile('kubectl', [...args, ...access.args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
    });
  });

/** Why kubectl cannot be used, or undefined when `kubectl version --client` runs. */
export const kubectlMissing = async (): Promise<string | undefined> => {
  const r = await runKubectl({ kubeconfig: '', args: [] }, ['version', '--client']);
  return r.code === 0 ? undefined : `kubectl not runnable (${r.stderr.trim() || `exit ${r.code}`})`;
};

const words = (line: string): string[] => line.trim().split(/\s+/);

/** What the store holds, in the cells kubectl prints: pool NAME ALLOCATED TOTAL, endpoint NAME IPV4. */
const expectedRows = async (store: Store): Promise<{ pools: string[]; endpoints: string[] }> => {
  const pools = await store.list<SpiderIPPool>('SpiderIPPool');
  const eps = await store.list<SpiderEndpoint>('SpiderEndpoint', { namespace: 'default' });
  return {
    pools: (pools.isOk() ? pools.value.items : []).map(
      (x) => `${x.metadata.name} ${x.status?.allocatedIPCount} ${x.status?.totalIPCount}`,
    ),
    endpoints: (eps.isOk() ? eps.value.items : []).map(
      (e) => `${e.metadata.name} ${e.status.current.ips[0]?.ipv4}`,
    ),
  };
};

/** kubectl's rows reduced to the same cells (columns found by header, so optional columns do not matter). */
const cells = (stdout: string, columns: readonly string[]): string[] => {
  const [header = '', ...rows] = stdout.trimEnd().split('\n');
  const at = columns.map((c) => words(header).indexOf(c));
  return rows.map((r) => at.map((i) => words(r)[i] ?? '').join(' '));
};

export const kubectlStep = async (p: Printer, access: KubectlAccess, store: Store): Promise<boolean> => {
  p.step('the real kubectl against the API server: server-side Table printing of the CRD columns');
  const missing = await kubectlMissing();
  if (missing !== undefined) {
    p.info(`skipped: ${missing}`);
    return true;
  }
  const want = await expectedRows(store);
  const views = [
    {
      args: ['get', 'spiderippool'],
      columns: ['NAME', 'ALLOCATED-IP-COUNT', 'TOTAL-IP-COUNT'],
      want: want.pools,
    },
    { args: ['get', 'spiderendpoints'], columns: ['NAME', 'IPV4'], want: want.endpoints },
  ];
  for (const v of views) {
    p.info(`$ kubectl ${v.args.join(' ')}`);
    const r = await runKubectl(access, v.args);
    if (r.code !== 0) return p.fail(`kubectl ${v.args.join(' ')}: ${r.stderr.trim()}`);
    for (const line of r.stdout.trimEnd().split('\n')) p.info(line);
    const got = cells(r.stdout, v.columns);
    if (got.join('|') !== v.want.join('|'))
      return p.fail(`kubectl shows [${got.join(', ')}], the store holds [${v.want.join(', ')}]`);
  }
  p.ok('kubectl shows the same pools and endpoints the store holds');
  return true;
};

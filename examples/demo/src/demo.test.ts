// `pnpm demo` as a user runs it: the process (tsx main.ts), its exit code and every step's outcome in its
// output; then nothing left behind (netns, processes, temp dir). A second run, without root (as nobody (setpriv)
// when the test is root) and with a kubectl that does not run, must say it skips the kernel steps and prints key
// fields instead of kubectl's tables; it is interrupted (SIGINT) in the middle and must clean up the same way. The netns steps need root, netns, iptables and ping, and the
// kubectl outputs need kubectl: outside CI a missing one is skipped (the demo prints SKIP), under CI=true
// it is a failure (gate).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasIptables, probeTopology, sh } from '@spiderpool-ts/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The 6-line gate of packages/node/test/netnsKit.ts.
const gate = (suite: string, reason: string | undefined): boolean => {
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`[${suite}] needed under CI=true but missing: ${reason}`);
  console.log(`[${suite}] skipped: ${reason}`);
  return true;
};

const kernelReason =
  probeTopology() ??
  (hasIptables() ? undefined : 'iptables not installed') ??
  (sh(['ping', '-V']).code === 0 ? undefined : 'ping not installed');
const noKernel = gate('demo netns steps', kernelReason);
const kubectlProbe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const noKubectl = gate(
  'demo kubectl outputs',
  kubectlProbe.status === 0
    ? undefined
    : `kubectl not runnable (${kubectlProbe.error?.message ?? kubectlProbe.stderr})`,
);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const demo = (args: string[], o: { unprivileged?: { path: string } } = {}): Run => {
  const node = [process.execPath, '--import', 'tsx', MAIN, ...args];
  const env = o.unprivileged ? { ...process.env, PATH: o.unprivileged.path, HOME: tmpdir() } : process.env;
  // setpriv execs (no fork, unlike runuser), so the signal the test sends reaches the demo itself.
  const [cmd, ...rest] =
    o.unprivileged && isRoot
      ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node]
      : node;
  const child = spawn(cmd ?? process.execPath, rest, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    text += b.toString();
  });
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code, sig) => r(code ?? (sig ? 128 : null))),
  );
  return { child, out: () => text, exited };
};

const waitFor = async (r: Run, re: RegExp, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (!re.test(r.out())) {
    if (Date.now() > until || r.child.exitCode !== null) return false;
    await new Promise((res) => setTimeout(res, 100));
  }
  return true;
};

/** What a run left behind: its netns (named with its pid), its temp dir, its children still alive. */
const leftovers = (r: Run): string[] => {
  const out = r.out();
  const left: string[] = [];
  const pid = r.child.pid ?? -1;
  for (const ns of sh(['ip', 'netns', 'list']).out.split('\n'))
    if (new RegExp(`^spts-\\S+-${pid}-\\d+`).test(ns)) left.push(`netns ${ns}`);
  const dir = /kubeconfig (\/\S+)\/kubeconfig/.exec(out)?.[1];
  if (dir !== undefined && existsSync(dir)) left.push(`dir ${dir}`);
  for (const m of out.matchAll(/started (\S+): pid (\d+)/g)) {
    try {
      process.kill(Number(m[2]), 0);
      left.push(`process ${m[1]} (${m[2]})`);
    } catch {
      // gone, as it should be
    }
  }
  return left;
};

let full: Run;
let interrupted: Run;
let fullCode: number | null;
let interruptedCode: number | null;
let interruptedAt = false;

beforeAll(async () => {
  // A kubectl that does not run, first on PATH (world-readable: nobody runs it).
  const fakeBin = mkdtempSync(join(tmpdir(), 'spts-demo-test-'));
  chmodSync(fakeBin, 0o755);
  writeFileSync(
    join(fakeBin, 'kubectl'),
    '#!/bin/sh\necho "kubectl: hidden by the demo test" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  full = demo([]);
  interrupted = demo([], { unprivileged: { path: `${fakeBin}:${process.env.PATH ?? ''}` } });
  interruptedAt = await waitFor(interrupted, /created SriovNetworkNodePolicy\/policy1/, 60_000);
  interrupted.child.kill('SIGINT');
  [fullCode, interruptedCode] = await Promise.all([full.exited, interrupted.exited]);
  rmSync(fakeBin, { recursive: true, force: true });
}, 150_000);

// A run still going when the test gives up is interrupted, so its own cleanup removes what it made.
afterAll(async () => {
  for (const r of [full, interrupted] as (Run | undefined)[]) {
    if (r === undefined || r.child.exitCode !== null || r.child.signalCode !== null) continue;
    r.child.kill('SIGINT');
    await Promise.race([r.exited, new Promise((res) => setTimeout(res, 20_000))]);
  }
}, 30_000);

describe('pnpm demo', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = demo(['--help']);
    expect(await r.exited).toBe(0);
    expect(r.out()).toContain('usage: pnpm demo');
    expect(r.out()).toContain('--keep');
  }, 30_000);

  it('runs every step, labelled REAL or TEST DOUBLE, and exits 0', () => {
    const out = full.out();
    expect(out, out).toContain('every step showed what the seed shows');
    expect(fullCode).toBe(0);
    expect(out).not.toMatch(/^ {2}FAIL /m);
    const steps = [...out.matchAll(/^\[(\d+)\]\s+\S+\s+(REAL|TEST DOUBLE)\s+(.+)$/gm)];
    expect(steps.length).toBe(15);
    expect(steps.map((s) => s[2])).toContain('TEST DOUBLE');
    // Every test double says what it stands for.
    for (const d of ['kube-apiserver', 'kubelet', 'kube-proxy', 'the NIC and its driver'])
      expect(out).toMatch(new RegExp(`\\(test double\\) .*${d}`));
  });

  it('the control plane: webhooks over HTTPS, the operator writes the NAD, the coordinator is Synced', () => {
    const out = full.out();
    expect(out).toMatch(/https:\/\/127\.0\.0\.1:\d+: \d+ review paths/);
    expect(out).toContain('spec.multusName in body must be of type array');
    expect(out).toContain(
      'NAD kube-system/sriov-test by the operator: plugins sriov (IPAM spiderpool) -> coordinator',
    );
    expect(out).toContain('SpiderCoordinator default: Synced');
  });

  it('the SR-IOV steps: node states 0 then 8 VFs, allocatable 8 on both nodes, a VF per Pod', () => {
    const out = full.out();
    expect(out).toContain(
      'as in the seed: master-11 Succeeded enp4s0f0np0 0 8; worker-12 Succeeded enp4s0f0np0 0 8',
    );
    expect(out).toContain(
      'as in the seed: master-11 Succeeded enp4s0f0np0 8 8; worker-12 Succeeded enp4s0f0np0 8 8',
    );
    expect(out).toContain('master-11: "spidernet.io/sriov_netdevice": "8"');
    expect(out).toContain('worker-12: "spidernet.io/sriov_netdevice": "8"');
    expect(out).toMatch(/sriov-deploy-9b4b9f6d9-xfsvj on master-11: VF 0000:04:00\.2, eth0 10\.20\.168\.190/);
    expect(out).toMatch(/sriov-deploy-9b4b9f6d9-mmpsm on worker-12: VF 0000:04:00\.2, eth0 10\.20\.168\.191/);
  });

  it.skipIf(noKubectl)("the real kubectl prints the seed's tables", () => {
    const out = full.out();
    expect(out).toMatch(/\| ippool-test\s+4\s+10\.20\.0\.0\/16\s+2\s+10\s+true\s*$/m);
    expect(out).toMatch(
      /\| sriov-deploy-9b4b9f6d9-mmpsm\s+eth0\s+ippool-test\s+10\.20\.168\.191\/16\s+worker-12/,
    );
    expect(out).toMatch(
      /\| sriov-deploy-9b4b9f6d9-xfsvj\s+eth0\s+ippool-test\s+10\.20\.168\.190\/16\s+master-11/,
    );
    expect(out).toMatch(
      /\| sriov-deploy-9b4b9f6d9-xfsvj\s+1\/1\s+Running\s+0\s+\S+\s+10\.20\.168\.190\s+master-11/,
    );
    expect(out).toMatch(/\| master-11\s+Succeeded\s+enp4s0f0np0\s+8\s+8/);
    expect(out).toMatch(/\| sriov-deploy-svc\s+ClusterIP\s+10\.43\.54\.100\s+80/);
  });

  it.skipIf(noKernel)(
    'as root: Pods in netns, ping Pod -> Pod and HTTP to the ClusterIP answer as in the seed',
    () => {
      const out = full.out();
      expect(out).not.toContain('SKIP');
      expect(out).toContain('master-11: 8 VF stand-in links (macvlan on enp4s0f0np0) in its netns');
      expect(out).toMatch(/3 packets transmitted, 3 received, 0% packet loss/);
      expect(out).toContain('HTTP/1.1 200 OK');
      expect(out).toContain('10.43.54.100:80 answers 200');
    },
  );

  it('leaves no netns, process or temp dir behind', () => {
    expect(leftovers(full)).toEqual([]);
  });

  it('without root and kubectl: the kernel steps and the tables say they are skipped, the rest runs', () => {
    const out = interrupted.out();
    expect(out).toMatch(/SKIP kubectl not runnable \(kubectl: hidden by the demo test\)/);
    expect(out).toMatch(/SKIP kernel steps \(netns, VF stand-in links, ping, HTTP\): not root/);
    expect(out).toContain(
      'as in the seed: master-11 Succeeded enp4s0f0np0 0 8; worker-12 Succeeded enp4s0f0np0 0 8',
    );
    expect(out).toContain('created SriovNetworkNodePolicy/policy1 (through the API; kubectl missing)');
  });

  it('Ctrl-C in the middle stops everything and cleans up', () => {
    expect(interruptedAt, interrupted.out()).toBe(true);
    expect(interruptedCode).toBe(130);
    expect(interrupted.out()).toContain('SIGINT: stopping everything');
    expect(leftovers(interrupted)).toEqual([]);
  });
});

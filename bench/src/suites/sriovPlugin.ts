// sriov-plugin suite: the built CNI executables as processes. (1) Start cost: `VERSION` through bin/sriov and
// bin/spiderpool (sh wrapper + node + bundle) and the bare bundle, against `node -e 0` measured in the same
// run (goal: <= 1.5x). (2) ADD and DEL p50/p99 over RUNS cycles on VF stand-ins (a macvlan on a veth PF in a
// throwaway node netns, a fake sysfs, the real agent over a MemoryStore), the way a runtime runs a plugin
// (`ip netns exec <node> bin/sriov`, env + stdin); the IPAM call is the nested `spiderpool` plugin. (3) The
// processes one ADD spawns, counted by `ip`/`nsenter` shims first on PATH. (2) and (3) need root; without it
// the rows say so.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryStore, type Pod, SPIDERPOOL_GROUP_VERSION } from '@spiderpool-ts/core';
import { startIpamAgent } from '@spiderpool-ts/node';
import { writeFixturePf } from '@spiderpool-ts/node/testing';
import type { BenchRow, SuiteResult } from '../report.ts';

const SUITE = 'sriov-plugin';
const STARTS = 30;
const RUNS = 50;
const NODE_PKG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'node');
const BIN = join(NODE_PKG, 'bin');

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

const timeMs = (file: string, args: string[], input: string, env?: NodeJS.ProcessEnv): number => {
  const t = process.hrtime.bigint();
  const r = spawnSync(file, args, { input, env: env ?? process.env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** Always rebuilds (seconds): the suite measures the bundles of the current source. */
const build = (): void => {
  const tsup = join(
    dirname(createRequire(import.meta.url).resolve('tsup/package.json')),
    'dist',
    'cli-default.js',
  );
  const r = spawnSync(process.execPath, [tsup, '--config', 'tsup.bin.config.ts'], {
    cwd: NODE_PKG,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('building the executables failed');
};

const startRows = (): BenchRow[] => {
  // The environment a container runtime gives a plugin: no NODE_OPTIONS. The bench itself runs under tsx,
  // whose loader flags in NODE_OPTIONS would make every child node (the baseline included) load tsx too.
  const version = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', CNI_COMMAND: 'VERSION' };
  const stdin = '{"cniVersion":"1.0.0"}';
  const cases: [string, string, string[]][] = [
    ['node -e 0 (baseline)', process.execPath, ['-e', '0']],
    ['bin/sriov VERSION (sh + node + bundle)', join(BIN, 'sriov'), []],
    ['node dist/bin/sriov.js VERSION', process.execPath, [join(NODE_PKG, 'dist', 'bin', 'sriov.js')]],
    ['bin/spiderpool VERSION (sh + node + bundle)', join(BIN, 'spiderpool'), []],
  ];
  const samples = new Map<string, number[]>(cases.map(([n]) => [n, []]));
  // Interleaved, so load on the machine hits every case alike.
  for (let i = 0; i < STARTS; i++)
    for (const [name, file, args] of cases) samples.get(name)?.push(timeMs(file, args, stdin, version));
  const base = quantile(samples.get(cases[0]?.[0] ?? '') ?? [], 0.5);
  return cases.map(([name], k): BenchRow => {
    const p50 = quantile(samples.get(name) ?? [], 0.5);
    const ratio = p50 / base;
    return {
      suite: SUITE,
      name: `start: ${name}`,
      value: p50,
      unit: 'ms p50',
      ...(k === 0 ? {} : { ratio, baseline: 'node -e 0', target: '<= 1.5x node -e 0', met: ratio <= 1.5 }),
      note: `p99 ${quantile(samples.get(name) ?? [], 0.99).toFixed(1)} ms over ${STARTS} runs`,
    };
  });
};

const REAL_IP = spawnSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).stdout.trim() || 'ip';

const sh = (args: string[]): void => {
  const r = spawnSync(args[0] ?? 'ip', args.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
};

interface Run {
  code: number;
  stdout: string;
  ms: number;
}

const runPlugin = (nodeNs: string, env: Record<string, string>, stdin: string): Promise<Run> =>
  new Promise((resolve) => {
    const t = process.hrtime.bigint();
    // The runtime's side (`ip netns exec`) by absolute path: not one of the plugin's processes.
    const child = spawn(REAL_IP, ['netns', 'exec', nodeNs, join(BIN, 'sriov')], { env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout, ms: Number(process.hrtime.bigint() - t) / 1e6 }),
    );
    child.stdin.end(stdin);
  });

const shims = (dir: string, countFile: string): string => {
  const real = (cmd: string) =>
    spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
  for (const cmd of ['ip', 'nsenter']) {
    const path = join(dir, cmd);
    // `nsenter … ip` is one process (nsenter execs ip): the ip shim does not count it a second time.
    const count =
      cmd === 'nsenter'
        ? `echo "${cmd} $*" >> ${countFile}\nexport SPTS_NSENTER=1`
        : `[ -n "$SPTS_NSENTER" ] || echo "${cmd} $*" >> ${countFile}`;
    writeFileSync(path, `#!/bin/sh\n${count}\nexec ${real(cmd)} "$@"\n`);
    chmodSync(path, 0o755);
  }
  return dir;
};

const addDelRows = async (): Promise<BenchRow[]> => {
  if (process.getuid?.() !== 0)
    return [
      {
        suite: SUITE,
        name: 'ADD/DEL on stand-ins',
        value: Number.NaN,
        unit: 'ms',
        note: 'skipped: needs root (netns)',
      },
    ];
  const dir = mkdtempSync(join(tmpdir(), 'spts-bench-sriov-'));
  const nodeNs = `spts-bnode-${process.pid}`;
  const podNs = `spts-bpod-${process.pid}`;
  sh(['ip', 'netns', 'add', nodeNs]);
  sh(['ip', 'netns', 'add', podNs]);
  const store = createMemoryStore({ now: () => new Date() });
  const agent = (
    await startIpamAgent({ store, nodeName: 'n1', socketPath: join(dir, 'a.sock') })
  )._unsafeUnwrap();
  try {
    for (const a of [
      ['link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'pf0'],
      ['addr', 'add', '10.20.0.1/16', 'dev', 'gw0'],
      ['link', 'set', 'gw0', 'up'],
      ['link', 'set', 'pf0', 'up'],
      ['link', 'add', 'link', 'pf0', 'name', 'vf0', 'type', 'macvlan', 'mode', 'bridge'],
    ])
      sh(['ip', '-n', nodeNs, ...a]);
    await writeFixturePf(join(dir, 'sys'), {
      pciAddress: '0000:04:00.0',
      netdev: 'pf0',
      totalVfs: 1,
      vfs: [{ index: 0, pciAddress: '0000:04:00.2', netdev: 'vf0' }],
    });
    (
      await store.create({
        apiVersion: SPIDERPOOL_GROUP_VERSION,
        kind: 'SpiderIPPool',
        metadata: { name: 'ippool-test' },
        spec: {
          ipVersion: 4,
          subnet: '10.20.0.0/16',
          ips: ['10.20.168.190-10.20.168.199'],
          gateway: '10.20.0.1',
          default: true,
        },
      })
    )._unsafeUnwrap();
    const stdin = JSON.stringify({
      cniVersion: '1.0.0',
      name: 'sriov-test',
      type: 'sriov',
      vlan: 0,
      min_tx_rate: 0,
      max_tx_rate: 0,
      deviceID: '0000:04:00.2',
      ipam: { type: 'spiderpool', ipam_unix_socket_path: agent.socketPath },
      sysfsRoot: join(dir, 'sys'),
      stateDir: join(dir, 'state'),
    });
    const uids = new Map<number, string>();
    const envOf = (command: string, k: number, path: string): Record<string, string> => ({
      PATH: path,
      CNI_COMMAND: command,
      CNI_CONTAINERID: `ctr-${k}`,
      CNI_NETNS: `/var/run/netns/${podNs}`,
      CNI_IFNAME: 'eth0',
      CNI_PATH: BIN,
      CNI_ARGS: `K8S_POD_NAMESPACE=default;K8S_POD_NAME=p${k};K8S_POD_UID=${uids.get(k) ?? ''}`,
    });
    const pod = (k: number): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name: `p${k}` },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running' },
    });
    const add: number[] = [];
    const del: number[] = [];
    const basePath = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';
    for (let k = 0; k <= RUNS; k++) {
      uids.set(k, (await store.create(pod(k)))._unsafeUnwrap().metadata.uid ?? '');
      const counting = k === RUNS; // the last cycle runs through the counting shims, not timed
      const countFile = join(dir, 'spawned.log');
      const path = counting ? `${shims(mkdtempSync(join(dir, 'shim-')), countFile)}:${basePath}` : basePath;
      const a = await runPlugin(nodeNs, envOf('ADD', k, path), stdin);
      if (a.code !== 0) throw new Error(`ADD ${k}: ${a.stdout}`);
      (await store.delete({ kind: 'Pod', namespace: 'default', name: `p${k}` }))._unsafeUnwrap();
      if (counting) {
        const lines = readFileSync(countFile, 'utf8').trim().split('\n');
        rmSync(countFile);
        const d = await runPlugin(nodeNs, envOf('DEL', k, path), stdin);
        if (d.code !== 0) throw new Error(`DEL ${k}: ${d.stdout}`);
        return rowsOf(add, del, lines, readFileSync(countFile, 'utf8').trim().split('\n'));
      }
      const d = await runPlugin(nodeNs, envOf('DEL', k, path), stdin);
      if (d.code !== 0) throw new Error(`DEL ${k}: ${d.stdout}`);
      add.push(a.ms);
      del.push(d.ms);
    }
    return [];
  } finally {
    await agent.close();
    spawnSync('ip', ['netns', 'del', podNs]);
    spawnSync('ip', ['netns', 'del', nodeNs]);
    rmSync(dir, { recursive: true, force: true });
  }
};

const rowsOf = (add: number[], del: number[], addSpawned: string[], delSpawned: string[]): BenchRow[] => {
  const summary = (lines: string[]) =>
    lines.map((l) => l.replace(/\/\S+/g, '…').split(' ').slice(0, 6).join(' ')).join(' | ');
  return [
    {
      suite: SUITE,
      name: 'ADD (ip netns exec + sriov + spiderpool IPAM + agent)',
      value: quantile(add, 0.5),
      unit: 'ms p50',
      note: `p99 ${quantile(add, 0.99).toFixed(1)} ms over ${add.length}`,
    },
    {
      suite: SUITE,
      name: 'DEL',
      value: quantile(del, 0.5),
      unit: 'ms p50',
      note: `p99 ${quantile(del, 0.99).toFixed(1)} ms over ${del.length}`,
    },
    {
      suite: SUITE,
      name: 'ip/nsenter processes per ADD',
      value: addSpawned.length,
      unit: 'processes',
      note: summary(addSpawned),
    },
    {
      suite: SUITE,
      name: 'ip/nsenter processes per DEL',
      value: delSpawned.length,
      unit: 'processes',
      note: summary(delSpawned),
    },
  ];
};

export const run = async (): Promise<SuiteResult> => {
  build();
  return { suite: SUITE, rows: [...startRows(), ...(await addDelRows())] };
};

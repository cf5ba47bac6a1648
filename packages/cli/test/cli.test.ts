// The CLI against the API-server emulator over real HTTP (KubernetesStore through a kubeconfig file, as a
// user runs it), with the seed's pool filled by core's engine; host-check on a fixture sysfs / procfs tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createIpamEngine,
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  type IpamEngine,
  type KubeObject,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { type ApiServerEmulator, startApiServerEmulator } from '@spiderpool-ts/k8s/testing';
import { seedPf, writeFixturePf } from '@spiderpool-ts/node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNmDropIn, runCli } from '../src/index.ts';

let emulator: ApiServerEmulator;
let engine: IpamEngine;
let dir = '';
let kubeconfig = '';

const cli = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { KUBECONFIG: kubeconfig },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const put = async (o: KubeObject) => (await emulator.store.create(o))._unsafeUnwrap();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spts-cli-'));
  emulator = await startApiServerEmulator({});
  kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  await put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (const node of ['master-11', 'worker-12'])
    await put({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } } as KubeObject);
  const pool: SpiderIPPool = {
    apiVersion: SPIDERPOOL_GROUP_VERSION,
    kind: 'SpiderIPPool',
    metadata: { name: 'ippool-test' },
    spec: { subnet: '10.20.0.0/16', ips: ['10.20.168.190-10.20.168.199'], gateway: '10.20.0.1' },
  };
  await put(defaultIPPool(pool, { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] }));
  engine = createIpamEngine({
    store: emulator.store,
    nodeName: 'master-11',
    sleep: async () => {},
    random: () => 0.5,
  });
  for (const [i, node] of ['master-11', 'worker-12'].entries()) {
    const name = `sriov-deploy-${i}`;
    await put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'default', name, uid: `uid-${i}` },
      spec: { nodeName: node },
      status: { phase: 'Running' },
    } as KubeObject);
    (
      await engine.allocate({
        podNamespace: 'default',
        podName: name,
        podUid: `uid-${i}`,
        containerID: `c${i}`,
        ifName: 'eth0',
        ipamConfig: { default_ipv4_ippool: ['ippool-test'] },
      })
    )._unsafeUnwrap();
  }
});

afterAll(async () => {
  engine?.dispose();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spiderpool-ts against the emulator', () => {
  it('get pools prints the counts and a usage bar; -o json is the same data', async () => {
    const t = await cli('get', 'pools');
    expect(t.code).toBe(0);
    const row = t.out.split('\n').find((l) => l.startsWith('ippool-test'));
    expect(row?.split(/\s+/).slice(0, 6)).toEqual(['ippool-test', '4', '10.20.0.0/16', '2', '10', 'false']);
    expect(row).toContain('[####................]  20%');
    const j = await cli('get', 'pools', '-o', 'json');
    expect(JSON.parse(j.out)).toEqual([
      { name: 'ippool-test', version: 4, subnet: '10.20.0.0/16', allocated: 2, total: 10, default: false },
    ]);
  });

  it('explain names the pool, the IP the Pod has, and why pools were dropped', async () => {
    const ok = await cli('explain', 'sriov-deploy-0', '-n', 'default');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('already has: 10.20.168.190/16');
    await put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace: 'default',
        name: 'wrong-pool',
        uid: 'uid-w',
        annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["no-such-pool"]}' },
      },
      spec: { nodeName: 'master-11' },
      status: { phase: 'Running' },
    } as KubeObject);
    const why = await cli('explain', 'wrong-pool');
    expect(why.code).toBe(0);
    expect(why.out).toMatch(/no-such-pool\s+dropped/);
    expect(why.out).toContain('IPv4: no IP available');
    const json = JSON.parse((await cli('explain', 'wrong-pool', '-o', 'json')).out) as { nics: unknown[] };
    expect(json.nics).toHaveLength(1);
    const gone = await cli('explain', 'ghost');
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('Pod default/ghost not found');
  });

  it('audit is clean, then finds a leaked IP (Pod deleted without CNI DEL) and an endpoint on a gone node', async () => {
    const clean = await cli('audit');
    expect(clean.out).toMatch(/no findings/);
    expect(clean.code).toBe(0);
    (
      await emulator.store.delete({ kind: 'Pod', namespace: 'default', name: 'sriov-deploy-1' })
    )._unsafeUnwrap();
    (await emulator.store.delete({ kind: 'Node', name: 'worker-12' }))._unsafeUnwrap();
    const found = await cli('audit', '-o', 'json');
    expect(found.code).toBe(1);
    const tags = (JSON.parse(found.out) as { findings: { _tag: string; ip?: string }[] }).findings.map(
      (f) => [f._tag, f.ip],
    );
    expect(tags).toEqual([
      ['LeakedIP', '10.20.168.191'],
      ['EndpointOnMissingNode', undefined],
    ]);
    const table = await cli('audit');
    expect(table.out).toMatch(
      /LeakedIP\s+pool ippool-test 10\.20\.168\.191\s+Pod default\/sriov-deploy-1 does not exist/,
    );
    expect(table.out).toContain('audit: 2 finding(s)');
  });

  it('usage errors exit 2 with a message; --help exits 0 everywhere', async () => {
    expect((await cli('--help')).code).toBe(0);
    for (const c of [['get', 'pools'], ['explain'], ['audit'], ['host-check']]) {
      const h = await cli(...c, '--help');
      expect(h.code).toBe(0);
      expect(h.out).toMatch(/^Usage: spiderpool-ts/);
    }
    expect((await cli('get', 'pools', '-o', 'yaml')).err).toMatch(
      /-o must be one of table, json, not "yaml"/,
    );
    expect((await cli('audit', '--bogus')).err).toMatch(/unknown flag --bogus/);
    expect((await cli('get', 'nodes')).err).toMatch(/did you mean `get pools`/);
    expect((await cli('explain')).code).toBe(2);
    const none = await runCli(['audit'], { out: () => {}, err: () => {}, env: {} });
    expect(none).toBe(2);
    const badCfg = await cli('audit', '--kubeconfig', join(dir, 'missing'));
    expect(badCfg.code).toBe(2);
  });
});

describe('host-check on a fixture host', () => {
  const host = (rpFilter: string) => {
    const root = mkdtempSync(join(dir, 'host-'));
    const proc = join(root, 'proc');
    for (const [k, v] of [
      ['sys/net/ipv4/ip_forward', '1'],
      ['sys/net/ipv4/conf/all/rp_filter', rpFilter],
      ['sys/net/ipv4/conf/default/rp_filter', '0'],
    ] as const) {
      mkdirSync(join(proc, k, '..'), { recursive: true });
      writeFileSync(join(proc, k), `${v}\n`);
    }
    return { root, proc, sys: join(root, 'sys') };
  };

  it('reports the seed PF as lspci/ethtool would, writes and checks the NetworkManager drop-in', async () => {
    const h = host('0');
    await writeFixturePf(h.sys, seedPf());
    mkdirSync(join(h.root, 'etc/NetworkManager'), { recursive: true });
    writeFileSync(join(h.root, 'etc/NetworkManager/NetworkManager.conf'), '[main]\n');
    const conf = join(h.root, 'etc/NetworkManager/conf.d/spidernet.conf');
    const base = ['host-check', '--sysfs-root', h.sys, '--proc-root', h.proc, '--nm-conf', conf];
    const before = await cli(...base);
    expect(before.code).toBe(1);
    expect(before.out).toMatch(/networkmanager\s+FAIL\s+.*missing/);
    const after = await cli(...base, '--write', '--ifacer-links', 'enp4s0f0np0.100', '-o', 'json');
    expect(after.code).toBe(0);
    const checks = (JSON.parse(after.out) as { checks: { check: string; status: string; detail: string }[] })
      .checks;
    expect(checks.map((c) => [c.check, c.status])).toEqual([
      ['sriov enp4s0f0np0', 'PASS'],
      ['networkmanager', 'PASS'],
      ['net.ipv4.ip_forward', 'PASS'],
      ['net.ipv4.conf.all.rp_filter', 'PASS'],
      ['net.ipv4.conf.default.rp_filter', 'PASS'],
    ]);
    expect(checks[0]?.detail).toMatch(
      /bus-info: 0000:04:00\.0, driver: mlx5_core, vendor:device 15b3:1017, .*totalvfs 8/,
    );
    expect(readFileSync(conf, 'utf8')).toBe(
      '[keyfile]\nunmanaged-devices=interface-name:^veth*;interface-name:enp4s0f0np0.100\n',
    );
    expect(renderNmDropIn([])).toBe('[keyfile]\nunmanaged-devices=interface-name:^veth*\n');
  });

  it('strict rp_filter, a NIC without SR-IOV and a missing NIC fail with the reason', async () => {
    const h = host('1');
    await writeFixturePf(h.sys, seedPf());
    const r = await cli(
      'host-check',
      '--sysfs-root',
      h.sys,
      '--proc-root',
      h.proc,
      '--nic',
      'enp4s0f0np0,eth9',
      '--nm-conf',
      join(h.root, 'nm.conf'),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/sriov eth9\s+FAIL\s+no network interface eth9/);
    expect(r.out).toMatch(/net\.ipv4\.conf\.all\.rp_filter\s+FAIL\s+1 \(strict\)/);
    expect(r.out).toMatch(/networkmanager\s+SKIP/);
  });
});

describe('the built executable', () => {
  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const built = existsSync(main);
  if (!built && process.env.CI === 'true')
    throw new Error(`CI=true: ${main} missing (pnpm build runs before the tests)`);
  it.skipIf(!built)('runs from the bundle: --help exits 0, no cluster exits 2', () => {
    const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('host-check');
    const none = spawnSync(process.execPath, [main, 'audit'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('pass --kubeconfig FILE or set KUBECONFIG');
  });
});

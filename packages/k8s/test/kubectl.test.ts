// The real kubectl (on PATH) against the emulator: apply the seed SpiderIPPool and SpiderMultusConfig,
// `kubectl get sp` with Spiderpool's printer columns, `-o json`, delete (finalizer removed by a JSON patch).
// kubectl runs asynchronously: the emulator lives in this process and must keep answering.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_CLUSTER_SETTINGS,
  defaultIPPool,
  type KubeObject,
  type SpiderIPPool,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesStore } from '../src/index.ts';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';

const probe = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
const hasKubectl = probe.status === 0;
if (!hasKubectl) {
  const why = `kubectl not runnable (${probe.error?.message ?? probe.stderr})`;
  if (process.env.CI === 'true') throw new Error(`kubectl test needed under CI=true but missing: ${why}`);
  console.log(`kubectl test skipped: ${why}`);
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let emulator: ApiServerEmulator | undefined;
let dir = '';
let kubeconfig = '';

const kubectl = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
    execFile(
      'kubectl',
      [...args, '--cache-dir', join(dir, 'cache')],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });

const ok = async (...args: string[]): Promise<string> => {
  const r = await kubectl(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

const words = (line: string | undefined): string[] => (line ?? '').trim().split(/\s+/);

/** The Spiderpool mutating webhook for pools (core's defaultIPPool): ipVersion, finalizer, cidr label. */
const admitPools = (_op: 'CREATE' | 'UPDATE', object: KubeObject) => ({
  allowed: true as const,
  object:
    object.kind === 'SpiderIPPool'
      ? defaultIPPool(object as SpiderIPPool, { settings: DEFAULT_CLUSTER_SETTINGS, subnets: [] })
      : object,
});

describe.skipIf(!hasKubectl)('kubectl against the emulator', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spiderpool-ts-kubectl-'));
    emulator = await startApiServerEmulator({ admission: admitPools });
    kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the seed text as written (scalar multusName), like a real API server with the CRDs', async () => {
    const seedScalar = join(dir, 'seed-scalar.yaml');
    writeFileSync(
      seedScalar,
      [
        'apiVersion: spiderpool.spidernet.io/v2beta1',
        'kind: SpiderIPPool',
        'metadata: {name: ippool-test}',
        'spec: {default: true, ips: ["10.20.168.190-10.20.168.199"], subnet: 10.20.0.0/16, gateway: 10.20.0.1, multusName: kube-system/sriov-test}',
        '',
      ].join('\n'),
    );
    const r = await kubectl('apply', '-f', seedScalar);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The SpiderIPPool "ippool-test" is invalid');
    expect(r.stderr).toContain(
      'spec.multusName: Invalid value: "string": spec.multusName in body must be of type array',
    );
  });

  it('applies the seed pool and SMC, prints Spiderpool columns, shows JSON, deletes', async () => {
    expect(await ok('apply', '-f', fixture('ippool-test.yaml'))).toContain(
      'spiderippool.spiderpool.spidernet.io/ippool-test created',
    );
    expect(await ok('apply', '-f', fixture('sriov-test-smc.yaml'))).toContain(
      'spidermultusconfig.spiderpool.spidernet.io/sriov-test created',
    );
    // The controller's part: status counts, written through KubernetesStore.
    const store = createKubernetesStore({ kubeConfig: emulator?.kubeConfig() ?? '' })._unsafeUnwrap();
    const pool = (
      await store.get<SpiderIPPool>({ kind: 'SpiderIPPool', name: 'ippool-test' })
    )._unsafeUnwrap();
    (
      await store.updateStatus({ ...pool, status: { allocatedIPCount: 0, totalIPCount: 10 } })
    )._unsafeUnwrap();

    const table = (await ok('get', 'sp')).trimEnd().split('\n');
    expect(words(table[0])).toEqual([
      'NAME',
      'VERSION',
      'SUBNET',
      'ALLOCATED-IP-COUNT',
      'TOTAL-IP-COUNT',
      'DEFAULT',
    ]);
    expect(words(table[1])).toEqual(['ippool-test', '4', '10.20.0.0/16', '0', '10', 'true']);
    const wide = (await ok('get', 'spiderippools', '-o', 'wide')).split('\n');
    expect(words(wide[0])).toEqual([
      ...words(table[0]),
      'DISABLE',
      'NODENAME',
      'MULTUSNAME',
      'APP-NAMESPACE',
    ]);
    expect(wide[1]).toContain('["kube-system/sriov-test"]');

    const json = JSON.parse(await ok('get', 'spiderippool', 'ippool-test', '-o', 'json'));
    expect(json.spec).toMatchObject({ subnet: '10.20.0.0/16', ipVersion: 4, default: true, disable: false });
    expect(json.metadata.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(json.metadata.labels).toEqual({ 'ipam.spidernet.io/ippool-cidr': '10-20-0-0-16' });
    expect(json.status).toEqual({ allocatedIPCount: 0, totalIPCount: 10 });

    // CRD defaults applied by the server to the SMC; `kubectl get smc` prints NAME and AGE only.
    const smc = JSON.parse(await ok('get', 'smc', 'sriov-test', '-n', 'kube-system', '-o', 'json'));
    expect(smc.spec).toMatchObject({ cniType: 'sriov', enableCoordinator: true, disableIPAM: false });
    expect(smc.spec.sriov).toMatchObject({ mtu: 0, rdmaIsolation: false });
    expect(words((await ok('get', 'smc', '-n', 'kube-system')).split('\n')[0])).toEqual(['NAME', 'AGE']);

    // The finalizer keeps the pool while terminating; removing it (JSON patch) lets it go.
    expect(await ok('delete', 'sp', 'ippool-test', '--wait=false')).toContain('deleted');
    const terminating = JSON.parse(await ok('get', 'sp', 'ippool-test', '-o', 'json'));
    expect(terminating.metadata.deletionTimestamp).toMatch(/^\d{4}-/);
    await ok(
      'patch',
      'sp',
      'ippool-test',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    );
    const gone = await kubectl('get', 'sp', 'ippool-test');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('spiderippools.spiderpool.spidernet.io "ippool-test" not found');
    expect(await ok('delete', 'smc', 'sriov-test', '-n', 'kube-system')).toContain('deleted');
    expect((await kubectl('get', 'smc', '-A')).stderr).toContain('No resources found');
  });
});

// Everyday kubectl against the emulator with old and new clients (kubectl 1.27/1.28 read /openapi/v2 as
// protobuf, 1.33 reads /openapi/v3): apply, edit (KUBE_EDITOR script), explain, diff (a server-side dry
// run), get crd, get --watch (Table events), Pod/Namespace columns and NamespaceLifecycle. Each client
// gets its own emulator.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServerEmulator, startApiServerEmulator } from '../src/testing/index.ts';
import { findKubectl, gate, type Run, runKubectl } from './kubectlKit.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const words = (line: string | undefined): string[] => (line ?? '').trim().split(/\s+/);

for (const version of ['1.27', '1.28', '1.33']) {
  const found = findKubectl(`kubectl.${version}`);
  const skip = gate(`kubectl ${version} fidelity`, 'missing' in found ? found.missing : undefined);
  const bin = 'path' in found ? found.path : '';

  describe.skipIf(skip)(`kubectl ${version} against the emulator`, () => {
    let emulator: ApiServerEmulator;
    let dir = '';
    let kubeconfig = '';
    const kubectl = (...args: string[]): Promise<Run> => runKubectl(bin, { kubeconfig, dir }, args);
    const editWith = (script: string, ...args: string[]): Promise<Run> =>
      runKubectl(bin, { kubeconfig, dir, extraEnv: { KUBE_EDITOR: script, EDITOR: script } }, args);
    const ok = async (...args: string[]): Promise<string> => {
      const r = await kubectl(...args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `spiderpool-ts-kubectl-${version}-`));
      emulator = await startApiServerEmulator({ namespaceLifecycle: true });
      kubeconfig = emulator.writeKubeconfig(join(dir, 'kubeconfig'));
    });
    afterAll(async () => {
      await emulator?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('apply, diff (server dry run, nothing stored), edit', async () => {
      expect(await ok('apply', '-f', fixture('ippool-test.yaml'))).toContain(
        'spiderippool.spiderpool.spidernet.io/ippool-test created',
      );
      const changed = join(dir, 'changed.yaml');
      writeFileSync(
        changed,
        'apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata: {name: ippool-test}\nspec: {default: true, ips: ["10.20.168.190-10.20.168.199"], subnet: 10.20.0.0/16, gateway: 10.20.0.2, multusName: [kube-system/sriov-test]}\n',
      );
      const diff = await kubectl('diff', '-f', changed);
      expect(diff.code).toBe(1); // kubectl diff: 1 = differences found
      expect(diff.stdout).toContain('-  gateway: 10.20.0.1');
      expect(diff.stdout).toContain('+  gateway: 10.20.0.2');
      expect(await ok('get', 'sp', 'ippool-test', '-o', 'jsonpath={.spec.gateway}')).toBe('10.20.0.1');
      expect((await kubectl('diff', '-f', fixture('ippool-test.yaml'))).code).toBe(0);
      if (version !== '1.33') expect(emulator.requests).toContain('GET /openapi/v2?timeout=32s');

      const editor = join(dir, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nsed -i "s/gateway: 10.20.0.1$/gateway: 10.20.0.3/" "$1"\n');
      chmodSync(editor, 0o755);
      const edited = await editWith(editor, 'edit', 'sp', 'ippool-test');
      expect(edited.stderr).toBe('');
      expect(edited.stdout).toContain('spiderippool.spiderpool.spidernet.io/ippool-test edited');
      expect(await ok('get', 'sp', 'ippool-test', '-o', 'jsonpath={.spec.gateway}')).toBe('10.20.0.3');
    });

    it('explain reads the CRD schema', async () => {
      const out = await ok('explain', 'sp.spec');
      expect(out).toContain('KIND:');
      expect(out).toContain('SpiderIPPool');
      expect(out).toMatch(/subnet\s+<string>/);
      expect(out).toMatch(/ips\s+<\[\]string>/);
    });

    it('get crd lists the Spiderpool CRDs as apiextensions objects', async () => {
      const out = await ok('get', 'crd');
      expect(words(out.split('\n')[0])).toEqual(['NAME', 'CREATED', 'AT']); // kube prints `CREATED AT`
      expect(out).toContain('spiderippools.spiderpool.spidernet.io');
      const crd = JSON.parse(await ok('get', 'crd', 'spidersubnets.spiderpool.spidernet.io', '-o', 'json'));
      expect(crd).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' });
      expect(crd.spec.names.shortNames).toEqual(['ss']);
    });

    it('get --watch prints Table rows for each event', async () => {
      const watching = runKubectl(bin, { kubeconfig, dir }, ['get', 'sp', '--watch', '--request-timeout=3s']);
      await new Promise((r) => setTimeout(r, 1500));
      await ok('label', 'sp', 'ippool-test', 'watched=yes');
      const r = await watching;
      const lines = r.stdout.trimEnd().split('\n');
      expect(words(lines[0])).toEqual([
        'NAME',
        'VERSION',
        'SUBNET',
        'ALLOCATED-IP-COUNT',
        'TOTAL-IP-COUNT',
        'DEFAULT',
      ]);
      expect(lines.filter((l) => l.startsWith('ippool-test')).length).toBeGreaterThanOrEqual(2);
    });

    it('namespaces must exist; Pods and Namespaces print their columns', async () => {
      const pod = join(dir, 'pod.yaml');
      writeFileSync(
        pod,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: apps}\nspec: {nodeName: node-1, containers: [{name: c, image: busybox}]}\n',
      );
      const refused = await kubectl('apply', '-f', pod);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('namespaces "apps" not found');
      const ns = join(dir, 'ns.yaml');
      writeFileSync(ns, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n');
      await ok('apply', '-f', ns);
      await ok('apply', '-f', pod);
      const pods = (await ok('get', 'pods', '-n', 'apps', '-o', 'wide')).split('\n');
      expect(words(pods[0]).slice(0, 7)).toEqual([
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
        'IP',
        'NODE',
      ]);
      expect(words(pods[1]).slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);
      expect(words(pods[1])[6]).toBe('node-1');
      const namespaces = (await ok('get', 'ns')).split('\n');
      expect(words(namespaces[0])).toEqual(['NAME', 'STATUS', 'AGE']);
      expect(namespaces.some((l) => words(l)[0] === 'kube-system' && words(l)[1] === 'Active')).toBe(true);
    });
  });
}

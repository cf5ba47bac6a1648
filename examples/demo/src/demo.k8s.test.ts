// The same walkthrough through KubernetesStore over HTTP against the API-server emulator (smaller storm),
// then the real kubectl's Table output when kubectl is on PATH.
import { describe, expect, it } from 'vitest';
import { emulatorTarget } from './emulatorTarget.ts';
import { kubectlMissing } from './kubectlStep.ts';
import { consolePrinter } from './printer.ts';
import { runDemo } from './runDemo.ts';

const words = (line: string): string[] => line.trim().split(/\s+/);

describe('demo on the Kubernetes store (API-server emulator)', () => {
  it('shows the seed outcome, then kubectl get spiderippool / spiderendpoints', async () => {
    const lines: string[] = [];
    const p = consolePrinter((l) => lines.push(l));
    const ok = await runDemo(p, {
      storm: { deployments: 10, replicas: 10, agents: 3 },
      target: await emulatorTarget(),
    });
    const out = lines.join('\n');
    expect(out).not.toMatch(/^ {2}FAIL /m);
    expect(ok).toBe(true);
    expect(out).toMatch(/ippool-test\s+4\s+10\.20\.0\.0\/16\s+2\s+10\s+true\s+false/);
    expect(out).toMatch(
      /sriov-deploy-9b4b9f6d9-xfsvj\s+eth0\s+ippool-test\s+10\.20\.168\.190\/16\s+master-11/,
    );
    expect(out).toMatch(
      /sriov-deploy-9b4b9f6d9-mmpsm\s+eth0\s+ippool-test\s+10\.20\.168\.191\/16\s+worker-12/,
    );
    expect(out).toContain(
      "byte-identical to Spiderpool's generated config (with the CRD default txQueueLen 0",
    );
    expect(out).toContain('dropped ippool-test: MultusNameMismatch');
    expect(out).toContain('replacement sriov-deploy-9b4b9f6d9-k2x7q: 10.20.168.190/16');
    expect(out).toContain('gc pass: scanned 2, released 1');
    expect(out).toContain('progress: 100/100 Pods created');
    expect(out).toContain('100 Pods, 100 distinct IPs, no duplicates; IPAM time only, on KubernetesStore');

    const missing = await kubectlMissing();
    if (missing !== undefined) {
      if (process.env.CI === 'true') throw new Error(`kubectl needed under CI=true but missing: ${missing}`);
      console.log(`kubectl table lines not checked: ${missing}`);
      expect(out).toContain(`skipped: ${missing}`);
      return;
    }
    const rows = lines.slice(lines.lastIndexOf('      $ kubectl get spiderippool')).map(words);
    const at = (first: string) => rows.find((r) => r[0] === first);
    // Server-side Table: Spiderpool's printer columns without the priority-1 DISABLE column.
    expect(at('NAME')).toEqual([
      'NAME',
      'VERSION',
      'SUBNET',
      'ALLOCATED-IP-COUNT',
      'TOTAL-IP-COUNT',
      'DEFAULT',
    ]);
    expect(at('ippool-test')).toEqual(['ippool-test', '4', '10.20.0.0/16', '1', '10', 'true']);
    expect(at('storm-pool')).toEqual(['storm-pool', '4', '10.30.0.0/16', '100', '65521', 'false']);
    expect(at('sriov-deploy-9b4b9f6d9-k2x7q')).toEqual([
      'sriov-deploy-9b4b9f6d9-k2x7q',
      'eth0',
      'ippool-test',
      '10.20.168.190/16',
      'master-11',
    ]);
    expect(out).toContain('kubectl shows the same pools and endpoints the store holds');
  }, 60_000);
});

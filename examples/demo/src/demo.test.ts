import { describe, expect, it } from 'vitest';
import { ipCoreStep } from './ipCoreStep.ts';
import { consolePrinter } from './printer.ts';
import { runDemo } from './runDemo.ts';

const capture = () => {
  const lines: string[] = [];
  return { lines, p: consolePrinter((l) => lines.push(l)) };
};

describe('demo: IP core step', () => {
  it('validates the seed pool: 10 addresses, gateway outside the range', () => {
    const { lines, p } = capture();
    expect(ipCoreStep(p)).toBe(true);
    const out = lines.join('\n');
    expect(out).toContain('10 addresses (totalIPCount 10), first 10.20.168.190, last 10.20.168.199');
    expect(out).toContain('please change it to 10.20.0.0/16');
    expect(out).not.toMatch(/^ {2}FAIL /m);
  });
  it('fails when the gateway lies inside ips', () => {
    const { lines, p } = capture();
    expect(
      ipCoreStep(p, { subnet: '10.20.0.0/16', ips: ['10.20.0.1-10.20.0.5'], gateway: '10.20.0.1' }),
    ).toBe(false);
    expect(lines.join('\n')).toContain('must be listed in excludeIPs');
  });
});

describe('demo: the whole walkthrough', () => {
  it('runs every step and shows the seed outcome', async () => {
    const { lines, p } = capture();
    const ok = await runDemo(p, { storm: { deployments: 20, replicas: 10, agents: 4 } });
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
    expect(out).toContain("byte-identical to Spiderpool's generated config");
    expect(out).toContain('dropped ippool-test: MultusNameMismatch');
    expect(out).toContain('replacement sriov-deploy-9b4b9f6d9-k2x7q: 10.20.168.190/16');
    expect(out).toContain('gc pass: scanned 2, released 1');
    expect(out).toContain('200 Pods, 200 distinct IPs, no duplicates');
  });
});

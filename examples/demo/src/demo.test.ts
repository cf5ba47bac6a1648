import { describe, expect, it } from 'vitest';
import { ipCoreStep } from './ipCoreStep.ts';
import { consolePrinter } from './printer.ts';

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
    expect(out).not.toContain('FAIL');
  });
  it('fails when the gateway lies inside ips', () => {
    const { lines, p } = capture();
    expect(
      ipCoreStep(p, { subnet: '10.20.0.0/16', ips: ['10.20.0.1-10.20.0.5'], gateway: '10.20.0.1' }),
    ).toBe(false);
    expect(lines.join('\n')).toContain('must be listed in excludeIPs');
  });
});

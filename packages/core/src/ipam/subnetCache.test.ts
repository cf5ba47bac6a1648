import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCIDR } from '../ip/index.ts';
import { cachedCIDR, cachedCIDRCount } from './subnetCache.ts';

describe('cachedCIDR (memoized spec.subnet parse)', () => {
  it('gives what parseCIDR gives, valid or not, first time and again', () => {
    const texts = [
      '10.0.0.0/14',
      '10.0.0.1/24',
      'fd00::/64',
      'fd00::1/120',
      '10.0.0.0/33',
      'nope',
      '',
      '010.0.0.0/8',
    ];
    for (const t of texts)
      for (let round = 0; round < 2; round++) {
        const want = parseCIDR(t);
        expect(cachedCIDR(t)).toEqual(want.isOk() ? want.value : undefined);
      }
  });

  it('agrees with parseCIDR on random IPv4 prefixes', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 40 }), (ip, len) => {
        const t = `${ip}/${len}`;
        const want = parseCIDR(t);
        expect(cachedCIDR(t)).toEqual(want.isOk() ? want.value : undefined);
      }),
    );
  });

  it('shares frozen objects: a caller cannot change what the next caller gets', () => {
    const a = cachedCIDR('192.168.0.0/16');
    expect(a).toBeDefined();
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { prefix: number }).prefix = 8;
    }).toThrow(TypeError);
    expect(cachedCIDR('192.168.0.0/16')?.prefix).toBe(16);
  });

  it('stays bounded', () => {
    for (let i = 0; i < 5000; i++) cachedCIDR(`10.${i >> 8}.${i & 255}.0/24`);
    expect(cachedCIDRCount()).toBeLessThanOrEqual(4096);
    expect(cachedCIDR('10.0.1.0/24')?.text).toBe('10.0.1.0/24');
  });
});

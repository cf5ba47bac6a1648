// The IP core example of packages/core/README.md, kept runnable: each commented result is asserted.
import { describe, expect, it } from 'vitest';
import { checkFormatCIDR, formatIPValue, mergeIPRanges, parsePoolRanges, rangeSetAt } from './index.ts';

describe('README: IP core example', () => {
  it('gives the results the README states', () => {
    expect(checkFormatCIDR('172.10.5.0/16')._unsafeUnwrapErr().message).toBe(
      'unformatted subnet 172.10.5.0/16, please change it to 172.10.0.0/16',
    );
    expect(
      mergeIPRanges(4, [
        '172.18.40.10',
        '172.18.40.1-172.18.40.2',
        '172.18.40.2-172.18.40.3',
      ])._unsafeUnwrap(),
    ).toEqual(['172.18.40.1-172.18.40.3', '172.18.40.10']);
    const pool = parsePoolRanges(
      '2001:db8::/64',
      ['2001:db8::-2001:db8::ffff:ffff:ffff:ffff'],
      ['2001:db8::1'],
    );
    expect(pool.map((p) => p.total)._unsafeUnwrap()).toBe(18446744073709551615n);
    expect(pool.map((p) => formatIPValue(6, rangeSetAt(p.available, 1n) ?? -1n))._unsafeUnwrap()).toBe(
      '2001:db8::2',
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PoolIPAllocation, PoolIPPreAllocation } from './statusCodecs.ts';
import {
  decodeAllocatedIPs,
  decodeControlledIPPools,
  encodeAllocatedIPs,
  encodeControlledIPPools,
} from './statusCodecs.ts';

describe('allocatedIPs codec', () => {
  it('encodes like Go json.Marshal: keys in string order (".10" before ".2")', () => {
    const m = new Map<string, PoolIPAllocation>([
      ['172.18.40.2', { pod: 'default/nginx-6d4b8-fghij', podUid: '0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a0f9' }],
      ['172.18.40.10', { pod: 'default/nginx-6d4b8-abcde', podUid: '7b0a4b4c-1f6e-4d2e-9a5b-2c1f0e9d8a77' }],
    ]);
    expect(encodeAllocatedIPs(m)).toBe(
      '{"172.18.40.10":{"pod":"default/nginx-6d4b8-abcde","podUid":"7b0a4b4c-1f6e-4d2e-9a5b-2c1f0e9d8a77"},"172.18.40.2":{"pod":"default/nginx-6d4b8-fghij","podUid":"0f3c2b1a-9d8e-4c7b-a6f5-e4d3c2b1a0f9"}}',
    );
  });

  it('omits the field (undefined) when empty, and decodes undefined as empty', () => {
    expect(encodeAllocatedIPs(new Map())).toBeUndefined();
    expect(decodeAllocatedIPs(undefined)._unsafeUnwrap().size).toBe(0);
    expect(decodeAllocatedIPs('null')._unsafeUnwrap().size).toBe(0);
  });

  it('escapes <, >, & as Go does', () => {
    const m = new Map([['10.0.0.1', { pod: 'a/<b>&c', podUid: 'u' }]]);
    expect(encodeAllocatedIPs(m)).toBe('{"10.0.0.1":{"pod":"a/\\u003cb\\u003e\\u0026c","podUid":"u"}}');
  });

  it('rejects malformed input with typed errors', () => {
    const bad = decodeAllocatedIPs('{"10.0.0.1":');
    expect(bad.isErr() && bad.error._tag).toBe('MalformedStatusJSON');
    const arr = decodeAllocatedIPs('[1]');
    expect(arr.isErr() && arr.error._tag).toBe('InvalidStatusShape');
    const wrong = decodeAllocatedIPs('{"10.0.0.1":{"pod":5}}');
    expect(wrong.isErr() && wrong.error.message).toBe(
      'status.allocatedIPs["10.0.0.1"].pod: expected a string',
    );
    const notObj = decodeAllocatedIPs('{"10.0.0.1":"x"}');
    expect(notObj.isErr() && notObj.error._tag).toBe('InvalidStatusShape');
  });

  it('round-trips arbitrary maps and re-encodes decoded Go output byte-identically', () => {
    const rec = fc.record({ pod: fc.string(), podUid: fc.string() });
    fc.assert(
      fc.property(fc.dictionary(fc.ipV4(), rec, { minKeys: 1 }), (d) => {
        const m = new Map(Object.entries(d));
        const s = encodeAllocatedIPs(m);
        expect(s).toBeDefined();
        const back = decodeAllocatedIPs(s)._unsafeUnwrap();
        expect(new Map([...back])).toEqual(m);
        expect(encodeAllocatedIPs(back)).toBe(s);
        // Same object as JSON.parse sees it.
        expect(JSON.parse(s as string)).toEqual(d);
      }),
    );
  });
});

describe('controlledIPPools codec', () => {
  const literal =
    '{"auto4-nginx-eth0-2b3c4":{"ips":["172.18.41.1-172.18.41.3"],"application":"apps_v1_Deployment_default_nginx"},"manual-pool":{"ips":["172.18.41.100-172.18.41.110"]}}';

  it("reproduces the reference's literal and decodes it", () => {
    const m = new Map<string, PoolIPPreAllocation>([
      ['manual-pool', { ips: ['172.18.41.100-172.18.41.110'] }],
      [
        'auto4-nginx-eth0-2b3c4',
        { ips: ['172.18.41.1-172.18.41.3'], application: 'apps_v1_Deployment_default_nginx' },
      ],
    ]);
    expect(encodeControlledIPPools(m)).toBe(literal);
    const back = decodeControlledIPPools(literal)._unsafeUnwrap();
    expect(back.get('manual-pool')).toEqual({ ips: ['172.18.41.100-172.18.41.110'] });
    expect(back.get('auto4-nginx-eth0-2b3c4')?.application).toBe('apps_v1_Deployment_default_nginx');
  });

  it('encodes empty ips as [] and an empty map as undefined', () => {
    expect(encodeControlledIPPools(new Map([['p', { ips: [] }]]))).toBe('{"p":{"ips":[]}}');
    expect(encodeControlledIPPools(new Map())).toBeUndefined();
  });

  it('rejects bad shapes', () => {
    const r = decodeControlledIPPools('{"p":{"ips":"x"}}');
    expect(r.isErr() && r.error.message).toBe(
      'status.controlledIPPools["p"].ips: expected an array of strings',
    );
    const a = decodeControlledIPPools('{"p":{"ips":[],"application":1}}');
    expect(a.isErr() && a.error._tag).toBe('InvalidStatusShape');
    expect(decodeControlledIPPools('nope').isErr()).toBe(true);
  });
});

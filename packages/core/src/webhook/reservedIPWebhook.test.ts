import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brief, context, reservedIP } from './ippoolTestKit.ts';
import {
  defaultReservedIP,
  validateReservedIPCreate,
  validateReservedIPDelete,
  validateReservedIPUpdate,
} from './reservedIPWebhook.ts';

const ctx0 = context();

describe('SpiderReservedIP webhook (§2.5)', () => {
  it('infers ipVersion from ips[0] and merges ips; no finalizer', () => {
    const d = defaultReservedIP(reservedIP('r', { ips: ['10.0.0.10', '10.0.0.1-10.0.0.3', '10.0.0.4'] }));
    expect(d.spec).toEqual({ ipVersion: 4, ips: ['10.0.0.1-10.0.0.4', '10.0.0.10'] });
    expect(d.metadata.finalizers).toBeUndefined();
    expect(defaultReservedIP(reservedIP('r6', { ips: ['fd00::1-fd00::9'] })).spec.ipVersion).toBe(6);
    expect(validateReservedIPCreate(d, ctx0)).toEqual([]);
  });

  it('empty ips, a malformed ips[0] or a terminating object leave it unchanged', () => {
    expect(defaultReservedIP(reservedIP('r', {})).spec).toEqual({});
    expect(defaultReservedIP(reservedIP('r', { ips: ['nope', '10.0.0.1'] })).spec).toEqual({
      ips: ['nope', '10.0.0.1'],
    });
    expect(defaultReservedIP(reservedIP('r', { ips: ['::ffff:10.0.0.1'] })).spec.ipVersion).toBeUndefined();
    const term = reservedIP('r', { ips: ['10.0.0.1'] }, { deletionTimestamp: '2024-01-01T00:00:00Z' });
    expect(defaultReservedIP(term).spec.ipVersion).toBeUndefined();
  });

  it('ipVersion nil / unsupported / disabled', () => {
    expect(brief(validateReservedIPCreate(defaultReservedIP(reservedIP('r', {})), ctx0))).toEqual([
      "Invalid spec.ipVersion: is not generated correctly, 'spec.ips' is empty or 'spec.ips[0]' may be invalid",
    ]);
    expect(validateReservedIPCreate(reservedIP('r', { ipVersion: 5 }), ctx0).map((e) => e.type)).toEqual([
      'NotSupported',
    ]);
    const v6off = context({ settings: { enableIPv6: false } });
    expect(
      brief(validateReservedIPCreate(defaultReservedIP(reservedIP('r', { ips: ['fd00::1'] })), v6off)),
    ).toEqual(['Forbidden spec.ipVersion: IPv6 is disabled']);
  });

  it('every range of the family, well-formed', () => {
    const bad = defaultReservedIP(reservedIP('r', { ipVersion: 4, ips: ['10.0.0.1', 'fd00::1'] }));
    expect(brief(validateReservedIPCreate(bad, ctx0))).toEqual([
      "Invalid spec.ips[1]: invalid IP range format in IPv4 'fd00::1'",
    ]);
    const reversed = reservedIP('r', { ipVersion: 4, ips: ['10.0.0.9-10.0.0.1'] });
    expect(brief(validateReservedIPCreate(reversed, ctx0))[0]).toMatch(/^Invalid spec.ips\[0\]/);
  });

  it('update: ipVersion immutable; terminating twice Forbidden; delete never refused', () => {
    const old = defaultReservedIP(reservedIP('r', { ips: ['10.0.0.1'] }));
    expect(
      brief(validateReservedIPUpdate(old, { ...old, spec: { ipVersion: 6, ips: ['fd00::1'] } }, ctx0)),
    ).toEqual(['Forbidden spec.ipVersion: is not changeable']);
    expect(
      validateReservedIPUpdate(old, { ...old, spec: { ipVersion: 4, ips: ['10.0.0.2'] } }, ctx0),
    ).toEqual([]);
    const term = { ...old, metadata: { ...old.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    expect(validateReservedIPUpdate(old, term, ctx0)).toEqual([]);
    expect(brief(validateReservedIPUpdate(term, term, ctx0))).toEqual([
      'Forbidden metadata.deletionTimestamp: cannot update a terminating ReservedIP',
    ]);
    expect(validateReservedIPDelete(old, ctx0)).toEqual([]);
  });

  it('property: defaulting is idempotent and keeps a valid object valid', () => {
    const octets = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));
    const range = fc.oneof(
      octets.map(([a, b]) => (a === b ? `10.1.0.${a}` : `10.1.0.${Math.min(a, b)}-10.1.0.${Math.max(a, b)}`)),
      octets.map(([a, b]) => `fd00::${Math.min(a, b).toString(16)}-fd00::${Math.max(a, b).toString(16)}`),
      fc.constantFrom('10.1.0.300', '10.1.0.9-10.1.0.1', ''),
    );
    fc.assert(
      fc.property(fc.array(range, { maxLength: 8 }), (ips) => {
        const rip = reservedIP('r', { ips });
        const once = defaultReservedIP(rip);
        expect(defaultReservedIP(once)).toEqual(once);
        if (validateReservedIPCreate(once, ctx0).length === 0) {
          expect(validateReservedIPCreate(defaultReservedIP(once), ctx0)).toEqual([]);
        }
      }),
    );
  });
});

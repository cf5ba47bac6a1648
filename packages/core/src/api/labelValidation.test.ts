import { describe, expect, it } from 'vitest';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateLabelKey,
  validateLabelSelector,
  validateLabelValue,
} from './labelValidation.ts';

describe('Kubernetes name validation', () => {
  it('qualified names with and without prefixes', () => {
    expect(isQualifiedName('app')).toEqual([]);
    expect(isQualifiedName('ipam.spidernet.io/app-name')).toEqual([]);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist/);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Bad_Prefix/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('x/')).toEqual(['name part must be non-empty']);
    expect(isQualifiedName('a'.repeat(64))).toContain('name part must be no more than 63 characters');
    expect(isQualifiedName('-x')[0]).toMatch(/^name part must consist/);
  });

  it('label values: .starts.with.dot is rejected with the apimachinery message', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('my_value.1')).toEqual([]);
    expect(isValidLabelValue('.starts.with.dot')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    expect(isValidLabelValue('a'.repeat(64))).toContain('must be no more than 63 characters');
  });

  it('DNS-1123 label and subdomain', () => {
    expect(isDNS1123Subdomain('sriov-test.kube')).toEqual([]);
    expect(isDNS1123Subdomain('Sriov')).toHaveLength(1);
    expect(isDNS1123Subdomain('a'.repeat(254))).toContain('must be no more than 253 characters');
    expect(isDNS1123Label('a.b')).toHaveLength(1);
    expect(isDNS1123Label('kube-system')).toEqual([]);
  });

  it('field errors carry path and value', () => {
    const [e] = validateLabelValue('.x', 'spec.podAffinity.matchLabels');
    expect(e?.type).toBe('Invalid');
    expect(e?.message).toMatch(/^spec\.podAffinity\.matchLabels: Invalid value: "\.x": a valid label/);
    expect(validateLabelKey('ok', 'f')).toEqual([]);
  });

  it('validateLabelSelector checks labels and requirements', () => {
    expect(validateLabelSelector(undefined, 'spec.podAffinity')).toEqual([]);
    expect(validateLabelSelector({ matchLabels: { app: 'web' } }, 'spec.podAffinity')).toEqual([]);
    const errs = validateLabelSelector(
      {
        matchLabels: { app: '.starts.with.dot' },
        matchExpressions: [
          { key: 'a', operator: 'In' },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Bogus' as 'In', values: ['x'] },
          { key: 'd', operator: 'In', values: ['-bad'] },
        ],
      },
      'spec.podAffinity',
    );
    expect(errs.map((e) => `${e.type} ${e.field}`)).toEqual([
      'Invalid spec.podAffinity.matchLabels',
      'Required spec.podAffinity.matchExpressions[0].values',
      'Forbidden spec.podAffinity.matchExpressions[1].values',
      'Invalid spec.podAffinity.matchExpressions[2].operator',
      'Invalid spec.podAffinity.matchExpressions[3].values[0]',
    ]);
  });
});

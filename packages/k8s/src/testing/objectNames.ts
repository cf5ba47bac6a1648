// Object names as the API server validates them on create: a DNS-1123 subdomain (≤253 characters) for
// almost every kind, a DNS-1123 label (≤63) for Namespaces. Worded like apimachinery's validation errors.
import type { StatusCause } from './statusBodies.ts';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const LABEL_RE = new RegExp(`^${LABEL}$`);
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN}$`);

const subdomainHelp = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`;
const labelHelp = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`;

const invalid = (name: string, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  field: 'metadata.name',
  message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
});

/** The field errors of `metadata.name` for an object of `kind` (empty: valid; a missing name is left to the store). */
export const nameCauses = (kind: string, name: unknown): StatusCause[] => {
  if (typeof name !== 'string' || name === '') return [];
  const label = kind === 'Namespace';
  const max = label ? 63 : 253;
  const out: StatusCause[] = [];
  if (name.length > max) out.push(invalid(name, `must be no more than ${max} characters`));
  if (!(label ? LABEL_RE : SUBDOMAIN_RE).test(name))
    out.push(invalid(name, label ? labelHelp : subdomainHelp));
  return out;
};

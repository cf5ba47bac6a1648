// TLS material of the webhook server: PEM files given by the deployment (cert-manager, Helm, a Secret), or
// a CA and a serving certificate made on the spot for tests and development (pure JS: `selfsigned`). The CA
// PEM, base64-encoded, is the `caBundle` of the webhook configurations.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { err, ok, Result, ResultAsync } from 'neverthrow';
import { generate } from 'selfsigned';
import type { WebhookServerError } from './errors.ts';

export interface TlsMaterial {
  /** PEM serving certificate (chain). */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
  /** PEM of the CA that signed `cert` (what the API server must trust). */
  readonly ca: string;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** The CA's PEM; absent: the certificate is taken as its own CA (self-signed). */
  caFile?: string;
}

const readPem = (path: string): Result<string, WebhookServerError> => {
  try {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('-----BEGIN ')) {
      return err({ _tag: 'TlsFiles', path, cause: undefined, message: `${path} holds no PEM block` });
    }
    return ok(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    return err({ _tag: 'TlsFiles', path, cause, message: `cannot read ${path}: ${why}` });
  }
};

export const loadTlsFiles = (files: TlsFiles): Result<TlsMaterial, WebhookServerError> =>
  Result.combine([
    readPem(files.certFile),
    readPem(files.keyFile),
    files.caFile === undefined ? readPem(files.certFile) : readPem(files.caFile),
  ]).map(([cert, key, ca]) => ({ cert, key, ca }));

export interface SelfSignedOptions {
  /** DNS names and IP addresses of the serving certificate (default `localhost`, `127.0.0.1`, `::1`). */
  hosts?: readonly string[];
  /** Validity from `now` (default 365 days). */
  days?: number;
  now?: Date;
}

const DAY_MS = 86_400_000;

/** A fresh CA (EC P-256, SHA-256) and a serving certificate it signed for `hosts`. */
export const generateSelfSignedTls = (
  options: SelfSignedOptions = {},
): ResultAsync<TlsMaterial, WebhookServerError> => {
  const now = options.now ?? new Date();
  const notBeforeDate = new Date(now.getTime() - 60_000);
  const notAfterDate = new Date(now.getTime() + (options.days ?? 365) * DAY_MS);
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const key = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const make = async (): Promise<TlsMaterial> => {
    const ca = await generate([{ name: 'commonName', value: 'spiderpool-ts webhook CA' }], {
      ...key,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    const leaf = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
      ...key,
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: hosts.map((h) =>
            isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
          ),
        },
      ],
    });
    return { cert: leaf.cert, key: leaf.private, ca: ca.cert };
  };
  return ResultAsync.fromPromise(make(), (cause) => ({
    _tag: 'TlsGenerate' as const,
    cause,
    message: `cannot generate a certificate: ${cause instanceof Error ? cause.message : String(cause)}`,
  }));
};

/** The `caBundle` field: base64 of the CA PEM. */
export const caBundleOf = (tls: Pick<TlsMaterial, 'ca'>): string =>
  Buffer.from(tls.ca, 'utf8').toString('base64');

// Errors of the admission webhook server: a review that cannot be read, TLS material that cannot be loaded,
// and a cluster read (through the lister) that failed or took too long.
import type { StoreError } from '@spiderpool-ts/core';

export type WebhookServerError =
  | {
      readonly _tag: 'BadReview';
      /** Dotted path into the AdmissionReview, e.g. `request.uid`. */
      readonly field: string;
      readonly value: unknown;
      readonly message: string;
    }
  | { readonly _tag: 'TlsFiles'; readonly path: string; readonly cause: unknown; readonly message: string }
  | { readonly _tag: 'TlsGenerate'; readonly cause: unknown; readonly message: string }
  | { readonly _tag: 'Listen'; readonly port: number; readonly cause: unknown; readonly message: string }
  | {
      readonly _tag: 'ListFailed';
      readonly kind: string;
      readonly cause: StoreError;
      readonly message: string;
    }
  | {
      readonly _tag: 'ListTimeout';
      readonly kind: string;
      readonly timeoutMs: number;
      readonly message: string;
    };

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

export const badReview = (field: string, value: unknown, why: string): WebhookServerError => ({
  _tag: 'BadReview',
  field,
  value,
  message: `${field}: ${why} (got ${show(value)})`,
});

export const listFailed = (kind: string, cause: StoreError): WebhookServerError => ({
  _tag: 'ListFailed',
  kind,
  cause,
  message: `failed to list ${kind}: ${cause.message}`,
});

export const listTimeout = (kind: string, timeoutMs: number): WebhookServerError => ({
  _tag: 'ListTimeout',
  kind,
  timeoutMs,
  message: `listing ${kind} took longer than ${timeoutMs}ms`,
});

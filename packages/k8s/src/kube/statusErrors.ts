// The one place where API-server failures become StoreError tags: an HTTP status plus its `Status` body
// (404 NotFound; 409 AlreadyExists or Conflict by Status.reason; 400/422 Invalid; 410 Gone; 401/403
// Unauthorized; anything else,
// and no answer at all, Unavailable).
import {
  type StoreError,
  type StoreErrorTarget,
  storeAlreadyExists,
  storeConflict,
  storeGone,
  storeInvalid,
  storeNotFound,
  storeUnauthorized,
  storeUnavailable,
} from '@spiderpool-ts/core';

/** The fields of a metav1.Status this package reads. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; uid?: string };
}

export const asStatus = (body: unknown): KubeStatus =>
  typeof body === 'object' && body !== null ? (body as KubeStatus) : {};

const named = (t: StoreErrorTarget) => ({ ...t, name: t.name ?? '' });

/** Maps a non-2xx answer to its StoreError. `resourceVersion` is the one a watch or list asked for (Gone). */
export const storeErrorFromStatus = (
  target: StoreErrorTarget,
  httpStatus: number,
  body: unknown,
  resourceVersion = '',
): StoreError => {
  const st = asStatus(body);
  const code = st.code ?? httpStatus;
  const message = st.message ?? `HTTP ${code}`;
  switch (code) {
    case 404:
      return target.name === undefined
        ? storeInvalid(target, `resource not served: ${message}`)
        : storeNotFound(named(target));
    case 409:
      return st.reason === 'AlreadyExists'
        ? storeAlreadyExists(named(target))
        : storeConflict(named(target), message);
    case 400:
    case 422:
      return storeInvalid(target, message);
    case 410:
      return storeGone(target, resourceVersion);
    case 401:
    case 403:
      return storeUnauthorized(target, code, message);
    default:
      return storeUnavailable(target, `HTTP ${code} ${st.reason ?? ''}: ${message}`.replace('  ', ' '), st);
  }
};

/** A request that got no answer (connection refused, TLS, DNS, an auth plugin failing). */
export const storeErrorFromException = (target: StoreErrorTarget, cause: unknown): StoreError =>
  storeUnavailable(target, cause instanceof Error ? cause.message : String(cause), cause);

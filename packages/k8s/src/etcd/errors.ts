// etcd failures as StoreErrors. etcd's own request-size limit (`--max-request-bytes`, 1.5 MiB by default;
// "etcdserver: request is too large", or gRPC's RESOURCE_EXHAUSTED past the transport limit) is an Invalid
// carrying `code: 'RequestTooLarge'` and the size sent: the request itself is wrong, retrying cannot help.
import {
  type Invalid,
  type StoreError,
  type StoreErrorTarget,
  storeInvalid,
  storeUnavailable,
} from '@spiderpool-ts/core';

/** A write etcd refused because the request exceeded its size limit. */
export interface EtcdRequestTooLarge extends Invalid {
  code: 'RequestTooLarge';
  /** Bytes of the value that was sent. */
  bytes: number;
}

export const requestTooLarge = (
  target: StoreErrorTarget,
  bytes: number,
  detail: string,
): EtcdRequestTooLarge => ({
  ...storeInvalid(target, `etcd refused a ${bytes}-byte value: request too large (${detail})`),
  code: 'RequestTooLarge',
  bytes,
});

/** Narrows a StoreError to etcd's request-size refusal. */
export const isRequestTooLarge = (e: StoreError): e is EtcdRequestTooLarge =>
  e._tag === 'Invalid' && (e as Partial<EtcdRequestTooLarge>).code === 'RequestTooLarge';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** True for etcd's "required revision has been compacted". */
export const isCompacted = (e: unknown): boolean => /has been compacted/.test(messageOf(e));

const TOO_LARGE = /request is too large|larger than max|RESOURCE_EXHAUSTED|message larger/i;

/** Maps a thrown etcd3/gRPC error; `bytes` is the size of the value written (writes only). */
export const storeErrorFromEtcd = (target: StoreErrorTarget, e: unknown, bytes?: number): StoreError => {
  const text = messageOf(e);
  if (bytes !== undefined && TOO_LARGE.test(text)) return requestTooLarge(target, bytes, text);
  return storeUnavailable(target, `etcd: ${text}`, e);
};

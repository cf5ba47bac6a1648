// The raw-bitmap side of a paged engine (either implementation): writing it from the pages, loading it into
// them, and its checksum. Raw exports of a paged allocator are rare (they are chosen only when runs would be
// longer, i.e. when most pages are present anyway), so these favour simple code over speed.
import { checksum64 } from './checksum.ts';
import { tailMask } from './codec.ts';

/** Indices per page of the paged layout (assembly/paged.ts PAGE_SHIFT = 16). */
export const PAGE_BITS = 1 << 16;
export const PAGE_BYTES = PAGE_BITS / 8;

/** One page as a raw writer sees it: absent and all free, absent and all used, or its level-0 bytes. */
export type RawPage = 'empty' | 'full' | Uint8Array;

/** Writes the raw payload of `size` indices at out[offset...], page by page, padding bits 0. */
export const writePagedRaw = (
  size: number,
  page: (p: number) => RawPage,
  out: Uint8Array,
  offset: number,
): void => {
  const n = Math.ceil(size / 8);
  const pages = Math.ceil(size / PAGE_BITS);
  out.fill(0, offset, offset + n);
  for (let p = 0; p < pages; p++) {
    const at = offset + p * PAGE_BYTES;
    const len = Math.min(PAGE_BYTES, offset + n - at);
    const v = page(p);
    if (v === 'full') out.fill(0xff, at, at + len);
    else if (v !== 'empty') out.set(v.subarray(0, len), at);
  }
  const tail = size & 7;
  if (tail !== 0) out[offset + n - 1] = (out[offset + n - 1] as number) & ((1 << tail) - 1);
};

/** Calls load(p, bytes) for every page whose slice of the raw payload has a set bit. */
export const forEachRawPage = (
  size: number,
  src: Uint8Array,
  offset: number,
  load: (p: number, bytes: Uint8Array) => void,
): void => {
  const n = Math.ceil(size / 8);
  for (let at = 0; at < n; at += PAGE_BYTES) {
    const bytes = src.subarray(offset + at, offset + Math.min(n, at + PAGE_BYTES));
    if (bytes.some((b) => b !== 0)) load(at / PAGE_BYTES, bytes);
  }
};

/** checksum64 of the raw payload (materialized once; see the note at the top). */
export const pagedRawChecksum = (size: number, write: (out: Uint8Array) => void, seed: bigint): bigint => {
  const n = Math.ceil(size / 8);
  const buf = new Uint8Array(n);
  write(buf);
  return checksum64(buf, 0, n, seed, tailMask(size));
};

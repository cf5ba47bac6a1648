// The byte form shared by both implementations (so a WASM export imports into the TS twin and back).
//
//   offset size  field
//   0      4     magic "SPBM"
//   4      1     format version (1)
//   5      1     kind: 1 dense, 2 sparse
//   6      1     encoding: 0 raw bitmap (dense only), 1 runs
//   7      1     reserved, 0
//   8      8     last index (size - 1), u64 little-endian
//   16     8     used count modulo 2^64, u64 little-endian
//   24     4     payload length in bytes, u32 little-endian
//   28     4     checksum of bytes 0..27 and the payload (see checksum below), u32 little-endian
//   32     ...   payload
//
// raw:  ceil(size/8) bytes, bit i of the space = bit (i & 7) of byte (i >> 3); bits past the end are 0.
// runs: for each maximal run [s, e] ascending: LEB128(s - (prevEnd + 2)) (the first run: LEB128(s)), then
//       LEB128(e - s). Varints are minimal, so every allocator state has exactly one encoding per kind.
// The dense exporter picks runs when they are not longer than the raw bitmap; sparse always uses runs.
import { err, ok, type Result } from 'neverthrow';
import type { DenseEngine, SparseEngine } from './engine.ts';
import { type BitmapError, corruptBytes } from './errors.ts';
import { VarintWriter } from './varint.ts';

export const HEADER_BYTES = 32;
const MAGIC = [0x53, 0x50, 0x42, 0x4d] as const;
export const KIND_DENSE = 1;
export const KIND_SPARSE = 2;
export const ENC_RAW = 0;
export const ENC_RUNS = 1;
const U64 = (1n << 64n) - 1n;

/**
 * FNV-1a-style hash over little-endian 32-bit words (then the tail bytes), with an xorshift so high bits
 * reach low ones; the last byte is read ANDed with lastMask. Mirrored exactly by assembly/checksum.ts.
 */
export const checksum = (
  b: Uint8Array,
  start: number,
  end: number,
  seed = 0x811c9dc5,
  lastMask = 0xff,
): number => {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let h = (seed ^ (end - start)) | 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let w = dv.getUint32(i, true);
    if (i + 4 === end) w &= (lastMask << 24) | 0xffffff;
    h = Math.imul(h ^ w, 0x01000193);
    h ^= h >>> 13;
  }
  for (; i < end; i++) h = Math.imul(h ^ ((b[i] as number) & (i === end - 1 ? lastMask : 0xff)), 0x01000193);
  return h >>> 0;
};

/** Mask of the valid bits of a raw payload's last byte. */
export const tailMask = (size: number): number => (size & 7 ? (1 << (size & 7)) - 1 : 0xff);

/** The checksum of an export: header bytes 0..27, then the payload. */
export const exportChecksum = (b: Uint8Array): number =>
  checksum(b, HEADER_BYTES, b.length, checksum(b, 0, 28));

const writeHeader = (
  out: Uint8Array,
  h: { kind: number; enc: number; last: bigint; used: bigint },
  payloadSum?: (seed: number) => number,
): void => {
  out.set(MAGIC, 0);
  out[4] = 1;
  out[5] = h.kind;
  out[6] = h.enc;
  out[7] = 0;
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setBigUint64(8, h.last, true);
  dv.setBigUint64(16, h.used & U64, true);
  dv.setUint32(24, out.length - HEADER_BYTES, true);
  const seed = checksum(out, 0, 28);
  dv.setUint32(28, payloadSum ? payloadSum(seed) : checksum(out, HEADER_BYTES, out.length, seed), true);
};

const finishRuns = (w: VarintWriter, kind: number, last: bigint, used: bigint): Uint8Array => {
  const out = new Uint8Array(HEADER_BYTES + w.length);
  out.set(w.bytes(), HEADER_BYTES);
  writeHeader(out, { kind, enc: ENC_RUNS, last, used });
  return out;
};

export const encodeDense = (e: DenseEngine, size: number): Uint8Array => {
  const rawLen = Math.ceil(size / 8);
  const used = e.used();
  // Every run costs at least 2 bytes: skip the run walk when it cannot beat the raw bitmap.
  if (2 * Math.min(used, size - used + 1) <= rawLen) {
    const w = new VarintWriter(64);
    let prevEnd = -2;
    let left = used;
    let s = left > 0 ? e.nextSet(0) : -1;
    while (s >= 0 && w.length <= rawLen) {
      const f = e.nextClear(s);
      const end = f < 0 ? size - 1 : f - 1;
      w.write(s - (prevEnd + 2));
      w.write(end - s);
      prevEnd = end;
      left -= end - s + 1;
      s = f < 0 || left <= 0 ? -1 : e.nextSet(f);
    }
    if (w.length <= rawLen) return finishRuns(w, KIND_DENSE, BigInt(size - 1), BigInt(used));
  }
  const out = new Uint8Array(HEADER_BYTES + rawLen);
  e.writeRaw(out, HEADER_BYTES);
  writeHeader(out, { kind: KIND_DENSE, enc: ENC_RAW, last: BigInt(size - 1), used: BigInt(used) }, (seed) =>
    e.rawChecksum(seed),
  );
  return out;
};

export const encodeSparse = (e: SparseEngine, size: bigint): Uint8Array => {
  const w = new VarintWriter(64);
  let prevEnd = -2n;
  const used = e.used();
  let left = used;
  let s = left > 0n ? e.nextSet(0n) : -1n;
  while (s >= 0n) {
    const f = e.nextClear(s);
    const end = f < 0n ? size - 1n : f - 1n;
    w.writeBig(s - (prevEnd + 2n));
    w.writeBig(end - s);
    prevEnd = end;
    left -= end - s + 1n;
    s = f < 0n || left <= 0n ? -1n : e.nextSet(f);
  }
  return finishRuns(w, KIND_SPARSE, size - 1n, used);
};

export interface Header {
  readonly kind: number;
  readonly enc: number;
  readonly last: bigint;
  readonly used: bigint;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

/** The seed of the payload checksum: the checksum of header bytes 0..27. */
export const headerSeed = (bytes: Uint8Array): number => checksum(bytes, 0, 28);

/** Checks the header, and the checksum of a runs payload (a raw payload is checked after loading). */
export const decodeHeader = (bytes: Uint8Array, kind: number): Result<Header, BitmapError> => {
  if (!(bytes instanceof Uint8Array)) return err(corruptBytes('truncated', 0, 'input is not a Uint8Array'));
  if (bytes.length < HEADER_BYTES)
    return err(corruptBytes('truncated', bytes.length, `${bytes.length} bytes, the header alone is 32`));
  for (let i = 0; i < 4; i++)
    if (bytes[i] !== MAGIC[i]) return err(corruptBytes('magic', i, 'not a bitmap export (magic "SPBM")'));
  if (bytes[4] !== 1) return err(corruptBytes('version', 4, `unknown format version ${bytes[4]}`));
  if (bytes[5] !== kind)
    return err(
      corruptBytes(
        'kind',
        5,
        `expected a ${kind === KIND_DENSE ? 'dense' : 'sparse'} export, got kind ${bytes[5]}`,
      ),
    );
  const enc = bytes[6] as number;
  if (enc !== ENC_RUNS && !(enc === ENC_RAW && kind === KIND_DENSE))
    return err(corruptBytes('encoding', 6, `unknown encoding ${enc}`));
  if (bytes[7] !== 0) return err(corruptBytes('encoding', 7, 'reserved byte is not 0'));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = dv.getUint32(24, true);
  if (bytes.length !== HEADER_BYTES + len)
    return err(
      corruptBytes(
        bytes.length < HEADER_BYTES + len ? 'truncated' : 'length',
        24,
        `payload length ${len} but ${bytes.length - HEADER_BYTES} bytes follow the header`,
      ),
    );
  // A raw payload's checksum is checked by the engine after loading it (see importDenseBitmap).
  if (enc !== ENC_RAW && exportChecksum(bytes) !== dv.getUint32(28, true))
    return err(corruptBytes('checksum', 28, 'checksum does not match'));
  return ok({
    kind,
    enc,
    last: dv.getBigUint64(8, true),
    used: dv.getBigUint64(16, true),
    payloadStart: HEADER_BYTES,
    payloadEnd: bytes.length,
  });
};

// The byte form shared by both implementations (so a WASM export imports into the TS twin and back).
// Format version 2 (version 1, with a 32-byte header and a serial 32-bit checksum, is no longer read: see
// ADR 0003).
//
//   offset size  field
//   0      4     magic "SPBM"
//   4      1     format version (2)
//   5      1     kind: 1 dense, 2 sparse
//   6      1     encoding: 0 raw bitmap (dense only), 1 runs
//   7      1     reserved, 0
//   8      8     last index (size - 1), u64 little-endian
//   16     8     used count modulo 2^64, u64 little-endian
//   24     4     payload length in bytes, u32 little-endian
//   28     4     reserved, 0
//   32     8     checksum, u64 little-endian: checksum64(payload, checksum64(bytes 0..31, CHECKSUM_IV))
//                (the lanes64 function of checksum.ts; for a raw payload the padding bits count as 0)
//   40     ...   payload
//
// raw:  ceil(size/8) bytes, bit i of the space = bit (i & 7) of byte (i >> 3); bits past the end are 0.
// runs: for each maximal run [s, e] ascending: LEB128(s - (prevEnd + 2)) (the first run: LEB128(s)), then
//       LEB128(e - s). Varints are minimal, so every allocator state has exactly one encoding per kind.
// The dense exporter picks runs when they are not longer than the raw bitmap; sparse always uses runs.
import { err, ok, type Result } from 'neverthrow';
import { CHECKSUM_IV, checksum64 } from './checksum.ts';
import type { DenseEngine, SparseEngine } from './engine.ts';
import { type BitmapError, corruptBytes } from './errors.ts';
import { VarintWriter } from './varint.ts';

export const HEADER_BYTES = 40;
export const FORMAT_VERSION = 2;
/** Offset of the u64 checksum in the header. */
export const CHECKSUM_AT = 32;
const MAGIC = [0x53, 0x50, 0x42, 0x4d] as const;
export const KIND_DENSE = 1;
export const KIND_SPARSE = 2;
export const ENC_RAW = 0;
export const ENC_RUNS = 1;
const U64 = (1n << 64n) - 1n;

/** Mask of the valid bits of a raw payload's last byte. */
export const tailMask = (size: number): number => (size & 7 ? (1 << (size & 7)) - 1 : 0xff);

/** The seed of the payload checksum: the checksum of header bytes 0..31. */
export const headerSeed = (bytes: Uint8Array): bigint => checksum64(bytes, 0, 32, CHECKSUM_IV);

/** The checksum of an export: header bytes 0..31, then the payload. */
export const exportChecksum = (b: Uint8Array): bigint => checksum64(b, HEADER_BYTES, b.length, headerSeed(b));

/** The checksum stored in an export's header. */
export const storedChecksum = (b: Uint8Array): bigint =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(CHECKSUM_AT, true);

const writeHeader = (
  out: Uint8Array,
  h: { kind: number; enc: number; last: bigint; used: bigint },
  payloadSum?: (seed: bigint) => bigint,
): void => {
  out.set(MAGIC, 0);
  out[4] = FORMAT_VERSION;
  out[5] = h.kind;
  out[6] = h.enc;
  out[7] = 0;
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setBigUint64(8, h.last, true);
  dv.setBigUint64(16, h.used & U64, true);
  dv.setUint32(24, out.length - HEADER_BYTES, true);
  dv.setUint32(28, 0, true);
  const seed = headerSeed(out);
  dv.setBigUint64(
    CHECKSUM_AT,
    payloadSum ? payloadSum(seed) : checksum64(out, HEADER_BYTES, out.length, seed),
    true,
  );
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

/** Checks the header, and the checksum of a runs payload (a raw payload is checked after loading). */
export const decodeHeader = (bytes: Uint8Array, kind: number): Result<Header, BitmapError> => {
  if (!(bytes instanceof Uint8Array)) return err(corruptBytes('truncated', 0, 'input is not a Uint8Array'));
  if (bytes.length < HEADER_BYTES)
    return err(
      corruptBytes('truncated', bytes.length, `${bytes.length} bytes, the header alone is ${HEADER_BYTES}`),
    );
  for (let i = 0; i < 4; i++)
    if (bytes[i] !== MAGIC[i]) return err(corruptBytes('magic', i, 'not a bitmap export (magic "SPBM")'));
  if (bytes[4] !== FORMAT_VERSION)
    return err(
      corruptBytes(
        'version',
        4,
        bytes[4] === 1
          ? 'format version 1 is no longer read (this version reads 2): export the state again'
          : `unknown format version ${bytes[4]} (this version reads 2)`,
      ),
    );
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
  if (dv.getUint32(28, true) !== 0)
    return err(corruptBytes('encoding', 28, 'reserved bytes 28..31 are not 0'));
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
  if (enc !== ENC_RAW && exportChecksum(bytes) !== storedChecksum(bytes))
    return err(corruptBytes('checksum', CHECKSUM_AT, 'checksum does not match'));
  return ok({
    kind,
    enc,
    last: dv.getBigUint64(8, true),
    used: dv.getBigUint64(16, true),
    payloadStart: HEADER_BYTES,
    payloadEnd: bytes.length,
  });
};

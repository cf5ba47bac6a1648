// Minimal unsigned LEB128 varints: a growable writer and a strict reader (rejects overlong encodings and
// values past 2^64 - 1, so each value has exactly one accepted byte form).
import { err, ok, type Result } from 'neverthrow';
import { type BitmapError, corruptBytes } from './errors.ts';

export class VarintWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Writes a non-negative safe integer. */
  write(value: number): void {
    this.room(8);
    let v = value;
    while (v >= 128) {
      this.buf[this.length++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  /** Writes a value in [0, 2^64). */
  writeBig(value: bigint): void {
    if (value <= 0x1fffffffffffffn) {
      this.write(Number(value));
      return;
    }
    this.room(10);
    let v = value;
    while (v >= 128n) {
      this.buf[this.length++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Reads one varint at pos; returns the value and the position after it. */
export const readVarint = (
  b: Uint8Array,
  pos: number,
  end: number,
): Result<{ value: bigint; next: number }, BitmapError> => {
  let value = 0n;
  let shift = 0n;
  for (let i = pos; i < end && i < pos + 10; i++) {
    const byte = b[i] as number;
    value |= BigInt(byte & 127) << shift;
    if ((byte & 128) === 0) {
      if (byte === 0 && i > pos) return err(corruptBytes('payload', i, 'overlong varint'));
      if (value > 0xffffffffffffffffn) return err(corruptBytes('payload', pos, 'varint exceeds 64 bits'));
      return ok({ value, next: i + 1 });
    }
    shift += 7n;
  }
  return err(corruptBytes(end - pos < 10 ? 'truncated' : 'payload', pos, 'unterminated varint'));
};

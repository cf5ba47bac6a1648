// Payload checks and run decoding for imports. Every problem becomes a CorruptBitmapBytes error; nothing
// here throws on any input.
import { err, ok, type Result } from 'neverthrow';
import type { Header } from './codec.ts';
import { type BitmapError, corruptBytes } from './errors.ts';
import { readVarint } from './varint.ts';

/**
 * Walks the runs of a runs-encoded payload, checking order, bounds and the used count, calling onRun for
 * each. onRun may stop the walk by returning an error.
 */
export const decodeRuns = (
  bytes: Uint8Array,
  h: Header,
  onRun: (start: bigint, end: bigint) => BitmapError | undefined,
): Result<void, BitmapError> => {
  let pos = h.payloadStart;
  let prevEnd = -2n;
  let count = 0n;
  while (pos < h.payloadEnd) {
    const gap = readVarint(bytes, pos, h.payloadEnd);
    if (gap.isErr()) return err(gap.error);
    const len = readVarint(bytes, gap.value.next, h.payloadEnd);
    if (len.isErr()) return err(len.error);
    const start = prevEnd + 2n + gap.value.value;
    const end = start + len.value.value;
    if (end > h.last)
      return err(corruptBytes('payload', pos, `run [${start}, ${end}] ends past the last index ${h.last}`));
    const bad = onRun(start, end);
    if (bad) return err(bad);
    count += end - start + 1n;
    prevEnd = end;
    pos = len.value.next;
  }
  if ((count & 0xffffffffffffffffn) !== h.used)
    return err(corruptBytes('count', 16, `header says ${h.used} used, the runs hold ${count}`));
  return ok(undefined);
};

/** Checks a raw payload's length and padding bits (checksum and count are checked once loaded). */
export const checkRaw = (bytes: Uint8Array, h: Header, size: number): Result<void, BitmapError> => {
  const n = Math.ceil(size / 8);
  if (h.payloadEnd - h.payloadStart !== n)
    return err(corruptBytes('length', 24, `raw payload of a ${size}-index space must be ${n} bytes`));
  const tail = size & 7;
  if (tail !== 0 && ((bytes[h.payloadEnd - 1] as number) & ~((1 << tail) - 1) & 0xff) !== 0)
    return err(corruptBytes('payload', h.payloadEnd - 1, 'bits past the last index are set'));
  return ok(undefined);
};

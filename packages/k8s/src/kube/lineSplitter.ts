// Newline-delimited text split on Buffers, for watch streams: each chunk is searched for 0x0a with indexOf,
// a line inside one chunk is decoded straight from it, and only a line that spans chunks is joined (one
// Buffer.concat) before it is decoded. Decoding whole lines, never chunk by chunk, keeps a multi-byte UTF-8
// character that a chunk boundary cuts in two intact. A trailing "\r" is dropped; empty lines are skipped.

export interface LineSplitter {
  /** Feeds a chunk; false when the line being collected grew past `maxLineBytes` (it is dropped). */
  push(chunk: Buffer): boolean;
  /** The stream ended: delivers a last line that had no newline. */
  end(): void;
}

/** Default cap of one line, bytes: far above any object the API server stores (etcd's limit is 1.5 MiB). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const NL = 0x0a;
const CR = 0x0d;

export const createLineSplitter = (
  onLine: (line: string) => void,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): LineSplitter => {
  /** Pieces of a line that started in an earlier chunk. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const emit = (buf: Buffer, start: number, end: number): void => {
    let stop = end;
    if (stop > start && buf[stop - 1] === CR) stop--;
    if (stop > start) onLine(buf.toString('utf8', start, stop));
  };
  const flush = (last: Buffer | undefined): void => {
    if (last !== undefined && last.length > 0) pending.push(last);
    const whole =
      pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes + (last?.length ?? 0));
    pending = [];
    pendingBytes = 0;
    if (whole !== undefined) emit(whole, 0, whole.length);
  };

  return {
    push: (chunk) => {
      let start = 0;
      let nl = chunk.indexOf(NL);
      if (nl === -1) {
        if (chunk.length === 0) return true;
        pendingBytes += chunk.length;
        if (pendingBytes > maxLineBytes) {
          pending = [];
          pendingBytes = 0;
          return false;
        }
        pending.push(chunk);
        return true;
      }
      if (pending.length > 0) {
        flush(chunk.subarray(0, nl));
        start = nl + 1;
        nl = chunk.indexOf(NL, start);
      }
      while (nl !== -1) {
        emit(chunk, start, nl);
        start = nl + 1;
        nl = chunk.indexOf(NL, start);
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (rest.length > maxLineBytes) return false;
        pending.push(rest);
        pendingBytes = rest.length;
      }
      return true;
    },
    end: () => {
      if (pending.length > 0) flush(undefined);
    },
  };
};

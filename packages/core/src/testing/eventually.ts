// Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes (then fails the test).
import { expect } from 'vitest';
import { timers } from './timers.ts';

export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 10,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) return expect.fail(`condition not met within ${timeoutMs} ms`);
    await new Promise<void>((r) => timers.setTimeout(r, intervalMs));
  }
};

// Bounded retries with capped exponential backoff and jitter for compare-and-swap writes. The clock and the
// randomness are injected (`sleep`, `random`), so the core stays pure and tests run without waiting.
//
// Budget (docs/adr/0006-allocation-engine.md, counted as in docs/adr/0030-pool-contention.md): Spiderpool
// tries 5 times (10 ms x1.5, 10% jitter), which a storm of 10 agents on one pool can exhaust. The delay for
// retry n (1-based) is min(cap, base * factor^(n-1)) scaled by "full jitter" in [1 - jitter, 1]: with the
// defaults ~2, 4, 8, 16 ms, capped at 100 ms. `attempts` (16) counts the attempts that made no progress;
// with `budgetMs` set, a retry whose re-read shows that another writer committed in between (the conflict
// was the system's progress, not a fault of ours) is not charged, and the writer gives up when its backoff
// time reaches `budgetMs` (10 s) or after `maxAttempts` (256) attempts in all.

export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  readonly attempts: number;
  /** Delay before the first retry, ms. */
  readonly baseMs: number;
  readonly factor: number;
  /** Upper bound of one delay, ms. */
  readonly capMs: number;
  /** Fraction of the delay that is randomised, 0..1 (1 = full jitter). */
  readonly jitter: number;
  /**
   * Backoff time (ms, summed over the retries of one write) after which a writer gives up although every
   * conflict was progress. When set, only attempts without progress count against `attempts`; absent: every
   * attempt counts (Spiderpool's rule).
   */
  readonly budgetMs?: number;
  /** Hard cap on attempts in all, progress or not (with `budgetMs`; default: `attempts`). */
  readonly maxAttempts?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 16,
  baseMs: 2,
  factor: 2,
  capMs: 100,
  jitter: 0.5,
  budgetMs: 10_000,
  maxAttempts: 256,
};

/** Spiderpool's own policy (`DefaultRetry{Steps:5, Duration:10ms, Factor:1.5, Jitter:0.1}`), for comparison. */
export const SPIDERPOOL_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseMs: 10,
  factor: 1.5,
  capMs: 10 * 1.5 ** 4,
  jitter: 0.1,
};

/** The wait before retry number `retry` (1 = the first retry); `random()` in [0, 1). */
export const backoffDelay = (policy: RetryPolicy, retry: number, random: () => number): number => {
  const raw = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, retry - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return raw * (1 - jitter * random());
};

/** Injected time: wait `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** A sleep that never waits (tests, benches that measure CPU only). */
export const noSleep: Sleep = () => Promise.resolve();

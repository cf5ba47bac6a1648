import fc from 'fast-check';
import { err, errAsync, ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { mapAsync, mapErrAsync, orElseAsync } from './index.ts';

/** A ResultAsync of an Ok or an Err, from a fast-check draw. */
const drawn = (isOk: boolean, v: number): ResultAsync<number, string> =>
  isOk ? okAsync(v) : errAsync(`e${v}`);

const same = async <T, E>(a: PromiseLike<Result<T, E>>, b: PromiseLike<Result<T, E>>): Promise<void> => {
  expect(await a).toEqual(await b);
};

describe('ResultAsync steps (same results as neverthrow, one then each)', () => {
  it('mapAsync = map; mapErrAsync = mapErr; orElseAsync = orElse (sync and async recoveries)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.integer(), fc.boolean(), async (isOk, v, recoverOk) => {
        await same(
          mapAsync(drawn(isOk, v), (x) => x * 2),
          drawn(isOk, v).map((x) => x * 2),
        );
        await same(
          mapErrAsync(drawn(isOk, v), (e) => e.length),
          drawn(isOk, v).mapErr((e) => e.length),
        );
        const sync = (e: string): Result<string, boolean> => (recoverOk ? ok(`r${e}`) : err(false));
        await same(orElseAsync(drawn(isOk, v), sync), drawn(isOk, v).orElse(sync));
        const later = (e: string): ResultAsync<string, boolean> =>
          recoverOk ? okAsync(`r${e}`) : errAsync(true);
        await same(orElseAsync(drawn(isOk, v), later), drawn(isOk, v).orElse(later));
      }),
      { numRuns: 200 },
    );
  });

  it('callbacks run only on their side', async () => {
    let calls = 0;
    const count = <T>(x: T): T => {
      calls++;
      return x;
    };
    await mapAsync(errAsync<number, string>('x'), count);
    await mapErrAsync(okAsync<number, string>(1), count);
    await orElseAsync(okAsync<number, string>(1), (e) => ok(count(e)));
    expect(calls).toBe(0);
    expect((await mapAsync(okAsync(1), count))._unsafeUnwrap()).toBe(1);
    expect(calls).toBe(1);
  });
});

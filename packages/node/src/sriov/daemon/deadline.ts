// Every wait of the daemon has a deadline: a ResultAsync raced against a timer (the timer is cleared when
// the work settles, so nothing keeps the process alive).
import { err, type Result, ResultAsync } from 'neverthrow';
import { type DaemonError, deadlineExceeded } from './errors.ts';

export const withDeadline = <T>(
  work: ResultAsync<T, DaemonError>,
  timeoutMs: number,
  operation: string,
): ResultAsync<T, DaemonError> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Result<T, DaemonError>>((resolve) => {
    timer = setTimeout(() => resolve(err(deadlineExceeded(operation, timeoutMs))), timeoutMs);
  });
  const settled = (async (): Promise<Result<T, DaemonError>> => await work)();
  const raced: Promise<Result<T, DaemonError>> = Promise.race([settled, timeout]).finally(() =>
    clearTimeout(timer),
  );
  return new ResultAsync(raced);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// What an informer reports: every failed list or watch (with the attempt number and the wait before the
// next try), a start that could not complete in time, a start the server refused, and giving up. Tagged
// union; `message` derived from the fields.
import type { StoreError } from '../store/index.ts';

export type InformerError =
  | {
      _tag: 'InformerListFailed';
      kind: string;
      cause: StoreError;
      /** Consecutive failures so far, this one included. */
      attempt: number;
      /** Wait before the next try, ms. */
      retryInMs: number;
      message: string;
    }
  | {
      _tag: 'InformerWatchFailed';
      kind: string;
      cause: StoreError;
      attempt: number;
      retryInMs: number;
      /** true: the next try lists again (410 Gone); false: it resumes the watch from the last version. */
      relist: boolean;
      message: string;
    }
  | {
      _tag: 'InformerStartTimeout';
      kind: string;
      timeoutMs: number;
      /** The last failure seen before the deadline (absent: the list never answered). */
      cause?: StoreError;
      message: string;
    }
  | { _tag: 'InformerStartFailed'; kind: string; cause: StoreError; message: string }
  | { _tag: 'InformerGaveUp'; kind: string; attempts: number; cause: StoreError; message: string };

export type InformerErrorTag = InformerError['_tag'];

export const listFailed = (
  kind: string,
  cause: StoreError,
  attempt: number,
  retryInMs: number,
): InformerError => ({
  _tag: 'InformerListFailed',
  kind,
  cause,
  attempt,
  retryInMs,
  message: `list of ${kind} failed (attempt ${attempt}, retry in ${Math.round(retryInMs)} ms): ${cause.message}`,
});

export const watchFailed = (
  kind: string,
  cause: StoreError,
  attempt: number,
  retry: { inMs: number; relist: boolean },
): InformerError => ({
  _tag: 'InformerWatchFailed',
  kind,
  cause,
  attempt,
  retryInMs: retry.inMs,
  relist: retry.relist,
  message: `watch of ${kind} ended (attempt ${attempt}, ${retry.relist ? 'relist' : 'resume'} in ${Math.round(retry.inMs)} ms): ${cause.message}`,
});

export const startTimeout = (kind: string, timeoutMs: number, cause?: StoreError): InformerError => ({
  _tag: 'InformerStartTimeout',
  kind,
  timeoutMs,
  ...(cause === undefined ? {} : { cause }),
  message: `informer of ${kind} could not list within ${timeoutMs} ms${cause ? `: ${cause.message}` : ' (no answer)'}`,
});

export const startFailed = (kind: string, cause: StoreError): InformerError => ({
  _tag: 'InformerStartFailed',
  kind,
  cause,
  message: `informer of ${kind} cannot start: ${cause.message}`,
});

export const gaveUp = (kind: string, attempts: number, cause: StoreError): InformerError => ({
  _tag: 'InformerGaveUp',
  kind,
  attempts,
  cause,
  message: `informer of ${kind} stopped after ${attempts} consecutive failures: ${cause.message}`,
});

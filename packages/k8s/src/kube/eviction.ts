// `POST /api/v1/namespaces/<ns>/pods/<name>/eviction` with a policy/v1 Eviction: 201 (or 200) evicted,
// 404 already gone (ok), 429 TooManyRequests = a PodDisruptionBudget blocks it (EvictionBlocked with the
// budget and the server's cause), anything else the usual StoreError mapping.
import { type EvictionError, evictionBlocked, type KindInfo, type PodRef } from '@spiderpool-ts/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { objectPath } from './paths.ts';
import { asStatus, storeErrorFromException, storeErrorFromStatus } from './statusErrors.ts';
import type { KubeTransport } from './transport.ts';

interface Cause {
  reason?: string;
  message?: string;
}

const causesOf = (body: unknown): Cause[] => {
  const details = asStatus(body).details as { causes?: unknown } | undefined;
  return Array.isArray(details?.causes)
    ? details.causes.filter((c): c is Cause => typeof c === 'object' && c !== null)
    : [];
};

const budgetName = (text: string): string => /disruption budget (\S+)/.exec(text)?.[1] ?? '';

export const evictPod = (
  http: KubeTransport,
  podInfo: KindInfo,
  ref: PodRef,
): ResultAsync<void, EvictionError> => {
  const target = { kind: 'Pod', namespace: ref.namespace, name: ref.name };
  const body = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: ref.name, namespace: ref.namespace },
  };
  const path = `${objectPath(podInfo, ref)}/eviction`;
  return ResultAsync.fromPromise(http.request({ method: 'POST', path, body }), (e) =>
    storeErrorFromException(target, e),
  ).andThen((res): ResultAsync<void, EvictionError> => {
    if (res.status === 200 || res.status === 201 || res.status === 404) return okAsync(undefined);
    if (res.status === 429) {
      const cause = causesOf(res.body).find((c) => c.reason === 'DisruptionBudget');
      const reason = cause?.message ?? asStatus(res.body).message ?? 'TooManyRequests';
      return errAsync(evictionBlocked(ref, budgetName(reason), reason));
    }
    return errAsync(storeErrorFromStatus(target, res.status, res.body));
  });
};

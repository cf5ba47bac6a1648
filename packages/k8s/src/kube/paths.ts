// REST paths of the API server for a kind of the registry: `/api/v1/...` for the core group, `/apis/<g>/<v>/...`
// otherwise; `namespaces/<ns>/` for namespaced kinds.
import type { KindInfo } from '@spiderpool-ts/core';

const root = (info: KindInfo): string =>
  info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;

/** The collection (list, create, watch); all namespaces when `namespace` is absent. */
export const collectionPath = (info: KindInfo, namespace?: string): string =>
  info.namespaced && namespace
    ? `${root(info)}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`
    : `${root(info)}/${info.plural}`;

/** One object, or its `status` subresource. */
export const objectPath = (
  info: KindInfo,
  ref: { namespace: string; name: string },
  subresource?: 'status',
): string =>
  `${collectionPath(info, ref.namespace)}/${encodeURIComponent(ref.name)}${subresource ? `/${subresource}` : ''}`;

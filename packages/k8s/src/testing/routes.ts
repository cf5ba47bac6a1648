// URL -> what the emulator should do: a discovery document, or a resource request (collection, object,
// status subresource) with its namespace.
import type { ResourceTable, ServedResource } from './resources.ts';

export type Route =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'resourceList'; groupVersion: string }
  | { type: 'openapiRoot' }
  | { type: 'openapi'; path: string }
  | {
      type: 'resource';
      resource: ServedResource;
      namespace: string | undefined;
      name: string | undefined;
      subresource: 'status' | 'eviction' | undefined;
    }
  | { type: 'unknown' };

const segmentsOf = (pathname: string): string[] =>
  pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));

export const parseRoute = (table: ResourceTable, pathname: string): Route => {
  const seg = segmentsOf(pathname);
  if (seg.length === 1 && seg[0] === 'version') return { type: 'version' };
  if (seg.length === 1 && seg[0] === 'api') return { type: 'api' };
  if (seg.length === 1 && seg[0] === 'apis') return { type: 'apis' };
  if (seg[0] === 'openapi' && seg[1] === 'v3') {
    return seg.length === 2 ? { type: 'openapiRoot' } : { type: 'openapi', path: seg.slice(2).join('/') };
  }
  let groupVersion: string;
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 2) {
    groupVersion = seg[1] ?? '';
    rest = seg.slice(2);
  } else if (seg[0] === 'apis' && seg.length >= 3) {
    groupVersion = `${seg[1]}/${seg[2]}`;
    rest = seg.slice(3);
  } else return { type: 'unknown' };
  if (rest.length === 0) return { type: 'resourceList', groupVersion };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status') {
    const nested = table.find(groupVersion, rest[2] ?? '');
    if (nested?.info.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const [plural, name, sub, ...extra] = rest;
  const resource = table.find(groupVersion, plural ?? '');
  // `eviction` is served for Pods only (eviction.ts).
  const eviction = sub === 'eviction' && resource?.info.kind === 'Pod';
  if (!resource || extra.length > 0 || (sub !== undefined && sub !== 'status' && !eviction))
    return { type: 'unknown' };
  if (sub === 'status' && !resource.info.statusSubresource) return { type: 'unknown' };
  return {
    type: 'resource',
    resource,
    namespace,
    name,
    subresource: sub === 'status' ? 'status' : eviction ? 'eviction' : undefined,
  };
};

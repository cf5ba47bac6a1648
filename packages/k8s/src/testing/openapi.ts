// Minimal OpenAPI v3 documents: enough for kubectl to see that every served kind supports server-side
// field validation (the `fieldValidation` query parameter on its paths), so `kubectl apply` validates on the
// server instead of downloading full schemas. Component schemas (openapiSchemas.ts) are there for explain.
import { v3Components } from './openapiSchemas.ts';
import type { ResourceTable } from './resources.ts';

const gvPath = (groupVersion: string): string =>
  groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;

export const openapiRoot = (table: ResourceTable) => ({
  paths: Object.fromEntries(
    table
      .groupVersions()
      .map((gv) => [gvPath(gv), { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=emulator` }]),
  ),
});

const FIELD_VALIDATION = {
  name: 'fieldValidation',
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
};

/** The document of one group/version (`api/v1`, `apis/<g>/<v>`), or undefined. */
export const openapiGroupVersion = (table: ResourceTable, path: string) => {
  const served = table.all.filter((r) => gvPath(r.info.apiVersion) === path);
  if (served.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of served) {
    const gvk = { group: r.group, version: r.version, kind: r.info.kind };
    const op = (action: string) => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: [FIELD_VALIDATION],
      responses: {},
    });
    const base = `/${path}${r.info.namespaced ? '/namespaces/{namespace}' : ''}/${r.info.plural}`;
    paths[base] = { post: op('post') };
    paths[`${base}/{name}`] = { put: op('put'), patch: op('patch') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (spiderpool-ts emulator)', version: 'v1.32.0' },
    paths,
    components: { schemas: v3Components(served) },
  };
};

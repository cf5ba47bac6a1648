// Per-kind schemas for the emulator's OpenAPI documents (v3 components and v2 definitions), so `kubectl
// explain` finds every served kind by its `x-kubernetes-group-version-kind`. Spiderpool kinds get their CRD
// schema; other kinds a small outline (apiVersion, kind, metadata, spec, status) — a test double, not the
// Kubernetes API reference.
import type { JSONSchemaProps } from '../crds/schema.ts';
import type { ServedResource } from './resources.ts';

/** `io.spidernet.spiderpool.v2beta1.SpiderIPPool`, `io.k8s.api.core.v1.Pod` (kube's naming). */
export const definitionName = (r: ServedResource): string => {
  const group = r.group === '' ? 'core' : r.group;
  const reversed = group.includes('.') ? group.split('.').reverse().join('.') : `io.k8s.api.${group}`;
  return `${reversed}.${r.version}.${r.info.kind}`;
};

const OUTLINE: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation of an object.',
    },
    kind: {
      type: 'string',
      description: 'Kind is a string value representing the REST resource this object represents.',
    },
    metadata: { type: 'object', description: "Standard object's metadata." },
    spec: {
      type: 'object',
      description: 'Specification of the desired behavior (not detailed by the emulator).',
    },
    status: { type: 'object', description: 'Most recently observed status (not detailed by the emulator).' },
  },
};

export interface KindSchema {
  name: string;
  gvk: { group: string; version: string; kind: string };
  schema: JSONSchemaProps;
}

export const kindSchemas = (served: readonly ServedResource[]): KindSchema[] =>
  served.map((r) => ({
    name: definitionName(r),
    gvk: { group: r.group, version: r.version, kind: r.info.kind },
    schema: r.schema ?? {
      ...OUTLINE,
      description: `${r.info.kind} (outline served by the API-server emulator)`,
    },
  }));

/** components.schemas of an OpenAPI v3 document. */
export const v3Components = (served: readonly ServedResource[]): Record<string, unknown> =>
  Object.fromEntries(
    kindSchemas(served).map((k) => [k.name, { ...k.schema, 'x-kubernetes-group-version-kind': [k.gvk] }]),
  );

// Which Pods on this node use VFs of given resources: a container (or init container) requesting or
// limiting `<prefix>/<resourceName>` (any prefix: `spidernet.io/sriov_netdevice`, `openshift.io/...`).
// Pods are read as unknown JSON and checked field by field (no cast of outside data).
import type { KubeObject } from '@spiderpool-ts/core';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const resourceKeys = (container: unknown): string[] => {
  if (!isRecord(container) || !isRecord(container.resources)) return [];
  const { requests, limits } = container.resources;
  return [
    ...(isRecord(requests) ? Object.keys(requests) : []),
    ...(isRecord(limits) ? Object.keys(limits) : []),
  ];
};

const containersOf = (spec: Record<string, unknown>): unknown[] => [
  ...(Array.isArray(spec.containers) ? spec.containers : []),
  ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
];

export interface PodUse {
  namespace: string;
  name: string;
  resources: string[];
}

/** The Pods scheduled on `nodeName`, not finished, that ask for one of `resourceNames` (without prefix). */
export const podsUsingResources = (
  pods: readonly KubeObject[],
  nodeName: string,
  resourceNames: readonly string[],
): PodUse[] => {
  if (resourceNames.length === 0) return [];
  const wanted = new Set(resourceNames);
  const out: PodUse[] = [];
  for (const pod of pods) {
    const raw: unknown = pod;
    if (!isRecord(raw) || !isRecord(raw.spec) || raw.spec.nodeName !== nodeName) continue;
    const phase = isRecord(raw.status) ? raw.status.phase : undefined;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const used = containersOf(raw.spec)
      .flatMap(resourceKeys)
      .filter((k) => wanted.has(k.slice(k.indexOf('/') + 1)));
    if (used.length > 0)
      out.push({
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name,
        resources: [...new Set(used)].sort(),
      });
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
};

// kube-apiserver's etcd key layout: `/registry/<resource>/[<namespace>/]<name>` for the built-in groups
// (core, apps, batch: kube-apiserver stores them by resource alone) and `/registry/<group>/<resource>/...`
// for every other group (CRDs: Spiderpool's, Multus', KubeVirt's).
import type { KindInfo } from '@spiderpool-ts/core';

/** Groups kube-apiserver stores without the group segment (`/registry/pods`, `/registry/deployments`). */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch']);

/** The group of an apiVersion: "" for `v1`, `apps` for `apps/v1`. */
export const groupOf = (apiVersion: string): string => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/** `/registry/<group>/<resource>/` (or `/registry/<resource>/` for built-in groups), with the trailing slash. */
export const resourcePrefix = (prefix: string, info: KindInfo): string => {
  const group = groupOf(info.apiVersion);
  return BUILT_IN_GROUPS.has(group) ? `${prefix}/${info.plural}/` : `${prefix}/${group}/${info.plural}/`;
};

/** The prefix holding one namespace's objects, or all of the kind's when namespace is absent/cluster-scoped. */
export const listPrefix = (prefix: string, info: KindInfo, namespace: string | undefined): string =>
  info.namespaced && namespace
    ? `${resourcePrefix(prefix, info)}${namespace}/`
    : resourcePrefix(prefix, info);

/** The key of one object; `namespace` is "" for cluster-scoped kinds. */
export const objectKey = (
  prefix: string,
  info: KindInfo,
  ref: { namespace: string; name: string },
): string =>
  info.namespaced
    ? `${resourcePrefix(prefix, info)}${ref.namespace}/${ref.name}`
    : `${resourcePrefix(prefix, info)}${ref.name}`;

/** The range end covering every key that starts with `prefix` (etcd's "prefix + 1"). */
export const prefixEnd = (prefix: Buffer): Buffer => {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i] ?? 0;
    if (byte < 0xff) {
      end[i] = byte + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
};

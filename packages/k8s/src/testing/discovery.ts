// Legacy discovery documents (kubectl falls back to them when the answer is plain application/json):
// /version, /api, /apis, /api/v1, /apis/<group>/<version>.
import type { ResourceTable, ServedResource } from './resources.ts';

export const EMULATED_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-spiderpool-ts-emulator' };

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const versionInfo = () => ({
  ...EMULATED_VERSION,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
});

export const coreVersions = (serverAddress: string) => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
});

export const groupList = (table: ResourceTable) => {
  const groups = new Map<string, string[]>();
  for (const r of table.all) {
    if (r.group === '') continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => {
      const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
};

const entries = (r: ServedResource) => {
  const main = {
    name: r.info.plural,
    singularName: r.singular,
    namespaced: r.info.namespaced,
    kind: r.info.kind,
    verbs: VERBS,
    ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length > 0 ? { categories: r.categories } : {}),
  };
  if (!r.info.statusSubresource) return [main];
  const status = {
    name: `${r.info.plural}/status`,
    singularName: '',
    namespaced: r.info.namespaced,
    kind: r.info.kind,
    verbs: ['get', 'patch', 'update'],
  };
  return [main, status];
};

/** APIResourceList of one group/version, or undefined when nothing is served there. */
export const resourceList = (table: ResourceTable, groupVersion: string) => {
  const served = table.all.filter((r) => r.info.apiVersion === groupVersion);
  if (served.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: served.flatMap(entries) };
};

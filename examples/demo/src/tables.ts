// `kubectl get` views of the store, with Spiderpool's printer columns (reference §1).
import type { Pod, SpiderEndpoint, SpiderIPPool, Store } from '@spiderpool-ts/core';
import type { Printer } from './printer.ts';

const items = async <T extends { kind: string }>(store: Store, kind: string): Promise<T[]> => {
  const r = await store.list<T & { apiVersion: string; metadata: { name: string } }>(kind);
  return r.isOk() ? r.value.items : [];
};

export const getPools = async (p: Printer, store: Store): Promise<SpiderIPPool[]> => {
  const pools = await items<SpiderIPPool>(store, 'SpiderIPPool');
  p.info('$ kubectl get spiderippool');
  p.table(
    ['NAME', 'VERSION', 'SUBNET', 'ALLOCATED-IP-COUNT', 'TOTAL-IP-COUNT', 'DEFAULT', 'DISABLE'],
    pools.map((x) => [
      x.metadata.name,
      String(x.spec.ipVersion ?? ''),
      x.spec.subnet,
      String(x.status?.allocatedIPCount ?? ''),
      String(x.status?.totalIPCount ?? ''),
      String(x.spec.default ?? false),
      String(x.spec.disable ?? false),
    ]),
  );
  return pools;
};

export const getEndpoints = async (p: Printer, store: Store): Promise<SpiderEndpoint[]> => {
  const eps = await items<SpiderEndpoint>(store, 'SpiderEndpoint');
  p.info('$ kubectl get spiderendpoints');
  p.table(
    ['NAME', 'INTERFACE', 'IPV4POOL', 'IPV4', 'IPV6POOL', 'IPV6', 'NODE'],
    eps.map((e) => {
      const ip = e.status.current.ips[0];
      return [
        e.metadata.name,
        ip?.interface ?? '',
        ip?.ipv4Pool ?? '',
        ip?.ipv4 ?? '',
        ip?.ipv6Pool ?? '',
        ip?.ipv6 ?? '',
        e.status.current.node,
      ];
    }),
  );
  return eps;
};

export const getPods = async (p: Printer, store: Store, label: string): Promise<Pod[]> => {
  const [key, value] = label.split('=') as [string, string];
  const r = await store.list<Pod>('Pod', { labelSelector: { matchLabels: { [key]: value } } });
  const pods = r.isOk() ? r.value.items : [];
  p.info(`$ kubectl get pod -l ${label} -owide`);
  p.table(
    ['NAME', 'STATUS', 'IP', 'NODE'],
    pods.map((x) => [
      x.metadata.name,
      x.status?.phase ?? '',
      x.status?.podIPs?.[0]?.ip ?? '<none>',
      x.spec?.nodeName ?? '',
    ]),
  );
  return pods;
};

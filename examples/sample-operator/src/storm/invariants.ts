// The storm's end state, read from the API server's store and checked against what the kubelet stand-in
// knows (which Pods live, with which UID, and what their last ADD answered). Every finding is one line; an
// empty list means: no IP twice, no record or endpoint without its live Pod, every live Pod holds exactly
// the IP it was given, and every pool's status counts what its records say.
import { decodeAllocatedIPs, type SpiderEndpoint, type SpiderIPPool, type Store } from '@spiderpool-ts/core';

export interface LivePod {
  uid: string;
  /** Bare IPv4 of the last successful ADD. */
  ip: string;
  /** The pool the Pod's annotation names. */
  pool: string;
}

export interface StormFacts {
  /** `namespace/name` -> the live Pod. */
  live: ReadonlyMap<string, LivePod>;
  /** `namespace/name` of every Pod deleted during the run (not re-created). */
  deleted: ReadonlySet<string>;
  /** pool name -> IPs its spec.ips hold (the expected totalIPCount). */
  poolSizes: ReadonlyMap<string, number>;
}

export interface StormState {
  endpoints: number;
  records: number;
  problems: string[];
}

const bare = (cidr: string): string => cidr.split('/')[0] ?? cidr;

export const checkStormState = async (store: Store, facts: StormFacts): Promise<StormState> => {
  const problems: string[] = [];
  const eps = await store.list<SpiderEndpoint>('SpiderEndpoint');
  const pools = await store.list<SpiderIPPool>('SpiderIPPool');
  if (eps.isErr() || pools.isErr()) return { endpoints: 0, records: 0, problems: ['list failed'] };

  // Endpoints: one per live Pod, its UID, the IP its ADD answered; none for a deleted Pod; no IP twice.
  const endpointIP = new Map<string, string>();
  const byIP = new Map<string, string>();
  for (const ep of eps.value.items) {
    const key = `${ep.metadata.namespace ?? ''}/${ep.metadata.name}`;
    const pod = facts.live.get(key);
    const ips = (ep.status?.current?.ips ?? []).map((d) => bare(d.ipv4 ?? ''));
    if (pod === undefined) {
      problems.push(
        `endpoint ${key} (${ips.join(',')}) has no live Pod${facts.deleted.has(key) ? ' (deleted)' : ''}`,
      );
    } else if (ep.status?.current?.uid !== pod.uid) {
      problems.push(`endpoint ${key} carries uid ${ep.status?.current?.uid}, the Pod has ${pod.uid}`);
    } else if (ips.length !== 1 || ips[0] !== pod.ip) {
      problems.push(`endpoint ${key} holds [${ips.join(',')}], its last ADD answered ${pod.ip}`);
    }
    for (const ip of ips) {
      const other = byIP.get(ip);
      if (other !== undefined) problems.push(`duplicate IP ${ip}: endpoints ${other} and ${key}`);
      byIP.set(ip, key);
    }
    endpointIP.set(key, ips[0] ?? '');
  }
  for (const [key] of facts.live)
    if (!endpointIP.has(key)) problems.push(`live Pod ${key} has no SpiderEndpoint`);

  // Pool records: each a live Pod's, same UID, the IP its endpoint lists, in the pool it asked for; the
  // counts and the record map agree; a Pod holds one record in all.
  let records = 0;
  const recordIP = new Map<string, string>();
  for (const pool of pools.value.items) {
    const name = pool.metadata.name;
    const decoded = decodeAllocatedIPs(pool.status?.allocatedIPs);
    if (decoded.isErr()) {
      problems.push(`pool ${name}: allocatedIPs does not decode: ${decoded.error.message}`);
      continue;
    }
    const map = decoded.value;
    records += map.size;
    if ((pool.status?.allocatedIPCount ?? 0) !== map.size)
      problems.push(
        `pool ${name}: allocatedIPCount ${pool.status?.allocatedIPCount} but ${map.size} records`,
      );
    const total = facts.poolSizes.get(name);
    if (total !== undefined && pool.status?.totalIPCount !== total)
      problems.push(`pool ${name}: totalIPCount ${pool.status?.totalIPCount}, expected ${total}`);
    for (const [ip, rec] of map) {
      const pod = facts.live.get(rec.pod);
      if (pod === undefined) {
        problems.push(
          `leaked IP ${ip} in ${name}: record of ${rec.pod}${facts.deleted.has(rec.pod) ? ' (deleted)' : ' (unknown)'}`,
        );
        continue;
      }
      if (rec.podUid !== pod.uid) problems.push(`leaked IP ${ip} in ${name}: ${rec.pod} with a stale uid`);
      else if (pod.pool !== name)
        problems.push(`${rec.pod} holds ${ip} in ${name}, it asked for ${pod.pool}`);
      else if (endpointIP.get(rec.pod) !== ip)
        problems.push(`${rec.pod} holds ${ip} in ${name}; its endpoint lists ${endpointIP.get(rec.pod)}`);
      const other = recordIP.get(rec.pod);
      if (other !== undefined) problems.push(`${rec.pod} holds two records: ${other} and ${ip}`);
      recordIP.set(rec.pod, ip);
    }
  }
  for (const [key, pod] of facts.live)
    if (recordIP.get(key) !== pod.ip)
      problems.push(`live Pod ${key}: no record for ${pod.ip} in ${pod.pool}`);
  return { endpoints: eps.value.items.length, records, problems };
};

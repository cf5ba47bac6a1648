// `spiderpool-ts audit`: cross-checks what the pools record against the SpiderEndpoints, Pods and Nodes, as
// pure functions of the objects (the command lists them from any Store). Each finding is a tagged value with
// the objects it names; an empty list means the cluster's IPAM state is consistent.
import {
  decodeAllocatedIPs,
  isBlockPool,
  type Node,
  type Pod,
  parseIP,
  parsePoolRanges,
  rangeSetContains,
  recordsOfBlocks,
  type SpiderEndpoint,
  type SpiderIPBlock,
  type SpiderIPPool,
} from '@spiderpool-ts/core';

export type AuditFinding =
  /** A pool record whose Pod is gone (or is another Pod of the same name now): the IP is taken by nobody. */
  | {
      readonly _tag: 'LeakedIP';
      readonly pool: string;
      readonly ip: string;
      readonly pod: string;
      readonly detail: string;
    }
  /** One address recorded more than once: in two pools, or in two endpoints. */
  | {
      readonly _tag: 'DuplicateIP';
      readonly ip: string;
      readonly holders: readonly string[];
      readonly detail: string;
    }
  /** An endpoint's IP that its pool does not record for that Pod. */
  | {
      readonly _tag: 'EndpointWithoutPoolRecord';
      readonly endpoint: string;
      readonly pool: string;
      readonly ip: string;
      readonly detail: string;
    }
  /** More records than usable addresses, a record outside the usable ranges, or a count that disagrees. */
  | { readonly _tag: 'PoolOverCapacity'; readonly pool: string; readonly detail: string }
  | {
      readonly _tag: 'RecordOutsidePool';
      readonly pool: string;
      readonly ip: string;
      readonly detail: string;
    }
  | { readonly _tag: 'CountMismatch'; readonly pool: string; readonly detail: string }
  /** An endpoint on a Node that does not exist (GC reclaims it once the node is gone for good). */
  | {
      readonly _tag: 'EndpointOnMissingNode';
      readonly endpoint: string;
      readonly node: string;
      readonly detail: string;
    }
  /** A pool whose status cannot be decoded: nothing else about it can be checked. */
  | { readonly _tag: 'UnreadablePoolStatus'; readonly pool: string; readonly detail: string };

export interface AuditInput {
  readonly pools: readonly SpiderIPPool[];
  readonly endpoints: readonly SpiderEndpoint[];
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  /** The SpiderIPBlocks of pools in the blocks format (core ADR 0029); their records are the pool's. */
  readonly blocks?: readonly SpiderIPBlock[];
}

type PoolRecords = ReadonlyMap<string, { pod: string; podUid: string }>;

/** A pool's records: its status, or its blocks for a pool in the blocks format. */
const recordsOf = (
  pool: SpiderIPPool,
  blocks: readonly SpiderIPBlock[],
): { ok: true; value: PoolRecords } | { ok: false; detail: string } => {
  if (isBlockPool(pool)) {
    const mine = blocks.filter((b) => b.spec?.pool === pool.metadata.name);
    const r = recordsOfBlocks(pool, mine);
    return r.isOk()
      ? { ok: true, value: new Map(r.value.map((x) => [x.ip, { pod: x.pod, podUid: x.podUid }])) }
      : { ok: false, detail: r.error.message };
  }
  const d = decodeAllocatedIPs(pool.status?.allocatedIPs);
  return d.isOk() ? { ok: true, value: d.value } : { ok: false, detail: d.error.message };
};

const bare = (cidr: string): string => cidr.split('/')[0] ?? cidr;
const keyOf = (o: { metadata: { namespace?: string; name: string } }): string =>
  `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Every inconsistency, in a stable order (pools by name, then endpoints). */
export function auditIpam(input: AuditInput): AuditFinding[] {
  const out: AuditFinding[] = [];
  const pods = new Map(input.pods.map((p) => [keyOf(p), p]));
  const nodes = new Set(input.nodes.map((n) => n.metadata.name));
  const holders = new Map<string, string[]>();
  const hold = (ip: string, who: string): void => {
    const list = holders.get(ip) ?? [];
    list.push(who);
    holders.set(ip, list);
  };
  const records = new Map<string, ReadonlyMap<string, { pod: string; podUid: string }>>();

  for (const pool of [...input.pools].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const name = pool.metadata.name;
    const decoded = recordsOf(pool, input.blocks ?? []);
    if (!decoded.ok) {
      out.push({ _tag: 'UnreadablePoolStatus', pool: name, detail: decoded.detail });
      continue;
    }
    records.set(name, decoded.value);
    const ranges = parsePoolRanges(pool.spec.subnet, pool.spec.ips ?? [], pool.spec.excludeIPs ?? []);
    const count = decoded.value.size;
    if (ranges.isOk() && BigInt(count) > ranges.value.total) {
      out.push({
        _tag: 'PoolOverCapacity',
        pool: name,
        detail: `${count} IPs recorded, ${ranges.value.total} usable`,
      });
    }
    if (pool.status?.allocatedIPCount !== undefined && pool.status.allocatedIPCount !== count) {
      out.push({
        _tag: 'CountMismatch',
        pool: name,
        detail: `status.allocatedIPCount is ${pool.status.allocatedIPCount}, ${count} records in ${isBlockPool(pool) ? 'its SpiderIPBlocks' : 'allocatedIPs'}`,
      });
    }
    for (const [ip, rec] of decoded.value) {
      hold(ip, `pool ${name}`);
      const addr = parseIP(ip);
      if (ranges.isOk() && (addr.isErr() || !rangeSetContains(ranges.value.available, addr.value.value))) {
        out.push({
          _tag: 'RecordOutsidePool',
          pool: name,
          ip,
          detail: `not in ips minus excludeIPs (${rec.pod})`,
        });
      }
      const pod = pods.get(rec.pod);
      if (pod === undefined) {
        out.push({ _tag: 'LeakedIP', pool: name, ip, pod: rec.pod, detail: `Pod ${rec.pod} does not exist` });
      } else if (rec.podUid !== '' && pod.metadata.uid !== undefined && pod.metadata.uid !== rec.podUid) {
        out.push({
          _tag: 'LeakedIP',
          pool: name,
          ip,
          pod: rec.pod,
          detail: `recorded for Pod UID ${rec.podUid}, the Pod ${rec.pod} now has UID ${pod.metadata.uid}`,
        });
      }
    }
  }

  const endpointHolders = new Map<string, string[]>();
  for (const ep of [...input.endpoints].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))) {
    const key = keyOf(ep);
    const current = ep.status?.current;
    if (current === undefined) continue;
    if (current.node !== '' && !nodes.has(current.node)) {
      out.push({
        _tag: 'EndpointOnMissingNode',
        endpoint: key,
        node: current.node,
        detail: `Node ${current.node} does not exist`,
      });
    }
    for (const d of current.ips ?? []) {
      for (const [cidr, pool] of [
        [d.ipv4, d.ipv4Pool],
        [d.ipv6, d.ipv6Pool],
      ] as const) {
        if (cidr === undefined || cidr === '') continue;
        const ip = bare(cidr);
        const list = endpointHolders.get(ip) ?? [];
        list.push(`endpoint ${key}`);
        endpointHolders.set(ip, list);
        const rec = pool === undefined ? undefined : records.get(pool)?.get(ip);
        if (rec === undefined || rec.pod !== key) {
          out.push({
            _tag: 'EndpointWithoutPoolRecord',
            endpoint: key,
            pool: pool ?? '',
            ip,
            detail:
              rec === undefined
                ? `pool ${pool ?? '(none)'} has no record of ${ip}`
                : `pool ${pool} records ${ip} for ${rec.pod}`,
          });
        }
      }
    }
  }

  for (const [ip, list] of [...holders, ...endpointHolders]) {
    if (list.length > 1)
      out.push({ _tag: 'DuplicateIP', ip, holders: list, detail: `recorded by ${list.join(', ')}` });
  }
  return out;
}

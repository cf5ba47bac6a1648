// The CNI ADD answer and the conversions between what was allocated (AllocatedIP), what the SpiderEndpoint
// records (IPAllocationDetail, §1.3) and what CNI gets back: per IP a default route via the pool gateway
// unless cleanGateway, plus pool routes, plus the Pod's `ipam.spidernet.io/routes` routes of this NIC
// (`convert.ConvertResultsToIPConfigsAndAllRoutes`).
import type { IPAllocationDetail, Route } from '../api/index.ts';
import type { IPVersion } from '../ip/index.ts';
import type { AllocatedIP } from './types.ts';

export interface IpamAddResult {
  /** CNI_IFNAME of the request. */
  interface: string;
  /** This NIC's addresses (one per family), `address` = `ip/prefix`. */
  ips: AllocatedIP[];
  /** Default routes (unless cleanGateway), pool routes and annotation routes of this NIC, deduplicated. */
  routes: Route[];
}

const familyOf = (r: Route): IPVersion => (r.dst.includes(':') || r.gw.includes(':') ? 6 : 4);

/** One endpoint entry for one NIC from its (one or two) allocated IPs, fields in §1.3 order. */
export const toEndpointDetail = (nic: string, ips: readonly AllocatedIP[]): IPAllocationDetail => {
  const d: IPAllocationDetail = { interface: nic };
  const v4 = ips.find((i) => i.version === 4);
  const v6 = ips.find((i) => i.version === 6);
  if (v4) d.ipv4 = v4.address;
  if (v6) d.ipv6 = v6.address;
  if (v4) d.ipv4Pool = v4.pool;
  if (v6) d.ipv6Pool = v6.pool;
  d.vlan = 0;
  if (v4?.gateway !== undefined) d.ipv4Gateway = v4.gateway;
  if (v6?.gateway !== undefined) d.ipv6Gateway = v6.gateway;
  if (d.ipv4Gateway !== undefined || d.ipv6Gateway !== undefined)
    d.cleanGateway = ips[0]?.cleanGateway ?? false;
  const routes = dedupe(ips.flatMap((i) => i.routes));
  if (routes.length > 0) d.routes = routes;
  return d;
};

/** Back from an endpoint entry (a repeat ADD answers from the record). */
export const fromEndpointDetail = (d: IPAllocationDetail, nic: string): AllocatedIP[] => {
  const out: AllocatedIP[] = [];
  const routes = d.routes ?? [];
  const one = (
    version: IPVersion,
    address: string | undefined,
    pool: string | undefined,
    gw: string | undefined,
  ) => {
    if (address === undefined) return;
    const ip: AllocatedIP = {
      nic,
      version,
      address,
      pool: pool ?? '',
      cleanGateway: d.cleanGateway ?? false,
      routes: routes.filter((r) => familyOf(r) === version),
    };
    if (gw !== undefined) ip.gateway = gw;
    out.push(ip);
  };
  one(4, d.ipv4, d.ipv4Pool, d.ipv4Gateway);
  one(6, d.ipv6, d.ipv6Pool, d.ipv6Gateway);
  return out;
};

const dedupe = (routes: readonly Route[]): Route[] => {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const k = `${r.dst} ${r.gw}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** The CNI answer for one NIC. */
export const toAddResult = (ifName: string, ips: readonly AllocatedIP[]): IpamAddResult => {
  const routes: Route[] = [];
  for (const ip of ips) {
    if (ip.gateway !== undefined && !ip.cleanGateway)
      routes.push({ dst: ip.version === 4 ? '0.0.0.0/0' : '::/0', gw: ip.gateway });
  }
  for (const ip of ips) routes.push(...ip.routes);
  return { interface: ifName, ips: [...ips], routes: dedupe(routes) };
};

/** Bare IP of `ip/prefix`. */
export const bareIP = (address: string): string => address.split('/')[0] ?? address;

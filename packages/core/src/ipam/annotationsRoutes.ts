// The Pod annotation `ipam.spidernet.io/routes` (`[{"dst":"10.0.0.0/16","gw":"192.168.1.1"}]`): each item must
// be an IPv4 route (IPv4 CIDR dst, IPv4 gw) or an IPv6 one (Spiderpool `IsRouteWithoutIPVersion`; dst need not
// be canonical and the default route is allowed, as there). After allocation each route goes to the first NIC
// whose allocated subnet contains its gw (`groupCustomRoutes`); routes no NIC takes are dropped (a warning there).
import { err, ok, type Result } from 'neverthrow';
import type { Pod, Route } from '../api/index.ts';
import { ANNO_POD_ROUTES } from '../api/index.ts';
import type { IPVersion } from '../ip/index.ts';
import { type CIDR, cidrContains, type IP, isIPv4MappedValue, parseCIDR, parseIP } from '../ip/index.ts';
import { arrayOrNull, field, objectOrNull, parseJson, stringField } from './annotationsJson.ts';
import { badAnnotation, type IpamError } from './errors.ts';

/** A validated annotation route: the text as written plus its family and parsed gateway. */
export interface PodRoute {
  dst: string;
  gw: string;
  version: IPVersion;
  gateway: IP;
}

const routeFamily = (dst: string, gw: string): { version: IPVersion; gateway: IP } | undefined => {
  const d = parseCIDR(dst);
  const g = parseIP(gw);
  if (d.isErr() || g.isErr()) return undefined;
  if (g.value.version === 6 && isIPv4MappedValue(g.value.value)) return undefined;
  if (d.value.version !== g.value.version) return undefined;
  return { version: d.value.version, gateway: g.value };
};

/** Parses and validates `ipam.spidernet.io/routes`. */
export const parsePodRoutesAnnotation = (value: string): Result<PodRoute[], IpamError> => {
  const bad = (detail: string) => err(badAnnotation(ANNO_POD_ROUTES, value, detail));
  const json = parseJson(value);
  if (!json.ok) return bad(json.detail);
  const arr = arrayOrNull(json.value, 'value');
  if (!arr.ok) return bad(arr.detail);
  const out: PodRoute[] = [];
  for (const [i, item] of arr.value.entries()) {
    const obj = objectOrNull(item, `[${i}]`);
    if (!obj.ok) return bad(obj.detail);
    const dst = stringField(obj.value === undefined ? undefined : field(obj.value, 'dst'), `[${i}].dst`);
    if (!dst.ok) return bad(dst.detail);
    const gw = stringField(obj.value === undefined ? undefined : field(obj.value, 'gw'), `[${i}].gw`);
    if (!gw.ok) return bad(gw.detail);
    const fam = routeFamily(dst.value, gw.value);
    if (fam === undefined) return bad(`invalid route format 'dst: ${dst.value}, gw: ${gw.value}'`);
    out.push({ dst: dst.value, gw: gw.value, ...fam });
  }
  return ok(out);
};

/** The Pod's `ipam.spidernet.io/routes`, or [] when the annotation is absent. */
export const podRoutes = (pod: Pod): Result<PodRoute[], IpamError> => {
  const value = pod.metadata.annotations?.[ANNO_POD_ROUTES];
  return value === undefined ? ok([]) : parsePodRoutesAnnotation(value);
};

/** An allocated address of a NIC: its NIC name and the pool subnet it came from. */
export interface NicSubnet {
  nic: string;
  subnet: CIDR;
}

export interface GroupedRoutes {
  /** Routes per NIC name, in annotation order. */
  byNic: Map<string, Route[]>;
  /** Routes whose gw lies in no allocated subnet (Spiderpool logs and drops them). */
  unmatched: Route[];
}

/** `groupCustomRoutes`: each route to the first allocated subnet (in `subnets` order) containing its gw. */
export const groupPodRoutes = (routes: readonly PodRoute[], subnets: readonly NicSubnet[]): GroupedRoutes => {
  const byNic = new Map<string, Route[]>();
  const unmatched: Route[] = [];
  for (const r of routes) {
    const hit = subnets.find(
      (s) => s.subnet.version === r.version && cidrContains(s.subnet, r.gateway.value),
    );
    if (hit === undefined) {
      unmatched.push({ dst: r.dst, gw: r.gw });
      continue;
    }
    const list = byNic.get(hit.nic) ?? [];
    list.push({ dst: r.dst, gw: r.gw });
    byNic.set(hit.nic, list);
  }
  return { byNic, unmatched };
};

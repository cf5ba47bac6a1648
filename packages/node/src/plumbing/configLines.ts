// The Pod-side configuration of a moved interface as `ip -batch` lines, each paired with the line that
// undoes it. Apply order: MTU, MAC, IPv4 addresses, link up, IPv6 addresses, routes (routes need the link up and an address in
// the gateway's subnet). IPv4 addresses go before link up (announced on up with arp_notify), IPv6 ones after.
// Undo runs the applied prefix backwards: routes, IPv6 addresses, down, IPv4 addresses, MAC, MTU. IPv6
// addresses must go before the link is set down: the kernel drops them on link down (keep_addr_on_down=0),
// so a later `addr del` would fail.
import { isIP } from 'node:net';
import type { Route } from '@spiderpool-ts/core';

export interface PodConfig {
  ifName: string;
  addresses: readonly string[];
  routes: readonly Route[];
  mtu?: number | undefined;
  mac?: string | undefined;
}

export interface OriginalLink {
  mtu: number;
  mac?: string;
}

export interface ConfigLine {
  apply: string;
  undo: string;
}

const routeLine = (verb: 'add' | 'del', r: Route, dev: string): string =>
  r.gw === '' ? `route ${verb} ${r.dst} dev ${dev}` : `route ${verb} ${r.dst} via ${r.gw} dev ${dev}`;

/** Apply/undo pairs for the Pod side, in apply order. */
export const podConfigLines = (c: PodConfig, original: OriginalLink): ConfigLine[] => {
  const dev = c.ifName;
  const lines: ConfigLine[] = [];
  if (c.mtu !== undefined)
    lines.push({
      apply: `link set dev ${dev} mtu ${c.mtu}`,
      undo: `link set dev ${dev} mtu ${original.mtu}`,
    });
  if (c.mac !== undefined && original.mac !== undefined)
    lines.push({
      apply: `link set dev ${dev} address ${c.mac}`,
      undo: `link set dev ${dev} address ${original.mac}`,
    });
  // IPv4 addresses before link up, so that with arp_notify=1 the kernel's NETDEV_UP sends a gratuitous ARP for
  // them (it announces the addresses present at that moment); they survive the link going down on undo. IPv6
  // ones after up: the kernel drops them on link down, so their undo must run while the link is still up.
  const addr = (a: string): ConfigLine => ({
    apply: `addr add ${a} dev ${dev}`,
    undo: `addr del ${a} dev ${dev}`,
  });
  for (const a of c.addresses) if (!a.includes(':')) lines.push(addr(a));
  lines.push({ apply: `link set dev ${dev} up`, undo: `link set dev ${dev} down` });
  for (const a of c.addresses) if (a.includes(':')) lines.push(addr(a));
  for (const r of c.routes) lines.push({ apply: routeLine('add', r, dev), undo: routeLine('del', r, dev) });
  return lines;
};

/** Undo lines for the first `applied` lines, newest first. */
export const undoLines = (lines: readonly ConfigLine[], applied: number): string[] =>
  lines
    .slice(0, Math.max(0, Math.min(applied, lines.length)))
    .map((l) => l.undo)
    .reverse();

const isLinkLine = (line: string): boolean => line.startsWith('link ');

/**
 * The undo lines split in two batches: addresses and routes first, then the link lines (down, MAC, MTU).
 * iproute2 exits on an argument it cannot parse (`invarg`), even under `-force`, so one bad `addr del`
 * would otherwise abort the batch before the MAC and MTU are restored.
 */
export const undoBatches = (lines: readonly ConfigLine[], applied: number): string[][] => {
  const all = undoLines(lines, applied);
  return [all.filter((l) => !isLinkLine(l)), all.filter(isLinkLine)].filter((b) => b.length > 0);
};

const IFNAME = /^[^\s/:]{1,15}$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;
const CIDR = /^[0-9a-f.:]+\/\d{1,3}$/i;

/** `ip/prefix` with a parseable address and a prefix length within its family (iproute2 exits on others). */
export const checkCidr = (a: string): string | undefined => {
  if (!CIDR.test(a)) return 'expected ip/prefix';
  const [ip = '', len = ''] = a.split('/');
  const family = isIP(ip);
  if (family === 0) return 'not an IPv4 or IPv6 address';
  if (Number(len) > (family === 4 ? 32 : 128)) return `prefix length ${len} is too long for IPv${family}`;
  return undefined;
};
const TOKEN = /^[0-9a-z.:/]+$/i;

type Problem = { field: string; value: string; detail: string };

/**
 * First problem of what detach puts into `ip -batch` lines (names, original MTU/MAC/altnames): the record may
 * come from a file, and a newline or space in a name would inject or shift batch commands.
 */
export const checkDetachInput = (d: {
  hostIfName: string;
  podIfName: string;
  original?: { mtu: number; mac?: string; altnames: readonly string[] } | undefined;
}): Problem | undefined => {
  for (const [field, v] of [
    ['hostIfName', d.hostIfName],
    ['podIfName', d.podIfName],
  ] as const)
    if (!IFNAME.test(v))
      return { field, value: v, detail: 'an interface name is 1-15 chars without space, / or :' };
  const o = d.original;
  if (o === undefined) return undefined;
  if (!Number.isInteger(o.mtu) || o.mtu < 68)
    return { field: 'original.mtu', value: String(o.mtu), detail: 'an integer >= 68' };
  if (o.mac !== undefined && !MAC.test(o.mac))
    return { field: 'original.mac', value: o.mac, detail: 'expected aa:bb:cc:dd:ee:ff' };
  for (const a of o.altnames)
    if (!/^[^\s/:]{1,127}$/.test(a))
      return {
        field: 'original.altnames',
        value: a,
        detail: 'an altname is 1-127 chars without space, / or :',
      };
  return undefined;
};

/** First problem of a Pod config (names, MAC, CIDRs, route tokens), to refuse before touching anything. */
export const checkPodConfig = (
  c: PodConfig & { hostIfName: string },
): { field: string; value: string; detail: string } | undefined => {
  for (const [field, v] of [
    ['hostIfName', c.hostIfName],
    ['podIfName', c.ifName],
  ] as const)
    if (!IFNAME.test(v))
      return { field, value: v, detail: 'an interface name is 1-15 chars without space, / or :' };
  if (c.mac !== undefined && !MAC.test(c.mac))
    return { field: 'mac', value: c.mac, detail: 'expected aa:bb:cc:dd:ee:ff' };
  if (c.mtu !== undefined && (!Number.isInteger(c.mtu) || c.mtu < 68))
    return { field: 'mtu', value: String(c.mtu), detail: 'an integer >= 68' };
  for (const a of c.addresses) {
    const bad = checkCidr(a);
    if (bad !== undefined) return { field: 'addresses', value: a, detail: bad };
  }
  for (const r of c.routes)
    for (const v of [r.dst, r.gw])
      if (v !== '' && !TOKEN.test(v)) return { field: 'routes', value: v, detail: 'not an address or CIDR' };
  return undefined;
};

// The parts of `ip -j link show` plumbing needs, narrowed from unknown JSON without casts.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { badOutput, type InNetns, type Iproute, type IprouteError } from '../iproute/index.ts';

export interface IpLink {
  ifname: string;
  ifindex: number;
  mtu: number;
  address?: string;
  /** Administratively up (`UP` flag). */
  up: boolean;
  altnames: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** One entry of `ip -j link`, or undefined when it lacks a name, index or MTU. */
export const toIpLink = (v: unknown): IpLink | undefined => {
  if (!isRecord(v)) return undefined;
  const { ifname, ifindex, mtu, address } = v;
  if (typeof ifname !== 'string' || typeof ifindex !== 'number' || typeof mtu !== 'number') return undefined;
  const link: IpLink = {
    ifname,
    ifindex,
    mtu,
    up: strings(v.flags).includes('UP'),
    altnames: strings(v.altnames),
  };
  if (typeof address === 'string') link.address = address;
  return link;
};

/** Every link of a netns. */
export const listLinks = (ip: Iproute, where: InNetns): ResultAsync<IpLink[], IprouteError> =>
  ip.json(['link', 'show'], where).andThen((j) => {
    if (!Array.isArray(j))
      return errAsync(badOutput(['ip', '-j', 'link', 'show'], String(j), 'not an array'));
    return okAsync(j.map(toIpLink).filter((l): l is IpLink => l !== undefined));
  });

/** One link by name (NotFound from ip when absent). */
export const showLink = (ip: Iproute, ifName: string, where: InNetns): ResultAsync<IpLink, IprouteError> => {
  const args = ['link', 'show', 'dev', ifName];
  return ip.json(args, where).andThen((j) => {
    const link = Array.isArray(j) ? toIpLink(j[0]) : undefined;
    return link
      ? okAsync(link)
      : errAsync(badOutput(['ip', '-j', ...args], JSON.stringify(j), 'no link entry'));
  });
};

/** Whether a name is in use in a netns, as an interface name or an altname. */
export const nameInUse = (links: readonly IpLink[], name: string): boolean =>
  links.some((l) => l.ifname === name || l.altnames.includes(name));

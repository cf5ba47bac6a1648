// Moving a host interface (a VF, or a macvlan/veth stand-in) into a Pod netns and configuring it there,
// with rollback. Steps, each undone (newest first) when a later one fails:
//   1. inspect   the host link (name, MTU, MAC, admin state, altnames) and the Pod netns (name free?)
//   2. altnames  drop the link's altnames in the host netns (they travel with the device and can clash
//                with Pod names; the kernel refuses the move then) — undo: add them back
//   3. move      `link set dev <host> netns <pod> name <podIf>`: one atomic move-and-rename, so no
//                temporary name ever exists in either netns — undo: move back under the host name, up
//                again if it was up
//   4. configure one `ip -batch` in the Pod: MTU, MAC, up, addresses, routes — undo: the applied prefix
//                of those lines reversed (`ip -force -batch`)

import type { IpamAddResult, Route } from '@spiderpool-ts/core';
import { err, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { createIproute, type InNetns, type Iproute, type IprouteError } from '../iproute/index.ts';
import { checkPodConfig, podConfigLines, undoBatches } from './configLines.ts';
import {
  type AttachStep,
  attachFailed,
  badInput,
  interfaceNotFound,
  nameTaken,
  type PlumbingError,
} from './errors.ts';
import { type IpLink, listLinks, nameInUse, showLink } from './ipLink.ts';

export interface AttachOptions {
  /** Defaults to `createIproute()` (spawns `ip`). */
  iproute?: Iproute;
  /** Where the interface is now: a netns name or path; absent: this process's netns. */
  hostNetns?: string;
  /** The Pod's netns: a name or a path (CNI_NETNS). */
  podNetns: string;
  hostIfName: string;
  podIfName: string;
  /** `ip/prefix`, e.g. `10.20.168.190/16`. */
  addresses: readonly string[];
  /** `{ dst, gw }`; `gw: ''` for an on-link route. */
  routes: readonly Route[];
  mtu?: number;
  mac?: string;
  /** How to name this process's netns for the way back when `hostNetns` is absent (`/proc/<pid>/ns/net`). */
  selfNetns?: string;
  /**
   * Runs after the move and before the Pod-side batch (the link is still down there), e.g. to set the
   * interface's `arp_notify` / `ndisc_notify` sysctls so that link up announces the addresses. A failure
   * aborts the attach (step `prepare`) and rolls back.
   */
  beforeConfigure?: (podIfName: string) => ResultAsync<unknown, IprouteError>;
}

/** What was changed: keep it (e.g. as JSON next to the CNI cache) and hand it to detachInterface. */
export interface AttachRecord {
  hostNetns?: string;
  podNetns: string;
  hostIfName: string;
  podIfName: string;
  /** The host link before the move. */
  original: { mtu: number; mac?: string; up: boolean; altnames: string[] };
  addresses: string[];
  routes: Route[];
}

/** Addresses and routes of an IPAM answer, in the shape attachInterface takes. */
export const fromIpamResult = (r: IpamAddResult): { addresses: string[]; routes: Route[] } => ({
  addresses: r.ips.map((i) => i.address),
  routes: r.routes.map((x) => ({ dst: x.dst, gw: x.gw })),
});

/** Netns reference usable in `link set netns …` for the host side. */
export const hostRef = (hostNetns: string | undefined, selfNetns: string | undefined): string =>
  hostNetns ?? selfNetns ?? `/proc/${process.pid}/ns/net`;

type Undo = () => ResultAsync<unknown, IprouteError>;

/** Runs undos newest first, never stopping; answers the errors of those that failed. */
const rollback = async (undos: readonly Undo[]): Promise<IprouteError[]> => {
  const errors: IprouteError[] = [];
  for (const u of [...undos].reverse()) {
    const r = await u();
    if (r.isErr()) errors.push(r.error);
  }
  return errors;
};

const inspect = async (ip: Iproute, opts: AttachOptions): Promise<Result<IpLink, PlumbingError>> => {
  const link = await showLink(ip, opts.hostIfName, { netns: opts.hostNetns });
  if (link.isErr())
    return err(
      link.error._tag === 'NotFound'
        ? interfaceNotFound(opts.hostNetns, opts.hostIfName)
        : attachFailed('inspect', link.error, []),
    );
  const podLinks = await listLinks(ip, { netns: opts.podNetns });
  if (podLinks.isErr()) return err(attachFailed('inspect', podLinks.error, []));
  if (nameInUse(podLinks.value, opts.podIfName)) return err(nameTaken(opts.podNetns, opts.podIfName));
  return ok(link.value);
};

/**
 * After a failed move: whether the link left `gone` (its name no longer there) and sits in `there` under the
 * given name with the same MAC, i.e. the kernel moved it but did not rename it.
 */
export const strandedIn = async (
  ip: Iproute,
  where: { gone: [string, InNetns]; there: [string, InNetns] },
  link: { address?: string },
): Promise<boolean> => {
  const [goneName, goneNs] = where.gone;
  const stillHere = await showLink(ip, goneName, goneNs);
  if (stillHere.isOk() || stillHere.error._tag !== 'NotFound') return false;
  const [name, ns] = where.there;
  const found = await showLink(ip, name, ns);
  return found.isOk() && found.value.address === link.address;
};

const altnameLines = (verb: 'add' | 'del', ifName: string, names: readonly string[]): string[] =>
  names.map((a) => `link property ${verb} dev ${ifName} altname ${a}`);

const run = async (ip: Iproute, opts: AttachOptions): Promise<Result<AttachRecord, PlumbingError>> => {
  const bad = checkPodConfig({ ...opts, ifName: opts.podIfName });
  if (bad) return err(badInput(bad.field, bad.value, bad.detail));
  const inspected = await inspect(ip, opts);
  if (inspected.isErr()) return err(inspected.error);
  const link = inspected.value;
  const host = { netns: opts.hostNetns };
  const pod = { netns: opts.podNetns };
  const original: AttachRecord['original'] = { mtu: link.mtu, up: link.up, altnames: link.altnames };
  if (link.address !== undefined) original.mac = link.address;
  const undos: Undo[] = [];
  const abort = async (step: AttachStep, cause: IprouteError): Promise<Result<never, PlumbingError>> =>
    err(attachFailed(step, cause, await rollback(undos)));

  // 2. altnames
  if (link.altnames.length > 0) {
    const r = await ip.batch(altnameLines('del', opts.hostIfName, link.altnames), host);
    const dropped = r.isOk() ? link.altnames : link.altnames.slice(0, (r.error.batchLine ?? 1) - 1);
    if (dropped.length > 0)
      undos.push(() => ip.batch(altnameLines('add', opts.hostIfName, dropped), { ...host, force: true }));
    if (r.isErr()) return abort('altnames', r.error);
  }

  // 3. move and rename in one step
  const moved = await ip.exec(
    ['link', 'set', 'dev', opts.hostIfName, 'netns', opts.podNetns, 'name', opts.podIfName],
    host,
  );
  const back = hostRef(opts.hostNetns, opts.selfNetns);
  const moveBack = (nameInPod: string) => () =>
    ip
      .exec(['link', 'set', 'dev', nameInPod, 'netns', back, 'name', opts.hostIfName], pod)
      .andThen((out) =>
        original.up ? ip.exec(['link', 'set', 'dev', opts.hostIfName, 'up'], host) : okAsync(out),
      );
  if (moved.isErr()) {
    // The kernel moves first and renames second: a Pod name that appeared after the inspection makes the
    // rename fail with the link already in the Pod under its host name. Take it back from there.
    if (await strandedIn(ip, { gone: [opts.hostIfName, host], there: [opts.hostIfName, pod] }, link))
      undos.push(moveBack(opts.hostIfName));
    return abort('move', moved.error);
  }
  undos.push(moveBack(opts.podIfName));
  // 3b. hook (sysctls of the moved, still down, interface)
  if (opts.beforeConfigure !== undefined) {
    const prepared = await opts.beforeConfigure(opts.podIfName);
    if (prepared.isErr()) return abort('prepare', prepared.error);
  }

  // 4. configure in the Pod
  const lines = podConfigLines(
    { ifName: opts.podIfName, addresses: opts.addresses, routes: opts.routes, mtu: opts.mtu, mac: opts.mac },
    original,
  );
  const configured = await ip.batch(
    lines.map((l) => l.apply),
    pod,
  );
  if (configured.isErr()) {
    const applied = configured.error.batchLine === undefined ? lines.length : configured.error.batchLine - 1;
    // Addresses and routes in one batch, the link lines (down, MAC, MTU) in another: an undo line iproute2
    // cannot even parse makes it exit, and must not keep the MAC and MTU from being restored.
    for (const u of undoBatches(lines, applied).reverse())
      undos.push(() => ip.batch(u, { ...pod, force: true }));
    return abort('configure', configured.error);
  }

  const record: AttachRecord = {
    podNetns: opts.podNetns,
    hostIfName: opts.hostIfName,
    podIfName: opts.podIfName,
    original,
    addresses: [...opts.addresses],
    routes: opts.routes.map((r) => ({ dst: r.dst, gw: r.gw })),
  };
  if (opts.hostNetns !== undefined) record.hostNetns = opts.hostNetns;
  return ok(record);
};

/**
 * Moves `hostIfName` into `podNetns` as `podIfName` and sets MTU, MAC, link up, addresses and routes.
 * On any failure every step already taken is undone (newest first) and the error says whether that
 * rollback was complete.
 */
export const attachInterface = (opts: AttachOptions): ResultAsync<AttachRecord, PlumbingError> =>
  new ResultAsync(run(opts.iproute ?? createIproute(), opts));

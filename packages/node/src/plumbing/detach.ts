// Taking an interface back from a Pod netns, idempotently (kubelet repeats DEL, and the netns may be gone):
//   bad names / original values         -> BadInput before running anything (they go into batch lines)
//   netns gone                          -> ok 'netns-gone' (a VF returns to the root netns by itself)
//   no podIfName in the Pod, host has it -> ok 'already-detached'
//   neither has it                      -> ok 'not-found'
//   otherwise: in the Pod flush addresses, link down, restore MTU/MAC (when the attach record is given),
//   then move back to the host under the host name in one step, then add the altnames back and set the
//   link up if it was up before the attach.
import { err, ok, okAsync, type Result, ResultAsync } from 'neverthrow';
import { createIproute, type Iproute } from '../iproute/index.ts';
import type { AttachRecord } from './attach.ts';
import { hostRef, strandedIn } from './attach.ts';
import { checkDetachInput } from './configLines.ts';
import { badInput, detachFailed, type PlumbingError } from './errors.ts';
import { showLink } from './ipLink.ts';

export interface DetachOptions {
  iproute?: Iproute;
  hostNetns?: string;
  podNetns: string;
  podIfName: string;
  hostIfName: string;
  /** From the AttachRecord; without it MTU, MAC, altnames and admin state are not restored. */
  original?: AttachRecord['original'];
  selfNetns?: string;
}

export type DetachOutcome = 'detached' | 'netns-gone' | 'already-detached' | 'not-found';

const run = async (ip: Iproute, opts: DetachOptions): Promise<Result<DetachOutcome, PlumbingError>> => {
  const bad = checkDetachInput(opts);
  if (bad) return err(badInput(bad.field, bad.value, bad.detail));
  const host = { netns: opts.hostNetns };
  const pod = { netns: opts.podNetns };
  const inPod = await showLink(ip, opts.podIfName, pod);
  if (inPod.isErr()) {
    if (inPod.error._tag === 'NoSuchNetns') return ok('netns-gone');
    if (inPod.error._tag !== 'NotFound') return err(detachFailed('inspect', inPod.error));
    const inHost = await showLink(ip, opts.hostIfName, host);
    if (inHost.isOk()) return ok('already-detached');
    return inHost.error._tag === 'NotFound' ? ok('not-found') : err(detachFailed('inspect', inHost.error));
  }
  const dev = opts.podIfName;
  const o = opts.original;
  const lines = [`addr flush dev ${dev}`, `link set dev ${dev} down`];
  if (o !== undefined) lines.push(`link set dev ${dev} mtu ${o.mtu}`);
  if (o?.mac !== undefined) lines.push(`link set dev ${dev} address ${o.mac}`);
  const configured = await ip.batch(lines, pod);
  if (configured.isErr())
    return configured.error._tag === 'NoSuchNetns'
      ? ok('netns-gone')
      : err(detachFailed('configure', configured.error));

  const back = hostRef(opts.hostNetns, opts.selfNetns);
  const moved = await ip.exec(['link', 'set', 'dev', dev, 'netns', back, 'name', opts.hostIfName], pod);
  if (moved.isErr()) {
    if (moved.error._tag === 'NoSuchNetns') return ok('netns-gone');
    // Moved but not renamed (the host name is taken again): the link sits in the host under the Pod's name,
    // where no later DEL would look. Put it back into the Pod so that a retried DEL finds it there.
    const mac = o?.mac ?? inPod.value.address;
    if (
      await strandedIn(
        ip,
        { gone: [dev, pod], there: [dev, host] },
        mac === undefined ? {} : { address: mac },
      )
    )
      await ip.exec(['link', 'set', 'dev', dev, 'netns', opts.podNetns], host);
    return err(detachFailed('move', moved.error));
  }

  const restore = [
    ...(o?.altnames ?? []).map((a) => `link property add dev ${opts.hostIfName} altname ${a}`),
    ...(o?.up ? [`link set dev ${opts.hostIfName} up`] : []),
  ];
  const restored = restore.length === 0 ? okAsync('') : ip.batch(restore, host);
  return (await restored).map((): DetachOutcome => 'detached').mapErr((e) => detachFailed('restore', e));
};

/** Moves the interface back to the host netns under its host name; success when there is nothing to do. */
export const detachInterface = (opts: DetachOptions): ResultAsync<DetachOutcome, PlumbingError> =>
  new ResultAsync(run(opts.iproute ?? createIproute(), opts));

// The agent's memory of the attachments it served (CNI ADD answered 200), for CNI 1.1.0 GC: the runtime
// lists the attachments it still has, the agent releases the ones it served that are not listed. Keyed by
// Pod + interface: a new sandbox of the same Pod (new containerID, same IP kept by the engine) replaces the
// old entry, so a GC naming only the new sandbox never releases the IP the new sandbox uses. In memory
// only: after an agent restart, attachments served before are left to Spiderpool's own GC (core gc/).
import type { IpamRequest } from '@spiderpool-ts/core';
import type { ValidAttachmentWire } from './protocol.ts';

export interface AttachmentLedger {
  record(req: IpamRequest): void;
  /** DEL of the attachment (only when the containerID matches the recorded one). */
  forget(req: IpamRequest): void;
  /** The recorded attachments not in `valid`, removed from the ledger. */
  takeStale(valid: readonly ValidAttachmentWire[]): IpamRequest[];
  size(): number;
}

const keyOf = (r: IpamRequest): string => `${r.podNamespace}/${r.podName}/${r.ifName}`;

export const createAttachmentLedger = (): AttachmentLedger => {
  const byPod = new Map<string, IpamRequest>();
  return {
    record: (req) => {
      byPod.set(keyOf(req), req);
    },
    forget: (req) => {
      const k = keyOf(req);
      if (byPod.get(k)?.containerID === req.containerID) byPod.delete(k);
    },
    takeStale: (valid) => {
      const ok = new Set(valid.map((v) => `${v.containerID}\u0000${v.ifname}`));
      const stale: IpamRequest[] = [];
      for (const [k, r] of byPod)
        if (!ok.has(`${r.containerID}\u0000${r.ifName}`)) {
          stale.push(r);
          byPod.delete(k);
        }
      return stale;
    },
    size: () => byPod.size,
  };
};

// `POST /v1/ipam/gc` { validAttachments }: the CNI 1.1.0 GC of the `spiderpool` IPAM plugin reaches the agent
// here. Every attachment this agent served that the runtime no longer lists is released as a DEL would
// (engine.release: an alive Pod keeps its IPs, as Spiderpool's DEL does; a deleted Pod's IPs are freed).
import type { IpamEngine } from '@spiderpool-ts/core';
import { isObject } from '../json/checks.ts';
import type { AttachmentLedger } from './attachmentLedger.ts';
import type { AgentHttpReply } from './handlers.ts';
import { type AgentGcAnswer, decodeValidAttachments } from './protocol.ts';

export const handleGcRequest = async (
  engine: IpamEngine,
  ledger: AttachmentLedger,
  body: unknown,
): Promise<AgentHttpReply> => {
  if (!isObject(body))
    return { status: 400, body: { _tag: 'BadRequest', message: 'body is not a JSON object' } };
  const valid = decodeValidAttachments(body.validAttachments);
  if (valid.isErr())
    return { status: 400, body: { _tag: 'BadRequest', message: `validAttachments: ${valid.error}` } };
  const stale = ledger.takeStale(valid.value);
  const released: AgentGcAnswer['released'] = [];
  for (const req of stale) {
    const r = await engine.release(req);
    if (r.isErr()) {
      ledger.record(req); // keep it for the next GC
      return { status: 500, body: { _tag: r.error._tag, message: r.error.message } };
    }
    released.push({
      containerID: req.containerID,
      ifName: req.ifName,
      podNamespace: req.podNamespace,
      podName: req.podName,
    });
  }
  return { status: 200, body: { released } satisfies AgentGcAnswer };
};

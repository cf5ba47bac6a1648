// CNI 1.1.0 STATUS and GC of the `spiderpool` IPAM plugin (Spiderpool's own plugin predates them).
//   STATUS: the agent answers `GET /v1/ipam/healthy` → success; otherwise code 50 (not available), so the
//           runtime holds ADDs back instead of failing Pods one by one.
//   GC:     `cni.dev/valid-attachments` (required: an absent list would read as "nothing is valid") is sent to
//           the agent's `POST /v1/ipam/gc`, which releases the attachments it served that are not listed.
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import {
  AGENT_PATHS,
  decodeErrorBody,
  decodeValidAttachments,
  type ValidAttachmentWire,
} from '../agent/protocol.ts';
import type { AgentTransport } from './agentClient.ts';
import {
  agentProtocol,
  agentRefused,
  type CniError,
  decodeFailure,
  invalidNetConf,
  pluginUnavailable,
} from './errors.ts';
import type { IpamNetConf } from './netconf.ts';

export const VALID_ATTACHMENTS_KEY = 'cni.dev/valid-attachments';

export const runStatus = (conf: IpamNetConf, transport: AgentTransport): ResultAsync<string, CniError> => {
  const socket = conf.ipam.ipam_unix_socket_path;
  return transport(socket, { method: 'GET', path: AGENT_PATHS.healthy })
    .mapErr((e) => (e._tag === 'AgentUnreachable' ? pluginUnavailable(socket, e.detail) : e))
    .andThen((r) =>
      r.status === 200
        ? okAsync('')
        : errAsync(pluginUnavailable(socket, `healthy answered HTTP ${r.status}`)),
    );
};

/** The valid attachments of a GC config (raw stdin object). */
const validAttachmentsOf = (stdin: string): ResultAsync<ValidAttachmentWire[], CniError> => {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch {
    raw = undefined;
  }
  const list =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? (raw as Record<string, unknown>)[VALID_ATTACHMENTS_KEY]
      : undefined;
  if (list === undefined) return errAsync(invalidNetConf(VALID_ATTACHMENTS_KEY, 'required for GC'));
  const decoded = decodeValidAttachments(list);
  return decoded.isErr()
    ? errAsync(decodeFailure(VALID_ATTACHMENTS_KEY, decoded.error))
    : okAsync(decoded.value);
};

export const runGc = (
  conf: IpamNetConf,
  stdin: string,
  transport: AgentTransport,
): ResultAsync<string, CniError> =>
  validAttachmentsOf(stdin).andThen((validAttachments) =>
    transport(conf.ipam.ipam_unix_socket_path, {
      method: 'POST',
      path: AGENT_PATHS.gc,
      body: { validAttachments },
    }).andThen((r) => {
      if (r.status === 200) return okAsync('');
      const e = decodeErrorBody(r.body);
      return errAsync(
        e === undefined
          ? agentProtocol(r.status, 'GC answer without an error body')
          : agentRefused('GC', e._tag, e.message),
      );
    }),
  );

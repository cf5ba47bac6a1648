// The node agent: the IPAM engine behind a unix-socket HTTP server, and the wire protocol it shares with the
// `spiderpool` CNI plugin.
export type { AttachmentLedger } from './attachmentLedger.ts';
export { createAttachmentLedger } from './attachmentLedger.ts';
export type { CoordinatorConfigQuery } from './coordinatorConfig.ts';
export { coordinatorQueryOf, handleCoordinatorConfig } from './coordinatorConfig.ts';
export type { CoordinatorConfigAnswer } from './coordinatorProtocol.ts';
export {
  CNI_COMMAND_HEADER,
  COORDINATOR_CONFIG_PATH,
  decodeCoordinatorConfig,
} from './coordinatorProtocol.ts';
export type { AgentError, AgentErrorTag } from './errors.ts';
export { handleGcRequest } from './gcHandler.ts';
export type { AgentHttpReply, AgentHttpRequest } from './handlers.ts';
export { handleAgentRequest } from './handlers.ts';
export type { IpamAgent, IpamAgentOptions } from './ipamAgent.ts';
export { MAX_SOCKET_PATH_BYTES, startIpamAgent } from './ipamAgent.ts';
export type {
  AddAnswer,
  AgentErrorBody,
  AgentGcAnswer,
  AgentGcRequest,
  AgentIpamRequest,
  ValidAttachmentWire,
  WireIpamConfig,
} from './protocol.ts';
export {
  AGENT_PATHS,
  decodeAddAnswer,
  decodeErrorBody,
  decodeIpamRequest,
  decodeValidAttachments,
} from './protocol.ts';

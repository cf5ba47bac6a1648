// Errors of the node agent's socket server. Tagged union; `message` derived from the fields.

export type AgentError =
  | { _tag: 'SocketSetupFailed'; socketPath: string; detail: string; message: string }
  | { _tag: 'ListenFailed'; socketPath: string; code: string; detail: string; message: string };

export type AgentErrorTag = AgentError['_tag'];

export const socketSetupFailed = (socketPath: string, detail: string): AgentError => ({
  _tag: 'SocketSetupFailed',
  socketPath,
  detail,
  message: `cannot prepare the agent socket ${socketPath}: ${detail}`,
});

export const listenFailed = (socketPath: string, code: string, detail: string): AgentError => ({
  _tag: 'ListenFailed',
  socketPath,
  code,
  detail,
  message: `cannot listen on ${socketPath} (${code}): ${detail}`,
});

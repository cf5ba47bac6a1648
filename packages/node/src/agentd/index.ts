// agentd/: the node agent as a process (`spiderpool-agent`): flags, and the start over KubernetesStore.
export type { AgentFlags, AgentFlagsError, AgentFlagsOutcome } from './agentFlags.ts';
export { AGENT_HELP, DEFAULT_AGENT_SOCKET, parseAgentFlags } from './agentFlags.ts';
export type { AgentProcess, AgentProcessError, AgentProcessOptions } from './agentProcess.ts';
export { startAgentProcess } from './agentProcess.ts';

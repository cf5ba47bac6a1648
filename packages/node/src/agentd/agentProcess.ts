// The agent as a long-running process over the API server: KubernetesStore -> informers for everything an
// ADD/DEL reads (core's createEngineStore: reads from caches, compare-and-swap writes to the server) -> the
// IPAM engine behind the unix socket. Start is all or nothing with typed errors; `close()` undoes it.
import {
  type CachedStoreStats,
  createEngineStore,
  type InformerError,
  type InformerHealth,
  type IpamSettings,
} from '@spiderpool-ts/core';
import { createKubernetesStore, createNodeInformerSet, type KubeConfigError } from '@spiderpool-ts/k8s';
import { errAsync, type ResultAsync } from 'neverthrow';
import type { AgentError } from '../agent/errors.ts';
import { type IpamAgent, startIpamAgent } from '../agent/ipamAgent.ts';
import type { AgentFlags } from './agentFlags.ts';

export type AgentProcessError = KubeConfigError | InformerError | AgentError;

export interface AgentProcessOptions extends AgentFlags {
  settings?: Partial<IpamSettings>;
  /** Informer failures and recoveries as they happen (the process logs them). */
  onInformerError?: (e: InformerError) => void;
  /** API request timeout, ms (default 30 000). */
  requestTimeoutMs?: number;
}

export interface AgentProcess {
  readonly agent: IpamAgent;
  health(): InformerHealth[];
  readonly cacheStats: CachedStoreStats;
  close(): Promise<void>;
}

export const startAgentProcess = (
  options: AgentProcessOptions,
): ResultAsync<AgentProcess, AgentProcessError> => {
  const opened = createKubernetesStore({
    ...(options.kubeconfig === undefined ? {} : { kubeConfig: options.kubeconfig }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  if (opened.isErr()) return errAsync(opened.error);
  const informers = createNodeInformerSet(opened.value, {
    startTimeoutMs: options.startTimeoutMs,
    ...(options.onInformerError === undefined ? {} : { onError: options.onInformerError }),
  });
  const store = createEngineStore(opened.value, informers);
  return informers
    .start()
    .mapErr((e): AgentProcessError => e)
    .andThen(() =>
      startIpamAgent({
        store,
        nodeName: options.nodeName,
        socketPath: options.socketPath,
        ...(options.settings === undefined ? {} : { settings: options.settings }),
      }).mapErr((e): AgentProcessError => {
        informers.stop();
        return e;
      }),
    )
    .map((agent) => ({
      agent,
      health: () => informers.health(),
      cacheStats: store.stats,
      close: async () => {
        await agent.close();
        informers.stop();
      },
    }));
};

// Keep-alive agents by TLS options. client-node's authentication step makes a new http(s).Agent for every
// request, so no connection would ever be reused (a TCP connect, and for HTTPS a TLS handshake, per request);
// the pool swaps in one keep-alive agent per distinct set of TLS options instead (proxy agents are left as
// client-node made them).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';

/** The TLS options of an agent client-node made: what decides whether two agents are interchangeable. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

const optionText = (v: unknown): string => {
  if (v === undefined) return '';
  if (Buffer.isBuffer(v)) return `b:${v.toString('base64')}`;
  if (Array.isArray(v)) return `[${v.map(optionText).join(',')}]`;
  return `${typeof v}:${String(v)}`;
};

export interface AgentPool {
  /** The agent to use instead of the one client-node made. */
  pick: (made: HttpAgent | undefined) => HttpAgent | undefined;
  /** Agents made so far (for tests). */
  readonly size: number;
  destroy: () => void;
}

/**
 * One keep-alive agent per distinct set of TLS options (credentials rotated by an exec plugin or a reloaded
 * kubeconfig get a new one).
 */
export const createAgentPool = (): AgentPool => {
  const agents = new Map<string, HttpAgent>();
  return {
    pick: (made) => {
      // Exact classes only: hpagent's proxy agents extend https.Agent and must stay as they are.
      const plain =
        made instanceof HttpAgent && (made.constructor === HttpAgent || made.constructor === HttpsAgent);
      if (!plain) return made;
      const https = made.constructor === HttpsAgent;
      // `options` is what the agent was constructed with (public on Node's Agent, absent from its types).
      const options = ((made as { options?: HttpsAgentOptions }).options ?? {}) as HttpsAgentOptions;
      const key = `${https ? 'https' : 'http'}|${TLS_FIELDS.map((f) => optionText(options[f])).join('|')}`;
      let agent = agents.get(key);
      if (agent === undefined) {
        const tls: HttpsAgentOptions = {};
        for (const f of TLS_FIELDS) if (options[f] !== undefined) Object.assign(tls, { [f]: options[f] });
        agent = https
          ? new HttpsAgent({ ...tls, keepAlive: true, scheduling: 'lifo' })
          : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
        agents.set(key, agent);
      }
      return agent;
    },
    get size() {
      return agents.size;
    },
    destroy: () => {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
};

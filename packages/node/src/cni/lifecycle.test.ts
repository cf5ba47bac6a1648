// CNI 1.1.0 STATUS and GC of the IPAM plugin against a scripted agent.
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { AgentCall, AgentReply, AgentTransport } from './agentClient.ts';
import { agentUnreachable } from './errors.ts';
import { runIpamPlugin } from './plugin.ts';

const conf = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    cniVersion: '1.1.0',
    name: 'macvlan-test',
    type: 'macvlan',
    ipam: { type: 'spiderpool', ipam_unix_socket_path: '/tmp/agent.sock' },
    ...extra,
  });

const run = async (command: string, stdin: string, reply: AgentReply | 'down') => {
  const calls: { socket: string; call: AgentCall }[] = [];
  const transport: AgentTransport = (socket, call) => {
    calls.push({ socket, call });
    return reply === 'down' ? errAsync(agentUnreachable(socket, 'ECONNREFUSED')) : okAsync(reply);
  };
  // STATUS and GC carry no container, netns or interface (CNI 1.1.0).
  const out = await runIpamPlugin({
    env: { CNI_COMMAND: command, CNI_PATH: '/opt/cni/bin' },
    stdin,
    transport,
  });
  return {
    ...out,
    json: out.stdout === '' ? undefined : (JSON.parse(out.stdout) as Record<string, unknown>),
    calls,
  };
};

describe('STATUS', () => {
  it('succeeds when the agent is healthy', async () => {
    const r = await run('STATUS', conf(), { status: 200, body: { status: 'ok' } });
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.calls).toEqual([
      { socket: '/tmp/agent.sock', call: { method: 'GET', path: '/v1/ipam/healthy' } },
    ]);
  });
  it('answers code 50 when the agent is down or unhealthy', async () => {
    for (const reply of ['down', { status: 503, body: {} }] as const) {
      const r = await run('STATUS', conf(), reply);
      expect(r.exitCode).toBe(1);
      expect(r.json).toMatchObject({ cniVersion: '1.1.0', code: 50, details: '/tmp/agent.sock' });
    }
  });
});

describe('GC', () => {
  const valid = [{ containerID: 'c1', ifname: 'eth0' }];
  it('sends the valid attachments to the agent', async () => {
    const r = await run('GC', conf({ 'cni.dev/valid-attachments': valid }), {
      status: 200,
      body: { released: [] },
    });
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.calls[0]?.call).toEqual({
      method: 'POST',
      path: '/v1/ipam/gc',
      body: { validAttachments: valid },
    });
  });
  it('refuses a GC without (or with a malformed) valid-attachments list: nothing is released', async () => {
    const none = await run('GC', conf(), { status: 200, body: {} });
    expect(none.json).toMatchObject({ code: 7, details: 'cni.dev/valid-attachments' });
    const bad = await run('GC', conf({ 'cni.dev/valid-attachments': [{ containerID: 1 }] }), {
      status: 200,
      body: {},
    });
    expect(bad.json).toMatchObject({ code: 6 });
    expect([...none.calls, ...bad.calls]).toEqual([]);
  });
  it('an agent error is a CNI error; an unreachable agent is code 11', async () => {
    const refused = await run('GC', conf({ 'cni.dev/valid-attachments': valid }), {
      status: 500,
      body: { _tag: 'StoreFailed', message: 'x' },
    });
    expect(refused.json).toMatchObject({ code: 999, details: 'StoreFailed' });
    const down = await run('GC', conf({ 'cni.dev/valid-attachments': valid }), 'down');
    expect(down.json).toMatchObject({ code: 11 });
  });
});

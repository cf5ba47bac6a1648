import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { AgentCall, AgentReply, AgentTransport } from './agentClient.ts';
import { agentUnreachable } from './errors.ts';
import { runIpamPlugin } from './plugin.ts';

const env = {
  CNI_COMMAND: 'ADD',
  CNI_CONTAINERID: 'ctr1',
  CNI_NETNS: '/var/run/netns/p1',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
  CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1;K8S_POD_UID=uid-1',
};
const netconf = (cniVersion = '0.3.1', ipam: Record<string, unknown> = {}) =>
  JSON.stringify({
    cniVersion,
    name: 'macvlan-test',
    type: 'macvlan',
    ipam: { type: 'spiderpool', ipam_unix_socket_path: '/tmp/agent.sock', ...ipam },
  });

const seedAnswer = {
  interface: 'eth0',
  ips: [
    {
      nic: 'eth0',
      version: 4,
      address: '10.20.168.190/16',
      pool: 'ippool-test',
      gateway: '10.20.0.1',
      cleanGateway: false,
      routes: [],
    },
  ],
  routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
};

/** A scripted agent that records every call. */
const agent = (reply: AgentReply | 'down') => {
  const calls: { socket: string; call: AgentCall }[] = [];
  const transport: AgentTransport = (socket, call) => {
    calls.push({ socket, call });
    return reply === 'down' ? errAsync(agentUnreachable(socket, 'ECONNREFUSED')) : okAsync(reply);
  };
  return { calls, transport };
};

const run = async (e: Record<string, string | undefined>, stdin: string, reply: AgentReply | 'down') => {
  const a = agent(reply);
  const out = await runIpamPlugin({ env: e, stdin, transport: a.transport });
  return {
    ...out,
    json: out.stdout === '' ? undefined : (JSON.parse(out.stdout) as Record<string, unknown>),
    calls: a.calls,
  };
};

describe('runIpamPlugin', () => {
  it('ADD posts the request to the configured socket and prints the result for the cniVersion', async () => {
    const r = await run(
      env,
      netconf('0.3.1', { default_ipv4_ippool: ['ippool-test'], clean_gateway: false }),
      {
        status: 200,
        body: seedAnswer,
      },
    );
    expect(r.exitCode).toBe(0);
    expect(r.calls).toEqual([
      {
        socket: '/tmp/agent.sock',
        call: {
          method: 'POST',
          path: '/v1/ipam/ip',
          body: {
            podNamespace: 'default',
            podName: 'web-1',
            podUid: 'uid-1',
            containerID: 'ctr1',
            ifName: 'eth0',
            netns: '/var/run/netns/p1',
            ipamConfig: { default_ipv4_ippool: ['ippool-test'], clean_gateway: false },
          },
        },
      },
    ]);
    expect(r.json).toEqual({
      cniVersion: '0.3.1',
      ips: [{ version: '4', address: '10.20.168.190/16', gateway: '10.20.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
      dns: {},
    });
    expect(r.stdout).toContain('\n    "cniVersion"');
  });

  it('ADD with 1.0.0 drops ips[].version', async () => {
    const r = await run(env, netconf('1.0.0'), { status: 200, body: seedAnswer });
    expect(r.json?.ips).toEqual([{ address: '10.20.168.190/16', gateway: '10.20.0.1' }]);
  });

  it('DEL sends DELETE and prints nothing; without CNI_NETNS too', async () => {
    const r = await run({ ...env, CNI_COMMAND: 'DEL', CNI_NETNS: undefined }, netconf(), {
      status: 200,
      body: {},
    });
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.calls[0]?.call.method).toBe('DELETE');
    expect(r.calls[0]?.call.body).not.toHaveProperty('netns');
  });

  it('CHECK validates and succeeds without calling the agent', async () => {
    const r = await run({ ...env, CNI_COMMAND: 'CHECK' }, netconf(), 'down');
    expect(r).toMatchObject({ exitCode: 0, stdout: '', calls: [] });
  });

  it('VERSION answers locally', async () => {
    const r = await run({ CNI_COMMAND: 'VERSION' }, '{"cniVersion":"0.4.0"}', 'down');
    expect(r.exitCode).toBe(0);
    expect(r.json).toEqual({
      cniVersion: '0.4.0',
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
  });

  const errorCases: [
    string,
    Record<string, string | undefined>,
    string,
    AgentReply | 'down',
    Record<string, unknown>,
  ][] = [
    [
      'bad env',
      { ...env, CNI_IFNAME: '' },
      netconf('0.4.0'),
      'down',
      { cniVersion: '0.4.0', code: 4, details: 'CNI_IFNAME' },
    ],
    [
      'unknown command',
      { ...env, CNI_COMMAND: 'FOO' },
      netconf(),
      'down',
      { code: 4, details: 'CNI_COMMAND' },
    ],
    ['unsupported version', env, netconf('0.2.0'), 'down', { cniVersion: '0.2.0', code: 1 }],
    ['undecodable stdin', env, '{', 'down', { cniVersion: '1.0.0', code: 6, details: 'stdin' }],
    [
      'string log size',
      env,
      netconf('0.3.0', { log_file_max_size: '100' }),
      'down',
      { cniVersion: '0.3.0', code: 6 },
    ],
    [
      'wrong ipam type',
      env,
      netconf('0.3.0', { type: 'host-local' }),
      'down',
      { code: 7, details: 'ipam.type' },
    ],
    ['agent down', env, netconf(), 'down', { cniVersion: '0.3.1', code: 11, details: '/tmp/agent.sock' }],
    [
      'agent refuses',
      env,
      netconf('1.0.0'),
      { status: 500, body: { _tag: 'PodNotFound', message: 'pod default/web-1 not found' } },
      {
        cniVersion: '1.0.0',
        code: 999,
        msg: 'spiderpool IPAM ADD failed: pod default/web-1 not found',
        details: 'PodNotFound',
      },
    ],
    [
      'agent garbles an error',
      env,
      netconf(),
      { status: 502, body: 'oops' },
      { code: 999, details: 'HTTP 502' },
    ],
    [
      'agent garbles ADD',
      env,
      netconf(),
      { status: 200, body: { interface: 'eth0', ips: [{}], routes: [] } },
      { code: 999, details: 'HTTP 200' },
    ],
    [
      'ADD answer without any IP',
      env,
      netconf(),
      { status: 200, body: { interface: 'eth0', ips: [], routes: [] } },
      { code: 999, msg: expect.stringContaining('no IP allocated for interface eth0') },
    ],
    ['DEL with the agent down', { ...env, CNI_COMMAND: 'DEL' }, netconf(), 'down', { code: 11 }],
  ];

  it.each([
    { status: 500, body: { _tag: 'Store', message: 'unavailable' } },
    { status: 502, body: 'oops' },
  ])('DEL succeeds whatever the reached agent answers (Spiderpool leaves it to GC): %j', async (reply) => {
    const r = await run({ ...env, CNI_COMMAND: 'DEL' }, netconf(), reply);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.calls).toHaveLength(1);
  });

  it('a transport that throws gives CNI error JSON (999), never a rejection', async () => {
    const throwing: AgentTransport = () => {
      throw new TypeError('boom');
    };
    const out = await runIpamPlugin({ env, stdin: netconf('0.4.0'), transport: throwing });
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({
      cniVersion: '0.4.0',
      code: 999,
      msg: 'spiderpool IPAM plugin internal error: boom',
      details: 'internal',
    });
  });

  it.each(errorCases)('%s → CNI error on stdout, exit 1', async (_name, e, stdin, reply, expected) => {
    const r = await run(e, stdin, reply);
    expect(r.exitCode).toBe(1);
    expect(r.json).toMatchObject(expected);
    expect(Object.keys(r.json ?? {})).toEqual(['cniVersion', 'code', 'msg', 'details']);
  });
});

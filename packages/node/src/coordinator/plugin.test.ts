// The plugin's paths that need no netns: agent answers (not ready, unreachable, bad body), disable pass-through,
// VERSION / STATUS / GC, and the exact agent request, against a scripted transport and a scripted runner.
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { AgentCall, AgentReply, AgentTransport } from '../cni/agentClient.ts';
import { agentUnreachable } from '../cni/errors.ts';
import type { CommandRunner, RunRequest } from '../iproute/runner.ts';
import { runCoordinatorPlugin } from './plugin.ts';

const env = (command = 'ADD') => ({
  CNI_COMMAND: command,
  CNI_CONTAINERID: 'ctr0123456789',
  CNI_NETNS: '/var/run/netns/p1',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
  CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1',
});
const prevResult = {
  cniVersion: '1.0.0',
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/p1' }],
  ips: [{ interface: 0, address: '10.20.168.190/16', gateway: '10.20.0.1' }],
  dns: {},
};
const netconf = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    cniVersion: '1.0.0',
    name: 'n',
    type: 'coordinator',
    ipam_unix_socket_path: '/tmp/a.sock',
    prevResult,
    ...extra,
  });
const config = {
  mode: 'auto',
  overlayPodCIDR: [],
  serviceCIDR: ['10.43.0.0/16'],
  tunePodRoutes: true,
  hostRuleTable: 500,
  podRPFilter: 0,
  txQueueLen: 0,
};

const agent = (reply: AgentReply | 'down') => {
  const calls: { socket: string; call: AgentCall }[] = [];
  const transport: AgentTransport = (socket, call) => {
    calls.push({ socket, call });
    return reply === 'down' ? errAsync(agentUnreachable(socket, 'ECONNREFUSED')) : okAsync(reply);
  };
  return { calls, transport };
};

/** A runner that records and answers `[]` / '' for everything. */
const recorder = () => {
  const calls: RunRequest[] = [];
  const runner: CommandRunner = async (r) => {
    calls.push(r);
    return { exitCode: 0, signal: null, stdout: r.args.includes('-j') ? '[]' : '', stderr: '' };
  };
  return { calls, runner };
};

describe('runCoordinatorPlugin', () => {
  it('asks GET /v1/coordinator/config with the Pod and the command header on the netconf socket', async () => {
    const a = agent({ status: 200, body: { ...config, mode: 'disable' } });
    const out = await runCoordinatorPlugin({ env: env(), stdin: netconf(), transport: a.transport });
    expect(a.calls[0]).toEqual({
      socket: '/tmp/a.sock',
      call: {
        method: 'GET',
        path: '/v1/coordinator/config?podNamespace=default&podName=web-1',
        headers: { 'x-spiderpool-cni-command': 'ADD' },
      },
    });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(prevResult); // disable: prevResult passed through
  });

  it('refuses while the SpiderCoordinator is not Synced (agent 500), changing nothing', async () => {
    const r = recorder();
    const a = agent({
      status: 500,
      body: { _tag: 'CoordinatorNotReady', message: 'spidercoordinator: default no ready' },
    });
    const out = await runCoordinatorPlugin({
      env: env(),
      stdin: netconf(),
      transport: a.transport,
      tools: { runner: r.runner },
    });
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ code: 999, msg: expect.stringContaining('no ready') });
    expect(r.calls).toEqual([]);
  });

  it('an unreachable agent is code 11 on ADD and DEL', async () => {
    for (const c of ['ADD', 'DEL']) {
      const out = await runCoordinatorPlugin({
        env: env(c),
        stdin: netconf(),
        transport: agent('down').transport,
      });
      expect(JSON.parse(out.stdout)).toMatchObject({ code: 11 });
    }
  });

  it('a malformed agent answer is a protocol error, not a crash', async () => {
    const out = await runCoordinatorPlugin({
      env: env(),
      stdin: netconf(),
      transport: agent({ status: 200, body: { mode: 3 } }).transport,
    });
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 999,
      msg: expect.stringContaining('mode must be a string'),
    });
  });

  it('overlay mode is a clear "not supported yet"', async () => {
    const out = await runCoordinatorPlugin({
      env: env(),
      stdin: netconf({ mode: 'overlay' }),
      transport: agent({ status: 200, body: config }).transport,
      tools: { runner: recorder().runner },
    });
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 999,
      msg: 'coordinator: overlay mode is not supported yet',
    });
  });

  it('VERSION lists 1.1.0; bad env is code 4; bad JSON code 6', async () => {
    const v = await runCoordinatorPlugin({
      env: { CNI_COMMAND: 'VERSION' },
      stdin: '{"cniVersion":"1.1.0"}',
      transport: agent('down').transport,
    });
    expect(JSON.parse(v.stdout)).toEqual({
      cniVersion: '1.1.0',
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
    const e = await runCoordinatorPlugin({
      env: { ...env(), CNI_IFNAME: '' },
      stdin: netconf(),
      transport: agent('down').transport,
    });
    expect(JSON.parse(e.stdout)).toMatchObject({ code: 4 });
    const j = await runCoordinatorPlugin({ env: env(), stdin: '{', transport: agent('down').transport });
    expect(JSON.parse(j.stdout)).toMatchObject({ code: 6 });
  });

  it('STATUS: agent healthy → exit 0, else code 50', async () => {
    const ok = await runCoordinatorPlugin({
      env: { CNI_COMMAND: 'STATUS' },
      stdin: netconf({ cniVersion: '1.1.0' }),
      transport: agent({ status: 200, body: {} }).transport,
    });
    expect(ok).toEqual({ stdout: '', exitCode: 0 });
    const down = await runCoordinatorPlugin({
      env: { CNI_COMMAND: 'STATUS' },
      stdin: netconf({ cniVersion: '1.1.0' }),
      transport: agent('down').transport,
    });
    expect(JSON.parse(down.stdout)).toMatchObject({ code: 50 });
  });

  it('GC only drops the idle shared host rule (empty table 500)', async () => {
    const calls: RunRequest[] = [];
    const runner: CommandRunner = async (r) => {
      calls.push(r);
      const rule = r.args.includes('rule') && r.args.includes('show');
      return {
        exitCode: 0,
        signal: null,
        stdout: rule ? '[{"priority":1000,"src":"all","table":"500"}]' : r.args.includes('-j') ? '[]' : '',
        stderr: '',
      };
    };
    const out = await runCoordinatorPlugin({
      env: { CNI_COMMAND: 'GC' },
      stdin: netconf({ cniVersion: '1.1.0' }),
      transport: agent('down').transport,
      tools: { runner },
    });
    expect(out).toEqual({ stdout: '', exitCode: 0 });
    expect(calls.map((c) => c.args.join(' '))).toContain('-4 rule del from all lookup 500 pref 1000');
  });

  it('DEL with the netns gone touches only the host (veth, idle rule) and succeeds', async () => {
    const r = recorder();
    const out = await runCoordinatorPlugin({
      env: { ...env('DEL'), CNI_NETNS: '/var/run/netns/does-not-exist' },
      stdin: netconf(),
      transport: agent({ status: 200, body: config }).transport,
      tools: { runner: r.runner },
    });
    expect(out).toEqual({ stdout: '', exitCode: 0 });
    const cmds = r.calls.map((c) => [c.file, ...c.args].join(' '));
    expect(cmds[0]).toBe('ip link del vethctr01234567');
    expect(cmds.some((c) => c.includes('nsenter'))).toBe(false);
  });
});

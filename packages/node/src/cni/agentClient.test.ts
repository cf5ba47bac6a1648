// The plugin's transport against hostile "agents" on a real unix socket: a trickling answer hits the overall
// deadline (not only the idle timeout), an oversized answer is refused without buffering it all, and answers
// that are not what an agent sends never reach stdout (issue 10).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_TIMEOUT_MS, deadlineFromEnv, unixSocketTransport } from './agentClient.ts';
import { runIpamPlugin } from './plugin.ts';

let dir = '';
let server: Server;
let handler: (res: ServerResponse) => void = (res) => res.end('{}');
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spts-agentclient-'));
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((r) => server.listen(join(dir, 'agent.sock'), r));
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const sock = (): string => join(dir, 'agent.sock');

describe('unixSocketTransport', () => {
  it('an agent that trickles a byte every 50 ms is cut off at the overall deadline', async () => {
    handler = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      timers.push(setInterval(() => res.write(' '), 50));
    };
    const started = Date.now();
    const r = await unixSocketTransport(400)(sock(), { method: 'GET', path: '/v1/ipam/healthy' });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'AgentUnreachable' });
    expect(r._unsafeUnwrapErr().message).toMatch(/no complete answer within 400 ms/);
    // idle timeout alone (400 ms between bytes) would never fire; the deadline did, well before 10 s
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an answer over the size cap is AgentProtocol, not a stack trace', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    handler = (res) => {
      res.writeHead(200);
      const t = setInterval(() => {
        if (!res.write(chunk)) return;
      }, 1);
      timers.push(t);
    };
    const r = await unixSocketTransport(5_000, 256 * 1024)(sock(), { method: 'GET', path: '/' });
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'AgentProtocol' });
    expect(r._unsafeUnwrapErr().message).toMatch(/answer larger than 262144 bytes/);
  });

  it('deadlineFromEnv takes positive integers only', () => {
    expect(deadlineFromEnv('1500')).toBe(1500);
    for (const bad of [undefined, '', '0', '-5', '1e3', '12abc', '99999999999'])
      expect(deadlineFromEnv(bad)).toBe(DEFAULT_AGENT_TIMEOUT_MS);
  });
});

describe('ADD answers are validated before they are printed', () => {
  const env = {
    CNI_COMMAND: 'ADD',
    CNI_CONTAINERID: 'c1',
    CNI_NETNS: '/var/run/netns/x',
    CNI_IFNAME: 'eth0',
    CNI_PATH: '/opt/cni/bin',
    CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=p',
  };
  const stdin = () =>
    JSON.stringify({
      cniVersion: '1.0.0',
      name: 'n',
      type: 'macvlan',
      ipam: { type: 'spiderpool', ipam_unix_socket_path: sock() },
    });
  const answer = (over: Record<string, unknown>) => ({
    interface: 'eth0',
    ips: [{ version: 4, address: '10.20.168.190/16', gateway: '10.20.0.1' }],
    routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
    ...over,
  });
  const add = async (body: unknown) => {
    handler = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    return runIpamPlugin({ env, stdin: stdin(), transport: unixSocketTransport(5_000) });
  };

  it('a well-formed answer is printed', async () => {
    const out = await add(answer({}));
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      ips: [{ address: '10.20.168.190/16', gateway: '10.20.0.1' }],
    });
  });

  it.each([
    [
      'address "$(reboot)"',
      { ips: [{ version: 4, address: '$(reboot)' }] },
      /address "\$\(reboot\)" has no \/prefix/,
    ],
    ['address without prefix', { ips: [{ version: 4, address: '10.20.168.190' }] }, /has no \/prefix/],
    ['prefix /33', { ips: [{ version: 4, address: '10.20.168.190/33' }] }, /bad prefix/],
    ['v6 address labelled v4', { ips: [{ version: 4, address: 'fd00::1/64' }] }, /is not IPv4/],
    [
      'gateway not an IP',
      { ips: [{ version: 4, address: '10.0.0.2/8', gateway: 'gw;rm' }] },
      /gateway "gw;rm" is not an IP/,
    ],
    ['route dst junk', { routes: [{ dst: 'default' }] }, /dst "default" has no \/prefix/],
    ['route gw junk', { routes: [{ dst: '10.0.0.0/8', gw: 5 }] }, /gw 5 is not an IP/],
    ['interface with a slash', { interface: '../eth0' }, /is not an interface name/],
  ])(
    '%s is refused with CNI error 999 (AgentProtocol), nothing of it printed as a result',
    async (_n, over, why) => {
      const out = await add(answer(over));
      expect(out.exitCode).toBe(1);
      const e = JSON.parse(out.stdout) as { code: number; msg: string; details: string };
      expect(e.code).toBe(999);
      expect(`${e.msg} ${e.details}`).toMatch(why);
      expect(out.stdout).not.toMatch(/"ips"/);
    },
  );
});

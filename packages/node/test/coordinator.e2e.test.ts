// End to end, real kernel objects: the BUILT coordinator executable (bin/coordinator → dist/coordinator.js)
// runs inside a test "node" netns, chained after a macvlan eth0 (set up here as the main plugin would, and
// described to the coordinator by prevResult), asking a real agent (startIpamAgent over a MemoryStore holding
// SpiderCoordinator `default`) over a temp unix socket. Topology, all in netns this test makes:
//   switch netns: gw0 10.20.0.1/16  ──veth──  node netns: p0 10.20.0.11/16 (+ kube-proxy stand-in)
//   pod-a / pod-b netns: eth0 = macvlan of p0, 10.20.168.190/16 and .191/16, default via 10.20.0.1
// Asserted: veth0 / host veth, Pod routes, rules, table 500, the Pod's mangle rules; HTTP from pod-a to the
// ClusterIP 10.43.54.100:80 (DNAT to pod-b) answers 200 with the coordinator and fails without it; the node
// reaches the Pods through veth0 (and not without); DEL leaves the node's links, addresses, routes of all
// tables, rules and iptables-save exactly as before ADD; failures injected at every command of ADD leave the
// node and the Pod as they were; IP-conflict detection (arping) refuses a taken address.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryStore,
  type MemoryStore,
  type Pod,
  SPIDERPOOL_GROUP_VERSION,
  type SpiderCoordinator,
} from '@spiderpool-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IpamAgent, runCoordinatorPlugin, startIpamAgent, unixSocketTransport } from '../src/index.ts';
import type { CommandRunner } from '../src/iproute/index.ts';
import { spawnRunner } from '../src/iproute/index.ts';
import { OUR_BIN_DIR } from './cniKit.ts';
import { installKubeProxyStandIn } from './kubeProxyStandIn.ts';
import { addNetns, cleanupAll, gate, ipj, probe, sh } from './netnsKit.ts';

const BIN = join(OUR_BIN_DIR, 'coordinator');
const BUNDLE = join(OUR_BIN_DIR, '..', 'dist', 'coordinator.js');
const need = (cmd: string[], what: string): string | undefined => (sh(cmd).code === 0 ? undefined : what);
const reason =
  probe() ??
  need(['iptables', '-V'], 'iptables not installed') ??
  need(['arping', '-V'], 'arping not installed (Debian iputils-arping)') ??
  (existsSync(BUNDLE) ? undefined : 'dist/coordinator.js not built (pnpm build)');
const skip = gate('node/coordinator e2e', reason);

const NS = 'default';
const CLUSTER_IP = '10.43.54.100';
const HOST_IP = '10.20.0.11';
let seq = 0;
/** Short unique netns names (the pid keeps parallel runs apart). */
const nsName = (role: string) => `spc-${role}-${process.pid}-${++seq}`;

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: NS, name },
  spec: { nodeName: 'node-1' },
  status: { phase: 'Running' },
});

const must = (args: string[]): string => {
  const r = sh(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.err}`);
  return r.out;
};

interface Run {
  code: number;
  json: Record<string, unknown> | undefined;
  stdout: string;
}

/** A program inside a netns, without blocking the event loop (the agent answers from this process). */
const inNetns = (
  netns: string,
  argv: string[],
  env: Record<string, string>,
  stdin = '',
  timeoutMs = 15_000,
) =>
  new Promise<Run>((resolve) => {
    const child = spawn('ip', ['netns', 'exec', netns, ...argv], { env, timeout: timeoutMs });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', () => {});
    child.on('close', (code) => {
      let json: Record<string, unknown> | undefined;
      try {
        json = stdout.trim() === '' ? undefined : (JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, json, stdout });
    });
    child.stdin.end(stdin);
  });

const PATH_ENV = process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin';

/** curl stand-in: GET url from inside a netns with Node; exit 0 and prints the status, or exit 1. */
const httpGet = (netns: string, url: string) =>
  inNetns(
    netns,
    [
      process.execPath,
      '-e',
      `const r=require('http').get(${JSON.stringify(url)},{timeout:1500},(s)=>{console.log(s.statusCode);s.resume();s.on('end',()=>process.exit(0))});r.on('timeout',()=>{r.destroy();process.exit(1)});r.on('error',()=>process.exit(1))`,
    ],
    { PATH: PATH_ENV },
    '',
    5000,
  );

const snapshot = (netns: string) => ({
  link: must(['ip', '-n', netns, '-j', 'link', 'show']),
  addr: must(['ip', '-n', netns, '-j', 'addr', 'show']),
  route4: must(['ip', '-n', netns, '-4', '-j', 'route', 'show', 'table', 'all']),
  route6: must(['ip', '-n', netns, '-6', '-j', 'route', 'show', 'table', 'all']),
  rule4: must(['ip', '-n', netns, '-4', '-j', 'rule', 'show']),
  rule6: must(['ip', '-n', netns, '-6', '-j', 'rule', 'show']),
  iptables: must(['ip', 'netns', 'exec', netns, 'iptables-save'])
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/, '[]'))
    .join('\n'),
  rpFilter: sh(['ip', 'netns', 'exec', netns, 'sysctl', '-n', 'net.ipv4.conf.all.rp_filter']).out,
});

interface RouteRow {
  dst: string;
  gateway?: string;
  dev?: string;
  prefsrc?: string;
  table?: string;
}
interface RuleRow {
  priority: number;
  src?: string;
  fwmark?: string;
  table: string;
}

describe.skipIf(skip)('coordinator (underlay) in real netns', () => {
  let dir = '';
  let store: MemoryStore;
  let agent: IpamAgent;
  let sw = '';
  let node = '';
  const pods = new Map<string, { netns: string; ip: string; cid: string }>();
  let server: ReturnType<typeof spawn> | undefined;

  const cniEnv = (command: string, podName: string, ifName = 'eth0'): Record<string, string> => {
    const p = pods.get(podName);
    return {
      PATH: PATH_ENV,
      CNI_COMMAND: command,
      CNI_CONTAINERID: p?.cid ?? '',
      CNI_NETNS: `/var/run/netns/${p?.netns ?? ''}`,
      CNI_IFNAME: ifName,
      CNI_PATH: OUR_BIN_DIR,
      CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${NS};K8S_POD_NAME=${podName}`,
    };
  };
  const netconf = (podName: string, extra: Record<string, unknown> = {}) => ({
    cniVersion: '1.0.0',
    name: 'macvlan-coordinator',
    type: 'coordinator',
    ipam_unix_socket_path: agent.socketPath,
    ...extra,
    prevResult: {
      cniVersion: '1.0.0',
      interfaces: [{ name: 'eth0', sandbox: `/var/run/netns/${pods.get(podName)?.netns ?? ''}` }],
      ips: [{ interface: 0, address: `${pods.get(podName)?.ip ?? ''}/16`, gateway: '10.20.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.20.0.1' }],
      dns: {},
    },
  });
  const coordinator = (command: string, podName: string, extra: Record<string, unknown> = {}) =>
    inNetns(node, [BIN], cniEnv(command, podName), JSON.stringify(netconf(podName, extra)));

  /** What the main plugin (macvlan) would have done: eth0 = macvlan of p0 with the Pod IP and default route. */
  const addPod = (name: string, ip: string, cid: string) => {
    const netns = addNetns(nsName('p'));
    for (const k of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'])
      must(['ip', 'netns', 'exec', netns, 'sysctl', '-q', '-w', k]);
    const tmp = `mv${seq}`;
    must(['ip', '-n', node, 'link', 'add', 'link', 'p0', 'name', tmp, 'type', 'macvlan', 'mode', 'bridge']);
    must(['ip', '-n', node, 'link', 'set', tmp, 'netns', netns, 'name', 'eth0']);
    must(['ip', '-n', netns, 'addr', 'add', `${ip}/16`, 'dev', 'eth0']);
    must(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
    must(['ip', '-n', netns, 'route', 'add', 'default', 'via', '10.20.0.1', 'dev', 'eth0']);
    pods.set(name, { netns, ip, cid });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spts-coord-'));
    sw = addNetns(nsName('sw'));
    node = addNetns(nsName('n'));
    // No IPv6 DAD in the test netns: a tentative fe80 address would make two snapshots differ by timing.
    for (const ns of [sw, node])
      for (const k of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'])
        must(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', k]);
    must(['ip', '-n', sw, 'link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'p0', 'netns', node]);
    must(['ip', '-n', sw, 'addr', 'add', '10.20.0.1/16', 'dev', 'gw0']);
    must(['ip', '-n', sw, 'link', 'set', 'gw0', 'up']);
    must(['ip', '-n', node, 'addr', 'add', `${HOST_IP}/16`, 'dev', 'p0']);
    must(['ip', '-n', node, 'link', 'set', 'p0', 'up']);
    // a second underlay (10.21.0.0/16) for the multi-NIC Pod
    must(['ip', '-n', sw, 'link', 'add', 'gw1', 'type', 'veth', 'peer', 'name', 'p1', 'netns', node]);
    must(['ip', '-n', sw, 'addr', 'add', '10.21.0.1/16', 'dev', 'gw1']);
    must(['ip', '-n', sw, 'link', 'set', 'gw1', 'up']);
    must(['ip', '-n', node, 'addr', 'add', '10.21.0.11/16', 'dev', 'p1']);
    must(['ip', '-n', node, 'link', 'set', 'p1', 'up']);
    installKubeProxyStandIn(node, {
      clusterIP: CLUSTER_IP,
      port: 80,
      endpoint: '10.20.168.191',
      endpointPort: 80,
    });
    addPod('pod-a', '10.20.168.190', 'aaaaaaaaaaaa1111');
    addPod('pod-b', '10.20.168.191', 'bbbbbbbbbbbb2222');
    addPod('pod-c', '10.20.168.192', 'cccccccccccc3333');
    addPod('pod-d', '10.20.168.193', 'dddddddddddd4444');
    addPod('pod-e', '10.20.168.194', 'eeeeeeeeeeee5555');
    must(['ip', '-n', node, 'addr', 'add', 'fd00:20::11/64', 'dev', 'p0']);
    must(['ip', '-n', pods.get('pod-e')?.netns ?? '', 'addr', 'add', 'fd00:20::194/64', 'dev', 'eth0']);
    {
      const netns = pods.get('pod-d')?.netns ?? '';
      must([
        'ip',
        '-n',
        node,
        'link',
        'add',
        'link',
        'p1',
        'name',
        'mvd1',
        'type',
        'macvlan',
        'mode',
        'bridge',
      ]);
      must(['ip', '-n', node, 'link', 'set', 'mvd1', 'netns', netns, 'name', 'net1']);
      must(['ip', '-n', netns, 'addr', 'add', '10.21.168.193/16', 'dev', 'net1']);
      must(['ip', '-n', netns, 'link', 'set', 'net1', 'up']);
    }
    store = createMemoryStore({ now: () => new Date() });
    for (const p of ['pod-a', 'pod-b', 'pod-c', 'pod-d', 'pod-e'])
      (await store.create(pod(p)))._unsafeUnwrap();
    const coord: SpiderCoordinator = {
      apiVersion: SPIDERPOOL_GROUP_VERSION,
      kind: 'SpiderCoordinator',
      metadata: { name: 'default' },
      spec: {
        mode: 'auto',
        podCIDRType: 'cluster',
        tunePodRoutes: true,
        hostRuleTable: 500,
        podRPFilter: 0,
        vethMTU: 1500,
      },
    };
    const created = (await store.create(coord))._unsafeUnwrap();
    (
      await store.updateStatus<SpiderCoordinator>({
        ...created,
        status: { phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.43.0.0/16'] },
      })
    )._unsafeUnwrap();
    agent = (
      await startIpamAgent({ store, nodeName: 'node-1', socketPath: join(dir, 'agent.sock') })
    )._unsafeUnwrap();
    // pod-b serves HTTP on :80 (a Node server: Python's http.server hangs in a netns).
    server = spawn('ip', [
      'netns',
      'exec',
      pods.get('pod-b')?.netns ?? '',
      process.execPath,
      '-e',
      "require('http').createServer((q,s)=>{s.end('ok')}).listen(80,'0.0.0.0')",
    ]);
    // wait until it listens
    for (let i = 0; i < 50; i++) {
      if (sh(['ip', 'netns', 'exec', pods.get('pod-b')?.netns ?? '', 'ss', '-ltn']).out.includes(':80 '))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await agent?.close();
    cleanupAll();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  let baseline: ReturnType<typeof snapshot>;

  it('refuses to run while SpiderCoordinator default is not Synced', async () => {
    baseline = snapshot(node);
    const cur = (
      await store.get<SpiderCoordinator>({ kind: 'SpiderCoordinator', name: 'default' })
    )._unsafeUnwrap();
    (
      await store.updateStatus<SpiderCoordinator>({
        ...cur,
        status: { ...(cur.status ?? { overlayPodCIDR: [], serviceCIDR: [] }), phase: 'NotReady' },
      })
    )._unsafeUnwrap();
    const r = await coordinator('ADD', 'pod-a');
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({
      code: 999,
      msg: expect.stringContaining('spidercoordinator: default no ready'),
    });
    const again = (
      await store.get<SpiderCoordinator>({ kind: 'SpiderCoordinator', name: 'default' })
    )._unsafeUnwrap();
    (
      await store.updateStatus<SpiderCoordinator>({
        ...again,
        status: { phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.43.0.0/16'] },
      })
    )._unsafeUnwrap();
    expect(snapshot(node)).toEqual(baseline);
  });

  it('ADD pod-b: veth pair, host /32, table 500 and the rule; the node reaches the Pod only through veth0', async () => {
    const ping = () => sh(['ip', 'netns', 'exec', node, 'ping', '-c', '1', '-W', '1', '10.20.168.191']).code;
    expect(ping()).not.toBe(0); // macvlan child and parent cannot talk: the reason for veth0
    const r = await coordinator('ADD', 'pod-b');
    expect(r.json).toMatchObject({ cniVersion: '1.0.0', ips: [{ address: '10.20.168.191/16' }] });
    expect(r.code).toBe(0);
    const podNs = pods.get('pod-b')?.netns ?? '';
    const hostVeth = 'vethbbbbbbbbbbb';
    expect((ipj(node, 'link', 'show', 'dev', hostVeth) as { ifname: string }[])[0]?.ifname).toBe(hostVeth);
    expect((ipj(podNs, 'link', 'show', 'dev', 'veth0') as { ifname: string }[])[0]?.ifname).toBe('veth0');
    const rules = ipj(node, '-4', 'rule', 'show') as RuleRow[];
    expect(rules).toContainEqual(expect.objectContaining({ priority: 1000, src: 'all', table: '500' }));
    const t500 = ipj(node, 'route', 'show', 'table', '500') as RouteRow[];
    expect(t500).toContainEqual(expect.objectContaining({ dst: '10.20.168.191', dev: hostVeth }));
    const podRoutes = ipj(podNs, 'route', 'show') as RouteRow[];
    expect(podRoutes).toContainEqual(expect.objectContaining({ dst: HOST_IP, dev: 'veth0' }));
    expect(podRoutes).toContainEqual(
      expect.objectContaining({
        dst: '10.43.0.0/16',
        gateway: HOST_IP,
        dev: 'veth0',
        prefsrc: '10.20.168.191',
      }),
    );
    expect(ipj(podNs, '-4', 'rule', 'show') as RuleRow[]).toContainEqual(
      expect.objectContaining({ fwmark: '0x1', table: '100' }),
    );
    expect(ipj(podNs, 'route', 'show', 'table', '100') as RouteRow[]).toContainEqual(
      expect.objectContaining({ dst: 'default', gateway: HOST_IP, dev: 'veth0' }),
    );
    const mangle = must(['ip', 'netns', 'exec', podNs, 'iptables-save', '-t', 'mangle']);
    expect(mangle).toContain(
      '-A PREROUTING -i veth0 -m conntrack --ctstate NEW -j MARK --set-xmark 0x1/0xffffffff',
    );
    expect(mangle).toContain('-A PREROUTING -m mark --mark 0x1 -j CONNMARK --save-mark');
    expect(mangle).toContain('-A OUTPUT -j CONNMARK --restore-mark');
    expect(ping()).toBe(0);
    // host-originated TCP: the reply must come back through veth0 (connmark + table 100), not eth0
    expect((await httpGet(node, 'http://10.20.168.191/')).stdout.trim()).toBe('200');
  });

  it('pod-a reaches the ClusterIP only with the coordinator (kube-proxy stand-in on the node)', async () => {
    const podNs = pods.get('pod-a')?.netns ?? '';
    expect((await httpGet(podNs, `http://${CLUSTER_IP}/`)).code).not.toBe(0);
    const r = await coordinator('ADD', 'pod-a', {
      detectGateway: true,
      detectIPConflict: true,
      txQueueLen: 2000,
      podMACPrefix: '0a:1b',
    });
    expect(r.code, r.stdout).toBe(0);
    const eth0 = (ipj(podNs, 'link', 'show', 'dev', 'eth0') as { address: string; txqlen: number }[])[0];
    expect(eth0).toMatchObject({ address: '0a:1b:0a:14:a8:be', txqlen: 2000 });
    const got = await httpGet(podNs, `http://${CLUSTER_IP}/`);
    expect(got.stdout.trim()).toBe('200');
    expect(got.code).toBe(0);
  });

  it('refuses a conflicting IP (arping -D) and leaves nothing behind', async () => {
    must(['ip', '-n', sw, 'addr', 'add', '10.20.168.192/16', 'dev', 'gw0']);
    const before = snapshot(node);
    const podBefore = snapshot(pods.get('pod-c')?.netns ?? '');
    const r = await coordinator('ADD', 'pod-c', {
      detectIPConflict: true,
      detectOptions: { retries: 2, timeout: '500ms' },
    });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ code: 999, msg: expect.stringContaining('IP conflict: 10.20.168.192') });
    expect(snapshot(node)).toEqual(before);
    expect(snapshot(pods.get('pod-c')?.netns ?? '')).toEqual(podBefore);
    must(['ip', '-n', sw, 'addr', 'del', '10.20.168.192/16', 'dev', 'gw0']);
  });

  it('a failure injected at every command of ADD leaves the node and the Pod as they were', async () => {
    const podNs = pods.get('pod-c')?.netns ?? '';
    const nodeBefore = snapshot(node);
    const podBefore = snapshot(podNs);
    const env = cniEnv('ADD', 'pod-c');
    const stdin = JSON.stringify(
      netconf('pod-c', { txQueueLen: 3000, podMACPrefix: '0a:1c', podRPFilter: 2 }),
    );
    let injected = 0;
    for (let k = 1; k < 200; k++) {
      let calls = 0;
      let failed = false;
      const runner: CommandRunner = async (req) => {
        calls++;
        // `iptables -C` is a question whose "no" is exit 1: not a place to inject a failure.
        if (calls === k && !failed && !req.args.includes('-C')) {
          failed = true;
          return {
            exitCode: 2,
            signal: null,
            stdout: '',
            stderr: 'RTNETLINK answers: Operation not supported (injected)\n',
          };
        }
        return spawnRunner(req);
      };
      const out = await runCoordinatorPlugin({
        env,
        stdin,
        transport: unixSocketTransport(5000),
        tools: { runner, hostNetns: node },
      });
      if (!failed) {
        expect(out.exitCode, out.stdout).toBe(0);
        // every command is a process (ip / iptables / sysctl); keep the count in sight
        console.log(`[coordinator e2e] one ADD ran ${calls} commands (${injected} failure points)`);
        expect(calls).toBeLessThan(80);
        break;
      }
      injected++;
      expect(out.exitCode, `k=${k}`).toBe(1);
      expect(JSON.parse(out.stdout)).not.toMatchObject({
        msg: expect.stringContaining('rollback incomplete'),
      });
      expect(snapshot(node), `node after failure at command ${k}`).toEqual(nodeBefore);
      expect(snapshot(podNs), `pod after failure at command ${k}`).toEqual(podBefore);
    }
    expect(injected).toBeGreaterThan(20);
    // the successful run is undone by DEL (in-process, same node)
    const del = await runCoordinatorPlugin({
      env: cniEnv('DEL', 'pod-c'),
      stdin,
      transport: unixSocketTransport(5000),
      tools: { hostNetns: node },
    });
    expect(del.exitCode, del.stdout).toBe(0);
  }, 120_000);

  it('a second NIC (net1): its routes move to table 101 with `from <ip> lookup 101`; DEL restores the Pod and the node', async () => {
    const podNs = pods.get('pod-d')?.netns ?? '';
    const nodeBefore = snapshot(node);
    const podRoutes = () => ({
      route: must(['ip', '-n', podNs, '-4', '-j', 'route', 'show', 'table', 'all']),
      rule: must(['ip', '-n', podNs, '-4', '-j', 'rule', 'show']),
    });
    const podBefore = podRoutes();
    expect((await coordinator('ADD', 'pod-d')).code).toBe(0);
    const net1Conf = {
      ...netconf('pod-d'),
      prevResult: {
        cniVersion: '1.0.0',
        interfaces: [{ name: 'net1', sandbox: `/var/run/netns/${podNs}` }],
        ips: [{ interface: 0, address: '10.21.168.193/16', gateway: '10.21.0.1' }],
        dns: {},
      },
    };
    const run = (command: string) =>
      inNetns(node, [BIN], cniEnv(command, 'pod-d', 'net1'), JSON.stringify(net1Conf));
    const add = await run('ADD');
    expect(add.code, add.stdout).toBe(0);
    expect(ipj(podNs, '-4', 'rule', 'show') as RuleRow[]).toContainEqual(
      expect.objectContaining({ src: '10.21.168.193', table: '101' }),
    );
    const t101 = ipj(podNs, 'route', 'show', 'table', '101') as RouteRow[];
    expect(t101).toContainEqual(expect.objectContaining({ dst: '10.21.0.0/16', dev: 'net1' }));
    expect(t101).toContainEqual(expect.objectContaining({ dst: HOST_IP, dev: 'veth0' }));
    // hijack routes go via the host IP that `ip route get` names for net1's address (the p1 side)
    expect(t101).toContainEqual(
      expect.objectContaining({ dst: '10.43.0.0/16', gateway: '10.21.0.11', dev: 'veth0' }),
    );
    expect(ipj(podNs, 'route', 'show') as RouteRow[]).not.toContainEqual(
      expect.objectContaining({ dev: 'net1' }),
    );
    expect(ipj(node, 'route', 'show', 'table', '500') as RouteRow[]).toContainEqual(
      expect.objectContaining({ dst: '10.21.168.193', dev: 'vethddddddddddd' }),
    );
    expect(sh(['ip', 'netns', 'exec', node, 'ping', '-c', '1', '-W', '1', '10.21.168.193']).code).toBe(0);
    const del1 = await run('DEL');
    expect(del1.code, del1.stdout).toBe(0);
    expect((await coordinator('DEL', 'pod-d')).code).toBe(0);
    expect(podRoutes()).toEqual(podBefore);
    expect(snapshot(node)).toEqual(nodeBefore);
  });

  it('dual stack: per-family host rule and table 500, /128 host routes, ip6tables mangle rules; DEL restores', async () => {
    const podNs = pods.get('pod-e')?.netns ?? '';
    const nodeBefore = snapshot(node);
    const conf = {
      ...netconf('pod-e'),
      prevResult: {
        cniVersion: '1.0.0',
        interfaces: [{ name: 'eth0', sandbox: `/var/run/netns/${podNs}` }],
        ips: [
          { interface: 0, address: '10.20.168.194/16', gateway: '10.20.0.1' },
          { interface: 0, address: 'fd00:20::194/64' },
        ],
        dns: {},
      },
    };
    const run = (command: string) => inNetns(node, [BIN], cniEnv(command, 'pod-e'), JSON.stringify(conf));
    const add = await run('ADD');
    expect(add.code, add.stdout).toBe(0);
    expect(ipj(node, '-6', 'rule', 'show') as RuleRow[]).toContainEqual(
      expect.objectContaining({ priority: 1000, table: '500' }),
    );
    expect(ipj(node, '-6', 'route', 'show', 'table', '500') as RouteRow[]).toContainEqual(
      expect.objectContaining({ dst: 'fd00:20::194', dev: 'vetheeeeeeeeeee' }),
    );
    expect(ipj(podNs, '-6', 'route', 'show') as RouteRow[]).toContainEqual(
      expect.objectContaining({ dst: 'fd00:20::11', dev: 'veth0' }),
    );
    expect(ipj(podNs, '-6', 'route', 'show', 'table', '100') as RouteRow[]).toContainEqual(
      expect.objectContaining({ dst: 'default', gateway: 'fd00:20::11', dev: 'veth0' }),
    );
    expect(must(['ip', 'netns', 'exec', podNs, 'ip6tables-save', '-t', 'mangle'])).toContain('--save-mark');
    expect(sh(['ip', 'netns', 'exec', node, 'ping', '-6', '-c', '1', '-W', '1', 'fd00:20::194']).code).toBe(
      0,
    );
    const del = await run('DEL');
    expect(del.code, del.stdout).toBe(0);
    expect(snapshot(node)).toEqual(nodeBefore);
  });

  it('DEL of both Pods leaves the node exactly as before ADD; DEL again and with the netns gone succeed', async () => {
    const a = await coordinator('DEL', 'pod-a');
    expect(a.code, a.stdout).toBe(0);
    const podA = pods.get('pod-a')?.netns ?? '';
    expect(must(['ip', 'netns', 'exec', podA, 'iptables-save', '-t', 'mangle'])).not.toContain('CONNMARK');
    expect(ipj(podA, '-4', 'rule', 'show') as RuleRow[]).not.toContainEqual(
      expect.objectContaining({ fwmark: '0x1' }),
    );
    // pod-b still needs the shared rule
    expect(ipj(node, '-4', 'rule', 'show') as RuleRow[]).toContainEqual(
      expect.objectContaining({ priority: 1000 }),
    );
    const b = await coordinator('DEL', 'pod-b');
    expect(b.code, b.stdout).toBe(0);
    expect(snapshot(node)).toEqual(baseline);
    expect((await coordinator('DEL', 'pod-b')).code).toBe(0);
    sh(['ip', 'netns', 'del', pods.get('pod-b')?.netns ?? '']);
    expect((await coordinator('DEL', 'pod-b')).code).toBe(0);
    expect(snapshot(node)).toEqual(baseline);
  });

  it('parallel ADDs on one node share the host rule (a concurrent "File exists" is not an error)', async () => {
    const names = ['pod-a', 'pod-c', 'pod-d', 'pod-e'];
    const adds = await Promise.all(names.map((n) => coordinator('ADD', n)));
    for (const r of adds) expect(r.code, r.stdout).toBe(0);
    const rules = (ipj(node, '-4', 'rule', 'show') as RuleRow[]).filter((r) => r.priority === 1000);
    expect(rules).toHaveLength(1);
    expect((ipj(node, 'route', 'show', 'table', '500') as RouteRow[]).map((r) => r.dst).sort()).toEqual([
      '10.20.168.190',
      '10.20.168.192',
      '10.20.168.193',
      '10.20.168.194',
    ]);
    // DELs one after the other (two concurrent last DELs could both keep the rule: ADR 0014)
    for (const n of names) expect((await coordinator('DEL', n)).code).toBe(0);
    expect(snapshot(node)).toEqual(baseline);
  });

  it('mode disable passes prevResult through; STATUS asks the agent; VERSION lists 1.1.0', async () => {
    const r = await coordinator('ADD', 'pod-a', { mode: 'disable', cniVersion: '0.4.0' });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ cniVersion: '0.4.0', ips: [{ address: '10.20.168.190/16' }] });
    const status = await inNetns(
      node,
      [BIN],
      { PATH: PATH_ENV, CNI_COMMAND: 'STATUS' },
      JSON.stringify({
        cniVersion: '1.1.0',
        name: 'x',
        type: 'coordinator',
        ipam_unix_socket_path: agent.socketPath,
      }),
    );
    expect(status.code).toBe(0);
    const down = await inNetns(
      node,
      [BIN],
      { PATH: PATH_ENV, CNI_COMMAND: 'STATUS' },
      JSON.stringify({
        cniVersion: '1.1.0',
        name: 'x',
        type: 'coordinator',
        ipam_unix_socket_path: join(dir, 'none.sock'),
      }),
    );
    expect(down.json).toMatchObject({ code: 50 });
    const v = await inNetns(
      node,
      [BIN],
      { PATH: PATH_ENV, CNI_COMMAND: 'VERSION' },
      '{"cniVersion":"1.1.0"}',
    );
    expect(v.json).toMatchObject({
      cniVersion: '1.1.0',
      supportedVersions: expect.arrayContaining(['1.1.0', '0.3.1']),
    });
    expect(snapshot(node)).toEqual(baseline);
  });
});

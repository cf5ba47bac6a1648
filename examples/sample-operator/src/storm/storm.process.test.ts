// Issue 9's storm, through the API-server emulator over real HTTP, with every actor a separate OS process:
// two sample operators (status controllers, GC, election under one Lease) and ten `spiderpool-agent`s, one
// per node. A kubelet stand-in (this test) creates 1000 Pods owned by ReplicaSets, spread over the nodes and
// two pools, and runs each Pod's CNI ADD against its node's agent: the bulk over the agent socket with the
// plugin's own request, every 50th Pod through the real `spiderpool` IPAM plugin executable. A failed ADD is
// retried, as kubelet retries a sandbox (an ADD is idempotent per Pod). Meanwhile every 5th Pod is deleted
// (half with a CNI DEL first, half without, so GC has work), one agent is SIGKILLed and restarted as a
// DaemonSet would, and the leading operator is SIGKILLed: the standby must take the Lease within the lease
// duration and its GC reclaim what the deleted Pods held. The end state is checked by ./invariants.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeObject, Lease, Pod, SpiderIPPool, Store } from '@spiderpool-ts/core';
import { createKubernetesStore } from '@spiderpool-ts/k8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddOutcome, type CniPod, pluginAdd, socketAdd, socketDel } from './cniDriver.ts';
import { checkStormState, type LivePod } from './invariants.ts';
import { cpuSeconds, killHard, type Proc, spawnAgent, spawnEmulator, spawnOperator } from './processes.ts';

const NODES = 10;
/** 1000 is issue 9's number; STORM_PODS (a multiple of 100) only for quicker local runs. */
const PODS = Number(process.env.STORM_PODS ?? 1000);
/** ADDs in flight per node (a kubelet starting Pods in parallel). */
const PER_NODE_IN_FLIGHT = 4;
const NS = 'storm';
const LEASE_S = 8;
const RETRY_S = 1;
const GC_INTERVAL_S = 4;
const OPERATOR_FLAGS = [
  '--port',
  '0',
  '--lease-duration',
  String(LEASE_S),
  '--renew-deadline',
  '6',
  '--retry-period',
  String(RETRY_S),
  '--gc-interval',
  String(GC_INTERVAL_S),
  '--coordinator-resync',
  '30',
];
/** Pod i is deleted during the run when ⌊i/NODES⌋ % DELETE_EVERY === 0 (every node loses some); with a CNI DEL
 * first when ⌊i/NODES⌋ is also even. */
const DELETE_EVERY = 5;
/** Pod i's ADD runs the real IPAM plugin executable when i % PLUGIN_EVERY === 7. */
const PLUGIN_EVERY = 50;
/** The agent of this node is SIGKILLed once KILL_AGENT_AT ADDs are done, then restarted. */
const KILLED_NODE = 3;
const KILL_AGENT_AT = (PODS * 3) / 10;
/** The leading operator is SIGKILLed once KILL_OPERATOR_AT ADDs are done. */
const KILL_OPERATOR_AT = (PODS * 11) / 20;
/** Whole-storm deadline for the ADDs, and for the end state to settle after them. */
const STORM_MS = 150_000;
const SETTLE_MS = 45_000;
const START_MS = 90_000;

const POOLS = [
  {
    name: 'storm-a',
    subnet: '10.50.0.0/16',
    ips: ['10.50.0.1-10.50.3.254'],
    gateway: '10.50.255.254',
    size: 1022,
  },
  {
    name: 'storm-b',
    subnet: '10.60.0.0/16',
    ips: ['10.60.0.1-10.60.3.254'],
    gateway: '10.60.255.254',
    size: 1022,
  },
];
const poolOfNode = (n: number): string => (n < NODES / 2 ? 'storm-a' : 'storm-b');

let seeded: { store: Store; kubeconfig: string } | undefined;
let dir = '';
const procs: Proc[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) =>
  process.stdout.write(`[storm +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
let t0 = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spts-storm-'));
  const emulator = spawnEmulator();
  procs.push(emulator);
  const kubeconfig = (await emulator.waitFor(/kubeconfig: (\S+)/, START_MS))[1] ?? '';
  const opened = createKubernetesStore({ kubeConfig: kubeconfig });
  if (opened.isErr()) throw new Error(opened.error.message);
  seeded = { store: opened.value, kubeconfig };
});
afterAll(async () => {
  for (const p of procs) if (p.alive()) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => Promise.race([p.exited, sleep(5_000)])));
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  // The emulator process's kubeconfig dir (../emulator.ts makes it under the temp dir).
  if (seeded?.kubeconfig.startsWith(join(tmpdir(), 'spiderpool-ts-operator-')))
    rmSync(dirname(seeded.kubeconfig), { recursive: true, force: true });
});

const mustCreate = async <T extends KubeObject>(o: T): Promise<T> => {
  const r = await seeded?.store.create(o);
  if (r === undefined || r.isErr())
    throw new Error(`create ${o.kind} ${o.metadata.name}: ${r?.error.message}`);
  return r.value as T;
};

interface StormPod extends CniPod {
  index: number;
  node: number;
  pool: string;
  viaPlugin: boolean;
  /** Deleted during the run; `withDel`: kubelet ran CNI DEL first. */
  deletes: boolean;
  withDel: boolean;
}

describe('storm: operators + 10 agent processes, SIGKILLs mid-run', () => {
  it(
    '1000 Pods: zero duplicate IPs, zero leaks, pools consistent; the standby takes the Lease and GC reclaims',
    async () => {
      if (!seeded) throw new Error('no emulator');
      const { store, kubeconfig } = seeded;
      t0 = Date.now();

      // The cluster: a namespace, ten Ready nodes, two pools, twenty ReplicaSets.
      await mustCreate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      for (let n = 0; n < NODES; n++)
        await mustCreate({
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: `node-${n}` },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        } as KubeObject);
      for (const p of POOLS)
        await mustCreate<SpiderIPPool>({
          apiVersion: 'spiderpool.spidernet.io/v2beta1',
          kind: 'SpiderIPPool',
          metadata: { name: p.name },
          spec: { ipVersion: 4, subnet: p.subnet, ips: p.ips, gateway: p.gateway },
        });
      const replicaSets: { name: string; uid: string }[] = [];
      for (let r = 0; r < 20; r++) {
        const rs = await mustCreate({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { namespace: NS, name: `web-${r}-5f6d7c8b9`, labels: { app: `web-${r}` } },
          spec: { replicas: PODS / 20, selector: { matchLabels: { app: `web-${r}` } } },
        } as KubeObject);
        replicaSets.push({ name: rs.metadata.name, uid: rs.metadata.uid ?? '' });
      }

      // The operators: A first (it leads), then the standby B.
      const opA = spawnOperator('operator op-a', [
        '--kubeconfig',
        kubeconfig,
        '--identity',
        'op-a',
        ...OPERATOR_FLAGS,
      ]);
      procs.push(opA);
      await opA.waitFor(/leading: holds Lease/, START_MS);
      log('op-a leads');
      const opB = spawnOperator('operator op-b', [
        '--kubeconfig',
        kubeconfig,
        '--identity',
        'op-b',
        ...OPERATOR_FLAGS,
      ]);
      procs.push(opB);
      const opBPort = Number((await opB.waitFor(/on port (\d+)/, START_MS))[1]);
      await opB.waitFor(/standby: Lease held by op-a/, START_MS);
      log('op-b is standby');

      // The agents, one per node, each on its own socket.
      const sockets = Array.from({ length: NODES }, (_, n) => join(dir, `agent-${n}.sock`));
      const agents: Proc[] = sockets.map((s, n) => spawnAgent(`node-${n}`, kubeconfig, s));
      procs.push(...agents);
      await Promise.all(agents.map((a) => a.waitFor(/agent ready/, START_MS)));
      log('2 operators and 10 agents up');

      // 1000 Pods, bound to their nodes (the scheduler's part), owned by the ReplicaSets.
      const pods: StormPod[] = [];
      for (let i = 0; i < PODS; i++) {
        const node = i % NODES;
        const pool = poolOfNode(node);
        const rs = replicaSets[i % replicaSets.length] as { name: string; uid: string };
        const created = await mustCreate<Pod>({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            namespace: NS,
            name: `${rs.name}-p${i}`,
            annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [pool] }) },
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.name, uid: rs.uid, controller: true },
            ],
          },
          spec: { nodeName: `node-${node}`, terminationGracePeriodSeconds: 0 },
          status: { phase: 'Running' },
        } as Pod);
        pods.push({
          namespace: NS,
          name: created.metadata.name,
          uid: created.metadata.uid ?? '',
          containerID: `ctr-${i}-${created.metadata.uid ?? ''}`.slice(0, 64),
          index: i,
          node,
          pool,
          viaPlugin: i % PLUGIN_EVERY === 7,
          deletes: Math.floor(i / NODES) % DELETE_EVERY === 0,
          withDel: Math.floor(i / NODES) % (2 * DELETE_EVERY) === 0,
        });
      }
      log(`${PODS} Pods created`);

      // The kubelet stand-in: per node PER_NODE_IN_FLIGHT lanes, each ADD retried until it succeeds.
      const live = new Map<string, LivePod>();
      const deleted = new Set<string>();
      const failedFinal: string[] = [];
      const failureTags = new Map<string, number>();
      let done = 0;
      let retries = 0;
      let retriedOnKilledNode = 0;
      let pluginRuns = 0;
      let dels = 0;
      const deadline = Date.now() + STORM_MS;
      const events: string[] = [];
      const history = new Map<string, string[]>();
      const note = (p: StormPod, what: string) => {
        const h = history.get(p.name) ?? [];
        h.push(`${new Date().toISOString()} ${what}`);
        history.set(p.name, h);
      };

      const addUntilOk = async (p: StormPod): Promise<AddOutcome> => {
        for (let attempt = 0; ; attempt++) {
          const socket = sockets[p.node] as string;
          const r = p.viaPlugin ? await pluginAdd(socket, p) : await socketAdd(socket, p);
          if (p.viaPlugin) pluginRuns++;
          note(p, r.ok ? `ADD ${r.ips.join(',')}` : `ADD failed ${r.tag}: ${r.message}`);
          if (r.ok || Date.now() > deadline) return r;
          retries++;
          if (p.node === KILLED_NODE) retriedOnKilledNode++;
          failureTags.set(r.tag, (failureTags.get(r.tag) ?? 0) + 1);
          await sleep(Math.min(1_000, 100 * (attempt + 1)));
        }
      };

      // The kills run beside the lanes, started by progress.
      let agentKill: Promise<void> | undefined;
      let operatorKill: Promise<void> | undefined;
      let takeoverMs = Number.NaN;
      const killAgent = async () => {
        const victim = agents[KILLED_NODE] as Proc;
        await killHard(victim);
        events.push(
          `+${((Date.now() - t0) / 1000).toFixed(1)}s SIGKILL agent node-${KILLED_NODE} after ${done} ADDs`,
        );
        log(events.at(-1) ?? '');
        await sleep(1_000); // the DaemonSet's restart delay
        const again = spawnAgent(`node-${KILLED_NODE}`, kubeconfig, sockets[KILLED_NODE] as string);
        procs.push(again);
        agents[KILLED_NODE] = again;
        await again.waitFor(/agent ready/, START_MS);
        events.push(
          `+${((Date.now() - t0) / 1000).toFixed(1)}s agent node-${KILLED_NODE} restarted and ready`,
        );
        log(events.at(-1) ?? '');
      };
      const killLeader = async () => {
        const l = await store.get<Lease>({
          kind: 'Lease',
          namespace: 'kube-system',
          name: 'spiderpool-ts-operator',
        });
        expect(l.isOk() && l.value.spec?.holderIdentity).toBe('op-a');
        const from = opB.out().length;
        await killHard(opA);
        const killedAt = Date.now();
        events.push(
          `+${((killedAt - t0) / 1000).toFixed(1)}s SIGKILL leading operator op-a after ${done} ADDs`,
        );
        log(events.at(-1) ?? '');
        await opB.waitFor(/leading: holds Lease/, 4 * LEASE_S * 1000, from);
        takeoverMs = Date.now() - killedAt;
        events.push(
          `+${((Date.now() - t0) / 1000).toFixed(1)}s op-b leads (${takeoverMs} ms after the kill)`,
        );
        log(events.at(-1) ?? '');
      };

      const runPod = async (p: StormPod) => {
        const r = await addUntilOk(p);
        const key = `${p.namespace}/${p.name}`;
        done++;
        if (done === KILL_AGENT_AT) agentKill = killAgent();
        if (done === KILL_OPERATOR_AT) operatorKill = killLeader();
        if (done % 100 === 0) log(`${done} ADDs done, ${retries} retries`);
        if (!r.ok) {
          failedFinal.push(`${key}: ${r.tag} ${r.message}`);
          return;
        }
        if (r.ips.length !== 1) failedFinal.push(`${key}: ADD answered ${r.ips.length} IPs`);
        if (!p.deletes) {
          live.set(key, { uid: p.uid, ip: r.ips[0] ?? '', pool: p.pool });
          return;
        }
        // Pod deletion: kubelet's CNI DEL (half of them; for the rest kubelet never ran it), then the Pod goes.
        if (p.withDel) {
          for (let k = 0; k < 20 && !(await socketDel(sockets[p.node] as string, p)); k++) await sleep(250);
          dels++;
          note(p, 'DEL done');
        }
        const gone = await store.delete({ kind: 'Pod', namespace: p.namespace, name: p.name });
        if (gone.isErr()) failedFinal.push(`${key}: Pod delete failed: ${gone.error.message}`);
        deleted.add(key);
        note(p, 'Pod deleted');
      };

      await Promise.all(
        Array.from({ length: NODES }, async (_, n) => {
          const mine = pods.filter((p) => p.node === n);
          await Promise.all(
            Array.from({ length: PER_NODE_IN_FLIGHT }, async () => {
              for (let p = mine.shift(); p !== undefined; p = mine.shift()) await runPod(p);
            }),
          );
        }),
      );
      await agentKill;
      await operatorKill;
      const stormSeconds = (Date.now() - t0) / 1000;
      log(`ADDs done: ${done}, retries ${retries} (${JSON.stringify(Object.fromEntries(failureTags))})`);

      // Settle: GC (trace path every 5 s, scan-all every GC_INTERVAL_S) reclaims what DEL-less deletions left.
      const facts = {
        live,
        deleted,
        poolSizes: new Map(POOLS.map((p) => [p.name, p.size])),
      };
      const settleBy = Date.now() + SETTLE_MS;
      let state = await checkStormState(store, facts);
      while (state.problems.length > 0 && Date.now() < settleBy) {
        await sleep(1_000);
        state = await checkStormState(store, facts);
      }
      log(
        `settled at +${((Date.now() - t0) / 1000).toFixed(1)}s: ${state.endpoints} endpoints, ${state.records} records`,
      );
      const metrics = await (await fetch(`http://127.0.0.1:${opBPort}/metrics`)).text();
      const reclaimed = Number(metrics.match(/^spiderpool_ip_gc_counts (\d+)/m)?.[1] ?? 'NaN');
      log(
        `storm: ${stormSeconds.toFixed(1)} s for the ADDs; ${pluginRuns} plugin runs; ${dels} DELs; ` +
          `${deleted.size} Pods deleted; op-b's GC reclaimed ${reclaimed} IPs; events: ${events.join('; ')}`,
      );

      const cpu = procs
        .map((p) => [p.name, cpuSeconds(p)] as const)
        .filter(([, c]) => c !== undefined)
        .map(([n, c]) => `${n} ${c?.toFixed(1)}`);
      const self = process.cpuUsage();
      log(`CPU s: test ${((self.user + self.system) / 1e6).toFixed(1)}, ${cpu.join(', ')}`);
      if (state.problems.length > 0) {
        const eps = await store.list('SpiderEndpoint');
        const left = eps.isOk()
          ? eps.value.items.filter((e) => deleted.has(`${e.metadata.namespace}/${e.metadata.name}`))
          : [];
        log(`left endpoints: ${JSON.stringify(left.slice(0, 3).map((e) => e.metadata))}`);
        for (const e of left.slice(0, 3)) {
          const name = e.metadata.name;
          const mentions = (p: Proc) =>
            p
              .out()
              .split('\n')
              .filter((l) => l.includes(`${name} `) || l.endsWith(name) || l.includes(`${name}:`));
          log(`${name}: ${(history.get(name) ?? []).join('; ')}`);
          for (const p of procs) for (const l of mentions(p)) log(`  ${p.name}: ${l}`);
        }
        // STORM_DUMP=<dir>: every process's whole output, for the post-mortem.
        const dump = process.env.STORM_DUMP;
        if (dump)
          for (const p of procs)
            writeFileSync(join(dump, `${p.name.replace(/\s+/g, '-')}-${p.child.pid}.log`), p.out());
        log(
          `op-a errors: ${opA
            .out()
            .split('\n')
            .filter((l) => /gc:|lease:|stopped/.test(l))
            .slice(0, 20)
            .join('\n')}`,
        );
      }
      expect(failedFinal).toEqual([]);
      expect(state.problems.slice(0, 30)).toEqual([]);
      expect(live.size).toBe(PODS - PODS / DELETE_EVERY);
      expect(deleted.size).toBe(PODS / DELETE_EVERY);
      expect(state.endpoints).toBe(live.size);
      expect(state.records).toBe(live.size);
      // The kills really happened mid-run and were survived.
      expect(events.filter((e) => e.includes('SIGKILL'))).toHaveLength(2);
      expect(retriedOnKilledNode).toBeGreaterThan(0);
      expect(pluginRuns).toBeGreaterThanOrEqual(PODS / PLUGIN_EVERY);
      expect(takeoverMs).toBeLessThanOrEqual((LEASE_S + 2 * RETRY_S + 3) * 1000);
      const lease = await store.get<Lease>({
        kind: 'Lease',
        namespace: 'kube-system',
        name: 'spiderpool-ts-operator',
      });
      expect(lease.isOk() && lease.value.spec).toMatchObject({ holderIdentity: 'op-b', leaseTransitions: 1 });
      // The DEL-less deletions after the takeover were op-b's to reclaim.
      expect(reclaimed).toBeGreaterThan(0);
      expect(opB.alive()).toBe(true);
      for (const a of agents) expect(a.alive()).toBe(true);
    },
    START_MS * 2 + STORM_MS + SETTLE_MS,
  );
});

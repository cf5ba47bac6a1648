// Child-process entry of the HTTP storms: the API-server emulator in its own process (so its CPU is not the
// agents'), on a MemoryStore or, with `--etcd`, on an EtcdStore over a real etcd it starts on loopback. It
// seeds the storm's world into its store when asked, counts requests and bytes on its sockets, and checks
// the outcome (endpoint IPs unique, each recorded in its pool for its Pod). Parent <-> child over IPC:
// see emulatorChild.ts for the messages.

import type { PoolIPAllocation, SpiderEndpoint, SpiderIPPool } from '@spiderpool-ts/core';
import { createEtcdStore } from '@spiderpool-ts/k8s';
import { type EtcdProcess, startApiServerEmulator, startEtcd } from '@spiderpool-ts/k8s/testing';
import type { ChildReply, ChildRequest, StormCheck, StormCounters } from './emulatorChild.ts';
import { prefillPools, seedWorld } from './world.ts';

const useEtcd = process.argv.includes('--etcd');
let etcd: EtcdProcess | undefined;
let store: ReturnType<typeof createEtcdStore> | undefined;
if (useEtcd) {
  etcd = await startEtcd();
  store = createEtcdStore({ endpoints: [etcd.endpoint] });
}
const emu = await startApiServerEmulator({ historyLimit: 4096, ...(store ? { store } : {}) });

let closing: Promise<void> | undefined;
const shutdown = (): Promise<void> => {
  closing ??= (async () => {
    await emu.close();
    store?.close();
    await etcd?.close();
  })();
  return closing;
};
// The parent went away (crashed or killed): stop etcd too, then leave.
process.on('disconnect', () => {
  void shutdown().finally(() => process.exit(0));
});

const counters = (): StormCounters => {
  const watches = emu.requests.filter((r) => /[?&]watch=(true|1)/.test(r)).length;
  const cpu = process.cpuUsage();
  return {
    requests: emu.requests.length - watches,
    watches,
    ...emu.traffic(),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
};

const check = async (): Promise<StormCheck> => {
  const eps = (await emu.store.list<SpiderEndpoint>('SpiderEndpoint'))._unsafeUnwrap().items;
  const pools = (await emu.store.list<SpiderIPPool>('SpiderIPPool'))._unsafeUnwrap().items;
  const records = new Map<string, Record<string, PoolIPAllocation>>();
  let poolRecords = 0;
  for (const p of pools) {
    const parsed = JSON.parse(p.status?.allocatedIPs ?? '{}') as Record<string, PoolIPAllocation>;
    records.set(p.metadata.name ?? '', parsed);
    poolRecords += Object.keys(parsed).length;
  }
  const ips = eps.flatMap((e) => e.status.current.ips.map((d) => d.ipv4 ?? ''));
  let unrecorded = 0;
  for (const e of eps)
    for (const d of e.status.current.ips) {
      const ip = (d.ipv4 ?? '').split('/')[0] ?? '';
      const r = records.get(d.ipv4Pool ?? '')?.[ip];
      if (r?.podUid !== e.status.current.uid) unrecorded++;
    }
  return {
    endpoints: eps.length,
    duplicates: ips.length - new Set(ips).size,
    unrecorded,
    poolRecords,
    largestPoolBytes: Math.max(0, ...pools.map((p) => Buffer.byteLength(JSON.stringify(p)))),
  };
};

const reply = (m: ChildReply): void => {
  // The parent may have gone (it gave up waiting): nothing to answer then.
  if (process.connected) process.send?.(m, (e: Error | null) => void e);
};

process.on('message', (raw: unknown) => {
  const m = raw as ChildRequest;
  const answer = async (): Promise<ChildReply> => {
    switch (m.op) {
      case 'seed':
        await seedWorld(emu.store, m.world);
        return { id: m.id, ok: true };
      case 'prefill':
        await prefillPools(emu.store, m.world, m.perPool);
        return { id: m.id, ok: true };
      case 'counters':
        return { id: m.id, ok: true, counters: counters() };
      case 'check':
        return { id: m.id, ok: true, check: await check() };
      case 'close':
        await shutdown();
        return { id: m.id, ok: true };
    }
  };
  answer().then(reply, (e: unknown) =>
    reply({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
reply({ id: 0, ok: true, url: emu.url });

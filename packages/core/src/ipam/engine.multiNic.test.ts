import { describe, expect, it } from 'vitest';
import { failNextWrites } from '../store/index.ts';
import { createIpamEngine } from './engine.ts';
import { addReq, engineWorld, ipPool, noSleepRandom, pod } from './engineTestKit.ts';
import { DEFAULT_RETRY_POLICY } from './retry.ts';

const setup = async () => {
  const w = engineWorld();
  await w.create(
    ipPool('v4a', '10.0.0.0/24', {
      ips: ['10.0.0.10-10.0.0.19'],
      gateway: '10.0.0.1',
      routes: [{ dst: '172.16.0.0/16', gw: '10.0.0.254' }],
    }),
  );
  await w.create(ipPool('v4b', '10.1.0.0/24', { ips: ['10.1.0.10-10.1.0.19'], gateway: '10.1.0.1' }));
  await w.create(ipPool('v6a', 'fd00::/64', { ips: ['fd00::10-fd00::1f'], gateway: 'fd00::1' }));
  const engine = createIpamEngine({ store: w.store, nodeName: 'node-1', ...noSleepRandom(3) });
  return { ...w, engine };
};

describe('IpamEngine: multi-NIC, dual-stack, routes', () => {
  it('ippools annotation: the first ADD allocates every NIC, later ADDs read the endpoint', async () => {
    const t = await setup();
    await t.create(
      pod('default', 'm', {
        annotations: {
          'ipam.spidernet.io/ippools':
            '[{"interface":"eth0","ipv4":["v4a"]},{"interface":"net1","ipv4":["v4b"],"cleangateway":true}]',
        },
      }),
    );
    const eth0 = (await t.engine.allocate(addReq('default', 'm', 'eth0')))._unsafeUnwrap();
    expect(eth0.ips.map((i) => i.address)).toEqual(['10.0.0.10/24']);
    const ep = await t.endpoint('default', 'm');
    expect(ep?.status.current.ips.map((d) => [d.interface, d.ipv4])).toEqual([
      ['eth0', '10.0.0.10/24'],
      ['net1', '10.1.0.10/24'],
    ]);
    expect(ep?.status.current.ips[1]).toMatchObject({ cleanGateway: true, ipv4Gateway: '10.1.0.1' });
    const writes = t.engine.stats().writer.writes;
    const net1 = (await t.engine.allocate(addReq('default', 'm', 'net1')))._unsafeUnwrap();
    expect(net1).toEqual({
      interface: 'net1',
      ips: [
        {
          nic: 'net1',
          version: 4,
          address: '10.1.0.10/24',
          pool: 'v4b',
          gateway: '10.1.0.1',
          cleanGateway: true,
          routes: [],
        },
      ],
      routes: [],
    });
    expect(t.engine.stats().writer.writes).toBe(writes);
  });

  it('no-name ippools: the endpoint stores eth0 and "" and the next ADD fills the name in', async () => {
    const t = await setup();
    await t.create(
      pod('default', 'n', {
        annotations: { 'ipam.spidernet.io/ippools': '[{"ipv4":["v4a"]},{"ipv4":["v4b"]}]' },
      }),
    );
    (await t.engine.allocate(addReq('default', 'n', 'eth0')))._unsafeUnwrap();
    expect((await t.endpoint('default', 'n'))?.status.current.ips.map((d) => d.interface)).toEqual([
      'eth0',
      '',
    ]);
    const net1 = (await t.engine.allocate(addReq('default', 'n', 'net1')))._unsafeUnwrap();
    expect(net1.ips[0]?.address).toBe('10.1.0.10/24');
    expect((await t.endpoint('default', 'n'))?.status.current.ips.map((d) => d.interface)).toEqual([
      'eth0',
      'net1',
    ]);
  });

  it('separate NADs: each ADD allocates its own NIC and appends to the endpoint; one pool serves two NICs', async () => {
    const t = await setup();
    await t.create(pod('default', 's'));
    const a = (
      await t.engine.allocate(addReq('default', 's', 'eth0', { default_ipv4_ippool: ['v4a'] }))
    )._unsafeUnwrap();
    const b = (
      await t.engine.allocate(addReq('default', 's', 'net1', { default_ipv4_ippool: ['v4a'] }))
    )._unsafeUnwrap();
    expect(a.ips[0]?.address).toBe('10.0.0.10/24');
    expect(b.ips[0]?.address).toBe('10.0.0.11/24');
    expect((await t.endpoint('default', 's'))?.status.current.ips.map((d) => d.interface)).toEqual([
      'eth0',
      'net1',
    ]);
    expect((await t.records('v4a')).size).toBe(2);
  });

  it('dual-stack: v4 and v6 in one endpoint entry, default routes for both families', async () => {
    const t = await setup();
    await t.create(
      pod('default', 'd', { annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4a"],"ipv6":["v6a"]}' } }),
    );
    const r = (await t.engine.allocate(addReq('default', 'd')))._unsafeUnwrap();
    expect(r.ips.map((i) => i.address)).toEqual(['10.0.0.10/24', 'fd00::10/64']);
    expect(r.routes).toEqual([
      { dst: '0.0.0.0/0', gw: '10.0.0.1' },
      { dst: '::/0', gw: 'fd00::1' },
      { dst: '172.16.0.0/16', gw: '10.0.0.254' },
    ]);
    expect((await t.endpoint('default', 'd'))?.status.current.ips).toEqual([
      {
        interface: 'eth0',
        ipv4: '10.0.0.10/24',
        ipv6: 'fd00::10/64',
        ipv4Pool: 'v4a',
        ipv6Pool: 'v6a',
        vlan: 0,
        ipv4Gateway: '10.0.0.1',
        ipv6Gateway: 'fd00::1',
        cleanGateway: false,
        routes: [{ dst: '172.16.0.0/16', gw: '10.0.0.254' }],
      },
    ]);
  });

  it('cleanGateway drops the default route; annotation routes go to the NIC whose subnet holds gw', async () => {
    const t = await setup();
    await t.create(
      pod('default', 'r', {
        annotations: {
          'ipam.spidernet.io/routes':
            '[{"dst":"192.168.0.0/16","gw":"10.0.0.99"},{"dst":"192.169.0.0/16","gw":"10.9.9.9"}]',
        },
      }),
    );
    const r = (
      await t.engine.allocate(
        addReq('default', 'r', 'eth0', { default_ipv4_ippool: ['v4a'], clean_gateway: true }),
      )
    )._unsafeUnwrap();
    expect(r.routes).toEqual([
      { dst: '172.16.0.0/16', gw: '10.0.0.254' },
      { dst: '192.168.0.0/16', gw: '10.0.0.99' },
    ]);
    expect(r.ips[0]?.cleanGateway).toBe(true);
  });

  it('falls through to the next candidate pool when the first is exhausted; all exhausted fails cleanly', async () => {
    const t = await setup();
    await t.create(ipPool('tiny', '10.2.0.0/24', { ips: ['10.2.0.1'] }));
    const conf = { default_ipv4_ippool: ['tiny', 'v4b'] };
    await t.create(pod('default', 'x1'));
    await t.create(pod('default', 'x2'));
    expect(
      (await t.engine.allocate(addReq('default', 'x1', 'eth0', conf)))._unsafeUnwrap().ips[0]?.pool,
    ).toBe('tiny');
    expect(
      (await t.engine.allocate(addReq('default', 'x2', 'eth0', conf)))._unsafeUnwrap().ips[0]?.pool,
    ).toBe('v4b');
    await t.create(pod('default', 'x3'));
    const r = await t.engine.allocate(addReq('default', 'x3', 'eth0', { default_ipv4_ippool: ['tiny'] }));
    expect(r._unsafeUnwrapErr()).toMatchObject({ _tag: 'AllPoolsExhausted', pools: ['tiny'] });
  });

  it('skips a pool whose status is unreadable or whose writes keep conflicting, as Spiderpool does', async () => {
    const t = await setup();
    const bad = await t.create(ipPool('bad', '10.3.0.0/24', { ips: ['10.3.0.1-10.3.0.9'] }));
    (await t.store.updateStatus({ ...bad, status: { allocatedIPs: '{not json' } }))._unsafeUnwrap();
    await t.create(pod('default', 'y1'));
    await t.create(pod('default', 'y2'));
    const r = await t.engine.allocate(
      addReq('default', 'y1', 'eth0', { default_ipv4_ippool: ['bad', 'v4b'] }),
    );
    expect(r._unsafeUnwrap().ips[0]).toMatchObject({ pool: 'v4b', address: '10.1.0.10/24' });
    // When no later pool has room, the real cause is reported, not "all IP addresses used out".
    const only = await t.engine.allocate(addReq('default', 'y2', 'eth0', { default_ipv4_ippool: ['bad'] }));
    expect(only._unsafeUnwrapErr()).toMatchObject({ _tag: 'CorruptPoolStatus', pool: 'bad' });
    // A pool whose every write conflicts (retry budget spent) is skipped too.
    const busy = engineWorld();
    await busy.create(ipPool('hot', '10.4.0.0/24', { ips: ['10.4.0.1-10.4.0.9'] }));
    await busy.create(ipPool('cold', '10.5.0.0/24', { ips: ['10.5.0.1-10.5.0.9'] }));
    await busy.create(pod('default', 'z'));
    busy.store.setBeforeWrite(failNextWrites(1000, { when: (op) => op.name === 'hot' }));
    const engine = createIpamEngine({
      store: busy.store,
      nodeName: 'node-1',
      ...noSleepRandom(5),
      retry: { ...DEFAULT_RETRY_POLICY, attempts: 3 },
    });
    const z = await engine.allocate(addReq('default', 'z', 'eth0', { default_ipv4_ippool: ['hot', 'cold'] }));
    expect(z._unsafeUnwrap().ips[0]?.pool).toBe('cold');
    engine.dispose();
  });

  it("a failed family gives back the other family's IP (no half-allocated Pod)", async () => {
    const t = await setup();
    await t.create(ipPool('v6full', 'fd01::/64', { ips: ['fd01::1'] }));
    await t.create(
      pod('default', 'hog', { annotations: { 'ipam.spidernet.io/ippool': '{"ipv6":["v6full"]}' } }),
    );
    (await t.engine.allocate(addReq('default', 'hog')))._unsafeUnwrap();
    await t.create(
      pod('default', 'ds', {
        annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4a"],"ipv6":["v6full"]}' },
      }),
    );
    expect((await t.engine.allocate(addReq('default', 'ds')))._unsafeUnwrapErr()._tag).toBe(
      'AllPoolsExhausted',
    );
    expect((await t.records('v4a')).size).toBe(0);
    expect(await t.endpoint('default', 'ds')).toBeUndefined();
  });

  it('#2517: an agent that stopped between the pool write and the endpoint write is recovered by the retried ADD', async () => {
    const t = await setup();
    let crash = true;
    const crashing = createIpamEngine({
      store: t.store,
      nodeName: 'node-1',
      ...noSleepRandom(5),
      hooks: { afterPoolWrite: () => crash },
    });
    await t.create(pod('default', 'c', { annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4a"]}' } }));
    expect((await crashing.allocate(addReq('default', 'c')))._unsafeUnwrapErr()._tag).toBe('Store');
    expect((await t.records('v4a')).size).toBe(1);
    expect(await t.endpoint('default', 'c')).toBeUndefined();
    crash = false;
    const again = (await t.engine.allocate(addReq('default', 'c')))._unsafeUnwrap();
    expect(again.ips[0]?.address).toBe('10.0.0.10/24');
    expect((await t.records('v4a')).size).toBe(1);
  });
});

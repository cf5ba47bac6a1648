// PF-side VF settings against a scripted iproute2: the exact commands, and the skip on a stand-in PF.
import { describe, expect, it } from 'vitest';
import { createIproute, type RunOutcome, type RunRequest } from '../iproute/index.ts';
import { applyVfSettings, currentVfSettings, restoreVfSettings, vfSetArgs } from './vfSettings.ts';

// `ip -j link show dev enp4s0f0np0` of a PF with VFs (iproute2 6.1 shape, trimmed).
const PF_JSON = JSON.stringify([
  {
    ifname: 'enp4s0f0np0',
    vfinfo_list: [
      {
        vf: 3,
        address: '00:00:00:00:00:00',
        vlan_list: [{ vlan: 0 }],
        spoofchk: true,
        trust: false,
        link_state: 'auto',
        min_tx_rate: 0,
        max_tx_rate: 0,
      },
    ],
  },
]);
const STANDIN_JSON = JSON.stringify([{ ifname: 'pf0', mtu: 1500 }]);

const scripted = (pfJson: string) => {
  const log: string[] = [];
  const runner = async (r: RunRequest): Promise<RunOutcome> => {
    log.push([r.file, ...r.args].join(' '));
    return { exitCode: 0, signal: null, stdout: r.args.includes('-j') ? pfJson : '', stderr: '' };
  };
  return { log, ip: createIproute({ runner }) };
};

const desired = {
  vlan: 100,
  qos: 2,
  spoofchk: 'off',
  trust: 'on',
  min_tx_rate: 10,
  max_tx_rate: 100,
  mac: '0a:1b:0a:14:a8:be',
  link_state: 'enable',
} as const;

describe('VF settings on the PF', () => {
  it('builds one command with every setting, vlan before qos', () => {
    expect(vfSetArgs('enp4s0f0np0', 3, desired).join(' ')).toBe(
      'link set dev enp4s0f0np0 vf 3 vlan 100 qos 2 mac 0a:1b:0a:14:a8:be spoofchk off trust on min_tx_rate 10 max_tx_rate 100 state enable',
    );
  });
  it('reads the current settings from vfinfo_list', () => {
    expect(currentVfSettings(JSON.parse(PF_JSON), 3)).toEqual({
      vlan: 0,
      mac: '00:00:00:00:00:00',
      spoofchk: 'on',
      trust: 'off',
      link_state: 'auto',
      min_tx_rate: 0,
      max_tx_rate: 0,
    });
    expect(currentVfSettings(JSON.parse(PF_JSON), 4)).toBeUndefined();
  });
  it('applies on a PF that lists the VF and answers the originals of exactly what it changed', async () => {
    const { log, ip } = scripted(PF_JSON);
    const r = await applyVfSettings(
      ip,
      { pfNetdev: 'enp4s0f0np0', vfIndex: 3 },
      { vlan: 100, spoofchk: 'off', trust: 'on' },
    );
    expect(r._unsafeUnwrap()).toEqual({ applied: true, original: { vlan: 0, spoofchk: 'on', trust: 'off' } });
    expect(log).toEqual([
      'ip -j link show dev enp4s0f0np0',
      'ip link set dev enp4s0f0np0 vf 3 vlan 100 spoofchk off trust on',
    ]);
    await restoreVfSettings(
      ip,
      { pfNetdev: 'enp4s0f0np0', vfIndex: 3 },
      { vlan: 0, spoofchk: 'on', trust: 'off' },
    );
    expect(log.at(-1)).toBe('ip link set dev enp4s0f0np0 vf 3 vlan 0 spoofchk on trust off');
  });
  it('skips with the reason on a stand-in PF (no vfinfo_list), running only the inspection', async () => {
    const { log, ip } = scripted(STANDIN_JSON);
    const r = (await applyVfSettings(ip, { pfNetdev: 'pf0', vfIndex: 0 }, { vlan: 0 }))._unsafeUnwrap();
    expect(r).toEqual({ applied: false, reason: expect.stringContaining('no vfinfo_list') });
    expect(log).toEqual(['ip -j link show dev pf0']);
    const none = (await applyVfSettings(ip, { vfIndex: 0 }, { vlan: 0 }))._unsafeUnwrap();
    expect(none).toEqual({ applied: false, reason: 'the PF has no netdev' });
  });
});

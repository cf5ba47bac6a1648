// The IPAM plugin's ADD result (any supported cniVersion: `ips[].version` before 1.0.0 or not) read into
// the addresses and routes the sriov plugin configures, checked field by field.
import { isIP } from 'node:net';
import { err, ok, type Result } from 'neverthrow';
import type { AddAnswer } from '../agent/protocol.ts';
import { type CniError, pluginBroken } from '../cni/index.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export const decodeIpamResult = (
  ipamType: string,
  ifName: string,
  result: unknown,
): Result<AddAnswer, CniError> => {
  const bad = (why: string) => err(pluginBroken(ipamType, `unusable IPAM result: ${why}`));
  if (!isRecord(result) || !Array.isArray(result.ips)) return bad('no ips');
  const ips: AddAnswer['ips'] = [];
  for (const ip of result.ips as unknown[]) {
    if (!isRecord(ip) || typeof ip.address !== 'string') return bad(`ips entry ${JSON.stringify(ip)}`);
    const family = isIP(ip.address.split('/')[0] ?? '');
    if (family !== 4 && family !== 6) return bad(`address ${JSON.stringify(ip.address)}`);
    const one: AddAnswer['ips'][number] = { version: family, address: ip.address };
    if (typeof ip.gateway === 'string' && ip.gateway !== '') one.gateway = ip.gateway;
    ips.push(one);
  }
  if (ips.length === 0) return bad('no IP address');
  const routes: AddAnswer['routes'] = [];
  for (const r of (Array.isArray(result.routes) ? result.routes : []) as unknown[]) {
    if (!isRecord(r) || typeof r.dst !== 'string') return bad(`routes entry ${JSON.stringify(r)}`);
    routes.push(typeof r.gw === 'string' && r.gw !== '' ? { dst: r.dst, gw: r.gw } : { dst: r.dst });
  }
  return ok({ interface: ifName, ips, routes });
};

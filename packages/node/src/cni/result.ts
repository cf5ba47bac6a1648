// The ADD result for the requested cniVersion. 0.3.0/0.3.1/0.4.0: `ips[].version` ("4"/"6") is required;
// 1.0.0 drops it. `ips[].interface` (an index into `interfaces`) is only written when interfaces are given:
// an IPAM plugin knows none (the spec says it should not return the field; macvlan sets it itself).
// Omissions follow libcni's `omitempty`: no `routes` key when there are none, no `gw` on an on-link route
// (core writes `gw: ''` for those), no `gateway` when empty.
import type { AddAnswer } from '../agent/protocol.ts';
import type { CniVersion } from './version.ts';
import { ipsCarryVersion } from './version.ts';

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIpConfig {
  version?: '4' | '6';
  interface?: number;
  address: string;
  gateway?: string;
}

export interface CniResult {
  cniVersion: CniVersion;
  interfaces?: CniInterface[];
  ips: CniIpConfig[];
  /** Absent when there are no routes (libcni's `omitempty`). */
  routes?: { dst: string; gw?: string }[];
  dns: Record<string, never>;
}

export interface BuildResultOptions {
  /** A main plugin's interfaces; each IP then points at `interfaceIndex` (default the last one). */
  interfaces?: CniInterface[];
  interfaceIndex?: number;
}

export const buildCniResult = (
  cniVersion: CniVersion,
  answer: AddAnswer,
  options: BuildResultOptions = {},
): CniResult => {
  const interfaces = options.interfaces ?? [];
  const index = options.interfaceIndex ?? interfaces.length - 1;
  const ips = answer.ips.map((ip): CniIpConfig => {
    // Key order as libcni prints them: version, interface, address, gateway.
    const c: CniIpConfig = {
      ...(ipsCarryVersion(cniVersion) ? { version: ip.version === 6 ? ('6' as const) : ('4' as const) } : {}),
      ...(interfaces.length > 0 ? { interface: index } : {}),
      address: ip.address,
    };
    if (ip.gateway !== undefined && ip.gateway !== '') c.gateway = ip.gateway;
    return c;
  });
  const routes = answer.routes.map((r) =>
    r.gw === undefined || r.gw === '' ? { dst: r.dst } : { dst: r.dst, gw: r.gw },
  );
  return {
    cniVersion,
    ...(interfaces.length > 0 ? { interfaces } : {}),
    ips,
    ...(routes.length > 0 ? { routes } : {}),
    dns: {},
  };
};

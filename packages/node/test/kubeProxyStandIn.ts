// Test fixture, not project code: a kube-proxy STAND-IN. It writes into a test "node" netns what kube-proxy's
// iptables mode would for one ClusterIP Service with one endpoint: DNAT of ClusterIP:port to the Pod IP:port
// in PREROUTING (and OUTPUT, for the node's own traffic), and MASQUERADE of the forwarded flow (kube-proxy
// masquerades traffic it cannot prove is Pod-sourced; here, always).
import { sh } from './netnsKit.ts';

export interface ServiceStandIn {
  clusterIP: string;
  port: number;
  endpoint: string;
  endpointPort: number;
}

const rules = (s: ServiceStandIn): string[][] => {
  const dnat = ['-d', `${s.clusterIP}/32`, '-p', 'tcp', '--dport', String(s.port), '-j', 'DNAT'];
  const to = ['--to-destination', `${s.endpoint}:${s.endpointPort}`];
  return [
    ['-t', 'nat', '-A', 'PREROUTING', ...dnat, ...to],
    ['-t', 'nat', '-A', 'OUTPUT', ...dnat, ...to],
    [
      '-t',
      'nat',
      '-A',
      'POSTROUTING',
      '-d',
      `${s.endpoint}/32`,
      '-p',
      'tcp',
      '--dport',
      String(s.endpointPort),
      '-j',
      'MASQUERADE',
    ],
  ];
};

/** Installs the stand-in rules in `netns` and turns on forwarding there (what a node running kube-proxy has). */
export const installKubeProxyStandIn = (netns: string, s: ServiceStandIn): void => {
  for (const r of rules(s)) {
    const out = sh(['ip', 'netns', 'exec', netns, 'iptables', '-w', '5', ...r]);
    if (out.code !== 0) throw new Error(`kube-proxy stand-in: iptables ${r.join(' ')}: ${out.err}`);
  }
  const fwd = sh(['ip', 'netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  if (fwd.code !== 0) throw new Error(`kube-proxy stand-in: ip_forward: ${fwd.err}`);
};

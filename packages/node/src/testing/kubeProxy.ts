// Test doubles only: a kube-proxy stand-in (iptables mode, reduced to what the seed needs) in a node netns:
// ClusterIP `<vip>:<port>` and NodePort `<nodeIP>:<nodePort>` DNATed to the Pod endpoints (random
// balancing with the statistic match, as kube-proxy does), from Pods (PREROUTING) and from the node
// itself (OUTPUT), and masquerade of the DNATed traffic leaving the node. `remove()` deletes the chains.
import { must, sh } from './sh.ts';

export interface KubeProxyOptions {
  netns: string;
  clusterIP: string;
  port: number;
  nodeIP: string;
  nodePort: number;
  /** `ip:port` of each endpoint. */
  endpoints: readonly string[];
}

export interface KubeProxy {
  setEndpoints(endpoints: readonly string[]): void;
  remove(): void;
}

const ipt = (netns: string, ...args: string[]) =>
  must(['ip', 'netns', 'exec', netns, 'iptables', '-w', '5', ...args]);

export const hasIptables = (): boolean =>
  sh(['iptables-save', '--version']).code === 0 || sh(['iptables', '-V']).code === 0;

export const startKubeProxy = (o: KubeProxyOptions): KubeProxy => {
  const svc = 'SPTS-SVC';
  ipt(o.netns, '-t', 'nat', '-N', svc);
  ipt(o.netns, '-t', 'nat', '-N', 'SPTS-POSTROUTING');
  const jumps: string[][] = [
    ['PREROUTING', '-j', svc],
    ['OUTPUT', '-j', svc],
  ];
  for (const j of jumps) ipt(o.netns, '-t', 'nat', '-A', ...j);
  ipt(o.netns, '-t', 'nat', '-A', 'POSTROUTING', '-j', 'SPTS-POSTROUTING');
  ipt(
    o.netns,
    '-t',
    'nat',
    '-A',
    'SPTS-POSTROUTING',
    '-m',
    'conntrack',
    '--ctstate',
    'DNAT',
    '-j',
    'MASQUERADE',
  );
  const setEndpoints = (eps: readonly string[]) => {
    ipt(o.netns, '-t', 'nat', '-F', svc);
    const targets: [string, string][] = [
      [o.clusterIP, String(o.port)],
      [o.nodeIP.split('/')[0] ?? '', String(o.nodePort)],
    ];
    for (const [dst, dport] of targets)
      eps.forEach((ep, i) => {
        const left = eps.length - i;
        const pick =
          left > 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / left).toFixed(5)] : [];
        ipt(
          o.netns,
          '-t',
          'nat',
          '-A',
          svc,
          '-d',
          `${dst}/32`,
          '-p',
          'tcp',
          '--dport',
          dport,
          ...pick,
          '-j',
          'DNAT',
          '--to-destination',
          ep,
        );
      });
  };
  setEndpoints(o.endpoints);
  return {
    setEndpoints,
    remove() {
      sh(['ip', 'netns', 'exec', o.netns, 'iptables', '-w', '5', '-t', 'nat', '-D', 'PREROUTING', '-j', svc]);
      sh(['ip', 'netns', 'exec', o.netns, 'iptables', '-w', '5', '-t', 'nat', '-D', 'OUTPUT', '-j', svc]);
      sh([
        'ip',
        'netns',
        'exec',
        o.netns,
        'iptables',
        '-w',
        '5',
        '-t',
        'nat',
        '-D',
        'POSTROUTING',
        '-j',
        'SPTS-POSTROUTING',
      ]);
      for (const c of [svc, 'SPTS-POSTROUTING']) {
        sh(['ip', 'netns', 'exec', o.netns, 'iptables', '-w', '5', '-t', 'nat', '-F', c]);
        sh(['ip', 'netns', 'exec', o.netns, 'iptables', '-w', '5', '-t', 'nat', '-X', c]);
      }
    },
  };
};

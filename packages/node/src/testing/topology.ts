// Test doubles only: a network-namespace topology standing in for the seed's underlay and its two nodes.
//   switch netns   the underlay L2 switch (bridge br0) and its router: the gateway 10.20.0.1/16 on br0
//   node netns     one per node (`master-11`, `worker-12`), standing in for the node's root netns: a PF
//                  stand-in (veth `enp4s0f0np0` whose peer is a port of br0; the node's own IP on it, default
//                  route via the gateway) and 8 VF stand-ins (macvlan `enp4s0f0v0..7` on the PF stand-in:
//                  like a VF, a separate MAC on the PF's wire)
//   Pod netns      one per Pod sandbox (what the container runtime creates), `lo` up
// Every name is unique per process (pid + counter); `destroy()` deletes every netns it made, which removes
// every link in them. Nothing is done in the root netns.
import { ipIn, must, sh } from './sh.ts';

export interface TopologyNode {
  /** The Kubernetes node name (`master-11`). */
  name: string;
  /** The netns standing in for the node's root netns. */
  netns: string;
  /** The node's IP on the underlay (CIDR), on the PF stand-in. */
  ip: string;
  pf: string;
  vfs: string[];
}

export interface Topology {
  switchNetns: string;
  gateway: string;
  nodes: TopologyNode[];
  node(name: string): TopologyNode;
  /** A Pod sandbox netns; returns its name (the path is `/var/run/netns/<name>`). */
  addPod(label: string): string;
  /** Deletes the Pod netns (what the runtime does after the last DEL). */
  removePod(netns: string): void;
  destroy(): void;
}

export interface TopologyOptions {
  /** Default [['master-11', '10.20.1.11/16'], ['worker-12', '10.20.1.12/16']]. */
  nodes?: readonly (readonly [string, string])[];
  gateway?: string;
  pfName?: string;
  vfCount?: number;
}

let counter = 0;
const unique = (role: string): string => `spts-${role}-${process.pid}-${++counter}`;

export const netnsPath = (name: string): string => `/var/run/netns/${name}`;

/** Why the topology cannot be built here (not root, no iproute2, no netns/veth/macvlan/bridge), or undefined. */
export const probeTopology = (): string | undefined => {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root';
  if (sh(['ip', '-V']).code !== 0) return 'iproute2 (ip) not installed';
  const n = unique('probe');
  if (sh(['ip', 'netns', 'add', n]).code !== 0) return 'cannot create a network namespace';
  try {
    if (sh(['ip', '-n', n, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']).code !== 0)
      return 'kernel lacks veth';
    if (
      sh(['ip', '-n', n, 'link', 'add', 'link', 'p0', 'name', 'm0', 'type', 'macvlan', 'mode', 'bridge'])
        .code !== 0
    )
      return 'kernel lacks macvlan';
    if (sh(['ip', '-n', n, 'link', 'add', 'b0', 'type', 'bridge']).code !== 0) return 'kernel lacks bridge';
    return undefined;
  } finally {
    sh(['ip', 'netns', 'del', n]);
  }
};

export const createTopology = (o: TopologyOptions = {}): Topology => {
  const made: string[] = [];
  const add = (role: string): string => {
    const name = unique(role);
    must(['ip', 'netns', 'add', name]);
    made.push(name);
    ipIn(name, 'link', 'set', 'lo', 'up');
    // No IPv6 duplicate address detection: addresses are final at once, so snapshots settle quickly.
    for (const k of ['all', 'default'])
      sh(['ip', 'netns', 'exec', name, 'sysctl', '-qw', `net.ipv6.conf.${k}.accept_dad=0`]);
    return name;
  };
  const destroy = () => {
    while (made.length > 0) sh(['ip', 'netns', 'del', made.pop() ?? '']);
  };
  try {
    const gateway = o.gateway ?? '10.20.0.1/16';
    const pf = o.pfName ?? 'enp4s0f0np0';
    const vfCount = o.vfCount ?? 8;
    const sw = add('sw');
    ipIn(sw, 'link', 'add', 'br0', 'type', 'bridge');
    ipIn(sw, 'addr', 'add', gateway, 'dev', 'br0');
    ipIn(sw, 'link', 'set', 'br0', 'up');
    const specs = o.nodes ?? [
      ['master-11', '10.20.1.11/16'],
      ['worker-12', '10.20.1.12/16'],
    ];
    const nodes = specs.map(([name, ip], i): TopologyNode => {
      const netns = add(name);
      // A Kubernetes node forwards (kubelet / kube-proxy / the CNI set it); a new netns does not.
      must(['ip', 'netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      const port = `port${i}`;
      // The PF stand-in's cable: created in the switch, one end moved into the node under the PF's name.
      ipIn(sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', `pf${i}`);
      ipIn(sw, 'link', 'set', `pf${i}`, 'netns', netns, 'name', pf);
      ipIn(sw, 'link', 'set', port, 'master', 'br0');
      ipIn(sw, 'link', 'set', port, 'up');
      ipIn(netns, 'link', 'set', pf, 'up');
      ipIn(netns, 'addr', 'add', ip, 'dev', pf);
      ipIn(netns, 'route', 'add', 'default', 'via', gateway.split('/')[0] ?? '', 'dev', pf);
      const vfs: string[] = [];
      for (let v = 0; v < vfCount; v++) {
        const vf = `${pf.replace(/np\d+$/, '')}v${v}`;
        ipIn(netns, 'link', 'add', 'link', pf, 'name', vf, 'type', 'macvlan', 'mode', 'bridge');
        vfs.push(vf);
      }
      return { name, netns, ip, pf, vfs };
    });
    return {
      switchNetns: sw,
      gateway,
      nodes,
      node(name) {
        const n = nodes.find((x) => x.name === name);
        if (n === undefined) throw new Error(`no node ${name} in the topology`);
        return n;
      },
      addPod: (label) => add(label),
      removePod(netns) {
        const i = made.indexOf(netns);
        if (i >= 0) made.splice(i, 1);
        sh(['ip', 'netns', 'del', netns]);
      },
      destroy,
    };
  } catch (e) {
    destroy();
    throw e;
  }
};

// Test doubles only: what "the node is exactly as before" means in the netns tests: links, addresses,
// routes of every table, rules and iptables of a node netns, normalised only where the kernel changes a
// value by itself (counters).
import { ipJson, sh } from './sh.ts';

export interface NodeSnapshot {
  links: unknown;
  addrs: unknown;
  routes: unknown;
  rules: unknown;
  iptables: string;
}

/** `iptables-save` without its comment lines and with packet/byte counters zeroed. */
export const iptablesSave = (netns: string): string => {
  const r = sh(['ip', 'netns', 'exec', netns, 'iptables-save']);
  return r.out
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
};

export const snapshotNode = (netns: string): NodeSnapshot => ({
  links: ipJson(netns, 'link', 'show'),
  addrs: ipJson(netns, 'addr', 'show'),
  routes: ipJson(netns, 'route', 'show', 'table', 'all'),
  rules: ipJson(netns, 'rule', 'show'),
  iptables: iptablesSave(netns),
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A snapshot once the kernel has finished its own asynchronous work (IPv6 link-local addresses and their
 * routes appear after link up): two equal snapshots 150 ms apart without tentative addresses, or the last
 * one after `deadlineMs`.
 */
export const stableSnapshot = async (netns: string, deadlineMs = 5000): Promise<NodeSnapshot> => {
  const end = Date.now() + deadlineMs;
  let prev = JSON.stringify(snapshotNode(netns));
  for (;;) {
    await sleep(150);
    const cur = snapshotNode(netns);
    const text = JSON.stringify(cur);
    if ((text === prev && !text.includes('"tentative"')) || Date.now() > end) return cur;
    prev = text;
  }
};

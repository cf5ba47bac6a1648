// ADR 0030: cluster default pools (an order nobody wrote) start at a per-node place; every order a user gave
// (Pod annotations, Namespace defaults, the CNI config's default pools) is kept exactly, first pool first.
import { describe, expect, it } from 'vitest';
import { collectCandidates, selectCandidates } from './candidates.ts';
import { mkInput, mkNamespace, mkNode, mkPod, mkPool } from './candidatesTestKit.ts';

const NAMES = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
const defaults = NAMES.map((n) => mkPool(n, { default: true }));
const nodes = Array.from({ length: 50 }, (_, i) => `node-${i}`);

const v4 = (input: Parameters<typeof selectCandidates>[0]): string[] =>
  selectCandidates(input)._unsafeUnwrap()[0]?.versions[0]?.pools ?? [];
const onNode = (node: string, over: Partial<Parameters<typeof selectCandidates>[0]> = {}) =>
  mkInput({ pools: defaults, node: mkNode({}, node), pod: mkPod({}, {}, node), ...over });

describe('cluster default pools are rotated per node', () => {
  it('the same node always gets the same order, a rotation of the names', () => {
    for (const node of nodes) {
      const order = v4(onNode(node));
      expect(v4(onNode(node, { pools: [...defaults].reverse() }))).toEqual(order);
      const at = NAMES.indexOf(order[0] ?? '');
      expect(order).toEqual([...NAMES.slice(at), ...NAMES.slice(0, at)]);
    }
  });

  it('different nodes start on different pools', () => {
    const firsts = new Set(nodes.map((n) => v4(onNode(n))[0]));
    expect(firsts.size).toBe(NAMES.length);
  });

  it('the Pod node is the key when the Node object is unknown; explain shows the same order', () => {
    for (const node of nodes.slice(0, 10)) {
      expect(v4(onNode(node, { node: undefined }))).toEqual(v4(onNode(node)));
      expect(collectCandidates(onNode(node))._unsafeUnwrap()[0]?.versions[0]?.pools).toEqual(
        v4(onNode(node)),
      );
    }
  });

  it('filtered pools leave the rotation to the usable ones', () => {
    const pools = [...defaults.slice(0, 5), mkPool('d5', { default: true, disable: true })];
    for (const node of nodes) expect([...v4(onNode(node, { pools }))].sort()).toEqual(NAMES.slice(0, 5));
  });
});

describe('a user-given order is never rotated', () => {
  const given = ['d3', 'd1', 'd5', 'd0'];
  const cases: Array<[string, (node: string) => Parameters<typeof selectCandidates>[0]]> = [
    [
      'Pod ipam.spidernet.io/ippool',
      (node) =>
        onNode(node, {
          pod: mkPod({ 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: given }) }, {}, node),
        }),
    ],
    [
      'Pod ipam.spidernet.io/ippools',
      (node) =>
        onNode(node, {
          pod: mkPod(
            { 'ipam.spidernet.io/ippools': JSON.stringify([{ interface: 'eth0', ipv4: given }]) },
            {},
            node,
          ),
        }),
    ],
    [
      'Namespace default pools',
      (node) =>
        onNode(node, {
          namespace: mkNamespace({ 'ipam.spidernet.io/default-ipv4-ippool': JSON.stringify(given) }),
        }),
    ],
    [
      'CNI config default_ipv4_ippool (SpiderMultusConfig ippools)',
      (node) => onNode(node, { ipamConfig: { default_ipv4_ippool: given } }),
    ],
  ];
  for (const [title, input] of cases) {
    it(title, () => {
      for (const node of nodes) expect(v4(input(node))).toEqual(given);
    });
  }
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IPPoolSpec } from '../api/index.ts';
import { selectCandidates } from './candidates.ts';
import { mkInput, mkPool } from './candidatesTestKit.ts';
import {
  comparePools,
  orderPools,
  orderPoolsRotated,
  poolPriority,
  type RankedPool,
  stableHash,
} from './order.ts';

const ranked = (name: string, spec: Partial<IPPoolSpec>, position: number): RankedPool => ({
  pool: mkPool(name, spec),
  position,
});

const sel = { matchLabels: { a: 'b' } };

describe('ordering (§3.4)', () => {
  const rules: Array<[string, Partial<IPPoolSpec>, Partial<IPPoolSpec>]> = [
    ['podAffinity beats nodeName', { podAffinity: sel }, { nodeName: ['n'], nodeAffinity: sel }],
    ['nodeName beats nodeAffinity', { nodeName: ['n'] }, { nodeAffinity: sel, namespaceName: ['x'] }],
    ['nodeAffinity beats namespaceName', { nodeAffinity: sel }, { namespaceName: ['x'], multusName: ['m'] }],
    [
      'namespaceName beats namespaceAffinity',
      { namespaceName: ['x'] },
      { namespaceAffinity: sel, multusName: ['m'] },
    ],
    ['namespaceAffinity beats multusName', { namespaceAffinity: sel }, { multusName: ['m'] }],
    ['multusName beats nothing', { multusName: ['m'] }, {}],
  ];
  for (const [title, first, second] of rules) {
    it(title, () => {
      // the better pool is listed last, so only priority can put it first
      const out = orderPools([ranked('second', second, 0), ranked('first', first, 1)]);
      expect(out.map((r) => r.pool.metadata.name)).toEqual(['first', 'second']);
    });
  }
  it('empty lists do not count', () => {
    expect(poolPriority(mkPool('p', { nodeName: [], multusName: [] }))).toBe(0);
  });
  it('ties keep the listed order, then name', () => {
    const out = orderPools([ranked('b', {}, 1), ranked('c', {}, 0), ranked('a', {}, 1)]);
    expect(out.map((r) => r.pool.metadata.name)).toEqual(['c', 'a', 'b']);
  });
});

const specArb: fc.Arbitrary<Partial<IPPoolSpec>> = fc.record(
  {
    podAffinity: fc.constant(sel),
    nodeName: fc.constantFrom([], ['n']),
    nodeAffinity: fc.constant(sel),
    namespaceName: fc.constantFrom([], ['x']),
    namespaceAffinity: fc.constant(sel),
    multusName: fc.constantFrom([], ['m']),
  },
  { requiredKeys: [] },
);
const rankedArb = fc
  .tuple(fc.constantFrom('a', 'b', 'c', 'd'), specArb, fc.nat({ max: 4 }))
  .map(([n, s, p]) => ranked(n, s, p));

describe('ordering properties', () => {
  it('comparePools is a total order (reflexive zero, antisymmetric, transitive)', () => {
    fc.assert(
      fc.property(rankedArb, rankedArb, rankedArb, (a, b, c) => {
        expect(comparePools(a, a)).toBe(0);
        expect(Math.sign(comparePools(a, b)) + Math.sign(comparePools(b, a))).toBe(0);
        if (comparePools(a, b) <= 0 && comparePools(b, c) <= 0)
          expect(comparePools(a, c)).toBeLessThanOrEqual(0);
        if (comparePools(a, b) === 0) {
          expect(a.pool.metadata.name).toBe(b.pool.metadata.name);
          expect(a.position).toBe(b.position);
        }
      }),
    );
  });
  it('orderPools is deterministic: any permutation of the input gives the same output', () => {
    const distinct = fc.uniqueArray(rankedArb, {
      selector: (r) => `${r.pool.metadata.name}/${r.position}`,
      maxLength: 8,
    });
    fc.assert(
      fc.property(distinct, fc.nat(), (pools, seed) => {
        const shuffled = [...pools];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as RankedPool, shuffled[i] as RankedPool];
        }
        const key = (rs: RankedPool[]) => rs.map((r) => `${r.pool.metadata.name}/${r.position}`);
        expect(key(orderPools(shuffled))).toEqual(key(orderPools(pools)));
      }),
    );
  });
  it('the output is sorted by priority', () => {
    fc.assert(
      fc.property(fc.array(rankedArb, { maxLength: 10 }), (pools) => {
        const prio = orderPools(pools).map((r) => poolPriority(r.pool));
        expect(prio).toEqual([...prio].sort((x, y) => y - x));
      }),
    );
  });
});

describe('selection does not depend on the order of the pool list', () => {
  it('shuffled pools give the same NicCandidates', () => {
    const poolArb = fc.uniqueArray(
      fc
        .tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), specArb)
        .map(([n, s]) => mkPool(n, { ...s, default: true })),
      { selector: (p) => p.metadata.name, minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(poolArb, (pools) => {
        const input = { pod: mkInput().pod, namespace: mkInput().namespace, node: mkInput().node };
        const a = selectCandidates(mkInput({ ...input, pools }));
        const b = selectCandidates(mkInput({ ...input, pools: [...pools].reverse() }));
        expect(b).toEqual(a);
      }),
    );
  });
});

describe('rotation of equal candidates per node (ADR 0030)', () => {
  const equal = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'].map((n, i) => ranked(n, {}, i));
  const names = (rs: RankedPool[]) => rs.map((r) => r.pool.metadata.name);
  const nodes = Array.from({ length: 50 }, (_, i) => `node-${i}`);

  it('is stable per node and a rotation of the deterministic order', () => {
    for (const node of nodes) {
      const out = names(orderPoolsRotated(equal, node));
      expect(names(orderPoolsRotated([...equal].reverse(), node))).toEqual(out);
      const at = stableHash(node) % equal.length;
      expect(out).toEqual([...names(equal).slice(at), ...names(equal).slice(0, at)]);
    }
    expect(stableHash('node-7')).toBe(stableHash('node-7'));
  });

  it('spreads different nodes over the pools', () => {
    const firsts = new Map<string, number>();
    for (const node of nodes) {
      const first = names(orderPoolsRotated(equal, node))[0] ?? '';
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // every pool is some node's first choice, none takes more than a third of the nodes
    expect(firsts.size).toBe(equal.length);
    expect(Math.max(...firsts.values())).toBeLessThanOrEqual(Math.ceil(nodes.length / 3));
  });

  it('rotates only within a priority class: higher-priority pools stay first', () => {
    const pools = [
      ranked('pinned', { nodeName: ['node-1'] }, 0),
      ...equal.map((r, i) => ({ ...r, position: i + 1 })),
    ];
    for (const node of nodes) {
      const out = names(orderPoolsRotated(pools, node));
      expect(out[0]).toBe('pinned');
      expect([...out.slice(1)].sort()).toEqual(names(equal));
    }
  });

  it('keeps every pool (a permutation), so a full pool still falls through to the next', () => {
    fc.assert(
      fc.property(fc.array(rankedArb, { maxLength: 10 }), fc.string(), (pools, node) => {
        const key = (rs: RankedPool[]) => rs.map((r) => `${r.pool.metadata.name}/${r.position}`).sort();
        const out = orderPoolsRotated(pools, node);
        expect(key(out)).toEqual(key(pools));
        const prio = out.map((r) => poolPriority(r.pool));
        expect(prio).toEqual([...prio].sort((x, y) => y - x));
      }),
    );
  });
});

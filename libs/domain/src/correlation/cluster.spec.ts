import { clusterEdges, walkCluster, type ClusterLookups } from './cluster';
import type { Correlation } from './correlation';

/**
 * A small world of incidents (ids sort by age: i1 oldest) linked by correlations, with some of them
 * invisible to the reader; the lookups answer from it as the stores would, and count their calls.
 */
function world(links: Array<[string, string, string?]>, invisible: string[] = []) {
  const correlations: Correlation[] = links.map(([found, earlier, value], i) => ({
    id: `cor-${i}`,
    key: `domain:${value ?? `v${i}.example`}`,
    type: 'domain',
    value: value ?? `v${i}.example`,
    found: { incidentId: found, orgId: `org-${found}` },
    earlier: { incidentId: earlier, orgId: `org-${earlier}` },
    createdAt: new Date(Date.UTC(2026, 10, 24, 0, 0, i)),
  }));
  const calls = { correlationsOf: [] as string[][], correlationsAmong: [] as string[][], visible: [] as string[][] };
  const touches = (c: Correlation, ids: readonly string[]) =>
    ids.includes(c.found.incidentId) || ids.includes(c.earlier.incidentId);
  const lookups: ClusterLookups<{ id: string }> = {
    correlationsOf: (ids) => {
      calls.correlationsOf.push([...ids]);
      return Promise.resolve({ correlations: correlations.filter((c) => touches(c, ids)), complete: true });
    },
    correlationsAmong: (ids) => {
      calls.correlationsAmong.push([...ids]);
      const among = correlations.filter((c) => ids.includes(c.found.incidentId) && ids.includes(c.earlier.incidentId));
      return Promise.resolve({ correlations: among, complete: true });
    },
    visible: (ids) => {
      calls.visible.push([...ids]);
      return Promise.resolve(ids.filter((id) => !invisible.includes(id)).map((id) => ({ id })));
    },
  };
  return { correlations, calls, lookups };
}

const ids = (nodes: Array<{ id: string }>) => nodes.map((n) => n.id);

describe('walkCluster', () => {
  it('walks two hops, one read of correlations and one of incidents per hop', async () => {
    const { calls, lookups } = world([
      ['i2', 'i1'],
      ['i3', 'i2'],
      ['i4', 'i3'],
    ]);
    const walk = await walkCluster({ id: 'i2' }, { hops: 2, maxNodes: 200 }, lookups);
    expect(ids(walk.nodes)).toEqual(['i2', 'i3', 'i1', 'i4']);
    expect(walk.truncated).toBe(false);
    expect(calls.correlationsOf).toEqual([['i2'], ['i3', 'i1']]);
    expect(calls.visible).toEqual([['i1', 'i3'], ['i4']]);
    // The last hop is one incident: nothing among it to read.
    expect(calls.correlationsAmong).toEqual([]);
  });

  it('stops after one hop when asked', async () => {
    const { lookups } = world([
      ['i2', 'i1'],
      ['i3', 'i1'],
      ['i4', 'i3'],
    ]);
    const walk = await walkCluster({ id: 'i1' }, { hops: 1, maxNodes: 200 }, lookups);
    expect(ids(walk.nodes)).toEqual(['i1', 'i3', 'i2']);
  });

  it('never passes through an incident the reader may not see', async () => {
    // i1 — i2 (invisible) — i3: i3 is two hops away only through i2.
    const { calls, lookups } = world(
      [
        ['i2', 'i1', 'bridge.example'],
        ['i3', 'i2', 'beyond.example'],
      ],
      ['i2'],
    );
    const walk = await walkCluster({ id: 'i1' }, { hops: 2, maxNodes: 200 }, lookups);
    expect(ids(walk.nodes)).toEqual(['i1']);
    expect(calls.correlationsOf).toEqual([['i1']]);
    expect(clusterEdges(walk.correlations, new Set(ids(walk.nodes)))).toEqual([]);
  });

  it('reads the correlations among the last hop, so the cluster holds every edge between its nodes', async () => {
    const { calls, lookups } = world([
      ['i2', 'i1'],
      ['i3', 'i1'],
      ['i3', 'i2', 'between.example'],
    ]);
    const walk = await walkCluster({ id: 'i1' }, { hops: 1, maxNodes: 200 }, lookups);
    expect(calls.correlationsAmong).toEqual([['i3', 'i2']]);
    const edges = clusterEdges(walk.correlations, new Set(ids(walk.nodes)));
    expect(edges.map((e) => [e.source, e.target])).toEqual([
      ['i2', 'i1'],
      ['i3', 'i1'],
      ['i3', 'i2'],
    ]);
  });

  it('caps the nodes, newest first, and says so', async () => {
    const links: Array<[string, string]> = Array.from({ length: 9 }, (_, i) => [`i${i + 1}`, 'i0']);
    const { calls, lookups } = world(links);
    const walk = await walkCluster({ id: 'i0' }, { hops: 2, maxNodes: 4 }, lookups);
    expect(ids(walk.nodes)).toEqual(['i0', 'i9', 'i8', 'i7']);
    expect(walk.truncated).toBe(true);
    // A capped hop is not walked further.
    expect(calls.correlationsOf).toEqual([['i0']]);
  });

  it('reports a hop whose correlations were not all read as truncated', async () => {
    const { lookups } = world([['i2', 'i1']]);
    const partial: ClusterLookups<{ id: string }> = {
      ...lookups,
      correlationsOf: async (list) => ({ ...(await lookups.correlationsOf(list)), complete: false }),
    };
    const walk = await walkCluster({ id: 'i1' }, { hops: 2, maxNodes: 200 }, partial);
    expect(ids(walk.nodes)).toEqual(['i1', 'i2']);
    expect(walk.truncated).toBe(true);
  });
});

describe('clusterEdges', () => {
  it('makes one edge per pair with every shared indicator, and drops edges to outsiders', () => {
    const { correlations } = world([
      ['b', 'a', 'z.example'],
      ['b', 'a', 'y.example'],
      ['a', 'b', 'y.example'],
      ['c', 'a', 'x.example'],
    ]);
    expect(clusterEdges(correlations, new Set(['a', 'b']))).toEqual([
      {
        source: 'b',
        target: 'a',
        indicators: [
          { type: 'domain', value: 'y.example', kind: 'exact', strength: 'strong', matched: null },
          { type: 'domain', value: 'z.example', kind: 'exact', strength: 'strong', matched: null },
        ],
      },
    ]);
  });

  it('keeps each kind apart on an edge and gives the source’s and the target’s values', () => {
    const side = (incidentId: string) => ({ incidentId, orgId: `org-${incidentId}` });
    const at = new Date('2026-01-01T00:00:00Z');
    const correlations = [
      {
        id: 'c1',
        key: 'k1',
        type: 'ipv4' as const,
        value: '10.0.0.1',
        found: side('b'),
        earlier: side('a'),
        createdAt: at,
      },
      {
        id: 'c2',
        key: 'k2',
        type: 'ipv4' as const,
        value: '10.0.0.1',
        kind: 'ip-in-cidr' as const,
        matched: { type: 'cidr' as const, value: '10.0.0.0/8' },
        found: side('a'),
        earlier: side('b'),
        createdAt: new Date('2026-01-02T00:00:00Z'),
      },
    ];
    expect(clusterEdges(correlations, new Set(['a', 'b']))).toEqual([
      {
        source: 'b',
        target: 'a',
        indicators: [
          // c2 was found by a on b's range: from b (the edge's source) the range is b's own value.
          {
            type: 'cidr',
            value: '10.0.0.0/8',
            kind: 'ip-in-cidr',
            strength: 'medium',
            matched: { type: 'ipv4', value: '10.0.0.1' },
          },
          { type: 'ipv4', value: '10.0.0.1', kind: 'exact', strength: 'strong', matched: null },
        ],
      },
    ]);
  });
});

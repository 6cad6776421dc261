import type { ClusterNode } from '../api/types';
import { clusterElements, hopsFromRoot, nodeOrder, shortLabel, stepNode, TLP_COLOUR } from './cluster-elements';

const node = (id: string, title: string, tlp: ClusterNode['tlp'], root = false): ClusterNode => ({
  id,
  title,
  tlp,
  root,
  organization: { id: 'org-a', name: 'CERT-A' },
  severity: 'high',
  classification: { class: 'fraud', type: 'phishing' },
  state: 'correlated',
  status: 'new',
  createdAt: '2026-11-29T10:00:00.000Z',
});

const EXACT = { kind: 'exact' as const, strength: 'strong' as const, matched: null };

describe('cluster elements', () => {
  const nodes = [node('b', 'Beta', 'RED'), node('r', 'Root', 'AMBER+STRICT', true), node('a', 'Alpha', 'GREEN')];
  const edges = [
    { source: 'r', target: 'a', indicators: [{ type: 'ipv4' as const, value: '203.0.113.7', ...EXACT }] },
    { source: 'r', target: 'gone', indicators: [{ type: 'domain' as const, value: 'evil.example', ...EXACT }] },
  ];

  it('colours nodes by TLP, marks the root, and labels edges', () => {
    const elements = clusterElements({ nodes, edges }, (edge) => edge.indicators.map((i) => i.value).join());
    const byId = new Map(elements.map((element) => [element.data.id, element]));
    expect(byId.get('r')).toMatchObject({ classes: 'root', data: { colour: '#ffc000', tlp: 'AMBER+STRICT' } });
    expect(byId.get('b')?.data.colour).toBe(TLP_COLOUR.RED);
    expect(byId.get('a')?.classes).toBeUndefined();
    expect(byId.get('r~a')).toMatchObject({ group: 'edges', data: { source: 'r', target: 'a', label: '203.0.113.7' } });
    // No edge to a node that is not drawn.
    expect(elements.filter((element) => element.group === 'edges')).toHaveLength(1);
  });

  it('counts hops from the root; unreached nodes come last', () => {
    const chain = [
      { source: 'a', target: 'r', indicators: [] },
      { source: 'a', target: 'b', indicators: [] },
    ];
    const lone = node('z', 'Zeta', 'CLEAR');
    expect(Object.fromEntries(hopsFromRoot({ nodes: [...nodes, lone], edges: chain }))).toEqual({
      r: 0,
      a: 1,
      b: 2,
      z: 3,
    });
  });

  it('orders the root first, then by title', () => {
    expect(nodeOrder(nodes).map((n) => n.id)).toEqual(['r', 'a', 'b']);
  });

  it('walks the nodes around, starting at either end', () => {
    const order = ['r', 'a', 'b'];
    expect(stepNode(order, null, 1)).toBe('r');
    expect(stepNode(order, null, -1)).toBe('b');
    expect(stepNode(order, 'b', 1)).toBe('r');
    expect(stepNode(order, 'r', -1)).toBe('b');
    expect(stepNode(order, 'a', 1)).toBe('b');
    expect(stepNode([], null, 1)).toBeNull();
  });

  it('shortens long titles for the canvas', () => {
    expect(shortLabel('short')).toBe('short');
    expect(shortLabel('x'.repeat(60))).toHaveLength(40);
  });
});

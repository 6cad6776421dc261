import type { ElementDefinition } from 'cytoscape';
import type { ClusterEdge, ClusterNode, ClusterReply, Tlp } from '../api/types';

/** TLP 2.0 (FIRST) colours, as on the badges; AMBER+STRICT shares AMBER's. */
export const TLP_COLOUR: Record<Tlp, string> = {
  CLEAR: '#ffffff',
  GREEN: '#33ff00',
  AMBER: '#ffc000',
  'AMBER+STRICT': '#ffc000',
  RED: '#ff2b2b',
};

/** Longest title drawn on the canvas; the list beside it carries the whole title. */
const LABEL_LENGTH = 40;

export const shortLabel = (title: string): string =>
  title.length <= LABEL_LENGTH ? title : `${title.slice(0, LABEL_LENGTH - 1).trimEnd()}…`;

/** The order keyboard users walk the nodes in (and the list shows them): the root, then by title. */
export function nodeOrder(nodes: readonly ClusterNode[]): ClusterNode[] {
  return [...nodes].sort(
    (a, b) => Number(b.root) - Number(a.root) || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1),
  );
}

/**
 * How many correlations away from the root each node is (its ring in the drawing); nodes the edges
 * do not reach from the root come last.
 */
export function hopsFromRoot(cluster: Pick<ClusterReply, 'nodes' | 'edges'>): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  for (const { source, target } of cluster.edges) {
    neighbours.set(source, [...(neighbours.get(source) ?? []), target]);
    neighbours.set(target, [...(neighbours.get(target) ?? []), source]);
  }
  const root = cluster.nodes.find((node) => node.root);
  const hops = new Map<string, number>(root ? [[root.id, 0]] : []);
  const queue = root ? [root.id] : [];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of neighbours.get(id) ?? []) {
      if (hops.has(next)) continue;
      hops.set(next, (hops.get(id) ?? 0) + 1);
      queue.push(next);
    }
  }
  const farthest = Math.max(0, ...hops.values());
  for (const node of cluster.nodes) if (!hops.has(node.id)) hops.set(node.id, farthest + 1);
  return hops;
}

/**
 * The graph for cytoscape: a node per incident (coloured by its TLP, the root marked, its hops from
 * the root), an edge per
 * pair of correlated incidents, labelled by `edgeLabel` (one indicator's value, or how many).
 */
export function clusterElements(
  cluster: Pick<ClusterReply, 'nodes' | 'edges'>,
  edgeLabel: (edge: ClusterEdge) => string,
): ElementDefinition[] {
  const ids = new Set(cluster.nodes.map((node) => node.id));
  const hops = hopsFromRoot(cluster);
  const nodes: ElementDefinition[] = cluster.nodes.map((node) => ({
    group: 'nodes',
    data: {
      id: node.id,
      label: shortLabel(node.title),
      colour: TLP_COLOUR[node.tlp],
      tlp: node.tlp,
      hops: hops.get(node.id) ?? 0,
    },
    classes: node.root ? 'root' : undefined,
  }));
  // An edge needs both ends drawn; the api sends only edges between the nodes it sends, this keeps it so.
  const edges: ElementDefinition[] = cluster.edges
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
    .map((edge) => ({
      group: 'edges',
      data: { id: `${edge.source}~${edge.target}`, source: edge.source, target: edge.target, label: edgeLabel(edge) },
    }));
  return [...nodes, ...edges];
}

/** The node `step` places after (or before) `current` in `order`, wrapping around; the first when none. */
export function stepNode(order: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (order.length === 0) return null;
  const at = current === null ? -1 : order.indexOf(current);
  if (at < 0) return step === 1 ? (order[0] ?? null) : (order[order.length - 1] ?? null);
  return order[(at + step + order.length) % order.length] ?? null;
}

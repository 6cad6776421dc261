import type { IndicatorType } from '../indicators';
import type { IncidentSummary } from '../incidents/incident-view';
import { indicatorsOf, type Correlation } from './correlation';
import {
  STRENGTH_OF_KIND,
  kindOf,
  type CorrelationKind,
  type CorrelationStrength,
  type IndexedIndicator,
} from './index-plan';

/** An incident of a correlation cluster: its summary as the reader is told it, and whether the walk began there. */
export interface ClusterNode extends IncidentSummary {
  root: boolean;
}

/**
 * The indicators two incidents of the cluster share: `source` found the match on `target` (the
 * earlier incident of their first correlation).
 */
export interface ClusterEdgeIndicator {
  /** The source's indicator. */
  type: IndicatorType;
  value: string;
  kind: CorrelationKind;
  strength: CorrelationStrength;
  /** The target's indicator when it is not the same value (both incidents are visible to the reader). */
  matched: IndexedIndicator | null;
}

export interface ClusterEdge {
  source: string;
  target: string;
  indicators: ClusterEdgeIndicator[];
}

export interface IncidentCluster {
  nodes: ClusterNode[];
  edges: ClusterEdge[];
  /** The node cap was reached, or a hop had more correlations than are read at once. */
  truncated: boolean;
}

/** What the walk asks the stores, one batch per hop. */
export interface ClusterLookups<T extends { id: string }> {
  /** Correlations with a side among `incidentIds`; `complete` is false when some were left unread. */
  correlationsOf(incidentIds: readonly string[]): Promise<{ correlations: Correlation[]; complete: boolean }>;
  /** Correlations whose two sides are both among `incidentIds`. */
  correlationsAmong(incidentIds: readonly string[]): Promise<{ correlations: Correlation[]; complete: boolean }>;
  /** Those of `incidentIds` the reader may see (the visibility rule decides); the others are left out. */
  visible(incidentIds: readonly string[]): Promise<T[]>;
}

export interface ClusterWalk<T> {
  /** The root first, then each hop's incidents, newest first. */
  nodes: T[];
  correlations: Correlation[];
  truncated: boolean;
}

/**
 * Breadth-first walk over correlations from `root` (which the reader may see), `hops` deep, through
 * visible incidents only: an incident the reader may not see is neither a node nor a bridge, so
 * nothing reached beyond it tells what it carries. Each hop costs one read of correlations and one
 * of incidents, whatever its width; the last hop's incidents get one more read for the correlations
 * among themselves, so the cluster holds every correlation between its nodes.
 */
export async function walkCluster<T extends { id: string }>(
  root: T,
  options: { hops: number; maxNodes: number },
  lookups: ClusterLookups<T>,
): Promise<ClusterWalk<T>> {
  const nodes: T[] = [root];
  const considered = new Set([root.id]);
  const correlations = new Map<string, Correlation>();
  const keep = (found: Correlation[]) => found.forEach((c) => correlations.set(c.id, c));
  let frontier: T[] = [root];
  let truncated = false;
  for (let hop = 0; hop < options.hops && frontier.length > 0 && !truncated; hop++) {
    const read = await lookups.correlationsOf(frontier.map((node) => node.id));
    keep(read.correlations);
    if (!read.complete) truncated = true;
    const candidates = new Set<string>();
    for (const correlation of read.correlations) {
      for (const side of [correlation.found.incidentId, correlation.earlier.incidentId]) {
        if (!considered.has(side)) candidates.add(side);
      }
    }
    candidates.forEach((id) => considered.add(id));
    if (candidates.size === 0) {
      frontier = [];
      break;
    }
    const next = (await lookups.visible([...candidates])).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const room = options.maxNodes - nodes.length;
    if (next.length > room) {
      truncated = true;
      next.length = Math.max(room, 0);
    }
    nodes.push(...next);
    frontier = next;
  }
  if (frontier.length > 1) {
    const among = await lookups.correlationsAmong(frontier.map((node) => node.id));
    keep(among.correlations);
    if (!among.complete) truncated = true;
  }
  return { nodes, correlations: [...correlations.values()], truncated };
}

/**
 * The edges between `nodeIds`: one per pair of incidents, with every indicator they share (each
 * correlation is one shared indicator), in a stable order. Correlations with a side outside the
 * nodes are left out.
 */
export function clusterEdges(correlations: readonly Correlation[], nodeIds: ReadonlySet<string>): ClusterEdge[] {
  const edges = new Map<string, ClusterEdge>();
  const ordered = [...correlations].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const correlation of ordered) {
    const source = correlation.found.incidentId;
    const target = correlation.earlier.incidentId;
    if (!nodeIds.has(source) || !nodeIds.has(target) || source === target) continue;
    const pair = source < target ? `${source}\n${target}` : `${target}\n${source}`;
    let edge = edges.get(pair);
    if (!edge) {
      edge = { source, target, indicators: [] };
      edges.set(pair, edge);
    }
    const kind = kindOf(correlation);
    const { own, other } = indicatorsOf(correlation, edge.source);
    const matched = kind === 'exact' ? null : other;
    const same = (i: ClusterEdgeIndicator) =>
      i.type === own.type &&
      i.value === own.value &&
      i.kind === kind &&
      i.matched?.type === matched?.type &&
      i.matched?.value === matched?.value;
    if (!edge.indicators.some(same)) {
      edge.indicators.push({ ...own, kind, strength: STRENGTH_OF_KIND[kind], matched });
    }
  }
  const order = (i: ClusterEdgeIndicator) =>
    `${i.type}\n${i.value}\n${i.kind}\n${i.matched?.type ?? ''}\n${i.matched?.value ?? ''}`;
  for (const edge of edges.values()) {
    edge.indicators.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }
  return [...edges.values()];
}

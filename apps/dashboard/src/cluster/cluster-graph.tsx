import cytoscape, { type Core, type NodeSingular } from 'cytoscape';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ClusterReply } from '../api/types';
import { clusterElements, nodeOrder, stepNode } from './cluster-elements';
import { CLUSTER_STYLE } from './cluster-style';

/**
 * cytoscape adds an inline `<style>` (`position: relative` for its container) unless an element with
 * this id already exists. The page's Content-Security-Policy refuses inline styles, so a marker
 * element takes the id and styles.css gives `.cluster-canvas` that rule.
 */
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';

function markCytoscapeStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
  const marker = document.createElement('meta');
  marker.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.append(marker);
}

const STEP: Record<string, 1 | -1> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * The cluster drawn with cytoscape.js: a click (or tap) on a node opens that incident. The canvas
 * itself takes the keyboard too — arrow keys move between nodes (announced), Enter opens the one
 * reached — and the list beside it (`ClusterList`) offers the same incidents as plain links.
 */
export function ClusterGraph({ cluster }: { cluster: ClusterReply }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const graph = useRef<Core | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const order = nodeOrder(cluster.nodes);
  const open = (id: string) => void navigate(`/incidents/${encodeURIComponent(id)}`);
  const edgeLabel = (edge: ClusterReply['edges'][number]) =>
    edge.indicators.length === 1
      ? (edge.indicators[0]?.value ?? '')
      : t('cluster.shared', { count: edge.indicators.length });

  useEffect(() => {
    if (!container.current) return;
    markCytoscapeStylesheet();
    const cy = cytoscape({
      container: container.current,
      elements: clusterElements(cluster, edgeLabel),
      style: CLUSTER_STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    // Rings around the root, one per hop.
    cy.layout({
      name: 'concentric',
      concentric: (node) => 100 - Number(node.data('hops')),
      levelWidth: () => 1,
      minNodeSpacing: 48,
      padding: 24,
      animate: false,
    }).run();
    cy.on('tap', 'node', (event) => open((event.target as NodeSingular).id()));
    graph.current = cy;
    return () => {
      graph.current = null;
      cy.destroy();
    };
    // Redrawn when the cluster changes, and in another language (edge labels are words).
  }, [cluster, i18n.language]);

  const focus = (id: string | null) => {
    setFocused(id);
    const cy = graph.current;
    if (!cy) return;
    cy.elements().unselect();
    if (id) cy.getElementById(id).select();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const step = STEP[event.key];
    if (step) {
      event.preventDefault();
      focus(
        stepNode(
          order.map((node) => node.id),
          focused,
          step,
        ),
      );
    } else if (event.key === 'Enter' && focused) {
      event.preventDefault();
      open(focused);
    } else if (event.key === 'Escape') {
      focus(null);
    }
  };

  const current = order.find((node) => node.id === focused);
  return (
    <div className="cluster-graph">
      <div
        ref={container}
        className="cluster-canvas"
        role="application"
        aria-roledescription={t('cluster.graph')}
        aria-label={t('cluster.graphLabel', { count: cluster.nodes.length })}
        aria-describedby="cluster-keys"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => focus(null)}
      />
      <p id="cluster-keys" className="muted">
        {t('cluster.keys')}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {current
          ? t('cluster.focused', {
              title: current.title,
              tlp: current.tlp,
              position: order.indexOf(current) + 1,
              count: order.length,
            })
          : ''}
      </p>
    </div>
  );
}

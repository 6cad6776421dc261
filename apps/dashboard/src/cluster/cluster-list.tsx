import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClusterNode } from '../api/types';
import { SEVERITY } from '../ui/labels';
import { TlpBadge } from '../ui/tlp-badge';
import { nodeOrder } from './cluster-elements';

/** The cluster's incidents as links, in the order the graph's keyboard walk takes: the accessible view of the graph. */
export function ClusterList({ nodes }: { nodes: readonly ClusterNode[] }) {
  const { t } = useTranslation();
  return (
    <ul className="cluster-list" aria-label={t('cluster.list')}>
      {nodeOrder(nodes).map((node) => (
        <li key={node.id} data-incident-id={node.id} className={node.root ? 'root' : undefined}>
          <TlpBadge tlp={node.tlp} />{' '}
          {node.root ? (
            <span aria-current="page">
              {node.title} <span className="muted">{t('cluster.thisIncident')}</span>
            </span>
          ) : (
            <Link to={`/incidents/${encodeURIComponent(node.id)}`}>{node.title}</Link>
          )}{' '}
          <span className="muted">
            {node.organization.name} · {t(SEVERITY[node.severity])}
          </span>
        </li>
      ))}
    </ul>
  );
}

import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { ClusterReply } from '../api/types';
import { clusterKey } from '../live/live-bridge';
import { ClusterList } from './cluster-list';

/** cytoscape.js is loaded with the first graph shown, not with the page. */
const ClusterGraph = lazy(() => import('./cluster-graph').then((module) => ({ default: module.ClusterGraph })));

/** How many correlations away the cluster reaches. */
const HOPS = 2;

/** The incidents correlated with this one (and with those), that the reader may see: a graph and a list. */
export function ClusterSection({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const cluster = useQuery({
    queryKey: clusterKey(incidentId),
    queryFn: () =>
      session.request<ClusterReply>('GET', `/api/v1/incidents/${encodeURIComponent(incidentId)}/cluster?hops=${HOPS}`),
  });
  return (
    <section className="cluster" aria-labelledby="cluster-title">
      <h2 id="cluster-title">{t('cluster.title')}</h2>
      {cluster.isPending && <p>{t('common.loading')}</p>}
      {cluster.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {cluster.isSuccess &&
        (cluster.data.nodes.length <= 1 ? (
          <p>{t('cluster.alone')}</p>
        ) : (
          <>
            {cluster.data.truncated && (
              <p className="muted">{t('cluster.truncated', { count: cluster.data.nodes.length })}</p>
            )}
            <div className="cluster-body">
              <Suspense fallback={<p>{t('common.loading')}</p>}>
                <ClusterGraph cluster={cluster.data} />
              </Suspense>
              <ClusterList nodes={cluster.data.nodes} />
            </div>
          </>
        ))}
    </section>
  );
}

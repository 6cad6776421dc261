import { ApiError } from '../api/session';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSigned } from '../app';
import type { Incident } from '../api/types';
import { ClusterSection } from '../cluster/cluster-section';
import { incidentKey } from '../live/live-bridge';
import { TimelineSection } from '../timeline/timeline-section';
import { PapBadge } from '../ui/pap-badge';
import { TlpBadge } from '../ui/tlp-badge';
import { WorkflowPanel } from '../workflow/workflow-panel';
import { mayChange } from '../workflow/workflow-access';
import { Comments } from './comments';
import { Correlations } from './correlations';
import { IncidentFields } from './incident-fields';
import { IndicatorsTable } from './indicators-table';
import { usePeople } from './use-people';

export function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { session, live, user } = useSigned();
  const { people, nameOf } = usePeople();
  const incident = useQuery({
    queryKey: incidentKey(id),
    queryFn: () => session.request<Incident>('GET', `/api/v1/incidents/${encodeURIComponent(id)}`),
  });

  // Detail events (comments, timeline) for as long as the page is open; re-joined on every reconnection.
  useEffect(() => {
    live.join(id);
    return () => live.leave(id);
  }, [live, id]);

  if (incident.isPending) return <p>{t('common.loading')}</p>;
  if (incident.isError) {
    const retracted = incident.error instanceof ApiError && incident.error.status === 410;
    return <p role="alert">{t(retracted ? 'incident.retracted' : 'incident.notFound')}</p>;
  }
  const data = incident.data;
  const owner = mayChange(user, data);

  return (
    <article className="incident">
      <p>
        <Link to="/">{t('incident.back')}</Link>
      </p>
      <header className="incident-head">
        <TlpBadge tlp={data.tlp} />
        <PapBadge pap={data.pap} />
        <h1>{data.title}</h1>
      </header>
      <div className="incident-top">
        <IncidentFields incident={data} nameOf={nameOf} />
        {owner && <WorkflowPanel incident={data} people={people} />}
      </div>
      <p className="description">{data.description}</p>
      <IndicatorsTable incident={data} />
      <Correlations incident={data} mayAct={owner} />
      <ClusterSection incidentId={id} />
      <TimelineSection incidentId={id} nameOf={nameOf} />
      <Comments incidentId={id} />
    </article>
  );
}

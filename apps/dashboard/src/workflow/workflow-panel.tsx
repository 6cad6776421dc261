import { useTranslation } from 'react-i18next';
import type { Incident, OrganizationUser } from '../api/types';
import { AssigneeControl } from './assignee-control';
import { RetractControl } from './retract-control';
import { StatusControl } from './status-control';
import { TlpControl } from './tlp-control';

/** The submitting organization's controls: status, assignment, TLP, retraction. */
export function WorkflowPanel({ incident, people }: { incident: Incident; people: OrganizationUser[] | null }) {
  const { t } = useTranslation();
  return (
    <section className="workflow" aria-labelledby="workflow-title">
      <h2 id="workflow-title">{t('workflow.title')}</h2>
      <StatusControl key={incident.status} incident={incident} />
      <AssigneeControl incident={incident} people={people} />
      <TlpControl key={incident.tlp} incident={incident} />
      <RetractControl incidentId={incident.id} />
    </section>
  );
}

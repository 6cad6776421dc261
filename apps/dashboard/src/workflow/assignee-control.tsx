import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { Incident, OrganizationUser } from '../api/types';
import { ChangeError } from './change-error';
import { useIncidentChange } from './use-incident-change';

/**
 * Who works on the incident: any reader of the organization when the reader may list its people
 * (org-admins); otherwise "assign to me" and "unassign".
 */
export function AssigneeControl({
  incident,
  people,
}: {
  incident: Pick<Incident, 'id' | 'assigneeId'>;
  people: OrganizationUser[] | null;
}) {
  const { t } = useTranslation();
  const { user } = useSigned();
  const change = useIncidentChange(incident.id);
  const current = incident.assigneeId;

  if (people) return <AssigneePicker key={current ?? ''} incident={incident} people={people} />;
  return (
    <div className="control" role="group" aria-label={t('workflow.assignee')}>
      {current !== user.id && (
        <button type="button" disabled={change.isPending} onClick={() => change.mutate({ assigneeId: user.id })}>
          {t('workflow.assignMe')}
        </button>
      )}
      {current !== null && (
        <button type="button" disabled={change.isPending} onClick={() => change.mutate({ assigneeId: null })}>
          {t('workflow.unassign')}
        </button>
      )}
      <ChangeError error={change.error} />
    </div>
  );
}

/** People who may work on incidents: those with a reading role. */
const worksOnIncidents = (person: OrganizationUser) =>
  person.roles.includes('analyst') || person.roles.includes('oncall');

function AssigneePicker({
  incident,
  people,
}: {
  incident: Pick<Incident, 'id' | 'assigneeId'>;
  people: OrganizationUser[];
}) {
  const { t } = useTranslation();
  const change = useIncidentChange(incident.id);
  const [choice, setChoice] = useState(incident.assigneeId ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ assigneeId: choice || null });
  };
  return (
    <form className="control" onSubmit={submit}>
      <label>
        <span>{t('workflow.assignee')}</span>
        <select name="assignee" value={choice} onChange={(event) => setChoice(event.target.value)}>
          <option value="">{t('workflow.nobody')}</option>
          {people.filter(worksOnIncidents).map((person) => (
            <option key={person.id} value={person.id}>
              {person.name || person.email}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={change.isPending || choice === (incident.assigneeId ?? '')}>
        {t('workflow.assign')}
      </button>
      <ChangeError error={change.error} />
    </form>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/session';
import type { Incident, IncidentStatus } from '../api/types';
import { incidentKey } from '../live/live-bridge';
import { STATUS } from '../ui/labels';
import { ChangeError } from './change-error';
import { useIncidentChange } from './use-incident-change';
import { statusChoices } from './workflow-access';

/**
 * Moves the incident along the workflow, offering only the moves it allows. Keyed by the status by
 * its parent, so a change (here or live) starts it afresh.
 */
export function StatusControl({ incident }: { incident: Pick<Incident, 'id' | 'status'> }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const change = useIncidentChange(incident.id);
  const [allowed, setAllowed] = useState<readonly string[] | undefined>();
  const [choice, setChoice] = useState<IncidentStatus | ''>('');
  const choices = statusChoices(incident.status, allowed);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return;
    change.mutate(
      { status: choice },
      {
        onError: (error) => {
          // The incident moved meanwhile: offer what the api allows now, and re-read it.
          if (error instanceof ApiError && error.status === 409 && error.details.allowed) {
            setAllowed(error.details.allowed);
            setChoice('');
            void queries.invalidateQueries({ queryKey: incidentKey(incident.id) });
          }
        },
      },
    );
  };

  return (
    <form className="control" onSubmit={submit}>
      <label>
        <span>{t('workflow.status')}</span>
        <select
          name="status"
          value={choice}
          onChange={(event) => setChoice(event.target.value as IncidentStatus | '')}
          disabled={choices.length === 0}
        >
          <option value="">{t('workflow.chooseStatus')}</option>
          {choices.map((status) => (
            <option key={status} value={status}>
              {t(STATUS[status])}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={!choice || change.isPending}>
        {t('workflow.changeStatus')}
      </button>
      <ChangeError error={change.error} />
    </form>
  );
}

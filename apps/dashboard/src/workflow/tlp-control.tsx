import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS } from '../api/domain';
import type { Incident, Tlp } from '../api/types';
import { ChangeError } from './change-error';
import { useIncidentChange } from './use-incident-change';

/**
 * Changes the TLP. The api judges whether the recipients the incident names fit the new level (and
 * says which field does not); the change takes effect for every reader at once.
 */
export function TlpControl({ incident }: { incident: Pick<Incident, 'id' | 'tlp'> }) {
  const { t } = useTranslation();
  const change = useIncidentChange(incident.id);
  const [choice, setChoice] = useState<Tlp>(incident.tlp);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ tlp: choice });
  };
  return (
    <form className="control" onSubmit={submit}>
      <label>
        <span>{t('workflow.tlp')}</span>
        <select name="tlp" dir="ltr" value={choice} onChange={(event) => setChoice(event.target.value as Tlp)}>
          {TLP_LEVELS.map((level) => (
            <option key={level} value={level}>
              {t('tlp.label', { level })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={change.isPending || choice === incident.tlp}>
        {t('workflow.changeTlp')}
      </button>
      <ChangeError error={change.error} />
    </form>
  );
}

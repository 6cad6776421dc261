import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { ChangeError } from './change-error';

/**
 * Retracts the incident (`POST /api/v1/incidents/:id/retract`): the submitting organization withdraws
 * what it shared, with a reason. Behind a disclosure and a confirmation box, since it cannot be undone;
 * the worker then withdraws its correlations and alerts and tells everyone who was told of it.
 */
export function RetractControl({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const retract = useMutation({
    mutationFn: () =>
      session.request<{ id: string }>('POST', `/api/v1/incidents/${encodeURIComponent(incidentId)}/retract`, {
        reason,
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    retract.mutate();
  };
  if (retract.isSuccess) {
    return (
      <p role="status" className="retracted">
        {t('workflow.retracted')}
      </p>
    );
  }
  return (
    <details className="control retract">
      <summary>{t('workflow.retract')}</summary>
      <form onSubmit={submit}>
        <label>
          <span>{t('workflow.retractReason')}</span>
          <textarea name="reason" maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <label className="confirm">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />
          <span>{t('workflow.retractConfirm')}</span>
        </label>
        <button type="submit" disabled={retract.isPending || !sure || reason.trim() === ''}>
          {t('workflow.retractButton')}
        </button>
        <ChangeError error={retract.error} />
      </form>
    </details>
  );
}

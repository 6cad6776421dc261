import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { SIGHTING_KINDS, SIGHTING_NOTE_MAX } from '../api/domain';
import { useScopes } from '../api/me';
import type { Incident, IncidentIndicator, NewSighting, Sighting, SightingKind } from '../api/types';
import { k } from '../i18n/keys';
import { incidentKey } from '../live/live-bridge';

export const SIGHTING_KIND_LABEL = {
  seen: k('sightings.kindSeen'),
  'false-positive': k('sightings.kindFalsePositive'),
  expired: k('sightings.kindExpired'),
} satisfies Record<SightingKind, string>;

/**
 * One indicator's sightings cell: what partners reported of it (summed by the api over every
 * sighting of the incident), and, for people who may write, a small form to report one more.
 */
export function SightingsCell({ incident, indicator }: { incident: Incident; indicator: IncidentIndicator }) {
  const { t } = useTranslation();
  const scopes = useScopes();
  const { seen, falsePositive, expired, lastSeen } = indicator.sightings;
  return (
    <div className="sightings">
      {seen + falsePositive + expired === 0 ? (
        <span className="muted">{t('sightings.none')}</span>
      ) : (
        <span className="sighting-counts">{t('sightings.counts', { seen, falsePositive, expired })}</span>
      )}
      {lastSeen && (
        <span className="sighting-last">
          {t('sightings.lastSeen')} <time dateTime={lastSeen}>{t('common.dateTime', { at: new Date(lastSeen) })}</time>
        </span>
      )}
      {scopes.has('incidents:write') && <ReportSighting incidentId={incident.id} indicator={indicator} />}
    </div>
  );
}

function ReportSighting({ incidentId, indicator }: { incidentId: string; indicator: IncidentIndicator }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const queries = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<SightingKind>('seen');
  const [count, setCount] = useState('1');
  const [note, setNote] = useState('');
  const countValue = Number(count);
  const countOk = /^\d+$/.test(count) && countValue >= 1;

  const report = useMutation({
    mutationFn: (body: NewSighting) =>
      session.request<Sighting>('POST', `/api/v1/incidents/${encodeURIComponent(incidentId)}/sightings`, body),
    onSuccess: () => {
      setOpen(false);
      setKind('seen');
      setCount('1');
      setNote('');
      // The counts are the api's; the timeline entry arrives live.
      void queries.invalidateQueries({ queryKey: incidentKey(incidentId) });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!countOk) return;
    report.mutate({
      indicator: { type: indicator.type, value: indicator.value },
      kind,
      count: countValue,
      ...(note.trim() ? { note } : {}),
    });
  };

  if (!open) {
    return (
      <button type="button" className="report-sighting" onClick={() => setOpen(true)}>
        {t('sightings.report')}
      </button>
    );
  }
  return (
    <form className="sighting-form" onSubmit={submit} aria-label={t('sightings.report')}>
      <label htmlFor={`${ids}-kind`}>{t('sightings.kind')}</label>
      <select id={`${ids}-kind`} name="kind" value={kind} onChange={(e) => setKind(e.target.value as SightingKind)}>
        {SIGHTING_KINDS.map((option) => (
          <option key={option} value={option}>
            {t(SIGHTING_KIND_LABEL[option])}
          </option>
        ))}
      </select>
      <label htmlFor={`${ids}-count`}>{t('sightings.count')}</label>
      <input
        id={`${ids}-count`}
        name="count"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        value={count}
        onChange={(e) => setCount(e.target.value)}
      />
      <label htmlFor={`${ids}-note`}>{t('sightings.note')}</label>
      <textarea
        id={`${ids}-note`}
        name="note"
        dir="auto"
        maxLength={SIGHTING_NOTE_MAX}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {report.isError && <p role="alert">{t('sightings.failed')}</p>}
      <div className="sighting-actions">
        <button type="submit" disabled={report.isPending || !countOk}>
          {t('sightings.submit')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('sightings.cancel')}
        </button>
      </div>
    </form>
  );
}

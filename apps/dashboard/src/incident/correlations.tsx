import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSigned } from '../app';
import { ApiError } from '../api/session';
import type { ContactEvent, Correlation, FalsePositiveMark, FalsePositiveState, Incident } from '../api/types';
import { ALERTS_KEY, INCIDENT_KEY, incidentKey } from '../live/live-bridge';
import { CORRELATION_KIND, CORRELATION_STRENGTH } from '../ui/labels';
import { TlpBadge } from '../ui/tlp-badge';
import { useMessage } from '../ui/use-message';
import { contactState } from './contact-state';
import { markOf, withFalsePositive } from './false-positives';

/**
 * The incident's correlations, each worded by what the reader may know of the other side, with its
 * kind and strength, and whether the reader's organization marked it as a false positive. `mayAct`:
 * the reader's organization owns the incident and the reader may write (`incidents:write`), which is
 * what asking for contact and marking a false positive need.
 */
export function Correlations({ incident, mayAct }: { incident: Incident; mayAct: boolean }) {
  const { t } = useTranslation();
  const correlations = incident.correlations;
  return (
    <section aria-labelledby="correlations-title">
      <h2 id="correlations-title">{t('incident.correlations', { count: correlations.length })}</h2>
      <ul className="correlations">
        {correlations.map((correlation) => {
          const mark = markOf(incident, correlation.id);
          return (
            <li
              key={correlation.id}
              data-correlation-id={correlation.id}
              data-false-positive={mark ? 'true' : 'false'}
              className={mark ? 'false-positive' : undefined}
            >
              <CorrelationLine correlation={correlation} />
              <FalsePositive incidentId={incident.id} correlation={correlation} mark={mark} mayAct={mayAct} />
              <Contact correlation={correlation} mayAct={mayAct} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The kind of a correlation and its strength, translated; and the other side's value when it differs. */
function KindOf({ correlation }: { correlation: Correlation }) {
  const { t } = useTranslation();
  return (
    <>
      {' '}
      <span className="correlation-kind" data-kind={correlation.kind} data-strength={correlation.strength}>
        {t('correlation.kindStrength', {
          kind: t(CORRELATION_KIND[correlation.kind]),
          strength: t(CORRELATION_STRENGTH[correlation.strength]),
        })}
      </span>
      {correlation.matched && (
        <>
          {' '}
          {t('correlation.matched')}{' '}
          <bdi dir="ltr" className="value">
            {correlation.matched.value}
          </bdi>
        </>
      )}
    </>
  );
}

/** What the reader may know of the other side, in the wording its disclosure level allows. */
export function CorrelationLine({ correlation }: { correlation: Correlation }) {
  const { t } = useTranslation();
  const counterpart = correlation.counterpart;
  const value = (
    <>
      <bdi dir="ltr" className="value">
        {correlation.value}
      </bdi>
      <KindOf correlation={correlation} />
    </>
  );
  switch (counterpart.disclosure) {
    case 'full':
      return (
        <>
          {value} — {t('correlation.full', { organization: counterpart.organization.name })}{' '}
          <Link to={`/incidents/${encodeURIComponent(counterpart.incident.id)}`}>{counterpart.incident.title}</Link>{' '}
          <TlpBadge tlp={counterpart.incident.tlp} />
        </>
      );
    case 'named':
      return (
        <>
          {value} — {t('correlation.named', { organization: counterpart.organization.name })}{' '}
          <TlpBadge tlp={counterpart.tlp} />
        </>
      );
    case 'anonymous':
      return (
        <>
          {value} — {t('correlation.anonymous')} <TlpBadge tlp={counterpart.tlp} />
        </>
      );
    case 'nothing':
      return (
        <>
          {value} — {t('correlation.nothing')}
        </>
      );
  }
}

/**
 * The organization's false-positive mark on a correlation: said when made, and — for those who may
 * act — a button to make it or take it back. The api's answer goes into the page at once; since the
 * mark is on the pair of values, open incidents and the inbox are then read again.
 */
function FalsePositive({
  incidentId,
  correlation,
  mark,
  mayAct,
}: {
  incidentId: string;
  correlation: Correlation;
  mark: FalsePositiveMark | null;
  mayAct: boolean;
}) {
  const { t } = useTranslation();
  const { session, user } = useSigned();
  const queries = useQueryClient();
  const toggle = useMutation({
    mutationFn: (marked: boolean) =>
      session.request<FalsePositiveState>(
        marked ? 'POST' : 'DELETE',
        `/api/v1/correlations/${encodeURIComponent(correlation.id)}/false-positive`,
      ),
    onSuccess: (state) => {
      queries.setQueryData<Incident>(incidentKey(incidentId), (data) => (data ? withFalsePositive(data, state) : data));
      void queries.invalidateQueries({ queryKey: INCIDENT_KEY });
      void queries.invalidateQueries({ queryKey: ALERTS_KEY });
    },
  });
  if (!mark && !mayAct) return null;
  const at = mark ? new Date(mark.at) : null;
  return (
    <div className="false-positive-control">
      {mark && at && (
        <span className="false-positive-mark">
          {mark.by === user.id
            ? t('falsePositive.markedByYou', { at })
            : t('falsePositive.markedByOrganization', { at })}
        </span>
      )}
      {mayAct && (
        <>
          {mark && ' '}
          <button type="button" disabled={toggle.isPending} onClick={() => toggle.mutate(!mark)}>
            {toggle.isPending ? t('falsePositive.saving') : mark ? t('falsePositive.unmark') : t('falsePositive.mark')}
          </button>
        </>
      )}
      {toggle.isError && (
        <span role="alert" className="error">
          {toggle.error instanceof ApiError && toggle.error.status === 404
            ? t('falsePositive.notYours')
            : t('falsePositive.failed')}
        </span>
      )}
    </div>
  );
}

/**
 * Brokered contact on a match: the side told of an anonymous match may ask its owner to make itself
 * known; the owner may accept or decline. Shown as the request stands, with the actions the api allows.
 */
function Contact({ correlation, mayAct }: { correlation: Correlation; mayAct: boolean }) {
  const { t } = useTranslation();
  const say = useMessage();
  const { session } = useSigned();
  const queries = useQueryClient();
  const contact = correlation.contact;
  const reread = () => queries.invalidateQueries({ queryKey: incidentKey(correlation.yourIncidentId) });
  const ask = useMutation({
    mutationFn: () =>
      session.request<ContactEvent>('POST', `/api/v1/correlations/${encodeURIComponent(correlation.id)}/contact`, {
        yourIncidentId: correlation.yourIncidentId,
      }),
    onSuccess: reread,
  });
  const answer = useMutation({
    mutationFn: (verdict: 'accept' | 'decline') =>
      session.request<ContactEvent>(
        'POST',
        `/api/v1/contact-requests/${encodeURIComponent(contact?.id ?? '')}/${verdict}`,
      ),
    onSuccess: reread,
  });
  const failed = (ask.isError || answer.isError) && (
    <span role="alert" className="error">
      {t('incident.contactFailed')}
    </span>
  );

  if (!contact) {
    if (!mayAct || correlation.counterpart.disclosure !== 'anonymous') return null;
    return (
      <div className="contact">
        <button type="button" disabled={ask.isPending} onClick={() => ask.mutate()}>
          {t('incident.askContact')}
        </button>
        {failed}
      </div>
    );
  }
  return (
    <div className="contact" data-contact-status={contact.status}>
      <span>{say(contactState(contact))}</span>
      {contact.status === 'pending' && contact.direction === 'incoming' && mayAct && (
        <>
          {' '}
          <button type="button" disabled={answer.isPending} onClick={() => answer.mutate('accept')}>
            {t('incident.contactAccept')}
          </button>{' '}
          <button type="button" disabled={answer.isPending} onClick={() => answer.mutate('decline')}>
            {t('incident.contactDecline')}
          </button>
        </>
      )}
      {failed}
    </div>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSigned } from '../app';
import type { ContactEvent, Correlation } from '../api/types';
import { incidentKey } from '../live/live-bridge';
import { TlpBadge } from '../ui/tlp-badge';
import { useMessage } from '../ui/use-message';
import { contactState } from './contact-state';

/** The incident's correlations, each worded by what the reader may know of the other side. */
export function Correlations({ correlations, mayAct }: { correlations: Correlation[]; mayAct: boolean }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="correlations-title">
      <h2 id="correlations-title">{t('incident.correlations', { count: correlations.length })}</h2>
      <ul className="correlations">
        {correlations.map((correlation) => (
          <li key={correlation.id} data-correlation-id={correlation.id}>
            <CorrelationLine correlation={correlation} />
            <Contact correlation={correlation} mayAct={mayAct} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What the reader may know of the other side, in the wording its disclosure level allows. */
export function CorrelationLine({ correlation }: { correlation: Correlation }) {
  const { t } = useTranslation();
  const counterpart = correlation.counterpart;
  const value = (
    <bdi dir="ltr" className="value">
      {correlation.value}
      {correlation.kind !== 'exact'
        ? ` [${correlation.kind}, ${correlation.strength}${correlation.matched ? `: ${correlation.matched.value}` : ''}]`
        : null}
    </bdi>
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

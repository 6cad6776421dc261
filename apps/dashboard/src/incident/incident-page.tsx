import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useSigned } from '../app';
import type { Comment, Correlation, Incident } from '../api/types';
import { commentsKey, incidentKey } from '../live/live-bridge';
import { SEVERITY, STATE, STATUS } from '../ui/labels';
import { TlpBadge } from '../ui/tlp-badge';

export function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { session, live } = useSigned();
  const incident = useQuery({
    queryKey: incidentKey(id),
    queryFn: () => session.request<Incident>('GET', `/api/v1/incidents/${encodeURIComponent(id)}`),
  });

  // Detail events (comments) for as long as the page is open; re-joined on every reconnection.
  useEffect(() => {
    live.join(id);
    return () => live.leave(id);
  }, [live, id]);

  if (incident.isPending) return <p>{t('common.loading')}</p>;
  if (incident.isError) return <p role="alert">{t('incident.notFound')}</p>;
  const data = incident.data;

  return (
    <article className="incident">
      <p>
        <Link to="/">{t('incident.back')}</Link>
      </p>
      <header className="incident-head">
        <TlpBadge tlp={data.tlp} />
        <h1>{data.title}</h1>
      </header>
      <dl className="fields">
        <dt>{t('incident.organization')}</dt>
        <dd>{data.organization.name}</dd>
        <dt>{t('incident.classification')}</dt>
        <dd>
          <bdi dir="ltr">{`${data.classification.class}/${data.classification.type}`}</bdi>
        </dd>
        <dt>{t('incident.severity')}</dt>
        <dd>{t(SEVERITY[data.severity])}</dd>
        <dt>{t('incident.status')}</dt>
        <dd>{t(STATUS[data.status])}</dd>
        <dt>{t('incident.state')}</dt>
        <dd>{t(STATE[data.state])}</dd>
        <dt>{t('incident.occurredAt')}</dt>
        <dd>{t('common.dateTime', { at: new Date(data.occurredAt) })}</dd>
        <dt>{t('incident.createdAt')}</dt>
        <dd>{t('common.dateTime', { at: new Date(data.createdAt) })}</dd>
        {data.externalRef && (
          <>
            <dt>{t('incident.externalRef')}</dt>
            <dd>
              <bdi dir="ltr">{data.externalRef}</bdi>
            </dd>
          </>
        )}
      </dl>
      <p className="description">{data.description}</p>

      <section>
        <h2>{t('incident.indicators', { count: data.indicators.length })}</h2>
        <table className="indicators">
          <thead>
            <tr>
              <th scope="col">{t('indicator.type')}</th>
              <th scope="col">{t('indicator.value')}</th>
            </tr>
          </thead>
          <tbody>
            {data.indicators.map((indicator) => (
              <tr key={`${indicator.type}:${indicator.value}`}>
                <td>
                  <bdi dir="ltr">{indicator.type}</bdi>
                </td>
                <td className="value">
                  <bdi dir="ltr">{indicator.value}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t('incident.correlations', { count: data.correlations.length })}</h2>
        <ul className="correlations">
          {data.correlations.map((correlation) => (
            <li key={correlation.id}>
              <CorrelationLine correlation={correlation} />
            </li>
          ))}
        </ul>
      </section>

      <Comments incidentId={id} />
    </article>
  );
}

/** What the reader may know of the other side, in the wording its disclosure level allows. */
function CorrelationLine({ correlation }: { correlation: Correlation }) {
  const { t } = useTranslation();
  const counterpart = correlation.counterpart;
  const value = (
    <bdi dir="ltr" className="value">
      {correlation.value}
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

function Comments({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const comments = useQuery({
    queryKey: commentsKey(incidentId),
    queryFn: () => session.request<Comment[]>('GET', `/api/v1/incidents/${encodeURIComponent(incidentId)}/comments`),
  });
  const add = useMutation({
    mutationFn: (body: string) =>
      session.request<Comment>('POST', `/api/v1/incidents/${encodeURIComponent(incidentId)}/comments`, { text: body }),
    onSuccess: (comment) => {
      setText('');
      queries.setQueryData<Comment[]>(commentsKey(incidentId), (list) =>
        list && !list.some((c) => c.id === comment.id) ? [...list, comment] : list,
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) add.mutate(text);
  };

  return (
    <section className="comments">
      <h2>{t('comments.title')}</h2>
      {comments.isSuccess && comments.data.length === 0 && <p>{t('comments.empty')}</p>}
      <ol>
        {(comments.data ?? []).map((comment) => (
          <li key={comment.id}>
            <span className="org">{comment.organization.name}</span>{' '}
            <time dateTime={comment.createdAt}>{t('common.dateTime', { at: new Date(comment.createdAt) })}</time>
            <p dir="auto">{comment.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <label>
          <span>{t('comments.add')}</span>
          <textarea
            name="comment"
            dir="auto"
            value={text}
            maxLength={10_000}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {add.isError && <p role="alert">{t('comments.failed')}</p>}
        <button type="submit" disabled={add.isPending || !text.trim()}>
          {t('comments.submit')}
        </button>
      </form>
    </section>
  );
}

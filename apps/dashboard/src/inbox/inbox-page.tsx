import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSigned } from '../app';
import { useScopes } from '../api/me';
import type { Acknowledgement, Alert, FalsePositiveState } from '../api/types';
import { k } from '../i18n/i18n';
import { ALERTS_KEY, incidentKey } from '../live/live-bridge';
import { CounterpartText } from '../ui/counterpart';
import { formatRelative, useNow } from '../ui/relative-time';
import { useAlerts } from './alerts-query';
import { alertAcknowledged, alertsOf, moveSelection, unacknowledged, type AlertPages } from './inbox-merge';

/**
 * The on-call inbox: correlation alerts of the person's organization, unacknowledged first. New alerts
 * arrive at the top without moving the selection; an acknowledgement (here, or by a colleague
 * elsewhere) changes its row in place. The list is one tab stop: arrow keys, Home and End move the
 * selection, `a` acknowledges the selected alert, Enter opens its incident. Only people who may
 * acknowledge (`alerts:ack`) get the button and the key; others read the list. People who may write
 * (`incidents:write`) may mark an alert a false positive for their organization: it leaves the list,
 * and the last one marked can be taken back from here (or from its incident page).
 */
export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useSigned();
  const queries = useQueryClient();
  const scopes = useScopes();
  const canAck = scopes.has('alerts:ack');
  const canMark = scopes.has('incidents:write');
  const query = useAlerts();
  const alerts = useMemo(() => alertsOf(query.data), [query.data]);
  const waiting = unacknowledged(query.data);
  const [selected, setSelected] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const now = useNow();

  const ack = useMutation({
    mutationFn: (id: string) =>
      session.request<Acknowledgement>('POST', `/api/v1/correlations/${encodeURIComponent(id)}/ack`),
    onSuccess: (reply) =>
      queries.setQueryData<AlertPages>(ALERTS_KEY, (data) =>
        data ? alertAcknowledged(data, { id: reply.id, ...reply.acknowledged }) : data,
      ),
  });
  /** Marks (true) or takes back (false) a false positive; the list is read again, since marked alerts leave it. */
  const falsePositive = useMutation({
    mutationFn: ({ id, marked }: { id: string; marked: boolean }) =>
      session.request<FalsePositiveState>(
        marked ? 'POST' : 'DELETE',
        `/api/v1/correlations/${encodeURIComponent(id)}/false-positive`,
      ),
    onSuccess: (state) => {
      void queries.invalidateQueries({ queryKey: ALERTS_KEY });
      void queries.invalidateQueries({ queryKey: incidentKey(state.yourIncidentId) });
    },
  });
  const lastMarked = falsePositive.isSuccess && falsePositive.data.falsePositive ? falsePositive.data : null;
  const acknowledge = (alert: Alert | undefined) => {
    if (canAck && alert && !alert.acknowledged && !ack.isPending) ack.mutate(alert.id);
  };

  // The selected row holds the focus while the list does (it is the list's one tab stop).
  const focusSelected = useRef(false);
  useEffect(() => {
    if (!focusSelected.current || !selected) return;
    focusSelected.current = false;
    list.current?.querySelector<HTMLElement>(`[data-correlation-id="${CSS.escape(selected)}"]`)?.focus();
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const current = alerts.find((alert) => alert.id === selected);
    const onRow = (event.target as HTMLElement).dataset.correlationId !== undefined;
    const move = (next: string | null) => {
      event.preventDefault();
      focusSelected.current = true;
      setSelected(next);
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(moveSelection(alerts, selected, 1));
      case 'ArrowUp':
        return move(moveSelection(alerts, selected, -1));
      case 'Home':
        return move(alerts[0]?.id ?? null);
      case 'End':
        return move(alerts.at(-1)?.id ?? null);
      case 'a':
      case 'A':
        event.preventDefault();
        return acknowledge(current);
      case 'Enter':
        if (onRow && current) void navigate(`/incidents/${encodeURIComponent(current.yourIncidentId)}`);
        return;
    }
  };

  const tabStop = alerts.some((alert) => alert.id === selected) ? selected : (alerts[0]?.id ?? null);
  return (
    <section className="inbox">
      <div className="toolbar">
        <h1>{t('inbox.title')}</h1>
        <span className="count" aria-live="polite">
          {t(waiting.more ? k('inbox.waitingMore') : k('inbox.waiting'), { count: waiting.count })}
        </span>
      </div>
      <p className="hint">{canAck ? t('inbox.keys') : t('inbox.readOnly')}</p>
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {ack.isError && <p role="alert">{t('inbox.ackFailed')}</p>}
      {falsePositive.isError && <p role="alert">{t('falsePositive.failed')}</p>}
      <p className="false-positive-status" aria-live="polite">
        {lastMarked && (
          <>
            {t('inbox.markedFalsePositive')}{' '}
            <button
              type="button"
              disabled={falsePositive.isPending}
              onClick={() => falsePositive.mutate({ id: lastMarked.id, marked: false })}
            >
              {t('inbox.undoFalsePositive')}
            </button>
          </>
        )}
      </p>
      {query.isSuccess && alerts.length === 0 && <p>{t('inbox.empty')}</p>}
      <ol ref={list} className="inbox-list" aria-label={t('inbox.title')} onKeyDown={onKeyDown}>
        {alerts.map((alert) => (
          <AlertRow
            key={alert.id}
            alert={alert}
            selected={alert.id === selected}
            tabStop={alert.id === tabStop}
            canAck={canAck}
            acking={ack.isPending && ack.variables === alert.id}
            canMark={canMark}
            marking={falsePositive.isPending}
            mark={() => falsePositive.mutate({ id: alert.id, marked: true })}
            now={now}
            select={() => setSelected(alert.id)}
            acknowledge={() => acknowledge(alert)}
          />
        ))}
      </ol>
      {query.hasNextPage && (
        <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {t('inbox.more')}
        </button>
      )}
    </section>
  );
}

function AlertRow({
  alert,
  selected,
  tabStop,
  canAck,
  acking,
  canMark,
  marking,
  mark,
  now,
  select,
  acknowledge,
}: {
  alert: Alert;
  selected: boolean;
  tabStop: boolean;
  canAck: boolean;
  acking: boolean;
  canMark: boolean;
  marking: boolean;
  mark: () => void;
  now: Date;
  select: () => void;
  acknowledge: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { user } = useSigned();
  const language = i18n.resolvedLanguage ?? 'en';
  const created = new Date(alert.createdAt);
  const acknowledged = alert.acknowledged;
  const classes = ['alert', acknowledged ? 'acknowledged' : 'waiting', selected ? 'selected' : ''];
  return (
    <li
      tabIndex={tabStop ? 0 : -1}
      aria-current={selected ? 'true' : undefined}
      data-correlation-id={alert.id}
      data-acknowledged={acknowledged ? 'true' : 'false'}
      className={classes.join(' ').trim()}
      onFocus={select}
      onClick={select}
    >
      <div className="alert-what">
        <span className="alert-indicator">
          <bdi dir="ltr" className="indicator-type">
            {alert.type}
          </bdi>{' '}
          <bdi dir="ltr" className="value">
            {alert.value}
          </bdi>
        </span>
        <span className="alert-counterpart">
          <CounterpartText counterpart={alert.counterpart} />
        </span>
      </div>
      <div className="alert-when">
        <time dateTime={alert.createdAt} title={t('common.dateTime', { at: created })}>
          {formatRelative(created, now, language)}
        </time>
        {acknowledged ? (
          <span className="alert-ack">
            {acknowledged.by === user.id
              ? t('inbox.ackByYou', { when: formatRelative(new Date(acknowledged.at), now, language) })
              : t('inbox.ackByColleague', { when: formatRelative(new Date(acknowledged.at), now, language) })}
          </span>
        ) : canAck ? (
          <button type="button" tabIndex={selected ? 0 : -1} disabled={acking} onClick={acknowledge}>
            {acking ? t('inbox.acking') : t('inbox.ack')}
          </button>
        ) : (
          <span className="alert-ack">{t('inbox.notAcknowledged')}</span>
        )}
        {canMark && (
          <button type="button" tabIndex={selected ? 0 : -1} disabled={marking} onClick={mark}>
            {t('falsePositive.mark')}
          </button>
        )}
        <Link to={`/incidents/${encodeURIComponent(alert.yourIncidentId)}`} tabIndex={selected ? 0 : -1}>
          {t('inbox.open')}
        </Link>
      </div>
    </li>
  );
}

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useSigned } from '../app';
import { useScopes } from '../api/me';
import type { RuleAlert } from '../api/types';
import { usePeople } from '../incident/use-people';
import { k } from '../i18n/keys';
import { message } from '../ui/message';
import { formatRelative, useNow } from '../ui/relative-time';
import { TlpBadge } from '../ui/tlp-badge';
import { useMessage } from '../ui/use-message';
import { ALERT_STATE, FILTER_LABEL } from './oncall-labels';
import { ALERT_FILTERS, actorOf, filterOf, ruleAlertsOf, type AlertFilter } from './oncall-merge';
import { OnCallNowPanel } from './oncall-now-panel';
import { useOnCallNow, useRuleAlerts } from './oncall-query';
import { TRIGGER_LABEL } from './rule-form';
import { useAlertAction, type AlertAction } from './use-alert-action';

/**
 * The on-call page: who is on call now, and the alerts the organization's rules raised (`alerts:read`),
 * still triggered first, then newest, filtered by state (`?state=`). Changes arrive live
 * (`alert.changed`) and change a row in place. People who may act (`alerts:ack` or `oncall:manage`)
 * acknowledge or resolve with the row's buttons (Tab, then Enter or Space).
 */
export function OnCallPage() {
  const { t } = useTranslation();
  const scopes = useScopes();
  const canRead = scopes.has('alerts:read');
  const canAct = scopes.has('alerts:ack') || scopes.has('oncall:manage');
  const [search, setSearch] = useSearchParams();
  const filter = filterOf(search.get('state'));

  return (
    <section className="oncall">
      <div className="toolbar">
        <h1>{t('oncall.title')}</h1>
        {scopes.has('oncall:manage') && <Link to="/oncall/rules">{t('rules.manage')}</Link>}
      </div>
      <OnCallNowPanel />
      {canRead ? (
        <RuleAlertList
          filter={filter}
          canAct={canAct}
          setFilter={(next) => setSearch(next === 'open' ? {} : { state: next }, { replace: true })}
        />
      ) : (
        <p className="hint">{t('oncall.alertsNotAllowed')}</p>
      )}
    </section>
  );
}

function RuleAlertList({
  filter,
  canAct,
  setFilter,
}: {
  filter: AlertFilter;
  canAct: boolean;
  setFilter: (filter: AlertFilter) => void;
}) {
  const { t } = useTranslation();
  const query = useRuleAlerts(filter);
  const alerts = useMemo(() => ruleAlertsOf(query.data), [query.data]);
  const action = useAlertAction();
  const triggered = alerts.filter((alert) => alert.state === 'triggered').length;

  return (
    <section className="rule-alerts" aria-labelledby="rule-alerts-title">
      <div className="toolbar">
        <h2 id="rule-alerts-title">{t('oncall.alerts')}</h2>
        <label>
          {t('oncall.filter.label')}{' '}
          <select name="state" value={filter} onChange={(event) => setFilter(event.target.value as AlertFilter)}>
            {(Object.keys(ALERT_FILTERS) as AlertFilter[]).map((value) => (
              <option key={value} value={value}>
                {t(FILTER_LABEL[value])}
              </option>
            ))}
          </select>
        </label>
        <span className="count" aria-live="polite">
          {t('oncall.triggeredCount', { count: triggered })}
        </span>
      </div>
      <p className="hint">{canAct ? t('oncall.keys') : t('oncall.readOnly')}</p>
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && <p role="alert">{t('common.loadFailed')}</p>}
      <div aria-live="polite">{action.isError && <p role="alert">{t('oncall.actionFailed')}</p>}</div>
      {query.isSuccess && alerts.length === 0 && <p>{t('oncall.empty')}</p>}
      <ol className="rule-alert-list">
        {alerts.map((alert) => (
          <RuleAlertRow
            key={alert.id}
            alert={alert}
            canAct={canAct}
            busy={action.isPending && action.variables.id === alert.id ? action.variables.action : null}
            act={(kind) => action.mutate({ id: alert.id, action: kind })}
          />
        ))}
      </ol>
      {query.hasNextPage && (
        <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {t('oncall.more')}
        </button>
      )}
    </section>
  );
}

/** The incident (linked) when the reader may see it, else the organization's own detail of the alert. */
function AlertSubject({ alert }: { alert: RuleAlert }) {
  const { t } = useTranslation();
  const say = useMessage();
  if (alert.incident) {
    return (
      <Link className="alert-incident" to={`/incidents/${encodeURIComponent(alert.incident.id)}`}>
        {alert.incident.title}
      </Link>
    );
  }
  const { type, value, from } = alert.detail;
  if (value) {
    return (
      <span className="alert-detail">
        {t(alert.trigger === 'watchlist-hit' ? k('oncall.detail.watched') : k('oncall.detail.value'))}{' '}
        <bdi dir="ltr" className="indicator-type">
          {type}
        </bdi>{' '}
        <bdi dir="ltr" className="value">
          {value}
        </bdi>
      </span>
    );
  }
  if (from) return <span className="alert-detail">{say(message(k('oncall.detail.from'), { name: from }))}</span>;
  return <span className="alert-detail hint">{t('oncall.incidentHidden')}</span>;
}

function RuleAlertRow({
  alert,
  canAct,
  busy,
  act,
}: {
  alert: RuleAlert;
  canAct: boolean;
  busy: AlertAction | null;
  act: (action: AlertAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const { user } = useSigned();
  const { nameOf } = usePeople();
  const onCall = useOnCallNow();
  const now = useNow();
  const language = i18n.resolvedLanguage ?? 'en';
  const created = new Date(alert.createdAt);
  const titleId = `alert-${alert.id}-title`;
  /** Colleagues are named when the reader may list people, or when they are on call now. */
  const named = (id: string) =>
    nameOf(id) ??
    onCall.data?.schedules.flatMap((schedule) => schedule.onCall).find((person) => person.id === id)?.name;
  const who = (by: string) => {
    const actor = actorOf(by, user.id, named);
    return actor.kind === 'you'
      ? t('oncall.byYou')
      : actor.kind === 'named'
        ? say(message(k('oncall.byName'), { name: actor.name }))
        : t('oncall.byColleague');
  };
  const when = (at: string) => (
    <time dateTime={at} title={t('common.dateTime', { at: new Date(at) })}>
      {formatRelative(new Date(at), now, language)}
    </time>
  );

  return (
    <li className={`rule-alert ${alert.state}`} data-alert-id={alert.id} data-state={alert.state}>
      <div className="alert-what">
        <strong id={titleId} className="alert-rule">
          {alert.ruleName}
        </strong>
        <span className="alert-trigger">{t(TRIGGER_LABEL[alert.trigger])}</span>
        <AlertSubject alert={alert} />
        <TlpBadge tlp={alert.tlp} />
      </div>
      <div className="alert-when">
        <span className={`alert-state state-${alert.state}`}>{t(ALERT_STATE[alert.state])}</span>
        <time dateTime={alert.createdAt} title={t('common.dateTime', { at: created })}>
          {formatRelative(created, now, language)}
        </time>
        {alert.acknowledged && (
          <span className="alert-ack">
            {t('oncall.acknowledgedBy', { who: who(alert.acknowledged.by) })} {when(alert.acknowledged.at)}
          </span>
        )}
        {alert.resolved && (
          <span className="alert-resolved">
            {t('oncall.resolvedBy', { who: who(alert.resolved.by) })} {when(alert.resolved.at)}
          </span>
        )}
        {alert.escalation && (
          <span className="alert-step">
            {t('oncall.step', { step: alert.escalation.step })}
            {alert.escalation.nextAt && alert.state === 'triggered' && (
              <>
                {' '}
                {t('oncall.nextStep')} {when(alert.escalation.nextAt)}
              </>
            )}
          </span>
        )}
        {canAct && alert.state === 'triggered' && (
          <button type="button" aria-describedby={titleId} disabled={busy !== null} onClick={() => act('ack')}>
            {busy === 'ack' ? t('oncall.acking') : t('oncall.ack')}
          </button>
        )}
        {canAct && alert.state !== 'resolved' && (
          <button type="button" aria-describedby={titleId} disabled={busy !== null} onClick={() => act('resolve')}>
            {busy === 'resolve' ? t('oncall.resolving') : t('oncall.resolve')}
          </button>
        )}
      </div>
    </li>
  );
}

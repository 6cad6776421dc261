import { useTranslation } from 'react-i18next';
import { useOnCallNow } from './oncall-query';

/**
 * Who is on call now in each of the organization's schedules (GET /api/v1/oncall/now, any person of
 * the organization), and when the next handover is (shown in the reader's time; the schedule's own
 * zone is named beside it).
 */
export function OnCallNowPanel() {
  const { t } = useTranslation();
  const query = useOnCallNow();
  return (
    <section className="panel oncall-now" aria-labelledby="oncall-now-title">
      <h2 id="oncall-now-title">{t('oncall.now.title')}</h2>
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {query.isSuccess && query.data.schedules.length === 0 && <p>{t('oncall.now.noSchedules')}</p>}
      {query.isSuccess && query.data.schedules.length > 0 && (
        <dl className="oncall-schedules">
          {query.data.schedules.map((schedule) => (
            <div key={schedule.scheduleId} data-schedule-id={schedule.scheduleId}>
              <dt>
                {schedule.name}{' '}
                <bdi dir="ltr" className="hint">
                  {schedule.timeZone}
                </bdi>
              </dt>
              <dd className="oncall-people">
                {schedule.onCall.length === 0
                  ? t('oncall.now.nobody')
                  : schedule.onCall.map((person, i) => (
                      <span key={person.id} data-user-id={person.id}>
                        {i > 0 && t('oncall.now.separator')}
                        <bdi>{person.name || person.email}</bdi>
                      </span>
                    ))}
              </dd>
              {schedule.nextHandover && (
                <dd className="hint">
                  {t('oncall.now.handover')}{' '}
                  <time dateTime={schedule.nextHandover}>
                    {t('common.dateTime', { at: new Date(schedule.nextHandover) })}
                  </time>
                </dd>
              )}
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useScopes } from '../api/me';
import { ApiError } from '../api/session';
import type { DeadlineItem } from '../api/types';
import { message } from '../ui/message';
import { useNow } from '../ui/relative-time';
import { useMessage } from '../ui/use-message';
import { k } from '../i18n/keys';
import { FILTER_LABEL, STATUS_LABEL } from './deadline-labels';
import {
  DEADLINE_FILTERS,
  dueWording,
  filterOf,
  groupByStatus,
  type DeadlineFilter,
  type DeadlineGroup,
} from './deadline-list';
import { useCompleteMilestone, useDeadlines, type MilestoneRef } from './deadlines-query';

/**
 * The regulatory deadlines page: the open milestones of every incident the reader may see
 * (`incidents:read`), overdue first, then due soon, then the rest, each soonest first; filtered by
 * status (`?status=`). The incident's own organization marks a milestone done with its row's button;
 * the api says per row who may.
 */
export function DeadlinesPage() {
  const { t } = useTranslation();
  const scopes = useScopes();
  const [search, setSearch] = useSearchParams();
  const filter = filterOf(search.get('status'));

  return (
    <section className="deadlines">
      <div className="toolbar">
        <h1>{t('deadlines.title')}</h1>
      </div>
      {scopes.has('incidents:read') ? (
        <DeadlineList
          filter={filter}
          setFilter={(next) => setSearch(next === 'all' ? {} : { status: next }, { replace: true })}
        />
      ) : (
        <p className="hint">{t('deadlines.notAllowed')}</p>
      )}
    </section>
  );
}

/** Why the api refused or could not be reached, in its own words (the fields it names, else its message). */
function reasonOf(error: Error, unreachable: string): string {
  if (!(error instanceof ApiError)) return error.message;
  if (error.status === 0) return unreachable;
  const fields = error.details.fields ?? [];
  return fields.length > 0 ? fields.map((field) => field.message).join(' ') : error.message;
}

function DeadlineList({ filter, setFilter }: { filter: DeadlineFilter; setFilter: (filter: DeadlineFilter) => void }) {
  const { t } = useTranslation();
  const say = useMessage();
  const query = useDeadlines(filter);
  const items = query.data?.items;
  const groups = useMemo(() => groupByStatus(items ?? []), [items]);
  const complete = useCompleteMilestone();
  const now = useNow();
  const failed = complete.isError ? items?.find((item) => same(item, complete.variables)) : undefined;

  return (
    <>
      <div className="toolbar">
        <label>
          {t('deadlines.filter.label')}{' '}
          <select name="status" value={filter} onChange={(event) => setFilter(filterOf(event.target.value))}>
            {DEADLINE_FILTERS.map((value) => (
              <option key={value} value={value}>
                {t(FILTER_LABEL[value])}
              </option>
            ))}
          </select>
        </label>
        {items && (
          <span className="count" aria-live="polite">
            {t('deadlines.count', { count: items.length })}
          </span>
        )}
      </div>
      <p className="hint">{t('deadlines.hint')}</p>
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && (
        <p role="alert" className="error">
          {say(message(k('deadlines.loadFailed'), { reason: reasonOf(query.error, t('deadlines.unreachable')) }))}
        </p>
      )}
      <div aria-live="polite">
        {complete.isError && (
          <p role="alert" className="error deadline-error">
            {say(
              message(k('deadlines.completeFailed'), {
                milestone: failed?.label ?? complete.variables.milestone,
                incident: failed?.title ?? complete.variables.incidentId,
                reason: reasonOf(complete.error, t('deadlines.unreachable')),
              }),
            )}
          </p>
        )}
      </div>
      {query.isSuccess && groups.length === 0 && <p>{t('deadlines.empty')}</p>}
      {groups.map((group) => (
        <DeadlineGroupTable
          key={group.status}
          group={group}
          now={now}
          busy={complete.isPending ? complete.variables : null}
          markDone={(ref) => complete.mutate(ref)}
        />
      ))}
    </>
  );
}

const same = (item: DeadlineItem, ref: MilestoneRef | undefined) =>
  ref !== undefined && item.incidentId === ref.incidentId && item.milestone === ref.milestone;

function DeadlineGroupTable({
  group,
  now,
  busy,
  markDone,
}: {
  group: DeadlineGroup;
  now: Date;
  busy: MilestoneRef | null;
  markDone: (ref: MilestoneRef) => void;
}) {
  const { t } = useTranslation();
  const headingId = `deadlines-${group.status}`;
  return (
    <section className="deadline-group" data-status={group.status} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t(STATUS_LABEL[group.status])}{' '}
        <span className="count">{t('deadlines.groupCount', { count: group.items.length })}</span>
      </h2>
      <table className="deadline-table">
        <thead>
          <tr>
            <th scope="col">{t('deadlines.col.incident')}</th>
            <th scope="col">{t('deadlines.col.milestone')}</th>
            <th scope="col">{t('deadlines.col.due')}</th>
            <th scope="col">{t('deadlines.col.status')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('deadlines.col.action')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {group.items.map((item) => (
            <DeadlineRow
              key={`${item.incidentId}/${item.milestone}`}
              item={item}
              now={now}
              busy={busy !== null}
              marking={same(item, busy ?? undefined)}
              markDone={() => markDone({ incidentId: item.incidentId, milestone: item.milestone })}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DeadlineRow({
  item,
  now,
  busy,
  marking,
  markDone,
}: {
  item: DeadlineItem;
  now: Date;
  busy: boolean;
  marking: boolean;
  markDone: () => void;
}) {
  const { t } = useTranslation();
  const say = useMessage();
  const id = `deadline-${item.incidentId}-${item.milestone}`;
  const due = new Date(item.due);

  return (
    <tr
      className={`deadline deadline-${item.status}`}
      data-incident-id={item.incidentId}
      data-milestone={item.milestone}
      data-status={item.status}
    >
      <td>
        <Link id={`${id}-incident`} to={`/incidents/${encodeURIComponent(item.incidentId)}`}>
          {item.title}
        </Link>
      </td>
      <td id={`${id}-label`} className="deadline-label">
        {item.label}
      </td>
      <td className="deadline-due">
        <time dateTime={item.due}>{t('common.dateTime', { at: due })}</time>{' '}
        <span className="deadline-relative">{say(dueWording(item.due, now))}</span>
      </td>
      <td>
        <span className="deadline-status">{t(STATUS_LABEL[item.status])}</span>
      </td>
      <td>
        {item.mayComplete && (
          <button type="button" aria-describedby={`${id}-label ${id}-incident`} disabled={busy} onClick={markDone}>
            {marking ? t('deadlines.marking') : t('deadlines.markDone')}
          </button>
        )}
      </td>
    </tr>
  );
}

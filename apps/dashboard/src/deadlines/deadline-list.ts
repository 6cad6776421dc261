import type { DeadlineItem, DeadlineListReply, DeadlineStatus, IncidentDeadlines } from '../api/types';
import { k } from '../i18n/keys';
import { message, type Message } from '../ui/message';

/** The deadlines page's filter (`?status=`), in the order the page offers them. */
export const DEADLINE_FILTERS = ['due-soon', 'overdue', 'all'] as const;
export type DeadlineFilter = (typeof DEADLINE_FILTERS)[number];

/** The statuses each filter shows; `all` is every open milestone, as the api lists it without `status`. */
const SHOWN = {
  'due-soon': ['due-soon'],
  overdue: ['overdue'],
  all: ['overdue', 'due-soon', 'pending'],
} as const satisfies Record<DeadlineFilter, readonly DeadlineStatus[]>;

/** A filter named in the page's URL, or the default (`all`) when it names none. */
export function filterOf(value: string | null): DeadlineFilter {
  return DEADLINE_FILTERS.find((filter) => filter === value) ?? 'all';
}

/** The `status` query the api is asked for (none for `all`). */
export function statusQuery(filter: DeadlineFilter): string {
  return filter === 'all' ? '' : `?status=${filter}`;
}

/** Soonest due first; equal times keep one order (by incident, then milestone). */
export function byDue(items: readonly DeadlineItem[]): DeadlineItem[] {
  return [...items].sort(
    (a, b) =>
      Date.parse(a.due) - Date.parse(b.due) ||
      a.incidentId.localeCompare(b.incidentId) ||
      a.milestone.localeCompare(b.milestone),
  );
}

export interface DeadlineGroup {
  status: DeadlineStatus;
  items: DeadlineItem[];
}

/** The most pressing first: overdue, then due soon, then the rest; each soonest first, empty groups left out. */
export function groupByStatus(items: readonly DeadlineItem[]): DeadlineGroup[] {
  const sorted = byDue(items);
  return SHOWN.all
    .map((status) => ({ status, items: sorted.filter((item) => item.status === status) }))
    .filter((group) => group.items.length > 0);
}

type Unit = 'minute' | 'hour' | 'day';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How far `due` lies from `now`, in the unit one counts such a wait in: minutes within the hour, hours
 * within two days (a 72-hour notification reads "in 40 hours", not "in 1 day"), days beyond; whole
 * units, rounded down.
 */
export function dueDistance(due: Date, now: Date): { overdue: boolean; count: number; unit: Unit } {
  const ms = due.getTime() - now.getTime();
  const size = Math.abs(ms);
  const overdue = ms < 0;
  if (size < HOUR) return { overdue, count: Math.floor(size / MINUTE), unit: 'minute' };
  if (size < 2 * DAY) return { overdue, count: Math.floor(size / HOUR), unit: 'hour' };
  return { overdue, count: Math.floor(size / DAY), unit: 'day' };
}

const DUE_IN = {
  minute: k('deadlines.dueIn.minute'),
  hour: k('deadlines.dueIn.hour'),
  day: k('deadlines.dueIn.day'),
} satisfies Record<Unit, string>;
const OVERDUE_BY = {
  minute: k('deadlines.overdueBy.minute'),
  hour: k('deadlines.overdueBy.hour'),
  day: k('deadlines.overdueBy.day'),
} satisfies Record<Unit, string>;

/** "in 3 hours", "overdue by 2 days", "due now" (within the minute either side). */
export function dueWording(due: string, now: Date): Message {
  const { overdue, count, unit } = dueDistance(new Date(due), now);
  if (count === 0) return message(k('deadlines.dueNow'));
  return message((overdue ? OVERDUE_BY : DUE_IN)[unit], { count });
}

/**
 * The list once a milestone of `done.incidentId` was completed, by the api's answer (every milestone
 * of that incident as it now stands): completed ones leave, moved ones (counted from a completion)
 * take their new due time and status, and those the filter no longer shows leave. A milestone that
 * only now enters the filter arrives with the next read.
 */
export function afterCompletion(
  reply: DeadlineListReply,
  done: IncidentDeadlines,
  filter: DeadlineFilter,
): DeadlineListReply {
  const shown: readonly string[] = SHOWN[filter];
  const states = new Map(done.milestones.map((milestone) => [milestone.key, milestone]));
  const items = reply.items.flatMap((item): DeadlineItem[] => {
    if (item.incidentId !== done.incidentId) return [item];
    const state = states.get(item.milestone);
    if (!state || state.status === 'done' || !shown.includes(state.status)) return [];
    return [{ ...item, due: state.due, status: state.status }];
  });
  return { items: byDue(items) };
}

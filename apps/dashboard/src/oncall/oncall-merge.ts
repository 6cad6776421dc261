import type { Delivered, RuleAlert, RuleAlertPage, RuleAlertState } from '../api/types';

/** The loaded pages of the on-call page's list, as the query cache keeps them (the api's order: newest first). */
export interface RuleAlertPages {
  pages: RuleAlertPage[];
  pageParams: unknown[];
}

/** The state filter of the on-call page, and the `state` query each one asks the api for. */
export const ALERT_FILTERS = {
  open: ['triggered', 'acknowledged'],
  triggered: ['triggered'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
  all: ['triggered', 'acknowledged', 'resolved'],
} as const satisfies Record<string, readonly RuleAlertState[]>;
export type AlertFilter = keyof typeof ALERT_FILTERS;

/** A filter named in the page's URL (`?state=`), or the default (`open`) when it names none. */
export function filterOf(value: string | null): AlertFilter {
  return value !== null && Object.hasOwn(ALERT_FILTERS, value) ? (value as AlertFilter) : 'open';
}

const RANK: Record<RuleAlertState, number> = { triggered: 0, acknowledged: 1, resolved: 2, withdrawn: 3 };

/**
 * The loaded alerts in the page's order, each once: still triggered first, then newest first (by
 * `createdAt`, then id, so equal times keep one order). Only the loaded pages are ordered; a
 * triggered alert on a page not yet read shows up once it is read.
 */
export function ruleAlertsOf(data: RuleAlertPages | undefined): RuleAlert[] {
  const byId = new Map<string, RuleAlert>();
  for (const page of data?.pages ?? []) {
    for (const alert of page.items) if (!byId.has(alert.id)) byId.set(alert.id, alert);
  }
  return [...byId.values()].sort(
    (a, b) =>
      Number(b.state === 'triggered') - Number(a.state === 'triggered') ||
      b.createdAt.localeCompare(a.createdAt) ||
      b.id.localeCompare(a.id),
  );
}

/**
 * One alert as known after a newer word on it: states only move forward
 * (`triggered → acknowledged → resolved`), and the first acknowledgement or resolution stands; the rest
 * (escalation step, the incident as the reader may now see it) is the newer word's.
 */
export function mergeAlert(known: RuleAlert, next: RuleAlert): RuleAlert {
  const state = RANK[next.state] >= RANK[known.state] ? next.state : known.state;
  return {
    ...next,
    state,
    acknowledged: known.acknowledged ?? next.acknowledged,
    resolved: known.resolved ?? next.resolved,
  };
}

/**
 * `alert.changed` (or an alert this page changed itself) into the loaded list of filter `states`: a
 * known alert changes in place, or leaves the list when its state is no longer listed; an alert not
 * listed yet joins the top when its state is listed. Pages that do not change stay the same objects.
 */
export function alertChanged(data: RuleAlertPages, next: RuleAlert, states: readonly RuleAlertState[]): RuleAlertPages {
  const known = data.pages.flatMap((page) => page.items).find((item) => item.id === next.id);
  const merged = known ? mergeAlert(known, next) : next;
  const listed = states.includes(merged.state);
  if (!known) {
    if (!listed) return data;
    const [first, ...rest] = data.pages;
    const top = first ? { ...first, items: [merged, ...first.items] } : { items: [merged], nextCursor: null };
    return { ...data, pages: [top, ...rest] };
  }
  const pages = data.pages.map((page) => {
    if (!page.items.some((item) => item.id === next.id)) return page;
    const items = listed
      ? page.items.map((item) => (item.id === next.id ? merged : item))
      : page.items.filter((item) => item.id !== next.id);
    return { ...page, items };
  });
  return { ...data, pages };
}

/** A page that reached this person (`alert.paged`), as the notice keeps it. */
export type Paged = Omit<Delivered<'alert.paged'>, 'eventId'>;

/**
 * The notices after a page: the newest first, one per alert (a later step of the same alert replaces
 * the earlier one). An alert already acknowledged or resolved is not noticed.
 */
export function pagedArrived(notices: readonly Paged[], event: Delivered<'alert.paged'>): Paged[] {
  const { eventId: _eventId, ...paged } = event;
  const others = notices.filter((notice) => notice.alert.id !== paged.alert.id);
  return paged.alert.state === 'triggered' ? [paged, ...others] : others;
}

/** The notices once `alert` changed: one about an alert no longer triggered goes away. */
export function pagedAfterChange(notices: readonly Paged[], alert: RuleAlert): readonly Paged[] {
  if (alert.state === 'triggered') return notices;
  const kept = notices.filter((notice) => notice.alert.id !== alert.id);
  return kept.length === notices.length ? notices : kept;
}

/** Who acknowledged or resolved: this person, a colleague named by `nameOf`, or one not known by name. */
export function actorOf(
  by: string,
  selfId: string,
  nameOf: (userId: string) => string | undefined,
): { kind: 'you' } | { kind: 'named'; name: string } | { kind: 'colleague' } {
  if (by === selfId) return { kind: 'you' };
  const name = nameOf(by);
  return name ? { kind: 'named', name } : { kind: 'colleague' };
}

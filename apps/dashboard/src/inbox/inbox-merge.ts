import type { Alert, AlertListReply, Delivered } from '../api/types';

/** The inbox's loaded pages, as the query cache keeps them: unacknowledged alerts first, newest first. */
export interface AlertPages {
  pages: AlertListReply[];
  pageParams: unknown[];
}

/** The loaded alerts in order, each once (a page read after a change may repeat one). */
export function alertsOf(data: AlertPages | undefined): Alert[] {
  const seen = new Set<string>();
  const alerts: Alert[] = [];
  for (const page of data?.pages ?? []) {
    for (const alert of page.items) {
      if (seen.has(alert.id)) continue;
      seen.add(alert.id);
      alerts.push(alert);
    }
  }
  return alerts;
}

/**
 * A live alert: a new one goes to the top (the newest and not yet acknowledged); a known one (a replay
 * after a reconnection) is updated where it is. An acknowledgement the page already knows is kept: a
 * replayed alert may have been worded before it.
 */
export function alertArrived(data: AlertPages, event: Delivered<'correlation.alert'>): AlertPages {
  const { eventId: _eventId, ...alert } = event;
  const known = data.pages.some((page) => page.items.some((item) => item.id === alert.id));
  if (!known) {
    const [first, ...rest] = data.pages;
    const top = first ? { ...first, items: [alert, ...first.items] } : { items: [alert], nextCursor: null };
    return { ...data, pages: [top, ...rest] };
  }
  return patchAlert(data, alert.id, (item) => ({ ...alert, acknowledged: alert.acknowledged ?? item.acknowledged }));
}

/** A colleague (or this person, elsewhere) acknowledged: the row changes in place, nothing moves. */
export function alertAcknowledged(
  data: AlertPages,
  event: Pick<Delivered<'correlation.acknowledged'>, 'id' | 'by' | 'at'>,
): AlertPages {
  return patchAlert(data, event.id, (item) =>
    item.acknowledged ? item : { ...item, acknowledged: { by: event.by, at: event.at } },
  );
}

function patchAlert(data: AlertPages, id: string, change: (alert: Alert) => Alert): AlertPages {
  let changed = false;
  const pages = data.pages.map((page) => {
    const items = page.items.map((item) => (item.id === id ? change(item) : item));
    if (items.every((item, i) => item === page.items[i])) return page;
    changed = true;
    return { ...page, items };
  });
  return changed ? { ...data, pages } : data;
}

/**
 * How many loaded alerts wait for an acknowledgement. Unacknowledged alerts come first, so the count
 * is complete once an acknowledged one is loaded or there is no further page; `more` says it is not.
 */
export function unacknowledged(data: AlertPages | undefined): { count: number; more: boolean } {
  const alerts = alertsOf(data);
  const count = alerts.filter((alert) => !alert.acknowledged).length;
  const lastPage = data?.pages.at(-1);
  const more = count === alerts.length && Boolean(lastPage?.nextCursor);
  return { count, more };
}

/** The selection after a move by `step` rows (arrow keys), staying on the list's first or last row. */
export function moveSelection(
  alerts: readonly Pick<Alert, 'id'>[],
  selected: string | null,
  step: number,
): string | null {
  if (alerts.length === 0) return null;
  const at = alerts.findIndex((alert) => alert.id === selected);
  const next = at < 0 ? (step > 0 ? 0 : alerts.length - 1) : Math.min(alerts.length - 1, Math.max(0, at + step));
  return alerts[next]?.id ?? null;
}

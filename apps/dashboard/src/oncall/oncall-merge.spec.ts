import type { RuleAlert } from '../api/types';
import {
  ALERT_FILTERS,
  actorOf,
  alertChanged,
  filterOf,
  mergeAlert,
  pagedAfterChange,
  pagedArrived,
  ruleAlertsOf,
  type RuleAlertPages,
} from './oncall-merge';

const alert = (id: string, createdAt: string, state: RuleAlert['state'] = 'triggered'): RuleAlert => ({
  id,
  ruleId: 'nr-1',
  ruleName: 'Critical incidents',
  trigger: 'incident',
  state,
  tlp: 'CLEAR',
  createdAt,
  incident: { id: `incident-${id}`, title: `Incident ${id}`, severity: 'critical', classification: 'fraud/phishing' },
  detail: {},
  acknowledged: state === 'triggered' ? null : { by: 'user-1', at: '2026-11-29T10:10:00.000Z' },
  resolved: state === 'resolved' ? { by: 'user-1', at: '2026-11-29T10:20:00.000Z' } : null,
  escalation: { step: 1, nextAt: null },
});
const pages = (...pages: Array<{ items: RuleAlert[]; nextCursor: string | null }>): RuleAlertPages => ({
  pages,
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
});
const ids = (data: RuleAlertPages) => ruleAlertsOf(data).map((a) => a.id);
const open = ALERT_FILTERS.open;

describe('on-call alert list', () => {
  // As the api lists them: newest first, whatever the state.
  const loaded = pages(
    {
      items: [alert('a3', '2026-11-29T10:03:00.000Z', 'acknowledged'), alert('t2', '2026-11-29T10:02:00.000Z')],
      nextCursor: 'c1',
    },
    {
      items: [alert('a1', '2026-11-29T10:01:00.000Z', 'acknowledged'), alert('t0', '2026-11-29T10:00:00.000Z')],
      nextCursor: null,
    },
  );

  it('lists the triggered first, then newest first, each once', () => {
    expect(ids(loaded)).toEqual(['t2', 't0', 'a3', 'a1']);
    const repeated = pages(
      { items: [alert('x', '2026-11-29T10:00:00.000Z')], nextCursor: 'c1' },
      { items: [alert('x', '2026-11-29T10:00:00.000Z'), alert('y', '2026-11-29T09:00:00.000Z')], nextCursor: null },
    );
    expect(ids(repeated)).toEqual(['x', 'y']);
    expect(ruleAlertsOf(undefined)).toEqual([]);
  });

  it('adds a newly triggered alert at the top, leaving the other pages as they were', () => {
    const next = alertChanged(loaded, alert('n', '2026-11-29T10:05:00.000Z'), open);
    expect(ids(next)).toEqual(['n', 't2', 't0', 'a3', 'a1']);
    expect(next.pages[0].items[0].id).toBe('n');
    expect(next.pages[1]).toBe(loaded.pages[1]);
  });

  it('acknowledges in place: the row moves below the triggered ones, the others stay the same objects', () => {
    const acked = { ...alert('t0', '2026-11-29T10:00:00.000Z', 'acknowledged'), acknowledged: { by: 'u2', at: 'x' } };
    const next = alertChanged(loaded, acked, open);
    expect(ids(next)).toEqual(['t2', 'a3', 'a1', 't0']);
    expect(ruleAlertsOf(next).find((a) => a.id === 't0')?.acknowledged).toEqual({ by: 'u2', at: 'x' });
    expect(next.pages[0]).toBe(loaded.pages[0]);
  });

  it('takes a resolved alert off a list of open alerts, and keeps it on a list of all', () => {
    const resolved = alert('a3', '2026-11-29T10:03:00.000Z', 'resolved');
    expect(ids(alertChanged(loaded, resolved, open))).toEqual(['t2', 't0', 'a1']);
    expect(ruleAlertsOf(alertChanged(loaded, resolved, ALERT_FILTERS.all)).find((a) => a.id === 'a3')?.state).toBe(
      'resolved',
    );
    // Not listed and not of a listed state: nothing changes.
    expect(alertChanged(loaded, alert('r', '2026-11-29T11:00:00.000Z', 'resolved'), open)).toBe(loaded);
  });

  it('never moves an alert back: a late word of its triggering or escalation keeps the acknowledgement', () => {
    const known = alert('a', '2026-11-29T10:00:00.000Z', 'acknowledged');
    const late = { ...alert('a', '2026-11-29T10:00:00.000Z'), escalation: { step: 2, nextAt: null } };
    expect(mergeAlert(known, late)).toMatchObject({
      state: 'acknowledged',
      acknowledged: known.acknowledged,
      escalation: { step: 2, nextAt: null },
    });
    const second = { ...known, acknowledged: { by: 'someone-later', at: 'later' } };
    expect(mergeAlert(known, second).acknowledged).toEqual(known.acknowledged);
  });

  it('reads the filter from the URL, defaulting to open alerts', () => {
    expect(filterOf('resolved')).toBe('resolved');
    expect(filterOf(null)).toBe('open');
    expect(filterOf('toString')).toBe('open');
  });
});

describe('paged notices', () => {
  const paged = (id: string, step: number, state: RuleAlert['state'] = 'triggered') => ({
    alert: alert(id, '2026-11-29T10:00:00.000Z', state),
    step,
    level: 0,
    eventId: `${step}-0`,
  });

  it('keeps one notice per alert, the latest first, and none for an alert no longer triggered', () => {
    let notices = pagedArrived([], paged('a', 0));
    notices = pagedArrived(notices, paged('b', 0));
    notices = pagedArrived(notices, paged('a', 2));
    expect(notices.map((n) => [n.alert.id, n.step])).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    expect(notices[0]).not.toHaveProperty('eventId');
    expect(pagedArrived(notices, paged('a', 3, 'acknowledged')).map((n) => n.alert.id)).toEqual(['b']);
  });

  it('drops the notice once its alert is acknowledged or resolved', () => {
    const notices = pagedArrived([], paged('a', 0));
    expect(pagedAfterChange(notices, alert('a', 'x'))).toBe(notices);
    expect(pagedAfterChange(notices, alert('b', 'x', 'resolved'))).toBe(notices);
    expect(pagedAfterChange(notices, alert('a', 'x', 'acknowledged'))).toEqual([]);
  });
});

describe('who acted', () => {
  const names = (id: string) => (id === 'u2' ? 'Amina' : undefined);
  it('says you, a colleague by name, or a colleague', () => {
    expect(actorOf('u1', 'u1', names)).toEqual({ kind: 'you' });
    expect(actorOf('u2', 'u1', names)).toEqual({ kind: 'named', name: 'Amina' });
    expect(actorOf('u3', 'u1', names)).toEqual({ kind: 'colleague' });
  });
});

import type { DeadlineItem, IncidentDeadlines } from '../api/types';
import { afterCompletion, byDue, dueDistance, dueWording, filterOf, groupByStatus, statusQuery } from './deadline-list';

const item = (
  incidentId: string,
  milestone: string,
  due: string,
  status: DeadlineItem['status'] = 'pending',
): DeadlineItem => ({
  incidentId,
  title: `Incident ${incidentId}`,
  milestone,
  label: `Label ${milestone}`,
  due,
  status,
  profileId: 'nis2',
  mayComplete: true,
});
const keys = (items: DeadlineItem[]) => items.map((i) => `${i.incidentId}/${i.milestone}`);

describe('deadlines list', () => {
  const now = new Date('2026-11-29T12:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const H = 3_600_000;

  it('reads the filter from the URL, all by default, and asks the api for its status', () => {
    expect(filterOf('overdue')).toBe('overdue');
    expect(filterOf('due-soon')).toBe('due-soon');
    expect(filterOf('all')).toBe('all');
    expect(filterOf(null)).toBe('all');
    expect(filterOf('pending')).toBe('all');
    expect(statusQuery('overdue')).toBe('?status=overdue');
    expect(statusQuery('due-soon')).toBe('?status=due-soon');
    expect(statusQuery('all')).toBe('');
  });

  it('sorts soonest first, equal times by incident then milestone, whatever order they came in', () => {
    const items = [
      item('b', 'final-report', at(30 * 24 * H)),
      item('b', 'early-warning', at(-2 * H), 'overdue'),
      item('a', 'notification', at(3 * H), 'due-soon'),
      item('a', 'early-warning', at(3 * H), 'due-soon'),
      item('0', 'early-warning', at(3 * H), 'due-soon'),
    ];
    expect(keys(byDue(items))).toEqual([
      'b/early-warning',
      '0/early-warning',
      'a/early-warning',
      'a/notification',
      'b/final-report',
    ]);
    // A copy: the list it was given keeps its order.
    expect(items[0].milestone).toBe('final-report');
    // Times compare as instants, not as text.
    expect(
      keys(byDue([item('x', 'm', '2026-11-29T13:00:00Z'), item('y', 'm', '2026-11-29T12:30:00.000+00:00')])),
    ).toEqual(['y/m', 'x/m']);
  });

  it('groups overdue, then due soon, then the rest, each soonest first, leaving empty groups out', () => {
    const groups = groupByStatus([
      item('a', 'later', at(40 * H)),
      item('b', 'soon-2', at(2 * H), 'due-soon'),
      item('c', 'late', at(-5 * H), 'overdue'),
      item('d', 'soon-1', at(1 * H), 'due-soon'),
      item('e', 'later-first', at(30 * H)),
    ]);
    expect(groups.map((group) => [group.status, keys(group.items)])).toEqual([
      ['overdue', ['c/late']],
      ['due-soon', ['d/soon-1', 'b/soon-2']],
      ['pending', ['e/later-first', 'a/later']],
    ]);
    expect(groupByStatus([item('a', 'x', at(H), 'due-soon')]).map((group) => group.status)).toEqual(['due-soon']);
    expect(groupByStatus([])).toEqual([]);
  });

  it('counts the wait in minutes within the hour, hours within two days, then days, rounded down', () => {
    const distance = (ms: number) => dueDistance(new Date(at(ms)), now);
    expect(distance(3 * H + 59 * 60_000)).toEqual({ overdue: false, count: 3, unit: 'hour' });
    expect(distance(-2 * H - 1)).toEqual({ overdue: true, count: 2, unit: 'hour' });
    expect(distance(42 * H)).toEqual({ overdue: false, count: 42, unit: 'hour' });
    expect(distance(48 * H)).toEqual({ overdue: false, count: 2, unit: 'day' });
    expect(distance(-31 * 24 * H)).toEqual({ overdue: true, count: 31, unit: 'day' });
    expect(distance(59 * 60_000)).toEqual({ overdue: false, count: 59, unit: 'minute' });
    expect(distance(-90_000)).toEqual({ overdue: true, count: 1, unit: 'minute' });
    expect(distance(30_000)).toEqual({ overdue: false, count: 0, unit: 'minute' });
  });

  it('words it as "in …", "overdue by …" or "due now"', () => {
    expect(dueWording(at(3 * H + 1000), now)).toEqual({ key: 'deadlines.dueIn.hour', values: { count: 3 } });
    expect(dueWording(at(-2 * H), now)).toEqual({ key: 'deadlines.overdueBy.hour', values: { count: 2 } });
    expect(dueWording(at(-45 * 60_000), now)).toEqual({ key: 'deadlines.overdueBy.minute', values: { count: 45 } });
    expect(dueWording(at(5 * 24 * H), now)).toEqual({ key: 'deadlines.dueIn.day', values: { count: 5 } });
    expect(dueWording(at(-20_000), now)).toEqual({ key: 'deadlines.dueNow' });
    expect(dueWording(at(20_000), now)).toEqual({ key: 'deadlines.dueNow' });
  });

  describe('after a completion', () => {
    const done = (milestones: IncidentDeadlines['milestones']): IncidentDeadlines => ({
      incidentId: 'a',
      profileId: 'nis2',
      profileName: 'NIS2',
      awareAt: at(-30 * H),
      milestones,
      updatedAt: now.toISOString(),
    });
    const state = (key: string, due: string, status: IncidentDeadlines['milestones'][number]['status']) => ({
      key,
      label: `Label ${key}`,
      due,
      status,
      completedAt: status === 'done' ? now.toISOString() : null,
    });
    // The early warning was overdue; its completion moves the notification it counts from.
    const answer = done([
      state('early-warning', at(-6 * H), 'done'),
      state('notification', at(2 * H), 'due-soon'),
      state('final-report', at(30 * 24 * H), 'pending'),
    ]);
    const other = item('b', 'early-warning', at(-1 * H), 'overdue');

    it('drops the completed milestone and takes the moved ones’ due time and status', () => {
      const listed = {
        items: [
          item('a', 'early-warning', at(-6 * H), 'overdue'),
          other,
          item('a', 'notification', at(42 * H), 'pending'),
        ],
      };
      const after = afterCompletion(listed, answer, 'all').items;
      expect(after.map((i) => [i.incidentId, i.milestone, i.status, i.due])).toEqual([
        ['b', 'early-warning', 'overdue', other.due],
        ['a', 'notification', 'due-soon', at(2 * H)],
      ]);
      // The list it was given is left as it was.
      expect(listed.items).toHaveLength(3);
    });

    it('drops milestones the filter no longer shows, and keeps other incidents as they were', () => {
      const overdue = { items: [item('a', 'early-warning', at(-6 * H), 'overdue'), other] };
      expect(keys(afterCompletion(overdue, answer, 'overdue').items)).toEqual(['b/early-warning']);
      const soon = { items: [item('a', 'notification', at(30 * H), 'due-soon')] };
      expect(keys(afterCompletion(soon, answer, 'due-soon').items)).toEqual(['a/notification']);
      const moved = done([state('notification', at(40 * H), 'pending')]);
      expect(afterCompletion(soon, moved, 'due-soon').items).toEqual([]);
    });
  });
});

import { alertId, alertsFor, type AlertIncident, type NotificationRule } from '../notifications/alerting';
import { organizationViewer } from '../visibility/visibility';
import { addOffset, NIS2_PROFILE, validateDeadlineProfile, type DeadlineProfile } from './deadline-profile';
import {
  deadlineEventId,
  milestoneStatuses,
  nextReminderAt,
  pendingReminders,
  reminderKey,
  reminderStands,
  type IncidentDeadlines,
} from './deadline-state';

const HOUR = 3_600_000;
const awareAt = new Date('2026-01-30T10:00:00.000Z');
const fast: DeadlineProfile = {
  id: 'fast',
  name: 'Fast',
  milestones: [
    { key: 'notice', label: 'Notice', due: { from: 'awareness', offset: { seconds: 30 } } },
    { key: 'report', label: 'Report', due: { from: 'notice', offset: { minutes: 90 } } },
  ],
};
const state = (over: Partial<IncidentDeadlines> = {}): IncidentDeadlines => ({
  incidentId: 'inc-1',
  orgId: 'org-a',
  profile: fast,
  awareAt,
  completed: {},
  sent: [],
  nextReminderAt: null,
  version: 1,
  updatedBy: 'u-1',
  updatedAt: awareAt,
  ...over,
});
const ms = (iso: string) => new Date(iso).getTime();

describe('short offsets (minutes and seconds)', () => {
  it('applies months, days, hours, minutes, then seconds', () => {
    expect(addOffset(awareAt, { seconds: 30 }).toISOString()).toBe('2026-01-30T10:00:30.000Z');
    expect(addOffset(awareAt, { minutes: 90, seconds: 5 }).toISOString()).toBe('2026-01-30T11:30:05.000Z');
    // 30 January + 1 month is clamped to 28 February, then the minutes.
    expect(addOffset(awareAt, { months: 1, minutes: 1 }).toISOString()).toBe('2026-02-28T10:01:00.000Z');
  });

  it('validates minutes and seconds as whole numbers, naming the part', () => {
    expect(validateDeadlineProfile(fast)).toEqual([]);
    const errors = validateDeadlineProfile({
      name: 'Bad',
      milestones: [{ key: 'a', label: 'A', due: { from: 'awareness', offset: { minutes: 1.5, seconds: -1 } } }],
    });
    expect(errors.map((e) => e.field)).toEqual(['milestones.0.due.offset.minutes', 'milestones.0.due.offset.seconds']);
  });
});

describe('pendingReminders', () => {
  const soon = 10_000;

  it('near soonMs before each open milestone, missed at its due time, in time order', () => {
    const reminders = pendingReminders(state(), soon, awareAt);
    expect(reminders.map((r) => [r.milestone, r.when, r.at.toISOString()])).toEqual([
      ['notice', 'near', '2026-01-30T10:00:20.000Z'],
      ['notice', 'missed', '2026-01-30T10:00:30.000Z'],
      ['report', 'near', '2026-01-30T11:30:20.000Z'],
      ['report', 'missed', '2026-01-30T11:30:30.000Z'],
    ]);
    expect(reminders[0].dueMs).toBe(ms('2026-01-30T10:00:30.000Z'));
    expect(nextReminderAt(reminders)?.toISOString()).toBe('2026-01-30T10:00:20.000Z');
    expect(nextReminderAt([])).toBeNull();
  });

  it('leaves out completed milestones and sent reminders; a dependent milestone moves with the completion', () => {
    const done = state({
      completed: { notice: { at: new Date('2026-01-30T10:00:10.000Z'), by: 'u-1' } },
      sent: [reminderKey({ milestone: 'report', when: 'near', dueMs: ms('2026-01-30T11:30:10.000Z') })],
    });
    expect(pendingReminders(done, soon, awareAt).map((r) => [r.milestone, r.when, r.at.toISOString()])).toEqual([
      ['report', 'missed', '2026-01-30T11:30:10.000Z'],
    ]);
  });

  it('a near whose time passed is due at once; none once the due time is reached', () => {
    const late = new Date('2026-01-30T10:00:25.000Z');
    expect(
      pendingReminders(state(), soon, late)
        .slice(0, 2)
        .map((r) => r.when),
    ).toEqual(['near', 'missed']);
    const past = new Date('2026-01-30T10:00:30.000Z');
    expect(
      pendingReminders(state(), soon, past)
        .filter((r) => r.milestone === 'notice')
        .map((r) => r.when),
    ).toEqual(['missed']);
  });
});

describe('reminderStands', () => {
  const missed = { milestone: 'notice', when: 'missed' as const, dueMs: ms('2026-01-30T10:00:30.000Z') };

  it('stands for the stored due time of an open milestone not yet sent', () => {
    expect(reminderStands(state(), missed)).toBe(true);
  });

  it('does not once awareness moved, the milestone is completed or unknown, the reminder was sent, or no state', () => {
    expect(reminderStands(state({ awareAt: new Date(awareAt.getTime() - HOUR) }), missed)).toBe(false);
    expect(reminderStands(state({ completed: { notice: { at: awareAt, by: 'u-1' } } }), missed)).toBe(false);
    expect(reminderStands(state({ profile: NIS2_PROFILE }), missed)).toBe(false);
    expect(reminderStands(state({ sent: [reminderKey(missed)] }), missed)).toBe(false);
    expect(reminderStands(undefined, missed)).toBe(false);
  });
});

describe('milestoneStatuses', () => {
  it('done, overdue, due-soon and pending at once', () => {
    const now = new Date('2026-01-30T11:00:00.000Z');
    const statuses = milestoneStatuses(state(), now, HOUR);
    expect(statuses.map((s) => [s.key, s.status, s.due.toISOString()])).toEqual([
      ['notice', 'overdue', '2026-01-30T10:00:30.000Z'],
      ['report', 'due-soon', '2026-01-30T11:30:30.000Z'],
    ]);
    const done = milestoneStatuses(state({ completed: { notice: { at: awareAt, by: 'u-1' } } }), now, 60_000);
    expect(done.map((s) => s.status)).toEqual(['done', 'pending']);
    expect(done[0].completed).toEqual({ at: awareAt, by: 'u-1' });
  });
});

describe('deadline rules (alertsFor)', () => {
  const incident: AlertIncident = {
    id: 'inc-1',
    orgId: 'org-a',
    tlp: 'AMBER',
    authorId: 'u-a',
    recipientOrgIds: [],
    recipientUserIds: [],
    title: 'Outage',
    severity: 'high',
    classification: { class: 'availability', type: 'outage' },
  };
  const rule = (orgId: string, when: Array<'near' | 'missed'>, id = 'r-1'): NotificationRule => ({
    id,
    orgId,
    name: 'Deadlines',
    enabled: true,
    trigger: { kind: 'deadline', when },
    targets: { room: true, emails: [], webhookEndpointIds: [], policyId: null },
    maxTlp: 'GREEN',
    createdBy: 'u-admin',
    createdAt: awareAt,
    updatedAt: awareAt,
  });
  const due = new Date('2026-01-30T10:00:30.000Z');
  const event = (when: 'near' | 'missed') => ({
    kind: 'deadline' as const,
    id: deadlineEventId('inc-1', { milestone: 'notice', when, dueMs: due.getTime() }),
    orgId: 'org-a',
    incident,
    when,
    milestone: { key: 'notice', label: 'Notice', due },
  });
  const viewerOf = (orgId: string) => organizationViewer(orgId, []);

  it('raises the owner organization’s rules that name the reminder’s kind, with the milestone as detail', () => {
    const rules = [rule('org-a', ['near', 'missed']), rule('org-a', ['missed'], 'r-2'), rule('org-b', ['near'], 'r-3')];
    const near = alertsFor(event('near'), rules, viewerOf, awareAt);
    expect(near.map((a) => a.ruleId)).toEqual(['r-1']);
    expect(near[0]).toMatchObject({
      orgId: 'org-a',
      source: { kind: 'deadline', id: `deadline:inc-1:notice:near:${due.getTime()}` },
      detail: { milestone: 'notice', label: 'Notice', when: 'near', due: '2026-01-30T10:00:30.000Z' },
    });
    expect(near[0].id).toBe(alertId('org-a', 'r-1', `deadline:inc-1:notice:near:${due.getTime()}`));
    expect(alertsFor(event('missed'), rules, viewerOf, awareAt).map((a) => a.ruleId)).toEqual(['r-1', 'r-2']);
  });
});

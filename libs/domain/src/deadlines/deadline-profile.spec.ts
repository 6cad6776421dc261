import {
  NIS2_PROFILE,
  addOffset,
  deadlinePlan,
  deadlineStatus,
  dueTimes,
  reminderTimes,
  validateDeadlineProfile,
  type DeadlineProfile,
} from './deadline-profile';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('addOffset (UTC calendar arithmetic)', () => {
  it('clamps a month end to the shorter month, leap years included', () => {
    expect(addOffset(at('2026-01-31T10:00:00Z'), { months: 1 })).toEqual(at('2026-02-28T10:00:00Z'));
    expect(addOffset(at('2028-01-31T10:00:00Z'), { months: 1 })).toEqual(at('2028-02-29T10:00:00Z'));
    expect(addOffset(at('2026-03-31T10:00:00Z'), { months: 1 })).toEqual(at('2026-04-30T10:00:00Z'));
    expect(addOffset(at('2026-12-15T23:30:00Z'), { months: 1 })).toEqual(at('2027-01-15T23:30:00Z'));
  });

  it('applies months, then days, then hours', () => {
    // 31 Jan + 1 month = 28 Feb; + 1 day = 1 Mar; + 25 h = 2 Mar 01:00.
    expect(addOffset(at('2026-01-31T00:00:00Z'), { hours: 25, days: 1, months: 1 })).toEqual(
      at('2026-03-02T01:00:00Z'),
    );
    // Hours are exact hours whatever clocks do locally: 72 h over Europe's DST change.
    expect(addOffset(at('2026-03-28T12:00:00Z'), { hours: 72 })).toEqual(at('2026-03-31T12:00:00Z'));
  });
});

describe('NIS2 due times (Art. 23(4))', () => {
  it('counts 24 h and 72 h from awareness and a month from the notification’s due time until it is submitted', () => {
    expect(dueTimes(NIS2_PROFILE, at('2026-01-29T14:00:00Z'))).toEqual({
      'early-warning': at('2026-01-30T14:00:00Z'),
      'incident-notification': at('2026-02-01T14:00:00Z'),
      'final-report': at('2026-03-01T14:00:00Z'),
    });
  });

  it('crosses month ends and a leap day', () => {
    // Aware 27 Feb 2028 (leap year) 20:00: notification due 1 March 20:00, final report 1 April.
    expect(dueTimes(NIS2_PROFILE, at('2028-02-27T20:00:00Z'))).toEqual({
      'early-warning': at('2028-02-28T20:00:00Z'),
      'incident-notification': at('2028-03-01T20:00:00Z'),
      'final-report': at('2028-04-01T20:00:00Z'),
    });
    // The same in 2026 (no 29 Feb): notification due 2 March.
    expect(dueTimes(NIS2_PROFILE, at('2026-02-27T20:00:00Z'))['incident-notification']).toEqual(
      at('2026-03-02T20:00:00Z'),
    );
    // Aware 28 Dec: the year changes on the way.
    expect(dueTimes(NIS2_PROFILE, at('2026-12-28T23:00:00Z'))).toEqual({
      'early-warning': at('2026-12-29T23:00:00Z'),
      'incident-notification': at('2026-12-31T23:00:00Z'),
      'final-report': at('2027-01-31T23:00:00Z'),
    });
  });

  it('counts the final report from the notification’s actual submission, early or late', () => {
    const awareAt = at('2026-01-01T00:00:00Z');
    // Submitted on 31 January: a month later is 28 February (clamped).
    expect(
      dueTimes(NIS2_PROFILE, awareAt, { 'incident-notification': at('2026-01-31T09:00:00Z') })['final-report'],
    ).toEqual(at('2026-02-28T09:00:00Z'));
    // Submitted early, 2 January 08:00.
    expect(
      dueTimes(NIS2_PROFILE, awareAt, { 'incident-notification': at('2026-01-02T08:00:00Z') })['final-report'],
    ).toEqual(at('2026-02-02T08:00:00Z'));
  });

  it('keeps counting from the due time under basis `due`', () => {
    const profile: DeadlineProfile = {
      ...NIS2_PROFILE,
      milestones: NIS2_PROFILE.milestones.map((m) =>
        m.key === 'final-report' ? { ...m, due: { ...m.due, basis: 'due' as const } } : m,
      ),
    };
    const due = dueTimes(profile, at('2026-01-01T00:00:00Z'), { 'incident-notification': at('2026-01-31T09:00:00Z') });
    expect(due['final-report']).toEqual(at('2026-02-04T00:00:00Z'));
  });

  it('refuses a profile with a cycle or an unknown reference', () => {
    const cyclic = {
      milestones: [
        { key: 'a', label: 'A', due: { from: 'b', offset: { hours: 1 } } },
        { key: 'b', label: 'B', due: { from: 'a', offset: { hours: 1 } } },
      ],
    };
    expect(() => dueTimes(cyclic, at('2026-01-01T00:00:00Z'))).toThrow(/cycle/);
    const dangling = { milestones: [{ key: 'a', label: 'A', due: { from: 'zz', offset: { hours: 1 } } }] };
    expect(() => dueTimes(dangling, at('2026-01-01T00:00:00Z'))).toThrow(/unknown milestone: zz/);
  });
});

describe('a national profile counting from awareness and from another milestone', () => {
  const national: DeadlineProfile = {
    id: 'p1',
    name: 'National 6-hour rule',
    milestones: [
      { key: 'report', label: 'Follow-up', due: { from: 'first-notice', offset: { days: 3 } } },
      { key: 'first-notice', label: 'First notice', due: { from: 'awareness', offset: { hours: 6 } } },
    ],
  };

  it('resolves milestones listed before the one they count from', () => {
    expect(validateDeadlineProfile(national)).toEqual([]);
    expect(dueTimes(national, at('2026-03-31T20:00:00Z'))).toEqual({
      report: at('2026-04-04T02:00:00Z'),
      'first-notice': at('2026-04-01T02:00:00Z'),
    });
  });
});

describe('deadlineStatus', () => {
  const due = at('2026-02-01T14:00:00Z');
  it('is done once completed, overdue from the due time, due-soon inside the window, pending before', () => {
    expect(deadlineStatus(due, at('2026-02-03T00:00:00Z'), at('2026-02-02T00:00:00Z'), HOUR)).toBe('done');
    expect(deadlineStatus(due, at('2026-02-01T14:00:00Z'), null, HOUR)).toBe('overdue');
    expect(deadlineStatus(due, at('2026-02-01T13:00:00Z'), null, HOUR)).toBe('due-soon');
    expect(deadlineStatus(due, at('2026-02-01T12:59:59Z'), undefined, HOUR)).toBe('pending');
  });
});

describe('reminderTimes', () => {
  const due = at('2026-02-01T14:00:00Z');
  it('reminds at each lead, earliest first, and at the miss', () => {
    expect(reminderTimes(due, [HOUR, 6 * HOUR, HOUR])).toEqual([
      { kind: 'before', at: at('2026-02-01T08:00:00Z'), leadMs: 6 * HOUR },
      { kind: 'before', at: at('2026-02-01T13:00:00Z'), leadMs: HOUR },
      { kind: 'missed', at: due, leadMs: 0 },
    ]);
  });

  it('leaves out reminders before notBefore but never the miss', () => {
    expect(reminderTimes(due, [6 * HOUR, HOUR], at('2026-02-01T13:30:00Z'))).toEqual([
      { kind: 'missed', at: due, leadMs: 0 },
    ]);
  });
});

describe('deadlinePlan', () => {
  it('gives every NIS2 milestone its status and the reminders still ahead', () => {
    const awareAt = at('2026-01-29T14:00:00Z');
    const plan = deadlinePlan(
      NIS2_PROFILE,
      awareAt,
      { 'early-warning': at('2026-01-30T10:00:00Z') },
      at('2026-02-01T12:00:00Z'),
      { soonMs: 6 * HOUR, leadsMs: [6 * HOUR, HOUR] },
    );
    expect(plan.map(({ key, status }) => [key, status])).toEqual([
      ['early-warning', 'done'],
      ['incident-notification', 'due-soon'],
      ['final-report', 'pending'],
    ]);
    expect(plan[0].reminders).toEqual([]);
    expect(plan[1].reminders.map((r) => r.at)).toEqual([at('2026-02-01T13:00:00Z'), at('2026-02-01T14:00:00Z')]);
    expect(plan[2].reminders.map((r) => r.kind)).toEqual(['before', 'before', 'missed']);
  });
});

describe('validateDeadlineProfile', () => {
  it('accepts the built-in NIS2 profile', () => {
    expect(validateDeadlineProfile(NIS2_PROFILE)).toEqual([]);
  });

  it('names bad keys, references, offsets and bases', () => {
    const errors = validateDeadlineProfile({
      name: '',
      milestones: [
        { key: 'awareness', label: 'x', due: { from: 'awareness', offset: { hours: 1 } } },
        { key: 'a', label: '', due: { from: 'nowhere', offset: {} } },
        { key: 'a', label: 'A', due: { from: 'a', offset: { days: -1, months: 1.5 }, basis: 'later' as never } },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'name',
      'milestones.0.key',
      'milestones.1.label',
      'milestones.1.due.from',
      'milestones.1.due.offset',
      'milestones.2.key',
      'milestones.2.due.from',
      'milestones.2.due.offset.months',
      'milestones.2.due.offset.days',
      'milestones.2.due.basis',
    ]);
  });

  it('names the first milestone of a cycle', () => {
    const errors = validateDeadlineProfile({
      name: 'loop',
      milestones: [
        { key: 'start', label: 'S', due: { from: 'awareness', offset: { hours: 1 } } },
        { key: 'a', label: 'A', due: { from: 'c', offset: { hours: 1 } } },
        { key: 'b', label: 'B', due: { from: 'a', offset: { hours: 1 } } },
        { key: 'c', label: 'C', due: { from: 'b', offset: { hours: 1 } } },
      ],
    });
    expect(errors).toEqual([
      { field: 'milestones.1.due.from', message: 'milestones count from one another: a → c → b → a' },
    ]);
  });
});

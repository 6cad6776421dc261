import { DateTime } from 'luxon';
import type { FieldError } from '../errors/domain-error';

/** The reference point every profile starts from: when the organization became aware of the incident. */
export const AWARENESS = 'awareness';

/**
 * A calendar offset; each part a whole number ≥ 0, applied months, then days, then hours, minutes
 * and seconds, in UTC. Minutes and seconds serve short national regimes and tests.
 */
export interface DeadlineOffset {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  months?: number;
}

/** The parts of an offset, in the order they apply. */
export const DEADLINE_OFFSET_PARTS = ['months', 'days', 'hours', 'minutes', 'seconds'] as const;

/**
 * What a milestone counting from another milestone counts from:
 * - `completion` (the default): the other milestone's actual completion once it is completed, its
 *   due time until then (a provisional due time that moves when the other one is done);
 * - `due`: always the other milestone's due time, however early or late it was completed.
 * A milestone counting from awareness ignores it.
 */
export type DeadlineBasis = 'completion' | 'due';

export interface DeadlineMilestone {
  /** Stable key within the profile: lower-case letters, digits and `-`, starting with a letter; never `awareness`. */
  key: string;
  label: string;
  due: { from: string; offset: DeadlineOffset; basis?: DeadlineBasis };
}

/** A regime of reporting deadlines: milestones due at offsets from awareness or from one another. */
export interface DeadlineProfile {
  id: string;
  name: string;
  milestones: DeadlineMilestone[];
}

export type DeadlineStatus = 'done' | 'pending' | 'due-soon' | 'overdue';

export const MAX_MILESTONES = 20;
/** The largest value of one part of an offset. */
export const MAX_OFFSET_PART = 10_000;
const KEY = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * NIS2 incident reporting, Directive (EU) 2022/2555 Art. 23(4): (a) an early warning without undue
 * delay and in any event within 24 hours of becoming aware of the significant incident; (b) an incident
 * notification without undue delay and in any event within 72 hours of becoming aware; (d) a final
 * report not later than one month after the submission of the incident notification — counted from
 * the notification's actual submission (`completion`), so until it is submitted the final report is
 * provisionally due one month after the notification's due time. Not modelled: the intermediate report
 * of (c) (on request only) and the 24-hour incident notification of trust service providers.
 */
export const NIS2_PROFILE: DeadlineProfile = {
  id: 'nis2',
  name: 'NIS2 (Directive (EU) 2022/2555, Art. 23(4))',
  milestones: [
    { key: 'early-warning', label: 'Early warning', due: { from: AWARENESS, offset: { hours: 24 } } },
    {
      key: 'incident-notification',
      label: 'Incident notification',
      due: { from: AWARENESS, offset: { hours: 72 } },
    },
    {
      key: 'final-report',
      label: 'Final report',
      due: { from: 'incident-notification', offset: { months: 1 }, basis: 'completion' },
    },
  ],
};

/** The profiles every organization has without defining any. */
export const BUILT_IN_DEADLINE_PROFILES: readonly DeadlineProfile[] = [NIS2_PROFILE];

/**
 * `from` moved by `offset` in UTC: months first (calendar months; a day past the end of the target
 * month is clamped to its last day, so 31 January + 1 month is 28 February, or 29 February in a leap
 * year), then days (24 h each in UTC), then hours, minutes and seconds.
 */
export function addOffset(from: Date, offset: DeadlineOffset): Date {
  return DateTime.fromJSDate(from, { zone: 'utc' })
    .plus({ months: offset.months ?? 0 })
    .plus({ days: offset.days ?? 0 })
    .plus({ hours: offset.hours ?? 0 })
    .plus({ minutes: offset.minutes ?? 0 })
    .plus({ seconds: offset.seconds ?? 0 })
    .toJSDate();
}

/**
 * Problems of a profile's fields, named as the API reports them (`milestones.1.due.from`, …); empty
 * when valid. Checks: a non-blank name; 1..`MAX_MILESTONES` milestones with unique keys of the key
 * pattern (not `awareness`), non-blank labels, `due.from` naming `awareness` or another milestone of
 * the profile (not itself), no cycle of milestones counting from one another, an offset with at least
 * one part and every part a whole number ≥ 0, and a basis of `completion` or `due`.
 */
export function validateDeadlineProfile(input: Pick<DeadlineProfile, 'name' | 'milestones'>): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (typeof input.name !== 'string' || input.name.trim().length === 0) add('name', 'must not be blank');
  if (!Array.isArray(input.milestones) || input.milestones.length === 0) {
    add('milestones', 'must name at least one milestone');
    return errors;
  }
  if (input.milestones.length > MAX_MILESTONES) add('milestones', `must be at most ${MAX_MILESTONES} milestones`);
  const keys = new Set(input.milestones.map((m) => m.key));
  const seen = new Set<string>();
  input.milestones.forEach((milestone, i) => {
    const at = `milestones.${i}`;
    if (typeof milestone.key !== 'string' || !KEY.test(milestone.key) || milestone.key === AWARENESS) {
      add(`${at}.key`, 'must be lower-case letters, digits and -, starting with a letter, and not awareness');
    } else if (seen.has(milestone.key)) add(`${at}.key`, 'is used by an earlier milestone');
    seen.add(milestone.key);
    if (typeof milestone.label !== 'string' || milestone.label.trim().length === 0) {
      add(`${at}.label`, 'must not be blank');
    }
    const due = milestone.due ?? ({} as DeadlineMilestone['due']);
    if (due.from !== AWARENESS) {
      if (due.from === milestone.key) add(`${at}.due.from`, 'must not be the milestone itself');
      else if (!keys.has(due.from)) {
        add(`${at}.due.from`, 'must be awareness or the key of another milestone of the profile');
      }
    }
    const offset = due.offset ?? {};
    const parts = DEADLINE_OFFSET_PARTS.filter((part) => offset[part] !== undefined);
    if (parts.length === 0) add(`${at}.due.offset`, 'must give months, days, hours, minutes or seconds');
    for (const part of parts) {
      const value = offset[part];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_OFFSET_PART) {
        add(`${at}.due.offset.${part}`, `must be a whole number from 0 to ${MAX_OFFSET_PART}`);
      }
    }
    if (due.basis !== undefined && due.basis !== 'completion' && due.basis !== 'due') {
      add(`${at}.due.basis`, 'must be completion or due');
    }
  });
  if (errors.length === 0) {
    const cycle = findCycle(input.milestones);
    if (cycle)
      add(`milestones.${cycle.index}.due.from`, `milestones count from one another: ${cycle.path.join(' → ')}`);
  }
  return errors;
}

/** The first milestone (by position) on a cycle of `due.from` references, with the cycle's keys. */
function findCycle(milestones: readonly DeadlineMilestone[]): { index: number; path: string[] } | undefined {
  const byKey = new Map(milestones.map((m) => [m.key, m]));
  for (const [index, start] of milestones.entries()) {
    const path = [start.key];
    let current = byKey.get(start.due.from);
    while (current && path.length <= milestones.length) {
      path.push(current.key);
      if (current.key === start.key) return { index, path };
      current = byKey.get(current.due.from);
    }
  }
  return undefined;
}

/**
 * Each milestone's due time, by key, for an incident the organization became aware of at `awareAt`
 * and whose completed milestones are `completed` (key → completion time; other keys ignored).
 * A milestone counting from another follows that one's `basis` (see `DeadlineBasis`).
 *
 * Throws RangeError for a profile with an unknown reference or a cycle (run
 * `validateDeadlineProfile` first). Pure.
 */
export function dueTimes(
  profile: Pick<DeadlineProfile, 'milestones'>,
  awareAt: Date,
  completed: Readonly<Record<string, Date>> = {},
): Record<string, Date> {
  const byKey = new Map(profile.milestones.map((m) => [m.key, m]));
  const due: Record<string, Date> = {};
  const resolving = new Set<string>();
  const resolve = (key: string): Date => {
    if (due[key]) return due[key];
    const milestone = byKey.get(key);
    if (!milestone) throw new RangeError(`deadline profile names an unknown milestone: ${key}`);
    if (resolving.has(key)) throw new RangeError(`deadline profile has a cycle through ${key}`);
    resolving.add(key);
    const { from, offset, basis = 'completion' } = milestone.due;
    let start: Date;
    if (from === AWARENESS) start = awareAt;
    else {
      const reference = resolve(from);
      start = basis === 'completion' && Object.hasOwn(completed, from) ? completed[from] : reference;
    }
    due[key] = addOffset(start, offset);
    resolving.delete(key);
    return due[key];
  };
  for (const milestone of profile.milestones) resolve(milestone.key);
  return due;
}

/**
 * Where a milestone stands at `now`: `done` once completed (late or not), else `overdue` from its due
 * time on, `due-soon` within `soonMs` milliseconds before it, `pending` before that.
 */
export function deadlineStatus(
  due: Date,
  now: Date,
  completedAt: Date | null | undefined,
  soonMs: number,
): DeadlineStatus {
  if (completedAt) return 'done';
  const left = due.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= soonMs ? 'due-soon' : 'pending';
}

/** Reminder leads (ms before a due time) used when a caller gives none: 6 hours and 1 hour. */
export const DEFAULT_REMINDER_LEADS_MS: readonly number[] = [6 * 3_600_000, 3_600_000];

export interface DeadlineReminder {
  /** `before`: a lead ahead of the due time; `missed`: at the due time itself. */
  kind: 'before' | 'missed';
  at: Date;
  /** Milliseconds before the due time (0 for `missed`). */
  leadMs: number;
}

/**
 * When to remind of a milestone due at `due`: one reminder `lead` milliseconds before it for each of
 * `leadsMs` (positive leads, each once), and one at the due time (`missed`); in time order. Reminders
 * that would fall before `notBefore` (e.g. awareness, or now when rescheduling) are left out, except
 * the `missed` one, which is always there.
 */
export function reminderTimes(
  due: Date,
  leadsMs: readonly number[] = DEFAULT_REMINDER_LEADS_MS,
  notBefore?: Date,
): DeadlineReminder[] {
  const leads = [...new Set(leadsMs.filter((lead) => Number.isFinite(lead) && lead > 0))].sort((a, b) => b - a);
  const before = leads
    .map((leadMs) => ({ kind: 'before' as const, at: new Date(due.getTime() - leadMs), leadMs }))
    .filter((reminder) => !notBefore || reminder.at.getTime() >= notBefore.getTime());
  return [...before, { kind: 'missed', at: new Date(due.getTime()), leadMs: 0 }];
}

export interface MilestonePlan {
  key: string;
  label: string;
  due: Date;
  completedAt: Date | null;
  status: DeadlineStatus;
  /** Reminders still to send: none once the milestone is completed. */
  reminders: DeadlineReminder[];
}

/**
 * Every milestone of `profile` for one incident at `now`: due time, status and the reminders still
 * ahead (or, for the `missed` one, due) — what a scheduler re-plans after any change. `soonMs` is the
 * `due-soon` window. Throws as `dueTimes` does.
 */
export function deadlinePlan(
  profile: Pick<DeadlineProfile, 'milestones'>,
  awareAt: Date,
  completed: Readonly<Record<string, Date>>,
  now: Date,
  options: { soonMs: number; leadsMs?: readonly number[] },
): MilestonePlan[] {
  const due = dueTimes(profile, awareAt, completed);
  return profile.milestones.map(({ key, label }) => {
    const completedAt = Object.hasOwn(completed, key) ? completed[key] : null;
    return {
      key,
      label,
      due: due[key],
      completedAt,
      status: deadlineStatus(due[key], now, completedAt, options.soonMs),
      reminders: completedAt
        ? []
        : reminderTimes(due[key], options.leadsMs, now).filter(
            (reminder) => reminder.kind === 'missed' || reminder.at.getTime() >= now.getTime(),
          ),
    };
  });
}

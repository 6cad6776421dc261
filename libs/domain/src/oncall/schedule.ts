import { DateTime, IANAZone } from 'luxon';
import type { FieldError } from '../errors/domain-error';

/**
 * One rotation of a schedule: its people take turns in the order given, each for `lengthDays`
 * days, a shift starting at `handover` (local wall-clock time in the schedule's zone). The first
 * shift (of `users[0]`) starts on `startDate` at `handover`.
 */
export interface Rotation {
  /** User ids, in turn order; one user may appear more than once. */
  users: string[];
  /** Local wall-clock time of every handover, `HH:mm` (24 h). */
  handover: string;
  /** Days per shift: 1 = daily, 7 = weekly. A whole number ≥ 1. */
  lengthDays: number;
  /** Local date (`YYYY-MM-DD`) of the first shift's handover. Before it the rotation has nobody. */
  startDate: string;
}

/** A person on call in place of the rotations from `from` (inclusive) to `to` (exclusive). */
export interface ScheduleOverride {
  id: string;
  userId: string;
  from: Date;
  to: Date;
}

/** An organization's on-call schedule. */
export interface OnCallSchedule {
  id: string;
  orgId: string;
  name: string;
  /** IANA time zone name (e.g. `Asia/Riyadh`, `Europe/Berlin`) the handover times are read in. */
  timeZone: string;
  rotations: Rotation[];
  overrides: ScheduleOverride[];
}

/** One shift of a rotation: `index` counts from 0 at the first handover; `[start, end)`. */
export interface Shift {
  index: number;
  userId: string;
  start: Date;
  end: Date;
}

export const MAX_ROTATIONS = 10;
export const MAX_ROTATION_USERS = 100;
export const MAX_OVERRIDES = 500;
export const MAX_SCHEDULE_NAME_LENGTH = 200;
export const MAX_LENGTH_DAYS = 366;

const HANDOVER = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date `days` after `date` (`YYYY-MM-DD`), as year/month/day; no time zone involved. */
function addDays(date: string, days: number): { year: number; month: number; day: number } {
  const moved = DateTime.fromISO(date, { zone: 'utc' }).plus({ days });
  return { year: moved.year, month: moved.month, day: moved.day };
}

/**
 * The instant shift `index` of `rotation` starts: the local date `startDate + index × lengthDays`
 * at `handover` in `timeZone`. Handovers follow the wall clock across DST changes (so the UTC time
 * moves by the DST offset). A handover in the hour skipped when clocks go forward is taken at the
 * same distance after the gap (02:30 on a 02:00→03:00 day is 03:30); one in the hour repeated when
 * clocks go back is taken at its later occurrence (luxon's resolution of ambiguous local times).
 */
export function shiftStart(rotation: Rotation, timeZone: string, index: number): Date {
  const [hour, minute] = rotation.handover.split(':').map(Number);
  const day = addDays(rotation.startDate, index * rotation.lengthDays);
  return DateTime.fromObject({ ...day, hour, minute }, { zone: timeZone }).toJSDate();
}

/**
 * The shift of `rotation` that contains `at`, or undefined before the rotation's first handover
 * (or for a rotation without users). Pure: `at` is the caller's clock.
 */
export function shiftAt(rotation: Rotation, timeZone: string, at: Date): Shift | undefined {
  if (rotation.users.length === 0) return undefined;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const first = DateTime.fromISO(rotation.startDate, { zone: 'utc' });
  const today = DateTime.fromObject({ year: local.year, month: local.month, day: local.day }, { zone: 'utc' });
  const days = Math.round(today.diff(first, 'days').days);
  let index = Math.floor(days / rotation.lengthDays);
  // Today's handover may not have happened yet (or, on the day of a shift change, just did).
  while (index >= 0 && shiftStart(rotation, timeZone, index).getTime() > at.getTime()) index -= 1;
  while (shiftStart(rotation, timeZone, index + 1).getTime() <= at.getTime()) index += 1;
  if (index < 0) return undefined;
  return {
    index,
    userId: rotation.users[index % rotation.users.length],
    start: shiftStart(rotation, timeZone, index),
    end: shiftStart(rotation, timeZone, index + 1),
  };
}

function covers(override: Pick<ScheduleOverride, 'from' | 'to'>, at: Date): boolean {
  return override.from.getTime() <= at.getTime() && at.getTime() < override.to.getTime();
}

/**
 * Who is on call at instant `at`: user ids, each once, in order.
 *
 * Without an override covering `at`, the user of each rotation's current shift (rotations in order).
 * Overrides replace the whole schedule: when one or more overrides cover `at` (`from ≤ at < to`),
 * exactly their users are on call (in the order of the overrides) and no rotation's. Before every
 * rotation's first handover, and with no override, nobody: `[]`. Pure; `at` is the caller's clock.
 */
export function onCallAt(schedule: Pick<OnCallSchedule, 'timeZone' | 'rotations' | 'overrides'>, at: Date): string[] {
  const overriding = schedule.overrides.filter((override) => covers(override, at));
  const users =
    overriding.length > 0
      ? overriding.map((override) => override.userId)
      : schedule.rotations.flatMap((rotation) => shiftAt(rotation, schedule.timeZone, at)?.userId ?? []);
  return [...new Set(users)];
}

/**
 * The first instant after `at` at which `onCallAt` may answer differently: the next handover of any
 * rotation or the next start or end of an override; null when there is none (no rotation with users
 * and no override ending after `at`).
 */
export function nextHandover(
  schedule: Pick<OnCallSchedule, 'timeZone' | 'rotations' | 'overrides'>,
  at: Date,
): Date | null {
  const candidates: number[] = [];
  for (const rotation of schedule.rotations) {
    if (rotation.users.length === 0) continue;
    const shift = shiftAt(rotation, schedule.timeZone, at);
    candidates.push((shift ? shift.end : shiftStart(rotation, schedule.timeZone, 0)).getTime());
  }
  for (const override of schedule.overrides) {
    for (const edge of [override.from.getTime(), override.to.getTime()]) {
      if (edge > at.getTime()) candidates.push(edge);
    }
  }
  return candidates.length > 0 ? new Date(Math.min(...candidates)) : null;
}

/** Whether `zone` is an IANA time zone name this runtime knows (`Asia/Riyadh`, `UTC`; not `+03:00`). */
export function isTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && IANAZone.isValidZone(zone);
}

function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

function isInstant(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The schedule as a client writes it (no ids): what `validateSchedule` checks. */
export interface ScheduleInput {
  name: string;
  timeZone: string;
  rotations: Rotation[];
}

/**
 * Problems of a schedule's fields, each named as the API reports them (`timeZone`,
 * `rotations.0.handover`, …); empty when the schedule is valid. Checks: a non-blank name of at most
 * `MAX_SCHEDULE_NAME_LENGTH` characters; a known IANA zone; 1..`MAX_ROTATIONS` rotations, each with
 * 1..`MAX_ROTATION_USERS` non-empty user ids, an `HH:mm` handover, a whole `lengthDays` in
 * 1..`MAX_LENGTH_DAYS` and a real `YYYY-MM-DD` start date. Whether the users exist is the caller's
 * question (it needs the store).
 */
export function validateSchedule(input: ScheduleInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (typeof input.name !== 'string' || input.name.trim().length === 0) add('name', 'must not be blank');
  else if (input.name.length > MAX_SCHEDULE_NAME_LENGTH) {
    add('name', `must be at most ${MAX_SCHEDULE_NAME_LENGTH} characters`);
  }
  if (!isTimeZone(input.timeZone)) add('timeZone', 'must be an IANA time zone name, e.g. Asia/Riyadh');
  if (!Array.isArray(input.rotations) || input.rotations.length === 0) {
    add('rotations', 'must name at least one rotation');
    return errors;
  }
  if (input.rotations.length > MAX_ROTATIONS) add('rotations', `must be at most ${MAX_ROTATIONS} rotations`);
  input.rotations.forEach((rotation, i) => {
    const at = `rotations.${i}`;
    if (!Array.isArray(rotation.users) || rotation.users.length === 0)
      add(`${at}.users`, 'must name at least one user');
    else if (rotation.users.length > MAX_ROTATION_USERS) {
      add(`${at}.users`, `must name at most ${MAX_ROTATION_USERS} users`);
    } else if (rotation.users.some((user) => typeof user !== 'string' || user.length === 0)) {
      add(`${at}.users`, 'must be user ids');
    }
    if (typeof rotation.handover !== 'string' || !HANDOVER.test(rotation.handover)) {
      add(`${at}.handover`, 'must be a local time HH:mm (00:00 to 23:59)');
    }
    if (
      typeof rotation.lengthDays !== 'number' ||
      !Number.isInteger(rotation.lengthDays) ||
      rotation.lengthDays < 1 ||
      rotation.lengthDays > MAX_LENGTH_DAYS
    ) {
      add(`${at}.lengthDays`, `must be a whole number of days from 1 to ${MAX_LENGTH_DAYS}`);
    }
    if (!isCalendarDate(rotation.startDate)) add(`${at}.startDate`, 'must be a date YYYY-MM-DD');
  });
  return errors;
}

/**
 * Problems of one override (`field` prefixes the names, e.g. `overrides.2`): a non-empty user id,
 * valid instants, and `from` strictly before `to`.
 */
export function validateOverride(input: Pick<ScheduleOverride, 'userId' | 'from' | 'to'>, field = ''): FieldError[] {
  const name = (key: string) => (field ? `${field}.${key}` : key);
  const errors: FieldError[] = [];
  if (typeof input.userId !== 'string' || input.userId.length === 0) {
    errors.push({ field: name('userId'), message: 'must be a user id' });
  }
  if (!isInstant(input.from)) errors.push({ field: name('from'), message: 'must be a date-time' });
  if (!isInstant(input.to)) errors.push({ field: name('to'), message: 'must be a date-time' });
  if (isInstant(input.from) && isInstant(input.to) && input.from.getTime() >= input.to.getTime()) {
    errors.push({ field: name('to'), message: 'must be after from' });
  }
  return errors;
}

/** Every user id a schedule names (rotations and overrides), each once. */
export function scheduleUserIds(schedule: Pick<OnCallSchedule, 'rotations' | 'overrides'>): string[] {
  return [
    ...new Set([
      ...schedule.rotations.flatMap((rotation) => rotation.users),
      ...schedule.overrides.map((override) => override.userId),
    ]),
  ];
}

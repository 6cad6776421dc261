import { ValidateBy, type ValidationOptions } from 'class-validator';

const CALENDAR = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 calendar date or date-time (`2026-11-24`, `2026-11-24T08:30:00Z`, with an offset or
 * fractions) that names a real instant. ISO 8601 also has week (`2026-W48-1`) and ordinal
 * (`2026-333`) dates, which validators accept but `Date` cannot read: they are refused here, so no
 * later layer ever sees an invalid date.
 */
export function isCalendarDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || !CALENDAR.test(value)) return false;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  // Date.parse rolls 2026-02-31 over to March: the day must survive the round trip.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) || value.length === 10;
  if (!hasOffset) return true;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function IsCalendarDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDateTime',
      validator: {
        validate: (value) => isCalendarDateTime(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an ISO 8601 calendar date-time such as 2026-11-24T08:30:00Z (week and ordinal dates are not accepted)`,
      },
    },
    options,
  );
}

/** How far ahead of the server's clock a time of occurrence may lie (clock skew between partners). */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/** Refuses an instant more than a day after now: an incident cannot have occurred in the future. */
export function NotInTheFuture(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notInTheFuture',
      validator: {
        validate: (value) => typeof value !== 'string' || !(Date.parse(value) > Date.now() + FUTURE_TOLERANCE_MS),
        defaultMessage: (args) => `${args?.property ?? 'value'} must not lie in the future`,
      },
    },
    options,
  );
}

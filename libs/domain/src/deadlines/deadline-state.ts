import {
  deadlineStatus,
  dueTimes,
  reminderTimes,
  type DeadlineMilestone,
  type DeadlineProfile,
  type DeadlineStatus,
} from './deadline-profile';

/** What a reminder tells: the milestone's due time is near, or it passed with the milestone not completed. */
export type DeadlineReminderWhen = 'near' | 'missed';
export const DEADLINE_REMINDER_WHENS: readonly DeadlineReminderWhen[] = ['near', 'missed'];

/**
 * One incident's regulatory deadlines, as its owner organization set them: the profile (a copy of
 * its milestones taken when it was chosen, so a later edit or removal of the profile does not move
 * deadlines already running), when the organization became aware, and the milestones completed.
 */
export interface IncidentDeadlines {
  incidentId: string;
  /** The incident's owner organization (the only one that changes these, and whose rules are told). */
  orgId: string;
  profile: DeadlineProfile;
  awareAt: Date;
  /** Completed milestones, by key. */
  completed: Record<string, { at: Date; by: string }>;
  /** Reminders already handled (`reminderKey`), so the sweeper does not send them again. */
  sent: string[];
  /** The earliest reminder still to send, or null when none remains (what the sweeper looks for). */
  nextReminderAt: Date | null;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

/** One reminder of one milestone for one due time; `at` is when it is due to be sent. */
export interface PlannedReminder {
  milestone: string;
  when: DeadlineReminderWhen;
  /** The milestone's due time the reminder is about, epoch milliseconds. */
  dueMs: number;
  at: Date;
}

/** The reminder's identity within an incident: `<milestone>:<near|missed>:<due ms>`. */
export function reminderKey(reminder: Pick<PlannedReminder, 'milestone' | 'when' | 'dueMs'>): string {
  return `${reminder.milestone}:${reminder.when}:${reminder.dueMs}`;
}

/**
 * The rule event id of a reminder: `deadline:<incident>:<milestone>:<near|missed>:<due ms>` — the
 * same reminder raises one alert per rule, however often its job runs; a new due time is a new event.
 */
export function deadlineEventId(incidentId: string, reminder: Pick<PlannedReminder, 'milestone' | 'when' | 'dueMs'>) {
  return `deadline:${incidentId}:${reminderKey(reminder)}`;
}

const completedTimes = (state: Pick<IncidentDeadlines, 'completed'>): Record<string, Date> =>
  Object.fromEntries(Object.entries(state.completed).map(([key, done]) => [key, done.at]));

/** Each milestone's due time (see `dueTimes`), for the state's profile, awareness and completions. */
export function dueTimesOf(state: Pick<IncidentDeadlines, 'profile' | 'awareAt' | 'completed'>): Record<string, Date> {
  return dueTimes(state.profile, state.awareAt, completedTimes(state));
}

/**
 * Every reminder of the milestones not completed, in time order, not yet handled (`sent`): for each,
 * `near` `soonMs` before its due time (from `reminderTimes` with that one lead; left out once the due
 * time is reached at `now`, as the miss says more) and `missed` at the due time. A `near` whose time
 * is past but whose due time is not (awareness set late) is due at once.
 */
export function pendingReminders(
  state: Pick<IncidentDeadlines, 'profile' | 'awareAt' | 'completed' | 'sent'>,
  soonMs: number,
  now: Date,
): PlannedReminder[] {
  const due = dueTimesOf(state);
  const sent = new Set(state.sent);
  const planned: PlannedReminder[] = [];
  for (const { key } of state.profile.milestones) {
    if (Object.hasOwn(state.completed, key)) continue;
    const dueMs = due[key].getTime();
    for (const reminder of reminderTimes(due[key], [soonMs])) {
      const when: DeadlineReminderWhen = reminder.kind === 'missed' ? 'missed' : 'near';
      if (when === 'near' && dueMs <= now.getTime()) continue;
      const next = { milestone: key, when, dueMs, at: reminder.at };
      if (!sent.has(reminderKey(next))) planned.push(next);
    }
  }
  return planned.sort((a, b) => a.at.getTime() - b.at.getTime() || a.milestone.localeCompare(b.milestone));
}

/** The time of the earliest of `reminders`, or null when there is none. */
export function nextReminderAt(reminders: readonly PlannedReminder[]): Date | null {
  return reminders.reduce<Date | null>((first, r) => (first === null || r.at < first ? r.at : first), null);
}

/**
 * Whether a reminder job still stands for the stored state: its milestone is in the profile, not
 * completed, still due at `dueMs` (a change of awareness, profile or a completion it counts from
 * moved it otherwise), and the reminder was not handled yet. A job that does not stand does nothing.
 */
export function reminderStands(
  state: Pick<IncidentDeadlines, 'profile' | 'awareAt' | 'completed' | 'sent'> | undefined,
  reminder: Pick<PlannedReminder, 'milestone' | 'when' | 'dueMs'>,
): boolean {
  if (!state) return false;
  if (!state.profile.milestones.some((m) => m.key === reminder.milestone)) return false;
  if (Object.hasOwn(state.completed, reminder.milestone)) return false;
  if (state.sent.includes(reminderKey(reminder))) return false;
  return dueTimesOf(state)[reminder.milestone]?.getTime() === reminder.dueMs;
}

export interface MilestoneStatus {
  key: string;
  label: string;
  due: Date;
  status: DeadlineStatus;
  completed: { at: Date; by: string } | null;
}

/** Each milestone's due time and status at `now` (`soonMs`: the `due-soon` window). */
export function milestoneStatuses(
  state: Pick<IncidentDeadlines, 'profile' | 'awareAt' | 'completed'>,
  now: Date,
  soonMs: number,
): MilestoneStatus[] {
  const due = dueTimesOf(state);
  return state.profile.milestones.map(({ key, label }: DeadlineMilestone) => {
    const completed = Object.hasOwn(state.completed, key) ? state.completed[key] : null;
    return { key, label, due: due[key], status: deadlineStatus(due[key], now, completed?.at, soonMs), completed };
  });
}

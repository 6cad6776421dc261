import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { pendingReminders, reminderKey, type IncidentDeadlines, type PlannedReminder } from '@corridor/domain';
import { JobProducer } from '@corridor/queue';

/**
 * Keeps an incident's reminder jobs in step with its stored deadlines: after a change, the old
 * state's pending reminders that the new one no longer has are cancelled, and the new ones enqueued
 * as delayed `deadline-reminder` jobs (deterministic ids, so an unchanged reminder stays one job).
 * A failed enqueue is logged, not thrown: the change is stored, and the worker's sweeper re-creates
 * the reminder from the stored `nextReminderAt` once it is due.
 */
@Injectable()
export class DeadlineReminders {
  constructor(
    private readonly jobs: JobProducer,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The `due-soon` window and `near` lead, in milliseconds (DEADLINE_SOON_HOURS). */
  get soonMs(): number {
    return Math.round(this.config.DEADLINE_SOON_HOURS * 3_600_000);
  }

  /** The reminders `state` still has to send at `now`. */
  pending(state: IncidentDeadlines, now: Date): PlannedReminder[] {
    return pendingReminders(state, this.soonMs, now);
  }

  async reschedule(before: IncidentDeadlines | undefined, after: IncidentDeadlines, now: Date): Promise<void> {
    const next = this.pending(after, now);
    const keep = new Set(next.map(reminderKey));
    const stale = before ? this.pending(before, now).filter((reminder) => !keep.has(reminderKey(reminder))) : [];
    try {
      for (const reminder of stale) await this.jobs.cancel('deadline-reminder', this.payload(after, reminder));
      for (const reminder of next)
        await this.jobs.enqueue('deadline-reminder', this.payload(after, reminder), {
          delayMs: Math.max(0, reminder.at.getTime() - now.getTime()),
        });
    } catch (error) {
      this.logger.warn(
        { err: error, incidentId: after.incidentId },
        'deadline reminders not (re)scheduled; the sweeper will',
      );
    }
  }

  private payload(state: IncidentDeadlines, reminder: PlannedReminder) {
    return { incidentId: state.incidentId, milestone: reminder.milestone, when: reminder.when, dueMs: reminder.dueMs };
  }
}

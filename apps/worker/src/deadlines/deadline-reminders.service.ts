import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import {
  alertIncidentOf,
  deadlineEventId,
  deadlineNotification,
  nextReminderAt,
  pendingReminders,
  reminderKey,
  reminderStands,
} from '@corridor/domain';
import {
  DocumentLocks,
  IncidentDeadlinesRepository,
  IncidentsRepository,
  Principals,
  SharingDirectory,
} from '@corridor/persistence';
import { JobProducer, type JobPayloads } from '@corridor/queue';
import { AlertingService } from '../alerting/alerting.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

type Reminder = JobPayloads['deadline-reminder'];

/**
 * Sends an incident's deadline reminders: a reminder that still stands for the stored deadlines
 * (`reminderStands`: same due time, milestone open, not sent yet) raises the owner organization's
 * `deadline` rules (`AlertingService.raise`, idempotent by the event id
 * `deadline:<incident>:<milestone>:<when>:<due ms>`), then is marked sent under the document lock.
 * A crash between the two raises again on retry, which the alert id makes harmless.
 */
@Injectable()
export class DeadlineRemindersService {
  constructor(
    private readonly deadlines: IncidentDeadlinesRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly alerting: AlertingService,
    private readonly locks: DocumentLocks,
    private readonly jobs: JobProducer,
    private readonly webhooks: WebhookDispatcher,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private get soonMs(): number {
    return Math.round(this.config.DEADLINE_SOON_HOURS * 3_600_000);
  }

  /** Sends the reminder if it still stands; returns whether it did. */
  async remind(reminder: Reminder, now = new Date()): Promise<boolean> {
    const state = await this.deadlines.findById(reminder.incidentId);
    if (!state || !reminderStands(state, reminder)) return false;
    const incident = await this.incidents.findById(reminder.incidentId);
    if (!incident) return false;
    const milestone = state.profile.milestones.find((m) => m.key === reminder.milestone)!;
    const [sharing, principals] = await Promise.all([this.sharing.context(), this.principals.of(incident)]);
    const eventId = deadlineEventId(state.incidentId, reminder);
    const due = { key: milestone.key, label: milestone.label, due: new Date(reminder.dueMs) };
    await this.alerting.raise(
      [
        {
          kind: 'deadline',
          id: eventId,
          orgId: state.orgId,
          incident: alertIncidentOf(incident),
          when: reminder.when,
          milestone: due,
        },
      ],
      sharing,
      principals,
    );
    // Endpoints of the organization subscribed to `deadline.near` / `deadline.missed` (idempotent by id).
    await this.webhooks.dispatch(deadlineNotification(incident, eventId, { when: reminder.when, milestone: due }, now));
    await this.locks.withLock('incident-deadlines', reminder.incidentId, async () => {
      const current = await this.deadlines.findById(reminder.incidentId);
      if (!current || !reminderStands(current, reminder)) return;
      const sent = [...current.sent, reminderKey(reminder)];
      const next = { ...current, sent };
      await this.deadlines.save({ ...next, nextReminderAt: nextReminderAt(pendingReminders(next, this.soonMs, now)) });
    });
    this.logger.info(
      { incidentId: reminder.incidentId, orgId: state.orgId, milestone: reminder.milestone, when: reminder.when },
      'deadline reminder sent',
    );
    return true;
  }

  /**
   * Re-creates the jobs of reminders due at or before `before` but not sent (Redis emptied, a
   * failed enqueue, a job that failed for good); the same job id keeps a job still there from
   * running twice. Returns how many
   * incidents had some.
   */
  async requeueDue(before: Date, limit: number, now = new Date()): Promise<number> {
    const due = await this.deadlines.dueReminders(before, limit);
    for (const state of due) {
      for (const reminder of pendingReminders(state, this.soonMs, now)) {
        if (reminder.at.getTime() > before.getTime()) continue;
        await this.jobs.requeue('deadline-reminder', {
          incidentId: state.incidentId,
          milestone: reminder.milestone,
          when: reminder.when,
          dueMs: reminder.dueMs,
        });
      }
    }
    return due.length;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { escalationStep, onCallAt, type Alert, type EscalationStepTarget, type SharingContext } from '@corridor/domain';
import {
  AlertsRepository,
  DocumentLocks,
  EscalationPoliciesRepository,
  OnCallSchedulesRepository,
  SharingDirectory,
  UsersRepository,
  type StoredAlert,
} from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { RealtimePublisher, planAlertChanged, planAlertPaged } from '@corridor/realtime';
import { AlertNotifier } from './alert-notifier.service';

/**
 * Runs an alert's escalation policy one step at a time. Each step is a delayed job with the id
 * `esc-<alert>-<step>`; the step acts only while the alert is still triggered and still at that step,
 * checked and advanced under the alert's document lock — so a retried or stalled job, the sweeper's
 * copy, or two workers page each step once. The pages go out inside the lock before the step
 * advances: a crash in between pages that step again on retry (live events carry the step; e-mail
 * and webhooks deduplicate by their ids), never skips it.
 */
@Injectable()
export class EscalationService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly schedules: OnCallSchedulesRepository,
    private readonly users: UsersRepository,
    private readonly sharing: SharingDirectory,
    private readonly locks: DocumentLocks,
    private readonly publisher: RealtimePublisher,
    private readonly notifier: AlertNotifier,
    private readonly jobs: JobProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Takes step `step` of the alert's escalation if it is still due; returns whether it did. */
  async run(alertId: string, step: number, now = new Date()): Promise<boolean> {
    const sharing = await this.sharing.context();
    const outcome = await this.locks.withLock('alerts', alertId, async () => {
      const alert = await this.alerts.findById(alertId);
      const escalation = alert?.escalation;
      if (!alert || !escalation || alert.state !== 'triggered' || escalation.step !== step || !escalation.nextAt)
        return undefined;
      const policy = await this.policies.findById(alert.orgId, escalation.policyId);
      const planned = policy ? escalationStep(policy, step) : null;
      if (!planned) {
        // The policy was removed or has fewer steps now: escalation ends here.
        const ended: StoredAlert = { ...alert, escalation: { ...escalation, nextAt: null } };
        await this.alerts.save(ended);
        this.logger.warn({ alertId, step, policyId: escalation.policyId }, 'escalation ended: no such policy step');
        return undefined;
      }
      const userIds = await this.targetsAt(alert.orgId, planned.targets, now);
      const level = planned.level ?? ('org-admins' as const);
      // Worded and labelled by the incident as it is now, not as it was when the alert was raised.
      const current = await this.notifier.current(alert);
      await this.page(current, step, level, userIds, sharing);
      const next: StoredAlert = {
        ...alert,
        pages: [...alert.pages, { step, at: now, userIds, level }],
        escalation: {
          policyId: escalation.policyId,
          step: step + 1,
          nextAt: planned.final || planned.delayMs === null ? null : new Date(now.getTime() + planned.delayMs),
        },
      };
      await this.alerts.save(next);
      return { announced: { ...next, incident: current.incident }, delayMs: planned.final ? null : planned.delayMs };
    });
    if (!outcome) return false;
    await this.publisher.publish(planAlertChanged(outcome.announced, 'escalated', sharing, new Map()));
    if (outcome.delayMs !== null) {
      await this.jobs.enqueue('escalate-alert', { alertId, step: step + 1 }, { delayMs: outcome.delayMs });
    }
    return true;
  }

  /**
   * Re-creates the jobs of steps that are due but were lost (Redis emptied, a failed enqueue) or
   * failed for good (e.g. a worker killed while holding the alert's lock until retries ran out).
   */
  async requeueDue(before: Date, limit: number): Promise<number> {
    const due = await this.alerts.dueEscalations(before, limit);
    for (const alert of due) {
      if (alert.escalation)
        await this.jobs.requeue('escalate-alert', { alertId: alert.id, step: alert.escalation.step });
    }
    return due.length;
  }

  /** Who a step pages now: the people on call in its schedules, its named people, or the org-admins. */
  private async targetsAt(orgId: string, targets: readonly EscalationStepTarget[], now: Date): Promise<string[]> {
    const ids: string[] = [];
    for (const target of targets) {
      if (target.kind === 'user') ids.push(target.userId);
      else if (target.kind === 'schedule') {
        const schedule = await this.schedules.findById(orgId, target.scheduleId);
        // A schedule removed since the policy named it pages nobody.
        if (schedule) ids.push(...onCallAt(schedule, now));
      } else {
        const people = await this.users.listByOrganization(orgId);
        ids.push(...people.filter((person) => person.roles.includes('org-admin')).map((person) => person.id));
      }
    }
    return [...new Set(ids)];
  }

  private async page(
    alert: Alert,
    step: number,
    level: number | 'org-admins',
    userIds: readonly string[],
    sharing: SharingContext,
  ): Promise<void> {
    // Once per step, even when a crash after this line makes the job page again.
    if (userIds.length > 0)
      await this.publisher.publish(planAlertPaged(alert, step, level, userIds, sharing), {
        onceKey: `page:${alert.id}:${step}`,
      });
    await this.notifier.paged(alert, step, userIds, sharing);
    this.logger.info({ alertId: alert.id, step, level, paged: userIds.length }, 'escalation step paged');
  }
}

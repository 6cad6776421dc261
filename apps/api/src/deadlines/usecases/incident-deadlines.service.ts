import { Injectable } from '@nestjs/common';
import {
  DomainError,
  nextReminderAt,
  notFound,
  pendingReminders,
  timelineIds,
  type Incident,
  type IncidentDeadlines,
  type Principal,
  type SharingContext,
  type TimelineEntry,
} from '@corridor/domain';
import { DocumentLocks, IncidentDeadlinesRepository } from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import { IncidentAccess } from '../../incidents/incident-access.service';
import { TimelineRecorder } from '../../timeline/timeline-recorder.service';
import { deadlinesView, invalid, type IncidentDeadlinesView } from '../access';
import { DeadlineReminders } from '../deadline-reminders.service';
import type { CompleteMilestoneDto, SetIncidentDeadlinesDto } from '../dto/deadlines.dto';
import { DeadlineProfilesService } from './deadline-profiles.service';

/** How far ahead of the server's clock an awareness or completion time may lie (clock skew). */
export const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * An incident's regulatory deadlines: its owner organization's people (with incidents:write) choose
 * a profile and set when they became aware, and mark milestones completed; anyone who may see the
 * incident reads them. Anyone else, including partners that see the incident, gets 404 on a change.
 * Each change reschedules the reminders and is audited as `incident.deadlines.*`.
 */
@Injectable()
export class IncidentDeadlinesService {
  constructor(
    private readonly access: IncidentAccess,
    private readonly profiles: DeadlineProfilesService,
    private readonly deadlines: IncidentDeadlinesRepository,
    private readonly reminders: DeadlineReminders,
    private readonly locks: DocumentLocks,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async get(principal: Principal, incidentId: string): Promise<IncidentDeadlinesView> {
    await this.access.requireVisible(principal, incidentId);
    const state = await this.deadlines.findById(incidentId);
    if (!state) throw notFound('incident deadlines');
    return deadlinesView(state, new Date(), this.reminders.soonMs);
  }

  async set(principal: Principal, incidentId: string, body: SetIncidentDeadlinesDto): Promise<IncidentDeadlinesView> {
    const { incident, sharing } = await this.requireOwner(principal, incidentId);
    const now = new Date();
    const awareAt = new Date(body.awareAt);
    if (awareAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
      throw invalid([{ field: 'awareAt', message: 'must not lie in the future' }]);
    const profile = await this.profiles.find(principal.orgId, body.profileId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found')
        throw invalid([{ field: 'profileId', message: 'no such deadline profile for the organization' }]);
      throw error;
    });
    const { before, after } = await this.locks.withLock('incident-deadlines', incidentId, async () => {
      const current = await this.deadlines.findById(incidentId);
      // Completions carry over while the profile stays the same; another profile starts afresh.
      const completed = current && current.profile.id === profile.id ? current.completed : {};
      const next = this.withNext(
        {
          incidentId,
          orgId: principal.orgId,
          profile: { id: profile.id, name: profile.name, milestones: profile.milestones },
          awareAt,
          completed,
          sent: current?.sent ?? [],
          nextReminderAt: null,
          version: (current?.version ?? 0) + 1,
          updatedBy: principal.id,
          updatedAt: now,
        },
        now,
      );
      await this.deadlines.save(next);
      return { before: current, after: next };
    });
    await this.reminders.reschedule(before, after, now);
    await this.audit.record(principal, {
      action: 'incident.deadlines.set',
      target: { type: 'incident', id: incidentId },
      details: { profileId: profile.id, awareAt: awareAt.toISOString() },
    });
    await this.record(principal, incident, sharing, after, 'set', null);
    return deadlinesView(after, now, this.reminders.soonMs);
  }

  /** Marks a milestone completed; repeating it changes nothing (the first completion stands). */
  async complete(
    principal: Principal,
    incidentId: string,
    milestone: string,
    body: CompleteMilestoneDto,
  ): Promise<IncidentDeadlinesView> {
    const { incident, sharing } = await this.requireOwner(principal, incidentId);
    const now = new Date();
    const at = body.at ? new Date(body.at) : now;
    if (at.getTime() > now.getTime() + FUTURE_SKEW_MS)
      throw invalid([{ field: 'at', message: 'must not lie in the future' }]);
    const outcome = await this.locks.withLock('incident-deadlines', incidentId, async () => {
      const current = await this.deadlines.findById(incidentId);
      if (!current) throw notFound('incident deadlines');
      if (!current.profile.milestones.some((m) => m.key === milestone))
        throw invalid([{ field: 'milestone', message: `not a milestone of the profile ${current.profile.id}` }]);
      if (Object.hasOwn(current.completed, milestone)) return { before: current, after: current, changed: false };
      // Nothing is reported about an incident before anyone was aware of it.
      if (at.getTime() < current.awareAt.getTime())
        throw invalid([{ field: 'at', message: 'must not be before awareAt' }]);
      const next = this.withNext(
        {
          ...current,
          completed: { ...current.completed, [milestone]: { at, by: principal.id } },
          version: current.version + 1,
          updatedBy: principal.id,
          updatedAt: now,
        },
        now,
      );
      await this.deadlines.save(next);
      return { before: current, after: next, changed: true };
    });
    if (outcome.changed) {
      await this.reminders.reschedule(outcome.before, outcome.after, now);
      await this.audit.record(principal, {
        action: 'incident.deadlines.complete',
        target: { type: 'incident', id: incidentId },
        details: { milestone, at: at.toISOString() },
      });
      const label = outcome.after.profile.milestones.find((m) => m.key === milestone)?.label ?? milestone;
      await this.record(principal, incident, sharing, outcome.after, 'completed', label);
    }
    return deadlinesView(outcome.after, now, this.reminders.soonMs);
  }

  /** People of the incident's owner organization; 404 for anyone else (as a missing incident). */
  private async requireOwner(
    principal: Principal,
    incidentId: string,
  ): Promise<{ incident: Incident; sharing: SharingContext }> {
    if (principal.kind !== 'user')
      throw new DomainError('forbidden', 'deadlines are set by people of the organization');
    const { incident, sharing } = await this.access.requireVisible(principal, incidentId);
    if (incident.orgId !== principal.orgId) throw notFound('incident');
    return { incident, sharing };
  }

  /** One timeline entry per stored change (its id carries the state's version). */
  private async record(
    principal: Principal,
    incident: Incident,
    sharing: SharingContext,
    state: IncidentDeadlines,
    change: 'set' | 'completed',
    milestone: string | null,
  ): Promise<void> {
    const entry: TimelineEntry = {
      id: timelineIds.change('deadline_changed', incident.id, `v${state.version}`),
      incidentId: incident.id,
      at: state.updatedAt,
      actor: { orgId: principal.orgId, principalId: principal.id },
      kind: 'deadline_changed',
      change,
      profileName: state.profile.name,
      awareAt: state.awareAt.toISOString(),
      milestone,
    };
    await this.timeline.record([entry], incident, sharing);
  }

  private withNext(state: IncidentDeadlines, now: Date): IncidentDeadlines {
    return { ...state, nextReminderAt: nextReminderAt(pendingReminders(state, this.reminders.soonMs, now)) };
  }
}

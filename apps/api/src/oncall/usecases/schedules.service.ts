import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  MAX_OVERRIDES,
  notFound,
  validateOverride,
  validateSchedule,
  type Principal,
  type Rotation,
  type ScheduleInput,
  type ScheduleOverride,
} from '@corridor/domain';
import {
  DocumentLocks,
  EscalationPoliciesRepository,
  OnCallSchedulesRepository,
  UsersRepository,
  type ScheduleChange,
  type StoredSchedule,
} from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import {
  invalid,
  overrideView,
  requireMember,
  requireOnCallManager,
  scheduleView,
  unknownPeople,
  type OverrideView,
  type ScheduleView,
} from '../access';
import type { OverrideInputDto, ScheduleInputDto } from '../dto/oncall.dto';

const conflict = () =>
  new DomainError('conflict', 'the schedule was changed meanwhile; read it again and retry with its version');

/**
 * On-call schedules of the caller's organization: org-admins (`oncall:manage`) change them, every
 * person of the organization reads them. Every change is a conditional update on the schedule's
 * version under the schedule's document lock, audited as `oncall.schedule.*`.
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: OnCallSchedulesRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly locks: DocumentLocks,
  ) {}

  async list(principal: Principal): Promise<ScheduleView[]> {
    requireMember(principal);
    return (await this.schedules.listByOrg(principal.orgId)).map(scheduleView);
  }

  /** 404 for a schedule of another organization, as for a missing one. */
  async get(principal: Principal, id: string): Promise<ScheduleView> {
    requireMember(principal);
    return scheduleView(await this.find(principal.orgId, id));
  }

  async create(principal: Principal, body: ScheduleInputDto): Promise<ScheduleView> {
    requireOnCallManager(principal);
    const input = await this.checked(principal.orgId, body);
    const now = new Date();
    const schedule = await this.schedules.insert({
      id: uuidv7(),
      orgId: principal.orgId,
      ...input,
      overrides: [],
      version: 1,
      createdBy: principal.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.audit.record(principal, {
      action: 'oncall.schedule.create',
      target: { type: 'oncall-schedule', id: schedule.id },
      details: { name: schedule.name },
    });
    return scheduleView(schedule);
  }

  /**
   * Replaces name, zone and rotations (overrides stay). With `version`, only if the schedule is still
   * at it (409 otherwise); without, the last of concurrent writers wins, each applied whole.
   */
  async update(principal: Principal, id: string, body: ScheduleInputDto): Promise<ScheduleView> {
    requireOnCallManager(principal);
    await this.find(principal.orgId, id);
    const input = await this.checked(principal.orgId, body);
    const updated = await this.change(principal.orgId, id, body.version, () => input);
    await this.audit.record(principal, {
      action: 'oncall.schedule.update',
      target: { type: 'oncall-schedule', id },
      details: { version: updated.version },
    });
    return scheduleView(updated);
  }

  /** Refused (409) while an escalation policy pages the schedule. */
  async remove(principal: Principal, id: string): Promise<void> {
    requireOnCallManager(principal);
    await this.find(principal.orgId, id);
    const using = await this.policies.referencingSchedule(principal.orgId, id);
    if (using.length > 0) {
      throw new DomainError(
        'conflict',
        `escalation policies page this schedule: ${using.map((p) => p.id).join(', ')}; change them first`,
      );
    }
    const removed = await this.locks.withLock('oncall-schedules', id, () => this.schedules.remove(principal.orgId, id));
    if (!removed) throw notFound('schedule');
    await this.audit.record(principal, { action: 'oncall.schedule.delete', target: { type: 'oncall-schedule', id } });
  }

  async addOverride(principal: Principal, id: string, body: OverrideInputDto): Promise<OverrideView> {
    requireOnCallManager(principal);
    const override: ScheduleOverride = {
      id: uuidv7(),
      userId: body.userId,
      from: new Date(body.from),
      to: new Date(body.to),
    };
    const errors = validateOverride(override);
    if (errors.length > 0) throw invalid(errors);
    await this.find(principal.orgId, id);
    const people = await unknownPeople(this.users, principal.orgId, [{ field: 'userId', userIds: [body.userId] }]);
    if (people.length > 0) throw invalid(people);
    await this.change(principal.orgId, id, undefined, (current) => {
      if (current.overrides.length >= MAX_OVERRIDES) {
        throw invalid([
          {
            field: 'overrides',
            message: `a schedule holds at most ${MAX_OVERRIDES} overrides; delete ended ones first`,
          },
        ]);
      }
      return { overrides: [...current.overrides, override] };
    });
    await this.audit.record(principal, {
      action: 'oncall.override.create',
      target: { type: 'oncall-schedule', id },
      details: { overrideId: override.id, userId: override.userId, from: body.from, to: body.to },
    });
    return overrideView(override);
  }

  async removeOverride(principal: Principal, id: string, overrideId: string): Promise<void> {
    requireOnCallManager(principal);
    await this.change(principal.orgId, id, undefined, (current) => {
      if (!current.overrides.some((o) => o.id === overrideId)) throw notFound('override');
      return { overrides: current.overrides.filter((o) => o.id !== overrideId) };
    });
    await this.audit.record(principal, {
      action: 'oncall.override.delete',
      target: { type: 'oncall-schedule', id },
      details: { overrideId },
    });
  }

  private async find(orgId: string, id: string): Promise<StoredSchedule> {
    const schedule = await this.schedules.findById(orgId, id);
    if (!schedule) throw notFound('schedule');
    return schedule;
  }

  /**
   * Read, compute the change, write it conditionally on the version read, all under the schedule's
   * document lock: FerretDB applies an update as read-and-write-back, so a conditional filter alone
   * does not stop two concurrent writers (see DocumentLocks). 409 when the caller named a version
   * the schedule is no longer at.
   */
  private async change(
    orgId: string,
    id: string,
    expectedVersion: number | undefined,
    compute: (current: StoredSchedule) => ScheduleChange,
  ): Promise<StoredSchedule> {
    return this.locks.withLock('oncall-schedules', id, async () => {
      const current = await this.find(orgId, id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) throw conflict();
      const updated = await this.schedules.update(orgId, id, current.version, compute(current), new Date());
      if (!updated) throw conflict();
      return updated;
    });
  }

  /** The schedule's fields, checked by the domain and against the organization's people. */
  private async checked(orgId: string, body: ScheduleInputDto): Promise<ScheduleInput> {
    const input: ScheduleInput = {
      name: body.name.trim(),
      timeZone: body.timeZone,
      rotations: body.rotations.map((r): Rotation => ({
        users: [...r.users],
        handover: r.handover,
        lengthDays: r.lengthDays,
        startDate: r.startDate,
      })),
    };
    const errors = validateSchedule(input);
    if (errors.length > 0) throw invalid(errors);
    const people = await unknownPeople(
      this.users,
      orgId,
      input.rotations.map((r, i) => ({ field: `rotations.${i}.users`, userIds: r.users })),
    );
    if (people.length > 0) throw invalid(people);
    return input;
  }
}

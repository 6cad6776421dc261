import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { EscalationPolicy, EscalationTarget, OnCallSchedule, Rotation, ScheduleOverride } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';

/** Bookkeeping stored beside schedules and policies. */
export interface Versioned {
  /** 1 on creation, +1 on every change; writes are conditional on it. */
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type StoredSchedule = OnCallSchedule & Versioned;
export type StoredPolicy = EscalationPolicy & Versioned;

interface ScheduleDoc extends Versioned {
  _id: string;
  orgId: string;
  name: string;
  timeZone: string;
  rotations?: Rotation[];
  overrides?: ScheduleOverride[];
}

interface PolicyDoc extends Versioned {
  _id: string;
  orgId: string;
  name: string;
  levels?: Array<{ targets?: EscalationTarget[]; delayMinutes: number }>;
  repeat: number;
}

function toSchedule(doc: ScheduleDoc): StoredSchedule {
  return {
    id: doc._id,
    orgId: doc.orgId,
    name: doc.name,
    timeZone: doc.timeZone,
    rotations: (doc.rotations ?? []).map((r) => ({
      users: [...(r.users ?? [])],
      handover: r.handover,
      lengthDays: r.lengthDays,
      startDate: r.startDate,
    })),
    overrides: (doc.overrides ?? []).map((o) => ({
      id: o.id,
      userId: o.userId,
      from: new Date(o.from),
      to: new Date(o.to),
    })),
    version: doc.version,
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
  };
}

function toTarget(target: EscalationTarget): EscalationTarget {
  return target.kind === 'schedule'
    ? { kind: 'schedule', scheduleId: target.scheduleId }
    : { kind: 'user', userId: target.userId };
}

function toPolicy(doc: PolicyDoc): StoredPolicy {
  return {
    id: doc._id,
    orgId: doc.orgId,
    name: doc.name,
    levels: (doc.levels ?? []).map((level) => ({
      targets: (level.targets ?? []).map(toTarget),
      delayMinutes: level.delayMinutes,
    })),
    repeat: doc.repeat,
    version: doc.version,
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
  };
}

/** What a conditional update may change on a schedule. */
export type ScheduleChange = Partial<Pick<OnCallSchedule, 'name' | 'timeZone' | 'rotations' | 'overrides'>>;
/** What a conditional update may change on a policy. */
export type PolicyChange = Partial<Pick<EscalationPolicy, 'name' | 'levels' | 'repeat'>>;

/**
 * On-call schedules (the `oncall_schedules` collection), always within one organization: every read
 * and write filters on `orgId`, so a schedule of another organization reads as missing.
 */
@Injectable()
export class OnCallSchedulesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async insert(schedule: StoredSchedule): Promise<StoredSchedule> {
    const { id, ...rest } = schedule;
    await this.models.onCallSchedules.collection.insertOne({ _id: id, ...rest } as never);
    return schedule;
  }

  async findById(orgId: string, id: string): Promise<StoredSchedule | undefined> {
    const doc = await this.models.onCallSchedules.findOne({ _id: id, orgId }).lean();
    return doc ? toSchedule(doc as unknown as ScheduleDoc) : undefined;
  }

  /** The organization's schedules, oldest first. */
  async listByOrg(orgId: string): Promise<StoredSchedule[]> {
    const docs = await this.models.onCallSchedules.find({ orgId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map((doc) => toSchedule(doc as unknown as ScheduleDoc));
  }

  /** Of `ids`, those that are schedules of the organization. */
  async existing(orgId: string, ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const docs = await this.models.onCallSchedules.find({ orgId, _id: { $in: unique } }, { _id: 1 }).lean();
    return new Set(docs.map((doc) => String(doc._id)));
  }

  /**
   * Applies `change` only if the schedule is still at `expectedVersion` (a conditional update), and
   * moves it to the next version. Returns the schedule as stored after the change, or undefined when
   * it is missing or was changed meanwhile (read again and retry, or answer 409).
   */
  async update(
    orgId: string,
    id: string,
    expectedVersion: number,
    change: ScheduleChange,
    now: Date,
  ): Promise<StoredSchedule | undefined> {
    const doc = await this.models.onCallSchedules
      .findOneAndUpdate(
        { _id: id, orgId, version: expectedVersion },
        { $set: { ...change, version: expectedVersion + 1, updatedAt: now } },
        { new: true },
      )
      .lean();
    return doc ? toSchedule(doc as unknown as ScheduleDoc) : undefined;
  }

  /** Removes one of the organization's schedules; returns it, or undefined when there was none. */
  async remove(orgId: string, id: string): Promise<StoredSchedule | undefined> {
    const doc = await this.models.onCallSchedules.findOneAndDelete({ _id: id, orgId }).lean();
    return doc ? toSchedule(doc as unknown as ScheduleDoc) : undefined;
  }
}

/** Escalation policies (the `escalation_policies` collection), always within one organization. */
@Injectable()
export class EscalationPoliciesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async insert(policy: StoredPolicy): Promise<StoredPolicy> {
    const { id, ...rest } = policy;
    await this.models.escalationPolicies.collection.insertOne({ _id: id, ...rest } as never);
    return policy;
  }

  async findById(orgId: string, id: string): Promise<StoredPolicy | undefined> {
    const doc = await this.models.escalationPolicies.findOne({ _id: id, orgId }).lean();
    return doc ? toPolicy(doc as unknown as PolicyDoc) : undefined;
  }

  /** The organization's policies, oldest first. */
  async listByOrg(orgId: string): Promise<StoredPolicy[]> {
    const docs = await this.models.escalationPolicies.find({ orgId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map((doc) => toPolicy(doc as unknown as PolicyDoc));
  }

  /** The organization's policies with a level paging schedule `scheduleId`. */
  async referencingSchedule(orgId: string, scheduleId: string): Promise<StoredPolicy[]> {
    return (await this.listByOrg(orgId)).filter((policy) =>
      policy.levels.some((level) => level.targets.some((t) => t.kind === 'schedule' && t.scheduleId === scheduleId)),
    );
  }

  /** As `OnCallSchedulesRepository.update`: conditional on `expectedVersion`; undefined when missing or changed. */
  async update(
    orgId: string,
    id: string,
    expectedVersion: number,
    change: PolicyChange,
    now: Date,
  ): Promise<StoredPolicy | undefined> {
    const doc = await this.models.escalationPolicies
      .findOneAndUpdate(
        { _id: id, orgId, version: expectedVersion },
        { $set: { ...change, version: expectedVersion + 1, updatedAt: now } },
        { new: true },
      )
      .lean();
    return doc ? toPolicy(doc as unknown as PolicyDoc) : undefined;
  }

  async remove(orgId: string, id: string): Promise<StoredPolicy | undefined> {
    const doc = await this.models.escalationPolicies.findOneAndDelete({ _id: id, orgId }).lean();
    return doc ? toPolicy(doc as unknown as PolicyDoc) : undefined;
  }
}

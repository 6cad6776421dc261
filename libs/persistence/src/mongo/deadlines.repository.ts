import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { DeadlineMilestone, DeadlineProfile, IncidentDeadlines } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

/** An organization's own profile with its bookkeeping. */
export interface StoredDeadlineProfile extends DeadlineProfile {
  orgId: string;
  /** 1 on creation, +1 on every change. */
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const copyMilestones = (milestones: readonly DeadlineMilestone[]): DeadlineMilestone[] =>
  milestones.map((m) => ({
    key: m.key,
    label: m.label,
    due: { from: m.due.from, offset: { ...m.due.offset }, ...(m.due.basis ? { basis: m.due.basis } : {}) },
  }));

interface ProfileDoc {
  _id: string;
  orgId: string;
  name: string;
  milestones: DeadlineMilestone[];
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

function toProfile(doc: ProfileDoc): StoredDeadlineProfile {
  return {
    id: doc._id,
    orgId: doc.orgId,
    name: doc.name,
    milestones: copyMilestones(doc.milestones ?? []),
    version: doc.version,
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
  };
}

/**
 * Organizations' own deadline profiles (the `deadline_profiles` collection), always within one
 * organization: a profile of another organization reads as missing.
 */
@Injectable()
export class DeadlineProfilesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /** Inserts the profile; returns false when the organization already has one of that name. */
  async insert(profile: StoredDeadlineProfile): Promise<boolean> {
    const { id, ...rest } = profile;
    try {
      await this.models.deadlineProfiles.collection.insertOne({ _id: id, ...rest } as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async findById(orgId: string, id: string): Promise<StoredDeadlineProfile | undefined> {
    const doc = await this.models.deadlineProfiles.findOne({ _id: id, orgId }).lean();
    return doc ? toProfile(doc as unknown as ProfileDoc) : undefined;
  }

  /** The organization's profiles, oldest first. */
  async listByOrg(orgId: string): Promise<StoredDeadlineProfile[]> {
    const docs = await this.models.deadlineProfiles.find({ orgId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map((doc) => toProfile(doc as unknown as ProfileDoc));
  }

  /**
   * Replaces name and milestones (call under the profile's document lock); returns the profile as
   * stored, undefined when missing, or `duplicate` when another profile of the organization has the name.
   */
  async replace(
    orgId: string,
    id: string,
    change: Pick<DeadlineProfile, 'name' | 'milestones'>,
    now: Date,
  ): Promise<StoredDeadlineProfile | undefined | 'duplicate'> {
    try {
      const doc = await this.models.deadlineProfiles
        .findOneAndUpdate(
          { _id: id, orgId },
          {
            $set: { name: change.name, milestones: copyMilestones(change.milestones), updatedAt: now },
            $inc: { version: 1 },
          },
          { new: true },
        )
        .lean();
      return doc ? toProfile(doc as unknown as ProfileDoc) : undefined;
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
  }

  /** Removes one of the organization's profiles; returns whether there was one. */
  async remove(orgId: string, id: string): Promise<boolean> {
    const doc = await this.models.deadlineProfiles.findOneAndDelete({ _id: id, orgId }).lean();
    return doc !== null;
  }
}

interface DeadlinesDoc {
  _id: string;
  orgId: string;
  profile: DeadlineProfile;
  awareAt: Date;
  completed?: Record<string, { at: Date; by: string }>;
  sent?: string[];
  nextReminderAt?: Date | null;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

function toDeadlines(doc: DeadlinesDoc): IncidentDeadlines {
  return {
    incidentId: doc._id,
    orgId: doc.orgId,
    profile: { id: doc.profile.id, name: doc.profile.name, milestones: copyMilestones(doc.profile.milestones ?? []) },
    awareAt: new Date(doc.awareAt),
    completed: Object.fromEntries(
      Object.entries(doc.completed ?? {}).map(([key, done]) => [key, { at: new Date(done.at), by: done.by }]),
    ),
    sent: [...(doc.sent ?? [])],
    nextReminderAt: doc.nextReminderAt ? new Date(doc.nextReminderAt) : null,
    version: doc.version,
    updatedBy: doc.updatedBy,
    updatedAt: new Date(doc.updatedAt),
  };
}

/**
 * Incidents' regulatory deadlines (the `incident_deadlines` collection), one document per incident
 * keyed by its id. Writers hold the document's lock (`DocumentLocks`, collection `incident-deadlines`)
 * around read-change-save.
 */
@Injectable()
export class IncidentDeadlinesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async findById(incidentId: string): Promise<IncidentDeadlines | undefined> {
    const doc = await this.models.incidentDeadlines.findById(incidentId).lean();
    return doc ? toDeadlines(doc as unknown as DeadlinesDoc) : undefined;
  }

  /** Removes an incident's deadlines (it was retracted); its pending reminders then find nothing to do. */
  async remove(incidentId: string): Promise<void> {
    await this.models.incidentDeadlines.deleteOne({ _id: incidentId });
  }

  /** Writes the whole state (insert or replace); call under the document's lock. */
  async save(state: IncidentDeadlines): Promise<void> {
    const { incidentId, ...rest } = state;
    const profile = {
      id: rest.profile.id,
      name: rest.profile.name,
      milestones: copyMilestones(rest.profile.milestones),
    };
    // `open`: some milestone is not completed (the list reads only those).
    const open = profile.milestones.some((milestone) => !Object.hasOwn(rest.completed, milestone.key));
    await this.models.incidentDeadlines.collection.replaceOne(
      { _id: incidentId } as never,
      { ...rest, profile, open },
      { upsert: true },
    );
  }

  /**
   * The deadlines with a milestone still open, for the list (filtered by what the reader may see
   * afterwards), up to `limit`; `complete` is false when there were more.
   */
  async listOpen(limit: number): Promise<{ states: IncidentDeadlines[]; complete: boolean }> {
    const docs = await this.models.incidentDeadlines
      .find({ open: { $ne: false } })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean();
    return {
      states: docs.slice(0, limit).map((doc) => toDeadlines(doc as unknown as DeadlinesDoc)),
      complete: docs.length <= limit,
    };
  }

  /** States with a reminder due at or before `before` (what the sweeper re-enqueues). */
  async dueReminders(before: Date, limit: number): Promise<IncidentDeadlines[]> {
    const docs = await this.models.incidentDeadlines
      .find({ nextReminderAt: { $ne: null, $lte: before } })
      .limit(limit)
      .lean();
    return docs.map((doc) => toDeadlines(doc as unknown as DeadlinesDoc));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { TimelineEntry } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

interface StoredEntry {
  _id: string;
  incidentId: string;
  at: Date;
  actor: TimelineEntry['actor'];
  kind: TimelineEntry['kind'];
  change: Record<string, unknown>;
}

function toEntry(doc: StoredEntry): TimelineEntry {
  return {
    ...doc.change,
    id: doc._id,
    incidentId: doc.incidentId,
    at: new Date(doc.at),
    actor: doc.actor ?? null,
    kind: doc.kind,
  } as TimelineEntry;
}

/** The sort and page key of an entry: by time, then id. */
export function timelineSortKey(entry: Pick<TimelineEntry, 'at' | 'id'>): string {
  return `${entry.at.toISOString()}|${entry.id}`;
}

/** Incidents' timelines: insert-only, one entry per deterministic id. */
@Injectable()
export class TimelineRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /** Adds the entry; false when an entry with its id is already there (a retry), which stays as it was. */
  async add(entry: TimelineEntry): Promise<boolean> {
    const { id, incidentId, at, actor, kind, ...change } = entry;
    try {
      await this.models.timeline.create({
        _id: id,
        incidentId,
        at,
        sortKey: timelineSortKey(entry),
        actor,
        kind,
        change,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** One entry by its id (what a retry finds already recorded). */
  async get(incidentId: string, id: string): Promise<TimelineEntry | undefined> {
    const docs = await this.models.timeline.find({ _id: id, incidentId }).limit(1).lean();
    return docs.length > 0 ? toEntry(docs[0] as unknown as StoredEntry) : undefined;
  }

  /** One incident's entries after `after` (a sort key), oldest first; `hasMore` tells whether more follow. */
  async page(
    incidentId: string,
    after: string | undefined,
    limit: number,
  ): Promise<{ items: TimelineEntry[]; hasMore: boolean }> {
    const filter: Record<string, unknown> = { incidentId };
    if (after !== undefined) filter.sortKey = { $gt: after };
    const docs = (await this.models.timeline
      .find(filter)
      .sort({ sortKey: 1 })
      .limit(limit + 1)
      .lean()) as unknown as StoredEntry[];
    const items = docs.slice(0, limit).map(toEntry);
    return { items, hasMore: docs.length > limit };
  }
}

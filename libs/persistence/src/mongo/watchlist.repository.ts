import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import {
  watchPlan,
  type CorrelationKind,
  type IndicatorType,
  type IndicatorWarning,
  type WatchEntry,
  type WatchHit,
} from '@corridor/domain';
import type { IndexSource } from '../redis/correlation-index';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

/** Where a page ends: the last item's time and id (lists are newest first). */
export interface PagePosition {
  createdAt: Date;
  id: string;
}

/** Entries inserted at once (one request to the store each). */
const INSERT_BATCH = 500;

interface StoredEntry {
  _id: string;
  orgId: string;
  type: IndicatorType;
  value: string;
  note?: string | null;
  warnings?: IndicatorWarning[];
  createdBy: string;
  createdAt: Date;
}

function toEntry(doc: StoredEntry): WatchEntry {
  return {
    id: doc._id,
    orgId: doc.orgId,
    type: doc.type,
    value: doc.value,
    note: doc.note ?? null,
    warnings: (doc.warnings ?? []).map((w) => ({ list: w.list, name: w.name })),
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt),
  };
}

interface StoredHit {
  _id: string;
  watchId: string;
  orgId: string;
  watched: { type: IndicatorType; value: string };
  incidentId: string;
  incidentOrgId: string;
  matched: { type: IndicatorType; value: string };
  kind: CorrelationKind;
  createdAt: Date;
}

function toHit(doc: StoredHit): WatchHit {
  return {
    id: doc._id,
    watchId: doc.watchId,
    orgId: doc.orgId,
    watched: { type: doc.watched.type, value: doc.watched.value },
    incidentId: doc.incidentId,
    incidentOrgId: doc.incidentOrgId,
    matched: { type: doc.matched.type, value: doc.matched.value },
    kind: doc.kind,
    createdAt: new Date(doc.createdAt),
  };
}

/** Newest first, strictly after `after`. */
function beforePosition(after: PagePosition | undefined): Record<string, unknown> {
  if (!after) return {};
  return {
    $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
  };
}

/** The indices of a bulk insert's documents that were refused as duplicates; anything else is thrown. */
function duplicatesOf(error: unknown): Set<number> {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? (writeErrors as Array<{ index?: number; code?: number }>) : [];
  if (list.length === 0 || list.some((e) => e.code !== 11000 || typeof e.index !== 'number')) throw error;
  return new Set(list.map((e) => e.index as number));
}

/** Organizations' watched values (the `watchlist` collection). */
@Injectable()
export class WatchlistRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /**
   * Inserts entries; those already on the organization's list (the unique index decides, so two
   * concurrent imports of one value store it once) come back as `duplicates`, unchanged. `progress`
   * is told how many were handled so far.
   */
  async insert(
    entries: readonly WatchEntry[],
    progress?: (done: number) => void,
  ): Promise<{ added: WatchEntry[]; duplicates: WatchEntry[] }> {
    const added: WatchEntry[] = [];
    const duplicates: WatchEntry[] = [];
    for (let i = 0; i < entries.length; i += INSERT_BATCH) {
      const batch = entries.slice(i, i + INSERT_BATCH);
      const docs = batch.map(({ id, ...rest }) => ({ _id: id, ...rest }));
      let refused = new Set<number>();
      try {
        await this.models.watchlist.collection.insertMany(docs as never[], { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        refused = duplicatesOf(error);
      }
      batch.forEach((entry, at) => (refused.has(at) ? duplicates : added).push(entry));
      progress?.(i + batch.length);
    }
    return { added, duplicates };
  }

  /** The entries of `ids` still on a watchlist, in one read (order not kept). */
  async findByIds(ids: readonly string[]): Promise<WatchEntry[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const docs = await this.models.watchlist.find({ _id: { $in: unique } }).lean();
    return docs.map((doc) => toEntry(doc as unknown as StoredEntry));
  }

  /** Of `ids`, those still on a watchlist (one read). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const docs = await this.models.watchlist.find({ _id: { $in: unique } }, { _id: 1 }).lean();
    return new Set(docs.map((doc) => String(doc._id)));
  }

  async find(orgId: string, id: string): Promise<WatchEntry | undefined> {
    const doc = await this.models.watchlist.findOne({ _id: id, orgId }).lean();
    return doc ? toEntry(doc as unknown as StoredEntry) : undefined;
  }

  /** Removes one of the organization's entries; returns it, or undefined when there was none. */
  async remove(orgId: string, id: string): Promise<WatchEntry | undefined> {
    const doc = await this.models.watchlist.findOneAndDelete({ _id: id, orgId }).lean();
    return doc ? toEntry(doc as unknown as StoredEntry) : undefined;
  }

  /** One page of the organization's entries, newest first. */
  async page(orgId: string, after: PagePosition | undefined, limit: number): Promise<WatchEntry[]> {
    const docs = await this.models.watchlist
      .find({ orgId, ...beforePosition(after) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toEntry(doc as unknown as StoredEntry));
  }

  /** Every entry in the shape the watch index is rebuilt from (an entry stands where an incident would). */
  async *streamIndexed(): AsyncGenerator<IndexSource> {
    const cursor = this.models.watchlist
      .find({}, { _id: 1, orgId: 1, type: 1, value: 1 })
      .lean()
      .cursor({ batchSize: 1000 });
    for await (const doc of cursor) {
      const { _id, orgId, type, value } = doc as unknown as StoredEntry;
      yield { id: _id, orgId, indicators: [watchPlan({ type, value })] };
    }
  }

  async count(): Promise<number> {
    return this.models.watchlist.estimatedDocumentCount();
  }
}

/** Watched values found in incidents (the `watch_hits` collection). */
@Injectable()
export class WatchHitsRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /**
   * Records the hits (each once: the id is deterministic) and returns those not yet announced live,
   * so a retried job announces what a failed publish lost and nothing twice.
   */
  async recordAndFindUnannounced(hits: readonly WatchHit[]): Promise<WatchHit[]> {
    if (hits.length === 0) return [];
    const docs = hits.map(({ id, ...rest }) => ({ _id: id, ...rest, announced: false }));
    try {
      await this.models.watchHits.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      duplicatesOf(error);
    }
    const pending = await this.models.watchHits.find({ _id: { $in: hits.map((h) => h.id) }, announced: false }).lean();
    return pending.map((doc) => toHit(doc as unknown as StoredHit));
  }

  async isAnnounced(id: string): Promise<boolean> {
    const doc = await this.models.watchHits.findById(id, { announced: 1 }).lean();
    return (doc as { announced?: boolean } | null)?.announced === true;
  }

  async markAnnounced(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.models.watchHits.updateMany({ _id: { $in: [...ids] } }, { $set: { announced: true } });
  }

  /** Every hit on an incident (a retraction withdraws them). */
  async findForIncident(incidentId: string): Promise<WatchHit[]> {
    const docs = await this.models.watchHits.find({ incidentId }).lean();
    return docs.map((doc) => toHit(doc as unknown as StoredHit));
  }

  /** Removes withdrawn hits (their retraction keeps the ids of the alerts they raised). */
  async removeMany(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.models.watchHits.deleteMany({ _id: { $in: [...ids] } });
  }

  /** One page of the organization's hits, newest first. */
  async page(orgId: string, after: PagePosition | undefined, limit: number): Promise<WatchHit[]> {
    const docs = await this.models.watchHits
      .find({ orgId, ...beforePosition(after) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toHit(doc as unknown as StoredHit));
  }
}

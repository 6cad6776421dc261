import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Connection } from 'mongoose';
import type { TaxiiCursor, Tlp } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';

/** How Corridor authenticates to a partner's TAXII server (TAXII 2.1 §1.6.9: HTTP Basic, or a bearer token). */
export type TaxiiFeedAuth =
  { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

/** What the last pull of a feed did. */
export interface TaxiiFeedRun {
  startedAt: Date;
  finishedAt: Date;
  pages: number;
  /** Objects received, and of them the ones new to this run (by id and version). */
  objects: number;
  fresh: number;
  /** Incidents the objects made: created, updated (newer version), unchanged, retracted. */
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
  /** Why the run ended: `caught-up`, `page-limit`, `same-next`, `no-new-objects`, `error`. */
  stopped: string;
  /** Problems met (invalid objects dropped, the failing request), newest last, at most 20. */
  errors: string[];
}

/** A partner's TAXII 2.1 collection an organization pulls into its incidents. */
export interface TaxiiFeed {
  id: string;
  orgId: string;
  name: string;
  /** The TAXII API root, e.g. `https://taxii.example.org/api1/` (always ending in `/`). */
  apiRoot: string;
  collectionId: string;
  auth: TaxiiFeedAuth;
  /** One of the organization's communities the feed is shared in, or null. */
  communityId: string | null;
  /** The TLP of what arrives without a marking. */
  defaultTlp: Tlp;
  pollIntervalSeconds: number;
  enabled: boolean;
  cursor: TaxiiCursor;
  lastRun: TaxiiFeedRun | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type TaxiiFeedChange = Partial<
  Pick<
    TaxiiFeed,
    | 'name'
    | 'apiRoot'
    | 'collectionId'
    | 'auth'
    | 'communityId'
    | 'defaultTlp'
    | 'pollIntervalSeconds'
    | 'enabled'
    | 'cursor'
  >
>;

interface StoredFeed extends Omit<TaxiiFeed, 'id'> {
  _id: string;
}

function toFeed(doc: StoredFeed): TaxiiFeed {
  const { _id, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    communityId: rest.communityId ?? null,
    cursor: { next: rest.cursor?.next ?? null, addedAfter: rest.cursor?.addedAfter ?? null },
    lastRun: rest.lastRun ?? null,
  };
}

/**
 * Organizations' TAXII feeds, with the pull cursor saved after each imported page (a worker killed
 * mid-run resumes from it). Every read and change is scoped by organization except the worker's by id.
 */
@Injectable()
export class TaxiiFeedsRepository {
  private readonly collection: Collection<StoredFeed>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.collection<StoredFeed>('taxii_feeds');
  }

  async insert(feed: TaxiiFeed): Promise<void> {
    const { id, ...rest } = feed;
    await this.collection.insertOne({ _id: id, ...rest });
  }

  async list(orgId: string): Promise<TaxiiFeed[]> {
    const docs = await this.collection.find({ orgId }).sort({ createdAt: -1 }).toArray();
    return docs.map(toFeed);
  }

  async find(orgId: string, id: string): Promise<TaxiiFeed | undefined> {
    const doc = await this.collection.findOne({ _id: id, orgId });
    return doc ? toFeed(doc) : undefined;
  }

  /** The worker's read: the feed a job names, whatever its organization. */
  async findById(id: string): Promise<TaxiiFeed | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? toFeed(doc) : undefined;
  }

  /** Every enabled feed (to re-register their schedules at boot). */
  async enabled(): Promise<TaxiiFeed[]> {
    return (await this.collection.find({ enabled: true }).toArray()).map(toFeed);
  }

  async update(orgId: string, id: string, change: TaxiiFeedChange): Promise<TaxiiFeed | undefined> {
    const doc = await this.collection.findOneAndUpdate(
      { _id: id, orgId },
      { $set: { ...change, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    return doc ? toFeed(doc) : undefined;
  }

  async remove(orgId: string, id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id, orgId })).deletedCount === 1;
  }

  /** The cursor after a page was imported; false when the feed is gone. */
  async saveCursor(id: string, cursor: TaxiiCursor): Promise<boolean> {
    return (await this.collection.updateOne({ _id: id }, { $set: { cursor } })).matchedCount === 1;
  }

  async saveRun(id: string, run: TaxiiFeedRun): Promise<void> {
    await this.collection.updateOne({ _id: id }, { $set: { lastRun: run } });
  }
}

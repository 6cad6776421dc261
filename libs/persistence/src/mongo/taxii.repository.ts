import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Connection, FilterQuery } from 'mongoose';
import type { Shareable, TaxiiEntry, TaxiiQuery, VisibilityFilter } from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { TaxiiDateAdded, type TaxiiClockState } from '../redis/taxii-date-added';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

export interface TaxiiCollectionRecord {
  /** The TAXII collection id: a UUIDv4. */
  id: string;
  communityId: string;
  createdAt: Date;
}

/** One version of a STIX object to add to a collection. */
export interface NewTaxiiObject {
  stixId: string;
  type: string;
  specVersion: string;
  /** µs since the epoch, and the object's own text of it. */
  version: number;
  versionText: string;
  mediaType: string;
  object: Record<string, unknown>;
  /** The incident it comes from; null for shared definitions and POSTed objects. */
  incidentId: string | null;
  /** Who may read it, by the REST visibility rule. */
  visibility: Shareable;
}

/** A stored version, as the TAXII endpoints read it. */
export interface TaxiiObjectRecord extends TaxiiEntry {
  collectionId: string;
  versionText: string;
  mediaType: string;
  object: Record<string, unknown>;
  incidentId: string | null;
  visibility: Shareable;
}

export interface TaxiiStatusRecord {
  id: string;
  orgId: string;
  collectionId: string;
  status: 'pending' | 'complete';
  requestTimestamp: string;
  successes: TaxiiStatusDetail[];
  failures: TaxiiStatusDetail[];
  pendings: TaxiiStatusDetail[];
  createdAt: Date;
}

/** TAXII 2.1 §4.3.1 status-details. */
export interface TaxiiStatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** The owner of the definitions every reader of a collection reads (markings, identities…). */
export const TAXII_SHARED_ORG = 'corridor';

/** What `add` did: the versions added (with their `date_added`) and the POSTed ids refused. */
export interface TaxiiAddOutcome {
  added: Map<string, number>;
  conflicts: Set<string>;
}

/** The filters of a page read: the query's, the position, and who reads. */
export interface TaxiiObjectsFilter {
  collectionId: string;
  visibility: VisibilityFilter;
  query: Pick<TaxiiQuery, 'ids' | 'types' | 'versions' | 'specVersions'>;
  /** Entries added strictly after this (µs): the cursor's position, else `added_after`. */
  after?: number;
}

type Doc = Record<string, unknown>;

/** Entries per bucket: a page reads whole buckets, each with one equality the store can use. */
export const TAXII_BUCKET_SIZE = 128;

function entryId(collectionId: string, stixId: string, version: number): string {
  return `${collectionId}|${stixId}|${version}`;
}

function visibilityQuery(filter: VisibilityFilter): FilterQuery<Doc> {
  return {
    $or: filter.anyOf.map((clause) =>
      clause.field
        ? { tlp: { $in: clause.tlps }, [clause.field]: { $in: clause.values ?? [] } }
        : { tlp: { $in: clause.tlps } },
    ),
  };
}

function versionQuery(versions: TaxiiQuery['versions']): FilterQuery<Doc> | undefined {
  if (versions.all) return undefined;
  const anyOf: FilterQuery<Doc>[] = [];
  if (versions.first) anyOf.push({ firstVersion: true });
  if (versions.last) anyOf.push({ lastVersion: true });
  if (versions.at.length > 0) anyOf.push({ version: { $in: versions.at } });
  return { $or: anyOf };
}

function toRecord(doc: Doc): TaxiiObjectRecord {
  return {
    collectionId: doc.collectionId as string,
    stixId: doc.stixId as string,
    type: doc.type as string,
    specVersion: doc.specVersion as string,
    version: doc.version as number,
    versionText: doc.versionText as string,
    dateAdded: doc.dateAdded as number,
    firstVersion: doc.firstVersion as boolean,
    lastVersion: doc.lastVersion as boolean,
    mediaType: doc.mediaType as string,
    object: JSON.parse(doc.json as string) as Record<string, unknown>,
    incidentId: (doc.incidentId as string | null) ?? null,
    visibility: {
      orgId: doc.orgId as string,
      tlp: doc.tlp as Shareable['tlp'],
      authorId: doc.authorId as string,
      recipientOrgIds: (doc.recipientOrgIds as string[]) ?? [],
      recipientUserIds: (doc.recipientUserIds as string[]) ?? [],
    },
  };
}

function visibilityFields(v: Shareable): Doc {
  return {
    orgId: v.orgId,
    tlp: v.tlp,
    authorId: v.authorId,
    recipientOrgIds: [...v.recipientOrgIds],
    recipientUserIds: [...v.recipientUserIds],
  };
}

/**
 * TAXII collections (one per community), the STIX object versions they hold, and the status of
 * POSTs. Reads filter by the REST visibility rule in the store, before any limit, so an invisible
 * version never counts towards a page, `more` or a header.
 */
@Injectable()
export class TaxiiRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
    private readonly dateAdded: TaxiiDateAdded,
  ) {
    this.models = modelsOf(connection);
  }

  // ------------------------------------------------------------ collections

  /** The community's collection, made on first use (a random UUIDv4; one per community). */
  async collectionOf(communityId: string): Promise<TaxiiCollectionRecord> {
    const found = await this.models.taxiiCollections.findOne({ communityId }).lean();
    if (found) return { id: found._id as string, communityId, createdAt: found.createdAt as Date };
    const created = { _id: randomUUID(), communityId, createdAt: new Date() };
    try {
      await this.models.taxiiCollections.create(created);
      return { id: created._id, communityId, createdAt: created.createdAt };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const winner = await this.models.taxiiCollections.findOne({ communityId }).lean();
      if (!winner) throw error;
      return { id: winner._id as string, communityId, createdAt: winner.createdAt as Date };
    }
  }

  async findCollection(id: string): Promise<TaxiiCollectionRecord | undefined> {
    const doc = await this.models.taxiiCollections.findById(id).lean();
    return doc
      ? { id: doc._id as string, communityId: doc.communityId as string, createdAt: doc.createdAt as Date }
      : undefined;
  }

  // ------------------------------------------------------------ writes

  /**
   * Adds versions to a collection; a version already there (same STIX id and version) is left as
   * it is, so re-publishing is idempotent. Under the collection's lock, `date_added` values are
   * allocated and written in one order, so a reader paging by `added_after` never passes a value
   * whose entry is still being written. Returns the versions added, with their `date_added`.
   */
  async add(collectionId: string, objects: readonly NewTaxiiObject[]): Promise<TaxiiAddOutcome> {
    const added = new Map<string, number>();
    const conflicts = new Set<string>();
    if (objects.length === 0) return { added, conflicts };
    return this.locks.withLock('taxii-collection', collectionId, async () => {
      const existing = await this.existingOf(collectionId, objects);
      const range = new Map<string, { min: number; max: number }>();
      const have = new Set<string>();
      const widen = (stixId: string, version: number) => {
        const r = range.get(stixId);
        range.set(
          stixId,
          r ? { min: Math.min(r.min, version), max: Math.max(r.max, version) } : { min: version, max: version },
        );
      };
      for (const doc of existing) {
        have.add(entryId(collectionId, doc.stixId as string, doc.version as number));
        widen(doc.stixId as string, doc.version as number);
      }
      // A POSTed object may not take the id of an object of an incident, of the shared definitions or
      // of another organization: it would stand in for theirs.
      for (const object of objects) {
        if (object.incidentId !== null || object.visibility.orgId === TAXII_SHARED_ORG) continue;
        const other = existing.some(
          (doc) =>
            doc.stixId === object.stixId &&
            ((doc.incidentId ?? null) !== null || doc.orgId !== object.visibility.orgId),
        );
        if (other) conflicts.add(object.stixId);
      }
      objects = objects.filter((o) => !conflicts.has(o.stixId));
      const before = new Map(range);
      const fresh: NewTaxiiObject[] = [];
      for (const object of objects) {
        const id = entryId(collectionId, object.stixId, object.version);
        if (have.has(id)) continue;
        have.add(id);
        fresh.push(object);
        widen(object.stixId, object.version);
      }
      if (fresh.length === 0) return { added, conflicts };

      const first = await this.dateAdded.allocate(collectionId, fresh.length, () => this.clockState(collectionId));
      const docs = fresh.map((object, i) => {
        const r = range.get(object.stixId)!;
        const seq = first.seq + i;
        added.set(`${object.stixId}|${object.version}`, first.dateAdded + i);
        return {
          _id: entryId(collectionId, object.stixId, object.version),
          collectionId,
          stixId: object.stixId,
          type: object.type,
          specVersion: object.specVersion,
          version: object.version,
          versionText: object.versionText,
          dateAdded: first.dateAdded + i,
          seq,
          bucket: Math.floor(seq / TAXII_BUCKET_SIZE),
          firstVersion: object.version === r.min,
          lastVersion: object.version === r.max,
          mediaType: object.mediaType,
          json: JSON.stringify(object.object),
          incidentId: object.incidentId,
          ...visibilityFields(object.visibility),
        };
      });
      // Buckets first: a reader finds a bucket before its entries, never entries outside any bucket.
      const buckets = new Map<number, { first: number; last: number }>();
      for (const doc of docs) {
        const b = buckets.get(doc.bucket);
        buckets.set(doc.bucket, { first: b?.first ?? doc.dateAdded, last: doc.dateAdded });
      }
      for (const [bucket, { first: from, last }] of buckets)
        await this.models.taxiiBuckets.updateOne(
          { _id: `${collectionId}|${bucket}` },
          { $setOnInsert: { collectionId, bucket, first: from }, $set: { last } },
          { upsert: true },
        );
      for (let i = 0; i < docs.length; i += 500) {
        await this.models.taxiiObjects.insertMany(docs.slice(i, i + 500), { ordered: true });
      }
      // Versions that stopped being the oldest or newest of their object.
      for (const [stixId, old] of before) {
        const now = range.get(stixId)!;
        if (now.max > old.max)
          await this.models.taxiiObjects.updateMany(
            { collectionId, stixId, lastVersion: true, version: { $lt: now.max } },
            { $set: { lastVersion: false } },
          );
        if (now.min < old.min)
          await this.models.taxiiObjects.updateMany(
            { collectionId, stixId, firstVersion: true, version: { $gt: now.min } },
            { $set: { firstVersion: false } },
          );
      }
      return { added, conflicts };
    });
  }

  /**
   * The versions stored already of these objects, read with equalities the store can use (FerretDB
   * 1.x reads every document of a collection for an `$in`): an incident's objects by the incident,
   * the shared definitions by their owner, POSTed ones by id.
   */
  private async existingOf(collectionId: string, objects: readonly NewTaxiiObject[]): Promise<Doc[]> {
    const queries: FilterQuery<Doc>[] = [];
    for (const incidentId of new Set(objects.map((o) => o.incidentId)))
      if (incidentId !== null) queries.push({ collectionId, incidentId });
    if (objects.some((o) => o.incidentId === null && o.visibility.orgId === TAXII_SHARED_ORG))
      queries.push({ collectionId, orgId: TAXII_SHARED_ORG });
    const posted = [
      ...new Set(
        objects.filter((o) => o.incidentId === null && o.visibility.orgId !== TAXII_SHARED_ORG).map((o) => o.stixId),
      ),
    ];
    if (posted.length > 20) queries.push({ collectionId, stixId: { $in: posted } });
    else for (const stixId of posted) queries.push({ collectionId, stixId });
    const found = new Map<string, Doc>();
    for (const query of queries)
      for (const doc of await this.models.taxiiObjects
        .find(query, { stixId: 1, version: 1, incidentId: 1, orgId: 1 })
        .lean())
        found.set(doc._id as string, doc);
    return [...found.values()];
  }

  /** Every version of an incident's objects takes the incident's current visibility. */
  async setIncidentVisibility(incidentId: string, visibility: Shareable): Promise<void> {
    await this.models.taxiiObjects.updateMany({ incidentId }, { $set: visibilityFields(visibility) });
  }

  /**
   * Removes an incident's objects that it no longer has: in collections not listed, and, in those
   * listed, objects whose STIX id is not among the ones given (a retracted indicator).
   */
  async keepOnly(incidentId: string, current: ReadonlyMap<string, readonly string[]>): Promise<void> {
    await this.models.taxiiObjects.deleteMany({ incidentId, collectionId: { $nin: [...current.keys()] } });
    for (const [collectionId, stixIds] of current)
      await this.models.taxiiObjects.deleteMany({ incidentId, collectionId, stixId: { $nin: [...stixIds] } });
  }

  /** Removes every object of an incident from every collection (the incident was retracted). */
  async removeIncident(incidentId: string): Promise<void> {
    await this.models.taxiiObjects.deleteMany({ incidentId });
  }

  /** Removes every version of an object that came from no incident (a POSTed one). */
  async removeObject(collectionId: string, stixId: string): Promise<number> {
    const result = await this.models.taxiiObjects.deleteMany({ collectionId, stixId, incidentId: null });
    return result.deletedCount;
  }

  // ------------------------------------------------------------ reads

  /** The largest `date_added` and sequence number of a collection (0 when empty), to rebuild the Redis clock. */
  async clockState(collectionId: string): Promise<TaxiiClockState> {
    const [doc] = await this.models.taxiiObjects
      .find({ collectionId }, { dateAdded: 1, seq: 1 })
      .sort({ dateAdded: -1 })
      .limit(1)
      .lean();
    return { dateAdded: (doc?.dateAdded as number | undefined) ?? 0, seq: (doc?.seq as number | undefined) ?? 0 };
  }

  /**
   * Up to `limit` visible versions passing the filters, in `date_added` order. One object's versions
   * are read by its id; otherwise bucket after bucket from the one holding the position, until the
   * page is full.
   */
  async page(filter: TaxiiObjectsFilter, limit: number): Promise<TaxiiObjectRecord[]> {
    const q = filter.query;
    const and: FilterQuery<Doc>[] = [visibilityQuery(filter.visibility)];
    const versions = versionQuery(q.versions);
    if (versions) and.push(versions);
    const query: FilterQuery<Doc> = { collectionId: filter.collectionId, $and: and };
    if (filter.after !== undefined) query.dateAdded = { $gt: filter.after };
    if (q.types) query.type = q.types.length === 1 ? q.types[0] : { $in: q.types };
    if (q.specVersions) query.specVersion = { $in: q.specVersions };
    const read = async (extra: FilterQuery<Doc>, max: number) =>
      (
        await this.models.taxiiObjects
          .find({ ...query, ...extra })
          .sort({ dateAdded: 1 })
          .limit(max)
          .lean()
      ).map((doc) => toRecord(doc as Doc));

    if (q.ids?.length === 1) return read({ stixId: q.ids[0] }, limit);
    if (q.ids) query.stixId = { $in: q.ids };
    const after = filter.after ?? -1;
    const buckets = (await this.models.taxiiBuckets.find({ collectionId: filter.collectionId }).lean())
      .filter((b) => (b.last as number) > after)
      .map((b) => b.bucket as number)
      .sort((x, y) => x - y);
    const found: TaxiiObjectRecord[] = [];
    for (const bucket of buckets) {
      found.push(...(await read({ bucket }, limit - found.length)));
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Every version of one object, whoever may read it (for an owner check). */
  async versionsOf(collectionId: string, stixId: string): Promise<TaxiiObjectRecord[]> {
    const docs = await this.models.taxiiObjects.find({ collectionId, stixId }).sort({ dateAdded: 1 }).lean();
    return docs.map((doc) => toRecord(doc as Doc));
  }

  // ------------------------------------------------------------ status

  async saveStatus(status: TaxiiStatusRecord): Promise<void> {
    const { id, ...rest } = status;
    await this.models.taxiiStatuses.create({ _id: id, ...rest });
  }

  async findStatus(id: string): Promise<TaxiiStatusRecord | undefined> {
    const doc = await this.models.taxiiStatuses.findById(id).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc as Doc & { _id: string };
    return { id: _id, ...(rest as Omit<TaxiiStatusRecord, 'id'>) };
  }
}

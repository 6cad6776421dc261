import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Connection, Model } from 'mongoose';
import { nextAuditRecord, unavailable, type AuditEntry, type AuditRecord } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf } from './connection';
import { isDuplicateKeyError } from './mappers';

/** Tries per append before giving up; each lost try means another writer's record went in. */
const MAX_ATTEMPTS = 20;
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;

export interface AuditListQuery {
  /** Return records with a lower sequence number than this one (the next page). */
  beforeSeq?: number;
  limit: number;
}

/** A stored document, read defensively: a tampered one may lack fields, and must still reach the verifier. */
interface AuditDoc {
  _id: string;
  orgId: string;
  seq: number;
  at: Date;
  actor?: Partial<AuditRecord['actor']> | null;
  action: string;
  target?: Partial<AuditRecord['target']> | null;
  outcome: AuditRecord['outcome'];
  details?: AuditRecord['details'] | null;
  prevHash: string;
  hash: string;
}

function toAuditRecord(doc: AuditDoc): AuditRecord {
  const { actor, target, details } = doc;
  // Field by field, so nothing but the record's own fields leaves the repository.
  return {
    id: doc._id,
    orgId: doc.orgId,
    seq: doc.seq,
    at: doc.at,
    actor: (actor && { type: actor.type, id: actor.id, orgId: actor.orgId ?? null }) as AuditRecord['actor'],
    action: doc.action,
    target: (target && { type: target.type, id: target.id }) as AuditRecord['target'],
    outcome: doc.outcome,
    ...(details === null || details === undefined ? {} : { details }),
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}

/**
 * The audit trail: one hash chain per organization, append-only (there is no update or delete).
 *
 * Without transactions (FerretDB has none), the chain stays linear because the next record's `_id`
 * is derived from its sequence number: of two writers that computed the same next record, one insert
 * wins and the other gets a duplicate key, reloads the head and tries again. Each process keeps the
 * heads it knows in memory, so an uncontested append is a single insert with no read.
 */
@Injectable()
export class AuditRepository {
  private readonly model: Model<Record<string, unknown>>;
  /** Last record per organization as this process knows it; `null` when the organization has none. */
  private readonly heads = new Map<string, AuditRecord | null>();
  /** The latest pending append per organization, so this process never races itself. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.model = modelsOf(connection).auditRecords;
  }

  /** Appends to the organization's chain; resolves with the stored record. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const { orgId } = entry;
    const before = this.tails.get(orgId) ?? Promise.resolve();
    const appended = before.then(() => this.appendInTurn(entry));
    // The queue must go on after a failed append; the caller still sees the failure through `appended`.
    const tail = appended.catch(() => undefined);
    this.tails.set(orgId, tail);
    void tail.then(() => {
      if (this.tails.get(orgId) === tail) this.tails.delete(orgId);
    });
    return appended;
  }

  /** One page, newest first; `hasMore` tells whether another page follows. */
  async list(orgId: string, query: AuditListQuery): Promise<{ items: AuditRecord[]; hasMore: boolean }> {
    if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError('limit must be a positive integer');
    const filter = query.beforeSeq === undefined ? { orgId } : { orgId, seq: { $lt: query.beforeSeq } };
    const docs = await this.model
      .find(filter)
      .sort({ seq: -1 })
      .limit(query.limit + 1)
      .lean();
    const items = docs.slice(0, query.limit).map((doc) => toAuditRecord(doc as unknown as AuditDoc));
    return { items, hasMore: docs.length > query.limit };
  }

  /** Every record of one organization in sequence order, for verification. */
  async *streamOrganization(orgId: string): AsyncGenerator<AuditRecord> {
    const cursor = this.model.find({ orgId }).sort({ seq: 1 }).lean().cursor({ batchSize: 1000 });
    for await (const doc of cursor) yield toAuditRecord(doc as unknown as AuditDoc);
  }

  /** The organizations that have an audit trail, in a stable (sorted) order. */
  async organizationIds(): Promise<string[]> {
    const ids = await this.model.distinct('orgId');
    return ids.map(String).sort();
  }

  private async appendInTurn(entry: AuditEntry): Promise<AuditRecord> {
    const { orgId } = entry;
    for (let attempt = 1; ; attempt++) {
      const head = this.heads.has(orgId) ? this.heads.get(orgId) : await this.loadHead(orgId);
      const record = nextAuditRecord(head ?? undefined, entry);
      try {
        await this.insert(record);
        this.heads.set(orgId, record);
        return record;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Another process appended this seq: our head is stale.
        this.heads.delete(orgId);
        if (attempt >= MAX_ATTEMPTS) throw unavailable('the audit trail');
      }
      // The first retry goes at once (a stale head is the usual cause); losing again means writers are
      // contending, so wait a random, growing while to let the one that keeps winning drain its queue.
      if (attempt > 1) await delay(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    }
  }

  private async loadHead(orgId: string): Promise<AuditRecord | null> {
    const doc = await this.model.findOne({ orgId }).sort({ seq: -1 }).lean();
    const head = doc ? toAuditRecord(doc as unknown as AuditDoc) : null;
    this.heads.set(orgId, head);
    return head;
  }

  private async insert(record: AuditRecord): Promise<void> {
    const { id, details, ...rest } = record;
    await this.model.create({ _id: id, ...rest, details: details ?? null });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Correlation, CorrelationAck } from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError, toCorrelation } from './mappers';

@Injectable()
export class CorrelationsRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  /**
   * Stores correlations by their deterministic ids and returns the ids still waiting for an alert:
   * the new ones, and earlier ones whose alert was never confirmed (a job that died half-way).
   */
  async recordAndFindUnalerted(correlations: readonly Correlation[]): Promise<string[]> {
    if (correlations.length === 0) return [];
    const docs = correlations.map(({ id, ...rest }) => ({ _id: id, ...rest, alertedAt: null }));
    let duplicates = false;
    try {
      await this.models.correlations.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      duplicates = true;
    }
    const ids = correlations.map((c) => c.id);
    if (!duplicates) return ids;
    const alerted = await this.models.correlations
      .find({ _id: { $in: ids }, alertedAt: { $ne: null } }, { _id: 1 })
      .lean();
    const done = new Set(alerted.map((doc) => String(doc._id)));
    return ids.filter((id) => !done.has(id));
  }

  async markAlerted(ids: readonly string[], at: Date): Promise<void> {
    for (const id of ids) {
      await this.locks.withLock('correlations', id, () =>
        this.models.correlations.updateOne({ _id: id }, { $set: { alertedAt: at } }),
      );
    }
  }

  async findById(id: string): Promise<(Correlation & { acks: CorrelationAck[] }) | undefined> {
    const doc = await this.models.correlations.findById(id).lean();
    return doc ? toCorrelation(doc as never) : undefined;
  }

  /**
   * Records that `orgId`'s person on call acknowledged the alert; the first acknowledgement of an
   * organization stands, a repeat returns it unchanged.
   */
  async acknowledge(id: string, ack: CorrelationAck): Promise<CorrelationAck | undefined> {
    // FerretDB applies updates by read-modify-write: two acknowledgements racing would lose one.
    return this.locks.withLock('correlations', id, async () => {
      await this.models.correlations.updateOne({ _id: id, 'acks.orgId': { $ne: ack.orgId } }, { $push: { acks: ack } });
      return (await this.findById(id))?.acks.find((a) => a.orgId === ack.orgId);
    });
  }

  /**
   * Correlations with a side among `incidentIds`, in one read; `complete` is false when there were more
   * than `limit` (the rest are left unread).
   */
  async findForIncidents(
    incidentIds: readonly string[],
    limit: number,
  ): Promise<{ correlations: Array<Correlation & { acks: CorrelationAck[] }>; complete: boolean }> {
    const ids = [...new Set(incidentIds)];
    if (ids.length === 0) return { correlations: [], complete: true };
    return this.bounded({ $or: [{ 'found.incidentId': { $in: ids } }, { 'earlier.incidentId': { $in: ids } }] }, limit);
  }

  /** Correlations whose two sides are both among `incidentIds`, in one read (bounded as above). */
  async findAmong(
    incidentIds: readonly string[],
    limit: number,
  ): Promise<{ correlations: Array<Correlation & { acks: CorrelationAck[] }>; complete: boolean }> {
    const ids = [...new Set(incidentIds)];
    if (ids.length < 2) return { correlations: [], complete: true };
    return this.bounded({ 'found.incidentId': { $in: ids }, 'earlier.incidentId': { $in: ids } }, limit);
  }

  /**
   * One batch of the correlations with a side of `orgId`, either those its organization has
   * acknowledged or those it has not, newest first (`createdAt`, then id), after `after` when given.
   */
  async pageForOrganization(query: {
    orgId: string;
    acknowledged: boolean;
    after?: { createdAt: Date; id: string };
    limit: number;
  }): Promise<Array<Correlation & { acks: CorrelationAck[] }>> {
    const { orgId, after } = query;
    const and: Array<Record<string, unknown>> = [
      { $or: [{ 'found.orgId': orgId }, { 'earlier.orgId': orgId }] },
      query.acknowledged ? { 'acks.orgId': orgId } : { 'acks.orgId': { $ne: orgId } },
    ];
    if (after) {
      and.push({
        $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
      });
    }
    const docs = await this.models.correlations
      .find({ $and: and })
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit)
      .lean();
    return docs.map((doc) => toCorrelation(doc as never));
  }

  private async bounded(filter: Record<string, unknown>, limit: number) {
    const docs = await this.models.correlations
      .find(filter)
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit + 1)
      .lean();
    const correlations = docs.slice(0, limit).map((doc) => toCorrelation(doc as never));
    return { correlations, complete: docs.length <= limit };
  }

  /** Every correlation with a side of the incident (a retraction withdraws them; unbounded). */
  async findAllForIncident(incidentId: string): Promise<Array<Correlation & { acks: CorrelationAck[] }>> {
    return this.findForIncident(incidentId, 0);
  }

  /** Removes withdrawn correlations (their retraction keeps the ids). */
  async removeMany(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.models.correlations.deleteMany({ _id: { $in: [...ids] } });
  }

  /** `limit` 0: all of them. */
  async findForIncident(incidentId: string, limit = 500): Promise<Array<Correlation & { acks: CorrelationAck[] }>> {
    const docs = await this.models.correlations
      .find({ $or: [{ 'found.incidentId': incidentId }, { 'earlier.incidentId': incidentId }] })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toCorrelation(doc as never));
  }
}

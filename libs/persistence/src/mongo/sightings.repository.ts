import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DomainError, summarizeSightings, type IndicatorSightings, type Sighting } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

type StoredSighting = Omit<Sighting, 'id'> & { _id: string; idemKey?: string };

function toSighting(doc: StoredSighting): Sighting {
  return {
    id: doc._id,
    incidentId: doc.incidentId,
    orgId: doc.orgId,
    authorId: doc.authorId,
    indicator: { type: doc.indicator.type, value: doc.indicator.value },
    kind: doc.kind,
    count: doc.count,
    firstSeen: doc.firstSeen ? new Date(doc.firstSeen) : null,
    lastSeen: doc.lastSeen ? new Date(doc.lastSeen) : null,
    note: doc.note ?? null,
    createdAt: new Date(doc.createdAt),
  };
}

/** The fields the per-indicator summary reads, so an incident read fetches no notes. */
const SUMMARY_FIELDS = { _id: 0, indicator: 1, kind: 1, count: 1, firstSeen: 1, lastSeen: 1, createdAt: 1 } as const;

@Injectable()
export class SightingsRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /**
   * Inserts the sighting, or returns the one stored earlier under the same organization's
   * Idempotency-Key. Decided by the unique index, so concurrent repeats cannot both count.
   */
  async insertOrGetExisting(
    sighting: Sighting,
    idempotencyKey?: string,
  ): Promise<{ created: boolean; sighting: Sighting }> {
    const { id, ...rest } = sighting;
    const idemKey = idempotencyKey ? `${sighting.orgId}:${idempotencyKey}` : id;
    try {
      await this.models.sightings.create({ _id: id, ...rest, idemKey });
      return { created: true, sighting };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.models.sightings.findOne({ idemKey }).lean();
    if (!existing) throw new DomainError('conflict', 'a concurrent duplicate sighting is still being stored');
    return { created: false, sighting: toSighting(existing as unknown as StoredSighting) };
  }

  /** Oldest first. */
  async forIncident(incidentId: string, limit = 1000): Promise<Sighting[]> {
    const docs = await this.models.sightings.find({ incidentId }).sort({ _id: 1 }).limit(limit).lean();
    return docs.map((doc) => toSighting(doc as unknown as StoredSighting));
  }

  /** The sightings of several incidents (an export), oldest first, in one query bounded by `limit`. */
  async forIncidents(incidentIds: readonly string[], limit = 50_000): Promise<Sighting[]> {
    if (incidentIds.length === 0) return [];
    const docs = await this.models.sightings
      .find({ incidentId: { $in: [...new Set(incidentIds)] } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toSighting(doc as unknown as StoredSighting));
  }

  /**
   * The sightings of one canonical value on any of `incidentIds` (an indicator's history): one query,
   * bounded by `limit`, newest first.
   */
  async ofValue(incidentIds: readonly string[], value: string, limit = 5000): Promise<Sighting[]> {
    if (incidentIds.length === 0) return [];
    const docs = await this.models.sightings
      .find({ incidentId: { $in: [...new Set(incidentIds)] }, 'indicator.value': value })
      .sort({ _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toSighting(doc as unknown as StoredSighting));
  }

  /** Every sighting of the incident summed per indicator (keyed by `sightingKeyOf`), in one query. */
  async summaryFor(incidentId: string): Promise<Map<string, IndicatorSightings>> {
    const docs = (await this.models.sightings.find({ incidentId }, SUMMARY_FIELDS).lean()) as unknown as Array<
      Omit<StoredSighting, '_id'>
    >;
    return summarizeSightings(
      docs.map((doc) => ({
        indicator: doc.indicator,
        kind: doc.kind,
        count: doc.count,
        firstSeen: doc.firstSeen ? new Date(doc.firstSeen) : null,
        lastSeen: doc.lastSeen ? new Date(doc.lastSeen) : null,
        createdAt: new Date(doc.createdAt),
      })),
    );
  }
}

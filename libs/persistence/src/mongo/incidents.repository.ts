import { Inject, Injectable } from '@nestjs/common';
import type { Connection, FilterQuery } from 'mongoose';
import {
  correlates,
  planIncident,
  DomainError,
  followIncidentPap,
  type Disclosure,
  type Incident,
  type IncidentHead,
  type IncidentIndicator,
  type IndicatorEnrichment,
  type IncidentState,
  type IncidentStatus,
  type OverviewFacts,
  type Pap,
  type Tlp,
  type RejectedIndicator,
  type Severity,
  type VisibilityFilter,
} from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import type { IndexSource } from '../redis/correlation-index';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { escapeRegExp, isDuplicateKeyError, toIncident, toIncidentHead } from './mappers';

export interface IncidentListQuery {
  visibility: VisibilityFilter;
  state?: IncidentState;
  status?: IncidentStatus;
  severity?: Severity;
  classificationClass?: string;
  classificationType?: string;
  since?: Date;
  /** Incidents of `orgId` assigned to `userId` (assignment is the owning organization's business). */
  assignee?: { orgId: string; userId: string };
  /** Only incidents owned by one of these organizations (a community's members). */
  orgIds?: readonly string[];
  /** Free text: case-insensitive substring of the title, the description or an indicator value. */
  text?: string;
  /** Return incidents with ids below this one (ids are UUIDv7, so newest first). */
  before?: string;
  limit: number;
}

export interface InsertOutcome {
  created: boolean;
  incident: Incident;
}

type IncidentFilter = FilterQuery<Record<string, unknown>>;

function visibilityQuery(filter: VisibilityFilter): IncidentFilter {
  return {
    $or: filter.anyOf.map((clause) =>
      clause.field
        ? { tlp: { $in: clause.tlps }, [clause.field]: { $in: clause.values ?? [] } }
        : { tlp: { $in: clause.tlps } },
    ),
  };
}

export interface IncidentPatch {
  status?: IncidentStatus;
  statusChangedBy?: string;
  statusChangedAt?: Date;
  /** null unassigns. */
  assigneeId?: string | null;
  tlp?: Tlp;
  pap?: Pap;
  /** Rewritten with `pap`: the indicators that follow the incident's PAP. */
  indicators?: IncidentIndicator[];
  recipientOrgIds?: string[];
  recipientUserIds?: string[];
  /** The owner's disclosure override; null removes it (the organization's policy applies again). */
  disclosure?: Disclosure | null;
}

const HEAD_FIELDS = {
  _id: 1,
  orgId: 1,
  authorId: 1,
  recipientOrgIds: 1,
  recipientUserIds: 1,
  title: 1,
  severity: 1,
  tlp: 1,
  classification: 1,
  state: 1,
  status: 1,
  createdAt: 1,
  disclosure: 1,
  anonymisedSubmitter: 1,
} as const;

export type IncidentCounts = Record<'state' | 'severity' | 'tlp', Record<string, number>> & { total: number };

@Injectable()
export class IncidentsRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  /**
   * Inserts a new incident, or returns the existing one when the organization already sent the same
   * external reference or Idempotency-Key. Decided by the unique indexes, so concurrent duplicates
   * cannot both win.
   */
  async insertOrGetExisting(incident: Incident, idempotencyKey?: string): Promise<InsertOutcome> {
    const { id, ...rest } = incident;
    const refKey = incident.externalRef ? `${incident.orgId}:${incident.externalRef}` : id;
    const idemKey = idempotencyKey ? `${incident.orgId}:${idempotencyKey}` : id;
    try {
      await this.models.incidents.create({ _id: id, ...rest, refKey, idemKey });
      return { created: true, incident };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.models.incidents.findOne({ $or: [{ refKey }, { idemKey }] }).lean();
    if (!existing) throw new DomainError('conflict', 'a concurrent duplicate submission is still being stored');
    return { created: false, incident: toIncident(existing as never) };
  }

  async findById(id: string): Promise<Incident | undefined> {
    const doc = await this.models.incidents.findById(id).lean();
    return doc ? toIncident(doc as never) : undefined;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, Incident>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const docs = await this.models.incidents.find({ _id: { $in: unique } }).lean();
    return new Map(docs.map((doc) => toIncident(doc as never)).map((incident) => [incident.id, incident]));
  }

  /** One page, newest first; `hasMore` tells whether another page follows. */
  async list(query: IncidentListQuery): Promise<{ items: Incident[]; hasMore: boolean }> {
    const and = this.conditions(query);
    if (query.before) and.push({ _id: { $lt: query.before } });
    const docs = await this.models.incidents
      .find({ $and: and })
      .sort({ _id: -1 })
      .limit(query.limit + 1)
      .lean();
    const items = docs.slice(0, query.limit).map((doc) => toIncident(doc as never));
    return { items, hasMore: docs.length > query.limit };
  }

  /** Visible incidents among `ids` (search hits from the correlation index). */
  async findVisible(ids: readonly string[], visibility: VisibilityFilter, limit: number): Promise<Incident[]> {
    if (ids.length === 0) return [];
    const docs = await this.models.incidents
      .find({ $and: [visibilityQuery(visibility), { _id: { $in: [...new Set(ids)] } }] })
      .sort({ _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toIncident(doc as never));
  }

  /**
   * Visible incidents carrying an indicator of this canonical value, found in the store: warned
   * indicators are not in the correlation index, so searching for one scans instead.
   */
  async findVisibleCarrying(value: string, visibility: VisibilityFilter, limit: number): Promise<Incident[]> {
    const docs = await this.models.incidents
      .find({ $and: [visibilityQuery(visibility), { 'indicators.value': value }] })
      .sort({ _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toIncident(doc as never));
  }

  /**
   * The heads of the incidents among `ids` (no description, indicators or submissions), within
   * `visibility` when given: one read for any number of ids.
   */
  async findHeads(ids: readonly string[], visibility?: VisibilityFilter): Promise<Map<string, IncidentHead>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const filter = visibility
      ? { $and: [visibilityQuery(visibility), { _id: { $in: unique } }] }
      : { _id: { $in: unique } };
    const docs = (await this.models.incidents.find(filter, HEAD_FIELDS).lean()) as unknown as Array<
      Parameters<typeof toIncidentHead>[0]
    >;
    return new Map(docs.map((doc) => [String(doc._id), toIncidentHead(doc)]));
  }

  /**
   * What the overview counts of every incident matching the query (visibility included): only the
   * fields it needs, indicators as type and value.
   */
  async findOverviewFacts(query: Omit<IncidentListQuery, 'before' | 'limit'>): Promise<OverviewFacts[]> {
    const docs = (await this.models.incidents
      .find(
        { $and: this.conditions(query) },
        {
          _id: 1,
          orgId: 1,
          tlp: 1,
          recipientOrgIds: 1,
          severity: 1,
          'classification.class': 1,
          createdAt: 1,
          'indicators.type': 1,
          'indicators.value': 1,
        },
      )
      .lean()) as unknown as Array<
      Omit<OverviewFacts, 'id' | 'recipientOrgIds' | 'indicators'> & {
        _id: string;
        recipientOrgIds?: string[];
        indicators?: OverviewFacts['indicators'];
      }
    >;
    return docs.map(({ _id, recipientOrgIds, indicators, ...rest }) => ({
      ...rest,
      id: String(_id),
      recipientOrgIds: recipientOrgIds ?? [],
      indicators: indicators ?? [],
    }));
  }

  /** Counts of the visible incidents matching the query, by state, severity and TLP. */
  async count(query: Omit<IncidentListQuery, 'before' | 'limit'>): Promise<IncidentCounts> {
    const docs = (await this.models.incidents
      .find({ $and: this.conditions(query) }, { state: 1, severity: 1, tlp: 1 })
      .lean()) as unknown as Array<{ state: string; severity: string; tlp: string }>;
    const counts: IncidentCounts = { total: docs.length, state: {}, severity: {}, tlp: {} };
    for (const doc of docs) {
      for (const key of ['state', 'severity', 'tlp'] as const) counts[key][doc[key]] = (counts[key][doc[key]] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Applies an analyst's change and returns the incident as it is now. `check` sees the stored
   * incident under the same lock as the write and may throw to refuse the change, so a rule on the
   * resulting combination (TLP and recipients, the workflow's moves) holds against concurrent changes
   * too; it may return more fields to write, decided on the stored incident (e.g. who changed the status).
   */
  async update(
    id: string,
    patch: IncidentPatch,
    check?: (current: Incident) => IncidentPatch | void,
  ): Promise<Incident | undefined> {
    return this.locks.withLock('incidents', id, async () => {
      let more: IncidentPatch | void = undefined;
      if (check) {
        const current = await this.findById(id);
        if (!current) return undefined;
        more = check(current);
      }
      const set = Object.fromEntries(Object.entries({ ...patch, ...more }).filter(([, value]) => value !== undefined));
      await this.models.incidents.updateOne({ _id: id }, { $set: { ...set, updatedAt: new Date() } });
      return this.findById(id);
    });
  }

  /** Removes a retracted incident (its retraction keeps the tombstone); false when already gone. */
  async remove(id: string): Promise<boolean> {
    return this.locks.withLock('incidents', id, async () => {
      const result = await this.models.incidents.deleteOne({ _id: id });
      return result.deletedCount > 0;
    });
  }

  /**
   * Takes a retracted indicator out of the incident: `change` gets the stored incident under its lock
   * and returns the indicators, submitted values and description to keep. Returns the incident as it is now,
   * undefined when it is gone.
   */
  async removeIndicator(
    id: string,
    change: (current: Incident) => Pick<Incident, 'indicators' | 'submitted' | 'description'>,
  ): Promise<Incident | undefined> {
    return this.locks.withLock('incidents', id, async () => {
      const current = await this.findById(id);
      if (!current) return undefined;
      const kept = change(current);
      await this.models.incidents.updateOne(
        { _id: id },
        {
          $set: {
            indicators: kept.indicators,
            submitted: kept.submitted,
            description: kept.description,
            updatedAt: new Date(),
          },
        },
      );
      return this.findById(id);
    });
  }

  private conditions(query: Omit<IncidentListQuery, 'before' | 'limit'>): IncidentFilter[] {
    const and: IncidentFilter[] = [visibilityQuery(query.visibility)];
    if (query.state) and.push({ state: query.state });
    if (query.status) and.push({ status: query.status });
    if (query.severity) and.push({ severity: query.severity });
    if (query.classificationClass) and.push({ 'classification.class': query.classificationClass });
    if (query.classificationType) and.push({ 'classification.type': query.classificationType });
    if (query.since) and.push({ createdAt: { $gte: query.since } });
    if (query.assignee) and.push({ orgId: query.assignee.orgId, assigneeId: query.assignee.userId });
    if (query.orgIds) and.push({ orgId: { $in: [...query.orgIds] } });
    if (query.text) {
      const pattern = new RegExp(escapeRegExp(query.text), 'i');
      and.push({ $or: [{ title: pattern }, { description: pattern }, { 'indicators.value': pattern }] });
    }
    return and;
  }

  /**
   * Records the normalized indicators; only a pending incident moves to `enriched`. Indicators without
   * a PAP of their own take the incident's as stored under the lock, so a PAP changed while they were
   * being normalized is not lost.
   */
  async saveNormalized(id: string, indicators: IncidentIndicator[], rejected: RejectedIndicator[]): Promise<void> {
    await this.locks.withLock('incidents', id, async () => {
      const current = await this.findById(id);
      const following = current ? followIncidentPap(indicators, current.pap) : indicators;
      await this.models.incidents.updateOne(
        { _id: id, state: { $in: ['pending', 'enriched'] } },
        {
          $set: {
            indicators: following,
            rejectedIndicators: rejected,
            state: 'enriched',
            stateChangedAt: new Date(),
          },
        },
      );
    });
  }

  /**
   * Merges enrichment into the incident's indicators, under the incident's lock so an analyst's
   * change or another provider's answer is not lost: `change` gets each indicator (type, value and
   * current enrichment) and returns the fields to merge into its enrichment, or undefined to leave
   * it. Returns the incident as stored after the change and the indicators changed, or undefined
   * when the incident is gone.
   */
  async mergeEnrichment(
    id: string,
    change: (indicator: Pick<IncidentIndicator, 'type' | 'value' | 'enrichment'>) => IndicatorEnrichment | undefined,
  ): Promise<{ incident: Incident; changed: IncidentIndicator[] } | undefined> {
    return this.locks.withLock('incidents', id, async () => {
      const doc = (await this.models.incidents.findById(id, { indicators: 1 }).lean()) as {
        indicators?: Array<Pick<IncidentIndicator, 'type' | 'value'> & { enrichment?: IndicatorEnrichment }>;
      } | null;
      if (!doc) return undefined;
      const indicators = doc.indicators ?? [];
      const changedKeys = new Set<string>();
      for (const stored of indicators) {
        const enrichment = stored.enrichment ?? {};
        const fields = change({ type: stored.type, value: stored.value, enrichment });
        if (fields === undefined) continue;
        stored.enrichment = { ...enrichment, ...fields };
        changedKeys.add(`${stored.type}:${stored.value}`);
      }
      if (changedKeys.size > 0) await this.models.incidents.updateOne({ _id: id }, { $set: { indicators } });
      const incident = await this.findById(id);
      if (!incident) return undefined;
      return {
        incident,
        changed: incident.indicators.filter((indicator) => changedKeys.has(`${indicator.type}:${indicator.value}`)),
      };
    });
  }

  async setState(id: string, state: IncidentState, failureReason?: string): Promise<void> {
    await this.locks.withLock('incidents', id, () =>
      this.models.incidents.updateOne(
        { _id: id },
        // Processing does not touch `updatedAt`: that is the time of the last analysts' change, which
        // `incident.updated` announces; a state write racing a PATCH would make REST disagree with it.
        { $set: { state, failureReason: failureReason ?? null, stateChangedAt: new Date() } },
      ),
    );
  }

  /** Incidents whose processing has not finished and was last touched before `before`. */
  async findUnfinished(before: Date, limit: number): Promise<string[]> {
    const docs = await this.models.incidents
      .find(
        {
          state: { $in: ['pending', 'enriched'] },
          $or: [
            { stateChangedAt: { $lt: before } },
            // Never moved by processing yet: its creation time is on `updatedAt`.
            { stateChangedAt: null, updatedAt: { $lt: before } },
          ],
        },
        { _id: 1 },
      )
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => String(doc._id));
  }

  /**
   * Every incident whose indicators are normalized, with its index plans (all kinds), for rebuilding the
   * index (warned indicators are not indexed).
   */
  async *streamIndexed(): AsyncGenerator<IndexSource> {
    const cursor = this.models.incidents
      .find(
        { state: { $in: ['enriched', 'correlated'] } },
        { _id: 1, orgId: 1, 'indicators.type': 1, 'indicators.value': 1, 'indicators.warnings': 1 },
      )
      .lean()
      .cursor({ batchSize: 1000 });
    for await (const doc of cursor) {
      const { _id, orgId, indicators } = doc as unknown as {
        _id: string;
        orgId: string;
        indicators?: IncidentIndicator[];
      };
      yield { id: _id, orgId, indicators: planIncident((indicators ?? []).filter(correlates)) };
    }
  }

  /** How many incidents `streamIndexed` yields now (a progress total). */
  async countIndexed(): Promise<number> {
    return this.models.incidents.countDocuments({ state: { $in: ['enriched', 'correlated'] } });
  }
}

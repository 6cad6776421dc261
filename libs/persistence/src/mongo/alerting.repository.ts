import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type Redis from 'ioredis';
import type { Alert, NotificationRule } from '@corridor/domain';
import { MONGO_CONNECTION, PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

type Stored<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

const dateOrNull = (value: unknown): Date | null => (value ? new Date(value as string) : null);

function toRule(doc: Stored<NotificationRule>): NotificationRule {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id, createdAt: new Date(rest.createdAt), updatedAt: new Date(rest.updatedAt) };
}

/** One escalation step taken: which, when, and who was paged. */
export interface EscalationPage {
  step: number;
  at: Date;
  userIds: string[];
  level: number | 'org-admins';
}

export type StoredAlert = Alert & { pages: EscalationPage[]; announced: boolean };

function toAlert(doc: Record<string, unknown>): StoredAlert {
  const d = doc as unknown as Stored<StoredAlert>;
  const byAt = (v: { by: string; at: Date } | null) => v && { by: v.by, at: new Date(v.at) };
  return {
    id: d._id,
    orgId: d.orgId,
    ruleId: d.ruleId,
    ruleName: d.ruleName,
    source: { kind: d.source.kind, id: d.source.id },
    incident: d.incident,
    detail: d.detail ?? {},
    state: d.state,
    createdAt: new Date(d.createdAt),
    acknowledged: byAt(d.acknowledged),
    resolved: byAt(d.resolved),
    escalation: d.escalation && { ...d.escalation, nextAt: dateOrNull(d.escalation.nextAt) },
    pages: (d.pages ?? []).map((p) => ({ ...p, at: new Date(p.at) })),
    announced: d.announced ?? false,
  };
}

/** Notification rules (`notification_rules`). Every change bumps the rules version the caches watch. */
@Injectable()
export class NotificationRulesRepository {
  private readonly models: Models;
  private readonly versionKey: string;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions,
  ) {
    this.models = modelsOf(connection);
    this.versionKey = `${options.redisPrefix}:rules:version`;
  }

  /** Inserts a rule; `duplicate` when the organization already has a rule of that name. */
  async insert(rule: NotificationRule): Promise<'created' | 'duplicate'> {
    const { id, ...rest } = rule;
    try {
      await this.models.notificationRules.collection.insertOne({ _id: id, ...rest } as never);
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
    await this.bump();
    return 'created';
  }

  /** Replaces a rule of the organization; `missing` or `duplicate` (name taken) when it cannot. */
  async replace(rule: NotificationRule): Promise<'replaced' | 'missing' | 'duplicate'> {
    const { id, ...rest } = rule;
    try {
      const result = await this.models.notificationRules.replaceOne({ _id: id, orgId: rule.orgId }, rest);
      if (result.matchedCount === 0) return 'missing';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
    await this.bump();
    return 'replaced';
  }

  async remove(orgId: string, id: string): Promise<NotificationRule | undefined> {
    const doc = await this.models.notificationRules.findOneAndDelete({ _id: id, orgId }).lean();
    await this.bump();
    return doc ? toRule(doc as unknown as Stored<NotificationRule>) : undefined;
  }

  async find(orgId: string, id: string): Promise<NotificationRule | undefined> {
    const doc = await this.models.notificationRules.findOne({ _id: id, orgId }).lean();
    return doc ? toRule(doc as unknown as Stored<NotificationRule>) : undefined;
  }

  async listByOrg(orgId: string): Promise<NotificationRule[]> {
    const docs = await this.models.notificationRules.find({ orgId }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map((doc) => toRule(doc as unknown as Stored<NotificationRule>));
  }

  /** Every enabled rule of every organization (what the worker evaluates; see `RulesCache`). */
  async listEnabled(): Promise<NotificationRule[]> {
    const docs = await this.models.notificationRules.find({ enabled: true }).lean();
    return docs.map((doc) => toRule(doc as unknown as Stored<NotificationRule>));
  }

  async version(): Promise<string> {
    return (await this.redis.get(this.versionKey)) ?? '0';
  }

  /** Never fails the write it follows: a missed bump is healed by the next one. */
  private async bump(): Promise<void> {
    await this.redis.incr(this.versionKey).catch(() => undefined);
  }
}

/**
 * The enabled rules of every organization, read from the store only when the rules version in Redis
 * moved: evaluating rules on each job costs one Redis GET, not a store scan.
 */
@Injectable()
export class RulesCache {
  private cached?: { version: string; rules: NotificationRule[] };

  constructor(private readonly rules: NotificationRulesRepository) {}

  async enabled(): Promise<NotificationRule[]> {
    const version = await this.rules.version();
    if (this.cached?.version !== version) {
      this.cached = { version, rules: await this.rules.listEnabled() };
    }
    return this.cached.rules;
  }
}

/** Where a page of alerts ends (newest first). */
export interface AlertPosition {
  createdAt: Date;
  id: string;
}

/** Alerts raised by rules (`alerts`); writers of one alert hold its document lock. */
@Injectable()
export class AlertsRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /**
   * Records alerts (each once: the id is deterministic) and returns those not yet announced, so a
   * retried job announces what a failed one lost, and nothing twice.
   */
  async recordAndFindUnannounced(alerts: readonly Alert[]): Promise<StoredAlert[]> {
    if (alerts.length === 0) return [];
    const docs = alerts.map(({ id, ...rest }) => ({ _id: id, ...rest, pages: [], announced: false }));
    try {
      await this.models.alerts.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const stored = await this.models.alerts.find({ _id: { $in: alerts.map((a) => a.id) }, announced: false }).lean();
    return stored.map((doc) => toAlert(doc as Record<string, unknown>));
  }

  async markAnnounced(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.models.alerts.updateMany({ _id: { $in: [...ids] } }, { $set: { announced: true } });
  }

  async findById(id: string): Promise<StoredAlert | undefined> {
    const doc = await this.models.alerts.findById(id).lean();
    return doc ? toAlert(doc) : undefined;
  }

  /** Writes the alert's state, acknowledgement, resolution, escalation and pages (hold its lock). */
  async save(alert: StoredAlert): Promise<void> {
    await this.models.alerts.updateOne(
      { _id: alert.id },
      {
        $set: {
          state: alert.state,
          acknowledged: alert.acknowledged,
          resolved: alert.resolved,
          escalation: alert.escalation,
          pages: alert.pages,
        },
      },
    );
  }

  /** One page of the organization's alerts, newest first, optionally in some states. */
  async page(
    orgId: string,
    states: readonly string[] | undefined,
    after: AlertPosition | undefined,
    limit: number,
  ): Promise<StoredAlert[]> {
    const position = after
      ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] }
      : {};
    const docs = await this.models.alerts
      .find({ orgId, ...(states?.length ? { state: { $in: [...states] } } : {}), ...position })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toAlert(doc as Record<string, unknown>));
  }

  /**
   * The alerts about an incident (raised on it) or raised by one of `sourceIds` (the correlations a
   * retraction withdraws), in any state.
   */
  async findAbout(incidentId: string, sourceIds: readonly string[]): Promise<StoredAlert[]> {
    const docs = await this.models.alerts
      .find({
        $or: [{ 'incident.id': incidentId }, ...(sourceIds.length ? [{ 'source.id': { $in: [...sourceIds] } }] : [])],
      })
      .lean();
    return docs.map((doc) => toAlert(doc as Record<string, unknown>));
  }

  /** Alerts still escalating whose next step is due by `before` (the sweeper re-creates lost jobs). */
  async dueEscalations(before: Date, limit: number): Promise<StoredAlert[]> {
    const docs = await this.models.alerts
      .find({ state: 'triggered', 'escalation.nextAt': { $ne: null, $lte: before } })
      .limit(limit)
      .lean();
    return docs.map((doc) => toAlert(doc as Record<string, unknown>));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type {
  NotificationType,
  Tlp,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryState,
  WebhookEndpoint,
  WebhookSecret,
} from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError, escapeRegExp } from './mappers';
import type { PagePosition } from './watchlist.repository';

interface StoredEndpoint extends Omit<WebhookEndpoint, 'id'> {
  _id: string;
}

interface StoredDelivery extends Omit<WebhookDelivery, 'id'> {
  _id: string;
}

function toEndpoint(doc: StoredEndpoint): WebhookEndpoint {
  return {
    id: doc._id,
    orgId: doc.orgId,
    url: doc.url,
    eventTypes: [...(doc.eventTypes ?? [])],
    maxTlp: doc.maxTlp,
    description: doc.description ?? null,
    enabled: doc.enabled,
    disabledReason: doc.disabledReason ?? null,
    secrets: (doc.secrets ?? []).map((s: WebhookSecret) => ({
      value: s.value,
      createdAt: new Date(s.createdAt),
      expiresAt: s.expiresAt ? new Date(s.expiresAt) : null,
    })),
    createdBy: doc.createdBy,
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
  };
}

function toDelivery(doc: StoredDelivery): WebhookDelivery {
  return {
    id: doc._id,
    endpointId: doc.endpointId,
    orgId: doc.orgId,
    notificationId: doc.notificationId,
    type: doc.type,
    tlp: doc.tlp,
    body: doc.body,
    state: doc.state,
    round: doc.round,
    attemptCount: doc.attemptCount,
    attempts: (doc.attempts ?? []).map((a: WebhookAttempt) => ({
      round: a.round,
      attempt: a.attempt,
      at: new Date(a.at),
      status: a.status ?? null,
      durationMs: a.durationMs,
      error: a.error ?? null,
      retryInMs: a.retryInMs ?? null,
    })),
    nextAttemptAt: doc.nextAttemptAt ? new Date(doc.nextAttemptAt) : null,
    createdAt: new Date(doc.createdAt),
    updatedAt: new Date(doc.updatedAt),
  };
}

/** What an org-admin may change of an endpoint (and what the worker changes: `enabled`, `disabledReason`). */
export interface WebhookEndpointChange {
  url?: string;
  eventTypes?: NotificationType[];
  maxTlp?: Tlp;
  description?: string | null;
  enabled?: boolean;
  disabledReason?: 'gone' | 'admin' | null;
}

/** Organizations' webhook endpoints (the `webhook_endpoints` collection); every change under a document lock. */
@Injectable()
export class WebhookEndpointsRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  async insert(endpoint: WebhookEndpoint): Promise<void> {
    const { id, ...rest } = endpoint;
    await this.models.webhookEndpoints.collection.insertOne({ _id: id, ...rest } as never);
  }

  /** The organization's endpoint, or undefined (also for another organization's). */
  async find(orgId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const doc = await this.models.webhookEndpoints.findOne({ _id: id, orgId }).lean();
    return doc ? toEndpoint(doc as unknown as StoredEndpoint) : undefined;
  }

  async list(orgId: string): Promise<WebhookEndpoint[]> {
    const docs = await this.models.webhookEndpoints.find({ orgId }).sort({ createdAt: -1, _id: -1 }).lean();
    return docs.map((doc) => toEndpoint(doc as unknown as StoredEndpoint));
  }

  /**
   * The organization's enabled endpoints subscribed to `type` (among `ids` when given). `type` null:
   * whatever they subscribe to (a retraction goes to every endpoint that was told what it withdraws).
   */
  async subscribed(orgId: string, type: NotificationType | null, ids?: readonly string[]): Promise<WebhookEndpoint[]> {
    const docs = await this.models.webhookEndpoints
      .find({
        orgId,
        enabled: true,
        ...(type === null ? {} : { eventTypes: type }),
        ...(ids ? { _id: { $in: [...ids] } } : {}),
      })
      .lean();
    return docs.map((doc) => toEndpoint(doc as unknown as StoredEndpoint));
  }

  /**
   * Applies `change(endpoint)` (which may throw to refuse) to the organization's endpoint under its
   * document lock; returns the endpoint as stored after, or undefined when there is none.
   */
  async update(
    orgId: string,
    id: string,
    change: (endpoint: WebhookEndpoint) => WebhookEndpointChange & { secrets?: WebhookSecret[] },
    now: Date,
  ): Promise<WebhookEndpoint | undefined> {
    return this.locks.withLock('webhook_endpoints', id, async () => {
      const current = await this.find(orgId, id);
      if (!current) return undefined;
      const set = { ...change(current), updatedAt: now };
      const doc = await this.models.webhookEndpoints
        .findOneAndUpdate({ _id: id, orgId }, { $set: set }, { new: true })
        .lean();
      return doc ? toEndpoint(doc as unknown as StoredEndpoint) : undefined;
    });
  }

  /** Removes the organization's endpoint; returns it, or undefined when there was none. */
  async remove(orgId: string, id: string): Promise<WebhookEndpoint | undefined> {
    return this.locks.withLock('webhook_endpoints', id, async () => {
      const doc = await this.models.webhookEndpoints.findOneAndDelete({ _id: id, orgId }).lean();
      return doc ? toEndpoint(doc as unknown as StoredEndpoint) : undefined;
    });
  }
}

/** The result of recording an attempt: false when another run already recorded it or the delivery moved on. */
export interface AttemptRecord {
  round: number;
  attempt: WebhookAttempt;
  state: WebhookDeliveryState;
  nextAttemptAt: Date | null;
}

/** Deliveries of notifications to webhook endpoints and their attempts (the `webhook_deliveries` collection). */
@Injectable()
export class WebhookDeliveriesRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  /** Inserts the delivery unless one with its id exists (the unique `_id` decides); true when new. */
  async insertIfAbsent(delivery: WebhookDelivery): Promise<boolean> {
    const { id, ...rest } = delivery;
    try {
      await this.models.webhookDeliveries.collection.insertOne({ _id: id, ...rest } as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * The endpoints (with their organization) that were sent a notification of one of these alerts
   * (notification ids start with the alert's id): the webhook part of the ledger of who was told.
   */
  async endpointsToldOf(alertIds: readonly string[]): Promise<Array<{ endpointId: string; orgId: string }>> {
    if (alertIds.length === 0) return [];
    const docs = await this.models.webhookDeliveries
      .find(
        { $or: alertIds.map((id) => ({ notificationId: { $regex: `^${escapeRegExp(id)}` } })) },
        { endpointId: 1, orgId: 1 },
      )
      .lean();
    const seen = new Map<string, { endpointId: string; orgId: string }>();
    for (const doc of docs as unknown as Array<{ endpointId: string; orgId: string }>)
      seen.set(doc.endpointId, { endpointId: doc.endpointId, orgId: doc.orgId });
    return [...seen.values()];
  }

  async findById(id: string): Promise<WebhookDelivery | undefined> {
    const doc = await this.models.webhookDeliveries.findById(id).lean();
    return doc ? toDelivery(doc as unknown as StoredDelivery) : undefined;
  }

  async find(orgId: string, id: string): Promise<WebhookDelivery | undefined> {
    const doc = await this.models.webhookDeliveries.findOne({ _id: id, orgId }).lean();
    return doc ? toDelivery(doc as unknown as StoredDelivery) : undefined;
  }

  /** One page of an endpoint's deliveries, newest first, strictly after `after`. */
  async page(endpointId: string, after: PagePosition | undefined, limit: number): Promise<WebhookDelivery[]> {
    const position = after
      ? {
          $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
        }
      : {};
    const docs = await this.models.webhookDeliveries
      .find({ endpointId, ...position })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toDelivery(doc as unknown as StoredDelivery));
  }

  /** The ids of an endpoint's deliveries created in [from, to], oldest first, at most `limit`. */
  async idsInRange(endpointId: string, from: Date, to: Date, limit: number): Promise<string[]> {
    const docs = await this.models.webhookDeliveries
      .find({ endpointId, createdAt: { $gte: from, $lte: to } }, { _id: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => String(doc._id));
  }

  /**
   * Appends an attempt and sets what follows, only if the delivery is still pending in `round` with
   * `attempt.attempt − 1` attempts made (so a retried or duplicated job records nothing twice).
   * Under the delivery's document lock: FerretDB could otherwise lose one of two concurrent updates.
   */
  async recordAttempt(id: string, record: AttemptRecord, now: Date): Promise<boolean> {
    return this.locks.withLock('webhook_deliveries', id, async () => {
      const result = await this.models.webhookDeliveries.updateOne(
        { _id: id, state: 'pending', round: record.round, attemptCount: record.attempt.attempt - 1 },
        {
          $push: { attempts: record.attempt },
          $set: {
            attemptCount: record.attempt.attempt,
            state: record.state,
            nextAttemptAt: record.nextAttemptAt,
            updatedAt: now,
          },
        },
      );
      return result.modifiedCount === 1;
    });
  }

  /** Stops a pending delivery of `round` without an attempt (its endpoint was disabled or deleted). */
  async stop(id: string, round: number, now: Date): Promise<boolean> {
    return this.locks.withLock('webhook_deliveries', id, async () => {
      const result = await this.models.webhookDeliveries.updateOne(
        { _id: id, state: 'pending', round },
        { $set: { state: 'failed', nextAttemptAt: null, updatedAt: now } },
      );
      return result.modifiedCount === 1;
    });
  }

  /**
   * Starts a new round of the organization's delivery (a replay): pending again, no attempt made in
   * it yet. Returns the delivery as stored after, or undefined when there is none.
   */
  async startRound(orgId: string, id: string, now: Date): Promise<WebhookDelivery | undefined> {
    return this.locks.withLock('webhook_deliveries', id, async () => {
      const current = await this.find(orgId, id);
      if (!current) return undefined;
      await this.models.webhookDeliveries.updateOne(
        { _id: id, round: current.round },
        { $set: { round: current.round + 1, attemptCount: 0, state: 'pending', nextAttemptAt: now, updatedAt: now } },
      );
      return this.find(orgId, id);
    });
  }

  /** Pending deliveries whose next attempt was due before `before` (jobs lost with Redis), at most `limit`. */
  async overdue(before: Date, limit: number): Promise<WebhookDelivery[]> {
    const docs = await this.models.webhookDeliveries
      .find({ state: 'pending', nextAttemptAt: { $lt: before } })
      .limit(limit)
      .lean();
    return docs.map((doc) => toDelivery(doc as unknown as StoredDelivery));
  }
}

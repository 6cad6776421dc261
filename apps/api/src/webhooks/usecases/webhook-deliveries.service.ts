import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  DomainError,
  newWebhookDelivery,
  notFound,
  type Notification,
  type Principal,
  type Tlp,
  type WebhookDelivery,
} from '@corridor/domain';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository, type PagePosition } from '@corridor/persistence';
import { WebhookJobProducer } from '@corridor/queue';
import { AuditService } from '../../audit/audit.service';
import type { PageQuery } from '../../common/page.query';
import { requireScope } from '../../disclosure/access';
import { invalid } from '../../incidents/incident-filters';

const DEFAULT_PAGE = 50;
/** The most deliveries one range replay sends again. */
export const MAX_RANGE_REPLAY = 500;

/** A delivery as the log shows it: everything but the body. */
export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  notificationId: string;
  type: string;
  tlp: Tlp;
  state: string;
  round: number;
  attempts: Array<{
    round: number;
    attempt: number;
    at: string;
    status: number | null;
    durationMs: number;
    error: string | null;
    retryInMs: number | null;
  }>;
  nextAttemptAt: string | null;
  createdAt: string;
}

function view(delivery: WebhookDelivery): WebhookDeliveryView {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    notificationId: delivery.notificationId,
    type: delivery.type,
    tlp: delivery.tlp,
    state: delivery.state,
    round: delivery.round,
    attempts: delivery.attempts.map((a) => ({ ...a, at: a.at.toISOString() })),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

function encodePosition(position: PagePosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`, 'utf8').toString('base64url');
}

function decodePosition(cursor: string | undefined): PagePosition | undefined {
  if (!cursor) return undefined;
  const match = /^(\d{1,15})\.(msg_[0-9a-f]{32})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid('cursor', 'is not a cursor this api issued');
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

/**
 * An endpoint's delivery log (every attempt: status, duration, error), replays (the same
 * `webhook-id`, a new timestamp and signature) of one delivery or of a time range, and test
 * notifications. `webhooks:manage` (org-admins); replays and tests are audited.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly jobs: WebhookJobProducer,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Newest first. 404 for another organization's endpoint. */
  async list(
    principal: Principal,
    endpointId: string,
    query: PageQuery,
  ): Promise<{ items: WebhookDeliveryView[]; nextCursor: string | null }> {
    requireScope(principal, 'webhooks:manage');
    await this.endpointOf(principal, endpointId);
    const limit = query.limit ?? DEFAULT_PAGE;
    const found = await this.deliveries.page(endpointId, decodePosition(query.cursor), limit + 1);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(view), nextCursor: found.length > limit && last ? encodePosition(last) : null };
  }

  /** Sends one delivery again as a new round; 404 for another organization's delivery. */
  async replay(principal: Principal, deliveryId: string): Promise<WebhookDeliveryView> {
    requireScope(principal, 'webhooks:manage');
    const replayed = await this.startRound(principal, deliveryId);
    if (!replayed) throw notFound('webhook delivery');
    await this.audit.record(principal, {
      action: 'webhook.delivery.replay',
      target: { type: 'webhook-delivery', id: deliveryId },
      details: { endpointId: replayed.endpointId, round: replayed.round },
    });
    return view(replayed);
  }

  /** Sends again every delivery of the endpoint created in [from, to] (at most `MAX_RANGE_REPLAY`, oldest first). */
  async replayRange(
    principal: Principal,
    endpointId: string,
    range: { from: string; to: string },
  ): Promise<{ replayed: number; deliveryIds: string[] }> {
    requireScope(principal, 'webhooks:manage');
    const from = new Date(range.from);
    const to = new Date(range.to);
    if (from.getTime() > to.getTime()) throw invalid('to', 'must not be before from');
    await this.endpointOf(principal, endpointId);
    const ids = await this.deliveries.idsInRange(endpointId, from, to, MAX_RANGE_REPLAY);
    const done: string[] = [];
    for (const id of ids) if (await this.startRound(principal, id)) done.push(id);
    await this.audit.record(principal, {
      action: 'webhook.endpoint.replay',
      target: { type: 'webhook-endpoint', id: endpointId },
      details: { from: from.toISOString(), to: to.toISOString(), replayed: done.length },
    });
    return { replayed: done.length, deliveryIds: done };
  }

  /**
   * Sends the endpoint a `test` notification (whatever types it subscribes to) with the label and
   * content given, carried as for any notification (`channelView` with the endpoint's maxTlp). 409
   * when the endpoint is disabled.
   */
  async test(
    principal: Principal,
    endpointId: string,
    input: { tlp?: Tlp; content?: Record<string, unknown> },
  ): Promise<WebhookDeliveryView> {
    requireScope(principal, 'webhooks:manage');
    const endpoint = await this.endpointOf(principal, endpointId);
    if (!endpoint.enabled) throw new DomainError('conflict', 'the endpoint is disabled: enable it to test it');
    const now = new Date();
    const notification: Notification = {
      id: `test-${randomUUID()}`,
      type: 'test',
      orgId: principal.orgId,
      tlp: input.tlp ?? 'CLEAR',
      occurredAt: now.toISOString(),
      content: input.content ?? { message: 'A test notification from Corridor.' },
    };
    const delivery = newWebhookDelivery(endpoint, notification, now);
    await this.deliveries.insertIfAbsent(delivery);
    await this.enqueue(delivery.id, 0);
    await this.audit.record(principal, {
      action: 'webhook.endpoint.test',
      target: { type: 'webhook-endpoint', id: endpointId },
      details: { deliveryId: delivery.id, tlp: notification.tlp },
    });
    return view(delivery);
  }

  private async endpointOf(principal: Principal, endpointId: string) {
    const endpoint = await this.endpoints.find(principal.orgId, endpointId);
    if (!endpoint) throw notFound('webhook endpoint');
    return endpoint;
  }

  private async startRound(principal: Principal, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const replayed = await this.deliveries.startRound(principal.orgId, deliveryId, new Date());
    if (replayed) await this.enqueue(replayed.id, replayed.round);
    return replayed;
  }

  /** A job Redis did not take is enqueued by the worker's sweeper once overdue (`nextAttemptAt` is stored). */
  private async enqueue(deliveryId: string, round: number): Promise<void> {
    try {
      await this.jobs.enqueue(deliveryId, round, 1);
    } catch (error) {
      this.logger.warn({ deliveryId, err: error }, 'webhook attempt not enqueued; the worker’s sweeper will');
    }
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, webhookSettings, type AppConfig } from '@corridor/config';
import {
  DEFAULT_CHANNEL_MAX_TLP,
  notFound,
  rotateSecrets,
  webhookEndpointView,
  type Principal,
  type WebhookEndpoint,
  type WebhookEndpointView,
} from '@corridor/domain';
import { WebhookEndpointsRepository, type WebhookEndpointChange } from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import { requireScope } from '../../disclosure/access';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from '../dto/webhooks.dto';
import { checkWebhookTarget } from './webhook-target';

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks' format). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * An organization's webhook endpoints (`webhooks:manage`, org-admins): registration with the secret
 * shown once, reading without it, changes, deletion and secret rotation. Every change is audited.
 */
@Injectable()
export class WebhookEndpoints {
  private readonly settings: ReturnType<typeof webhookSettings>;

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly audit: AuditService,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.settings = webhookSettings(config);
  }

  async create(
    principal: Principal,
    input: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointView & { secret: string }> {
    requireScope(principal, 'webhooks:manage');
    const url = await checkWebhookTarget(input.url, this.settings.allowedCidrs);
    const now = new Date();
    const secret = newWebhookSecret();
    const endpoint: WebhookEndpoint = {
      id: `whe-${randomUUID()}`,
      orgId: principal.orgId,
      url,
      eventTypes: [...new Set(input.eventTypes)],
      maxTlp: input.maxTlp ?? DEFAULT_CHANNEL_MAX_TLP,
      description: input.description?.trim() || null,
      enabled: true,
      disabledReason: null,
      secrets: [{ value: secret, createdAt: now, expiresAt: null }],
      createdBy: principal.id,
      createdAt: now,
      updatedAt: now,
    };
    await this.endpoints.insert(endpoint);
    await this.audit.record(principal, {
      action: 'webhook.endpoint.create',
      target: { type: 'webhook-endpoint', id: endpoint.id },
      details: { url, maxTlp: endpoint.maxTlp, eventTypes: endpoint.eventTypes.join(',') },
    });
    return { ...webhookEndpointView(endpoint, now), secret };
  }

  async list(principal: Principal): Promise<WebhookEndpointView[]> {
    requireScope(principal, 'webhooks:manage');
    const now = new Date();
    return (await this.endpoints.list(principal.orgId)).map((endpoint) => webhookEndpointView(endpoint, now));
  }

  /** 404 for another organization's endpoint, as for a missing one. */
  async get(principal: Principal, id: string): Promise<WebhookEndpointView> {
    requireScope(principal, 'webhooks:manage');
    const endpoint = await this.endpoints.find(principal.orgId, id);
    if (!endpoint) throw notFound('webhook endpoint');
    return webhookEndpointView(endpoint, new Date());
  }

  async update(principal: Principal, id: string, input: UpdateWebhookEndpointDto): Promise<WebhookEndpointView> {
    requireScope(principal, 'webhooks:manage');
    const change: WebhookEndpointChange = {};
    if (input.url !== undefined) change.url = await checkWebhookTarget(input.url, this.settings.allowedCidrs);
    if (input.eventTypes !== undefined) change.eventTypes = [...new Set(input.eventTypes)];
    if (input.maxTlp !== undefined) change.maxTlp = input.maxTlp;
    if (input.description !== undefined) change.description = input.description.trim() || null;
    if (input.enabled !== undefined) {
      change.enabled = input.enabled;
      change.disabledReason = input.enabled ? null : 'admin';
    }
    const now = new Date();
    const updated = await this.endpoints.update(principal.orgId, id, () => change, now);
    if (!updated) throw notFound('webhook endpoint');
    await this.audit.record(principal, {
      action: 'webhook.endpoint.update',
      target: { type: 'webhook-endpoint', id },
      details: { fields: Object.keys(change).join(','), ...(change.url ? { url: change.url } : {}) },
    });
    return webhookEndpointView(updated, now);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireScope(principal, 'webhooks:manage');
    const removed = await this.endpoints.remove(principal.orgId, id);
    if (!removed) throw notFound('webhook endpoint');
    await this.audit.record(principal, {
      action: 'webhook.endpoint.delete',
      target: { type: 'webhook-endpoint', id },
      details: { url: removed.url },
    });
  }

  /**
   * A new secret, shown in this answer only; the previous one keeps signing beside it for
   * WEBHOOK_SECRET_OVERLAP_SECONDS (both signatures in `webhook-signature`), then stops.
   */
  async rotate(principal: Principal, id: string): Promise<WebhookEndpointView & { secret: string }> {
    requireScope(principal, 'webhooks:manage');
    const secret = newWebhookSecret();
    const now = new Date();
    const updated = await this.endpoints.update(
      principal.orgId,
      id,
      (current) => ({ secrets: rotateSecrets(current.secrets, secret, now, this.settings.secretOverlapMs) }),
      now,
    );
    if (!updated) throw notFound('webhook endpoint');
    const view = webhookEndpointView(updated, now);
    await this.audit.record(principal, {
      action: 'webhook.endpoint.rotate-secret',
      target: { type: 'webhook-endpoint', id },
      details: { previousSecretExpiresAt: view.previousSecretExpiresAt ?? 'now' },
    });
    return { ...view, secret };
  }
}

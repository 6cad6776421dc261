import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, taxiiClientSettings, type AppConfig } from '@corridor/config';
import { DomainError, EMPTY_TAXII_CURSOR, notFound, type Principal } from '@corridor/domain';
import {
  CommunitiesRepository,
  TaxiiFeedsRepository,
  type TaxiiFeed,
  type TaxiiFeedAuth,
  type TaxiiFeedChange,
} from '@corridor/persistence';
import { TaxiiPullProducer } from '@corridor/queue';
import { AuditService } from '../../audit/audit.service';
import { requireScope } from '../../disclosure/access';
import { checkWebhookTarget } from '../../webhooks/usecases/webhook-target';
import type { CreateTaxiiFeedDto, TaxiiFeedAuthDto, TaxiiFeedDto, UpdateTaxiiFeedDto } from '../dto/taxii-feeds.dto';

const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

/** A feed as the API shows it: the credentials' kind only. */
export function taxiiFeedView(feed: TaxiiFeed): TaxiiFeedDto {
  return {
    id: feed.id,
    name: feed.name,
    apiRoot: feed.apiRoot,
    collectionId: feed.collectionId,
    authKind: feed.auth.kind,
    communityId: feed.communityId,
    defaultTlp: feed.defaultTlp,
    pollIntervalSeconds: feed.pollIntervalSeconds,
    enabled: feed.enabled,
    cursor: feed.cursor,
    lastRun: feed.lastRun
      ? {
          ...feed.lastRun,
          startedAt: feed.lastRun.startedAt.toISOString?.() ?? feed.lastRun.startedAt,
          finishedAt: feed.lastRun.finishedAt.toISOString?.() ?? feed.lastRun.finishedAt,
        }
      : null,
    createdAt: feed.createdAt.toISOString(),
    updatedAt: feed.updatedAt.toISOString(),
  };
}

/**
 * An organization's TAXII feeds (`feeds:manage`, org-admins): partners' TAXII 2.1 collections the
 * worker pulls into the organization's incidents, each on a BullMQ Job Scheduler while enabled.
 * Credentials are stored for the worker and never returned. Every change is audited.
 */
@Injectable()
export class TaxiiFeeds {
  private readonly settings: ReturnType<typeof taxiiClientSettings>;

  constructor(
    private readonly feeds: TaxiiFeedsRepository,
    private readonly communities: CommunitiesRepository,
    private readonly pulls: TaxiiPullProducer,
    private readonly audit: AuditService,
    @Inject(CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = taxiiClientSettings(config);
  }

  async create(principal: Principal, input: CreateTaxiiFeedDto): Promise<TaxiiFeedDto> {
    requireScope(principal, 'feeds:manage');
    const now = new Date();
    const feed: TaxiiFeed = {
      id: `taxii-feed-${randomUUID()}`,
      orgId: principal.orgId,
      name: input.name.trim(),
      apiRoot: await this.apiRoot(input.apiRoot),
      collectionId: input.collectionId,
      auth: authOf(input.auth),
      communityId: await this.community(principal, input.communityId ?? null),
      defaultTlp: input.defaultTlp ?? 'AMBER+STRICT',
      pollIntervalSeconds: input.pollIntervalSeconds ?? 3600,
      enabled: input.enabled ?? true,
      cursor: { ...EMPTY_TAXII_CURSOR },
      lastRun: null,
      createdBy: principal.id,
      createdAt: now,
      updatedAt: now,
    };
    await this.feeds.insert(feed);
    if (feed.enabled) await this.pulls.schedule(feed.id, feed.pollIntervalSeconds);
    await this.audit.record(principal, {
      action: 'taxii-feed.create',
      target: { type: 'taxii-feed', id: feed.id },
      details: { apiRoot: feed.apiRoot, collectionId: feed.collectionId, defaultTlp: feed.defaultTlp },
    });
    return taxiiFeedView(feed);
  }

  async list(principal: Principal): Promise<TaxiiFeedDto[]> {
    requireScope(principal, 'feeds:manage');
    return (await this.feeds.list(principal.orgId)).map(taxiiFeedView);
  }

  async get(principal: Principal, id: string): Promise<TaxiiFeedDto> {
    requireScope(principal, 'feeds:manage');
    return taxiiFeedView(await this.owned(principal, id));
  }

  async update(principal: Principal, id: string, input: UpdateTaxiiFeedDto): Promise<TaxiiFeedDto> {
    requireScope(principal, 'feeds:manage');
    const current = await this.owned(principal, id);
    const change: TaxiiFeedChange = {};
    if (input.name !== undefined) change.name = input.name.trim();
    if (input.apiRoot !== undefined) change.apiRoot = await this.apiRoot(input.apiRoot);
    if (input.collectionId !== undefined) change.collectionId = input.collectionId;
    if (input.auth !== undefined) change.auth = authOf(input.auth);
    if (input.communityId !== undefined) change.communityId = await this.community(principal, input.communityId);
    if (input.defaultTlp !== undefined) change.defaultTlp = input.defaultTlp;
    if (input.pollIntervalSeconds !== undefined) change.pollIntervalSeconds = input.pollIntervalSeconds;
    if (input.enabled !== undefined) change.enabled = input.enabled;
    if (Object.keys(change).length === 0) throw invalid('body', 'give at least one field to change');
    // Another server or collection: its cursor means nothing there.
    if (
      (change.apiRoot !== undefined && change.apiRoot !== current.apiRoot) ||
      (change.collectionId !== undefined && change.collectionId !== current.collectionId)
    )
      change.cursor = { ...EMPTY_TAXII_CURSOR };
    const updated = await this.feeds.update(principal.orgId, id, change);
    if (!updated) throw notFound('TAXII feed');
    if (updated.enabled) await this.pulls.schedule(updated.id, updated.pollIntervalSeconds);
    else await this.pulls.unschedule(updated.id);
    await this.audit.record(principal, {
      action: 'taxii-feed.update',
      target: { type: 'taxii-feed', id },
      details: { fields: Object.keys(change).join(',') },
    });
    return taxiiFeedView(updated);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireScope(principal, 'feeds:manage');
    await this.owned(principal, id);
    await this.pulls.unschedule(id);
    if (!(await this.feeds.remove(principal.orgId, id))) throw notFound('TAXII feed');
    await this.audit.record(principal, { action: 'taxii-feed.delete', target: { type: 'taxii-feed', id } });
  }

  /** One pull now; 409 for a disabled feed. */
  async pullNow(principal: Principal, id: string): Promise<{ queued: true }> {
    requireScope(principal, 'feeds:manage');
    const feed = await this.owned(principal, id);
    if (!feed.enabled) throw new DomainError('conflict', 'the feed is disabled; enable it first');
    await this.pulls.pullNow(feed.id);
    return { queued: true };
  }

  /** 404 for another organization's feed, as for a missing one. */
  private async owned(principal: Principal, id: string): Promise<TaxiiFeed> {
    const feed = id.length <= 100 ? await this.feeds.find(principal.orgId, id) : undefined;
    if (!feed) throw notFound('TAXII feed');
    return feed;
  }

  /** The API root as stored: checked as webhook URLs are (syntax, then where the host resolves), ending in `/`. */
  private async apiRoot(raw: string): Promise<string> {
    let url: string;
    try {
      url = await checkWebhookTarget(raw, this.settings.allowedCidrs);
    } catch (error) {
      if (error instanceof DomainError) {
        const fields = (error.details as { fields?: Array<{ message: string }> } | undefined)?.fields ?? [];
        throw invalid(
          'apiRoot',
          (fields[0]?.message ?? error.message)
            .replace(/^webhooks reach/, 'feeds reach')
            .replace(/WEBHOOK_ALLOWED_CIDRS/g, 'TAXII_ALLOWED_CIDRS'),
        );
      }
      throw error;
    }
    const parsed = new URL(url);
    if (parsed.search || parsed.hash) throw invalid('apiRoot', 'must hold no query or fragment');
    return url.endsWith('/') ? url : `${url}/`;
  }

  private async community(principal: Principal, id: string | null): Promise<string | null> {
    if (id === null) return null;
    const own = (await this.communities.all()).some(
      (community) => community.id === id && community.members.some((member) => member.orgId === principal.orgId),
    );
    if (!own) throw invalid('communityId', 'must be one of your organization’s communities');
    return id;
  }
}

function authOf(input: TaxiiFeedAuthDto): TaxiiFeedAuth {
  switch (input.kind) {
    case 'basic':
      if (!input.username) throw invalid('auth.username', 'is required for HTTP Basic');
      if (!input.password) throw invalid('auth.password', 'is required for HTTP Basic');
      return { kind: 'basic', username: input.username, password: input.password };
    case 'bearer':
      if (!input.token) throw invalid('auth.token', 'is required for a bearer token');
      return { kind: 'bearer', token: input.token };
    case 'none':
      return { kind: 'none' };
  }
}

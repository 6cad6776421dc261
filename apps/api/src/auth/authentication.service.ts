import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, type AppConfig } from '@corridor/config';
import { DomainError, apiKeyId, apiKeyMatches, type Principal } from '@corridor/domain';
import { OrganizationsRepository, REDIS_CLIENT } from '@corridor/persistence';
import { RATE_LIMITS, rateLimited, type RateLimits } from './rate-limits';
import { TokenService } from './token.service';

const unauthorized = (message: string) => new DomainError('unauthorized', message);

/** Turns a presented credential (API key or access token) into a principal, or refuses it. */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly tokens: TokenService,
    @Inject(RATE_LIMITS) private readonly limits: RateLimits,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw unauthorized('credentials are required (Authorization: Bearer <API key or access token>)');
    if (this.tokens.looksLikeAccessToken(token)) return this.tokens.verifyAccess(token);
    return this.authenticateKey(token);
  }

  private async authenticateKey(token: string): Promise<Principal> {
    const id = apiKeyId(token);
    if (!id) throw unauthorized('the API key is not valid');
    const stored = await this.organizations.findApiKey(id);
    const expired = stored?.expiresAt ? stored.expiresAt <= new Date() : false;
    if (!stored || stored.revokedAt || expired || !apiKeyMatches(token, stored.hash)) {
      throw unauthorized('the API key is not valid');
    }
    await this.limits.perKey
      .consume(id)
      .catch((error: unknown) => rateLimited(error, 'this API key sent too many requests'));
    this.recordUse(id);
    return {
      kind: 'key',
      id,
      orgId: stored.orgId,
      roles: [],
      scopes: stored.scopes,
      ...(stored.expiresAt ? { keyExpiresAt: stored.expiresAt } : {}),
    };
  }

  /** Per-key request count and last use, in Redis (a store write per request would scan on FerretDB). */
  private recordUse(id: string): void {
    const key = `${this.config.REDIS_PREFIX}:key-usage:${id}`;
    this.redis
      .multi()
      .hincrby(key, 'requests', 1)
      .hset(key, 'lastUsedAt', new Date().toISOString())
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error, keyId: id }, 'could not record key usage'));
  }

  async usageOf(ids: readonly string[]): Promise<Map<string, { requests: number; lastUsedAt: string | null }>> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(`${this.config.REDIS_PREFIX}:key-usage:${id}`);
    const replies = (await pipeline.exec()) ?? [];
    return new Map(
      ids.map((id, i) => {
        const [error, values] = replies[i] ?? [null, {}];
        if (error) throw error;
        const usage = values as Record<string, string>;
        return [id, { requests: Number(usage.requests ?? 0), lastUsedAt: usage.lastUsedAt ?? null }];
      }),
    );
  }
}

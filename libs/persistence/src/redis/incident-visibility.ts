import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError, isDisclosure, type Disclosure, type Shareable } from '@corridor/domain';
import { IncidentsRepository } from '../mongo/incidents.repository';
import { PERSISTENCE_OPTIONS, REDIS_CLIENT, type PersistenceOptions } from '../tokens';

/** What the visibility rule (and the disclosure of a match) needs of an incident, kept in Redis for the live paths. */
export type IncidentSharing = Shareable & { id: string; disclosure?: Disclosure | null };

/** Store reads allowed per principal and second when an incident is missing from the cache. */
const MISS_READS_PER_SECOND = 2;
/** Store reads in flight at once for cache misses, per process. */
const MISS_CONCURRENCY = 2;

/**
 * Who may see each incident (owner, TLP, author, recipients), in one Redis hash, so that socket room
 * joins and live replays check visibility without a store query (on FerretDB every query scans).
 * Written when an incident is created and whenever its TLP or recipients change. An incident missing
 * from the hash (older data, a flushed Redis) is read from the store and remembered, at most
 * `MISS_READS_PER_SECOND` per principal and `MISS_CONCURRENCY` at a time per process, so that a
 * socket guessing ids cannot make the store scan for everyone else.
 */
@Injectable()
export class IncidentVisibility {
  private readonly key: string;
  private readonly misses = new RateLimiterMemory({ points: MISS_READS_PER_SECOND, duration: 1 });
  private inFlight = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions,
    private readonly incidents: IncidentsRepository,
  ) {
    this.key = `${options.redisPrefix}:visibility`;
  }

  async remember(incident: IncidentSharing): Promise<void> {
    await this.redis.hset(this.key, incident.id, encode(incident));
  }

  /** Forgets an incident that no longer exists (retracted), so joins and replays find it gone. */
  async forget(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  /** Cached entries only (no store read): ids missing from the cache are absent from the map. */
  async cached(ids: readonly string[]): Promise<Map<string, IncidentSharing>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const values = await this.redis.hmget(this.key, ...unique);
    const found = new Map<string, IncidentSharing>();
    values.forEach((value, i) => {
      const decoded = value ? decode(unique[i], value) : undefined;
      if (decoded) found.set(unique[i], decoded);
    });
    return found;
  }

  /**
   * The sharing of several incidents for the server's own checks (replays, re-checks after a change):
   * the cache, and one store read for those missing from it (remembered). Incidents that do not exist
   * are absent from the map.
   */
  async many(ids: readonly string[]): Promise<Map<string, IncidentSharing>> {
    const found = await this.cached(ids);
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    if (missing.length === 0) return found;
    for (const [id, incident] of await this.incidents.findByIds(missing)) {
      found.set(id, incident);
      await this.remember(incident).catch(() => undefined);
    }
    return found;
  }

  /**
   * The incident's sharing, from the cache or else the store (bounded as above). Undefined when it
   * does not exist. Throws `rate_limited` when `principalId` exceeded its store reads.
   */
  async resolve(id: string, principalId: string): Promise<IncidentSharing | undefined> {
    const hit = (await this.cached([id])).get(id);
    if (hit) return hit;
    try {
      await this.misses.consume(principalId);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw new DomainError('rate_limited', 'too many lookups; retry later');
      throw error;
    }
    if (this.inFlight >= MISS_CONCURRENCY) throw new DomainError('rate_limited', 'too many lookups; retry later');
    this.inFlight++;
    try {
      const incident = await this.incidents.findById(id);
      if (!incident) return undefined;
      await this.remember(incident);
      return incident;
    } finally {
      this.inFlight--;
    }
  }
}

function encode(incident: IncidentSharing): string {
  return JSON.stringify([
    incident.orgId,
    incident.tlp,
    incident.authorId,
    incident.recipientOrgIds,
    incident.recipientUserIds,
    incident.disclosure ?? null,
  ]);
}

function decode(id: string, value: string): IncidentSharing | undefined {
  try {
    const [orgId, tlp, authorId, recipientOrgIds, recipientUserIds, disclosure] = JSON.parse(value) as [
      string,
      Shareable['tlp'],
      string,
      string[],
      string[],
      unknown,
    ];
    return {
      id,
      orgId,
      tlp,
      authorId,
      recipientOrgIds,
      recipientUserIds,
      disclosure: isDisclosure(disclosure) ? disclosure : null,
    };
  } catch {
    return undefined;
  }
}

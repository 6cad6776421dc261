import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { CONFIG, LOGGER, taxiiClientSettings, type AppConfig } from '@corridor/config';
import {
  DomainError,
  TAXII_MEDIA_TYPE,
  advanceTaxiiCursor,
  importStixBundle,
  retryAfterMs,
  taxiiObjectsQuery,
  taxiiStall,
  unseenObjects,
  type ImportResult,
  type Principal,
  type SharingContext,
  type TaxiiCursor,
  type TaxiiPageHead,
} from '@corridor/domain';
import { ImportUpsert, IncidentIntake, type ImportWriter } from '@corridor/intake';
import {
  IncidentsRepository,
  PERSISTENCE_OPTIONS,
  REDIS_CLIENT,
  SharingDirectory,
  TaxiiFeedsRepository,
  type PersistenceOptions,
  type TaxiiFeed,
  type TaxiiFeedRun,
} from '@corridor/persistence';
import type { JobContext } from '@corridor/queue';

const MAX_ERRORS = 20;
const MAX_BODY_BYTES = 50 * 1024 * 1024;

type Tally = Pick<TaxiiFeedRun, 'pages' | 'objects' | 'fresh' | 'created' | 'updated' | 'unchanged' | 'retracted'> & {
  errors: string[];
};

/** A page as the server answered it. */
interface Page {
  head: TaxiiPageHead;
  objects: unknown[];
}

/**
 * One pull of a partner's TAXII 2.1 collection (`taxii-pull`): Get Objects pages from the feed's
 * cursor (`next` when held, else `added_after`, never both), each page's new objects (by id and
 * version) imported as the api imports a STIX bundle, and the cursor saved in MongoDB after each
 * page, so a killed worker resumes where it stood. Across runs, the importer's version check (one
 * version per organization and source id) makes a repeat `unchanged`. A 429 holds the queue for its
 * Retry-After; a 5xx, a timeout or a network error is thrown for the job's retries (backoff).
 */
@Injectable()
export class TaxiiPullService {
  private readonly settings: ReturnType<typeof taxiiClientSettings>;
  private readonly lockPrefix: string;

  constructor(
    private readonly feeds: TaxiiFeedsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly intake: IncidentIntake,
    private readonly upsert: ImportUpsert,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PERSISTENCE_OPTIONS) options: PersistenceOptions,
    @Inject(CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = taxiiClientSettings(config);
    this.lockPrefix = `${options.redisPrefix}:taxii-lock:`;
  }

  async pull(feedId: string, context: JobContext): Promise<void> {
    const feed = await this.feeds.findById(feedId);
    if (!feed || !feed.enabled) {
      this.logger.info({ feedId, jobId: context.jobId }, 'TAXII feed gone or disabled; nothing pulled');
      return;
    }
    // One run per feed at a time (the schedule and a pull asked for now may meet); held a little
    // longer than one request may last, renewed after each page, so a killed run frees it soon.
    const lockKey = `${this.lockPrefix}${feedId}`;
    const holdMs = this.settings.timeoutMs * 2 + 5000;
    const token = randomUUID();
    if ((await this.redis.set(lockKey, token, 'PX', holdMs, 'NX')) !== 'OK') {
      this.logger.info({ feedId, jobId: context.jobId }, 'TAXII feed already being pulled');
      return;
    }
    const startedAt = new Date();
    const tally: Tally = {
      pages: 0,
      objects: 0,
      fresh: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      retracted: 0,
      errors: [],
    };
    let stopped = 'page-limit';
    try {
      stopped = await this.run(feed, tally, context, async () => {
        await this.redis.pexpire(lockKey, holdMs);
      });
    } catch (error) {
      // BullMQ's rate-limit error: the 429's Retry-After holds the queue; the job runs again after it.
      stopped = (error as Error).message === 'bullmq:rateLimitExceeded' ? 'rate-limited' : 'error';
      if (stopped === 'error') tally.errors.push(String((error as Error).message ?? error).slice(0, 300));
      throw error;
    } finally {
      await this.feeds
        .saveRun(feedId, {
          startedAt,
          finishedAt: new Date(),
          ...tally,
          errors: tally.errors.slice(-MAX_ERRORS),
          stopped,
        })
        .catch((error: unknown) => this.logger.warn({ feedId, err: error }, 'could not record the TAXII run'));
      const held = await this.redis.get(lockKey).catch(() => null);
      if (held === token) await this.redis.del(lockKey).catch(() => undefined);
      this.logger.info({ feedId, orgId: feed.orgId, jobId: context.jobId, stopped, ...tally }, 'TAXII pull done');
    }
  }

  /**
   * Pages until caught up, stalled or at the page limit; returns why it stopped. New objects are
   * gathered and imported together as one bundle (see `batchEnds`), and at the end: one incident's
   * objects spread over several pages must meet (its indicators after it, its report last), so pages
   * are not imported one by one. The cursor is saved only after its objects are
   * imported: a run that dies is pulled again from there, and what it had imported comes back
   * `unchanged`. An incident split across two batches keeps only the objects of its first.
   */
  private async run(feed: TaxiiFeed, tally: Tally, context: JobContext, renew: () => Promise<void>): Promise<string> {
    const principal: Principal = {
      kind: 'key',
      id: feed.id,
      orgId: feed.orgId,
      scopes: ['incidents:write'],
      roles: [],
    };
    const sharing = await this.sharing.context();
    const seen = new Set<string>();
    let cursor: TaxiiCursor = feed.cursor;
    let pending: unknown[] = [];
    /** Imports what is held and saves the cursor after it; false when the feed was deleted meanwhile. */
    const flush = async (): Promise<boolean> => {
      await this.importObjects(feed, principal, sharing, pending, tally);
      pending = [];
      return this.feeds.saveCursor(feed.id, cursor);
    };
    const finish = async (why: string): Promise<string> => ((await flush()) ? why : 'feed-deleted');
    for (let page = 0; page < this.settings.maxPagesPerRun; page++) {
      const sent = cursor;
      const answer = await this.fetchPage(feed, sent, context);
      if (answer === 'expired-next') {
        // A `next` the server no longer knows: resume by date (objects already held come back `unchanged`).
        tally.errors.push('the server refused the stored next; resuming from added_after');
        cursor = { next: null, addedAfter: sent.addedAfter };
        continue;
      }
      tally.pages++;
      tally.objects += answer.objects.length;
      const fresh = unseenObjects(answer.objects, seen);
      const stall = taxiiStall(sent, answer.head, fresh.length);
      if (stall !== null) return finish(stall);
      tally.fresh += fresh.length;
      pending.push(...fresh);
      cursor = advanceTaxiiCursor(sent, answer.head);
      await renew();
      if (!answer.head.more) return finish('caught-up');
      if (cursor.next === null && answer.head.dateAddedLast === null) return finish('no-cursor');
      if (batchEnds(pending, answer.objects, this.settings.importBatch) && !(await flush())) return 'feed-deleted';
    }
    return finish('page-limit');
  }

  private async fetchPage(feed: TaxiiFeed, cursor: TaxiiCursor, context: JobContext): Promise<Page | 'expired-next'> {
    const query = new URLSearchParams(taxiiObjectsQuery(cursor, this.settings.pageLimit));
    const url = `${feed.apiRoot}collections/${encodeURIComponent(feed.collectionId)}/objects/?${query.toString()}`;
    const headers: Record<string, string> = { accept: TAXII_MEDIA_TYPE };
    if (feed.auth.kind === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${feed.auth.username}:${feed.auth.password}`).toString('base64')}`;
    else if (feed.auth.kind === 'bearer') headers.authorization = `Bearer ${feed.auth.token}`;
    // A timeout or a network error throws: the job is retried with backoff.
    const response = await fetch(url, {
      headers,
      redirect: 'error',
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (response.status === 429) {
      await response.body?.cancel();
      const wait = retryAfterMs(response.headers.get('retry-after'), new Date()) ?? 60_000;
      this.logger.info({ feedId: feed.id, jobId: context.jobId, waitMs: wait }, 'TAXII server asks to wait');
      return context.rateLimited(Math.min(wait, 3_600_000));
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new Error(`TAXII server answered ${response.status}`);
    }
    if ((response.status === 400 || response.status === 404) && cursor.next !== null) {
      await response.body?.cancel();
      return 'expired-next';
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new UnrecoverableError(`TAXII server answered ${response.status} for ${url}`);
    }
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES) throw new UnrecoverableError('TAXII answer too large');
    let body: { objects?: unknown; more?: unknown; next?: unknown };
    try {
      body = text.trim() === '' ? {} : (JSON.parse(text) as typeof body);
    } catch {
      throw new Error('TAXII answer is not JSON');
    }
    const objects = Array.isArray(body.objects) ? (body.objects as unknown[]) : [];
    return {
      objects,
      head: {
        count: objects.length,
        more: body.more === true,
        next: typeof body.next === 'string' && body.next !== '' ? body.next : null,
        dateAddedLast: response.headers.get('x-taxii-date-added-last'),
      },
    };
  }

  /**
   * Imports a batch of new objects as one STIX bundle. Invalid objects are dropped and named in the
   * run's errors (one bad object must not stall the feed); objects tied to no incident, report or
   * grouping make no incident (the importer would make the batch itself one), and are counted.
   */
  private async importObjects(
    feed: TaxiiFeed,
    principal: Principal,
    sharing: SharingContext,
    objects: unknown[],
    tally: Tally,
  ): Promise<void> {
    if (objects.length === 0) return;
    let result: ImportResult | undefined;
    let kept = objects;
    for (let attempt = 0; attempt < 2 && result === undefined; attempt++) {
      try {
        result = importStixBundle({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: kept });
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'validation_failed') throw error;
        const fields = (error.details?.fields ?? []) as Array<{ field: string; message: string }>;
        const bad = new Set<number>();
        for (const field of fields) {
          const index = /^objects\[(\d+)\]/.exec(field.field)?.[1];
          if (index !== undefined) bad.add(Number(index));
          tally.errors.push(`invalid object dropped: ${field.field} ${field.message}`.slice(0, 300));
        }
        if (bad.size === 0) return;
        kept = kept.filter((_, index) => !bad.has(index));
      }
    }
    if (result === undefined) return;
    const loose = result.incidents.filter((incident) => incident.externalRef.startsWith('bundle--'));
    if (loose.length > 0)
      tally.errors.push(`${kept.length} objects tied to no incident, report or grouping in their batch`);
    const rooted = {
      ...result,
      incidents: result.incidents.filter((incident) => !incident.externalRef.startsWith('bundle--')),
    };
    const report = await this.upsert.run(principal, rooted, feed.defaultTlp, this.writer(principal, sharing));
    for (const outcome of report.incidents) {
      if (outcome.outcome === 'created') tally.created++;
      else if (outcome.outcome === 'updated') tally.updated++;
      else if (outcome.outcome === 'retracted') tally.retracted++;
      else tally.unchanged++;
    }
  }

  /** Writes for the feed's organization, as the api's use cases do (without socket rooms: none here). */
  private writer(principal: Principal, sharing: SharingContext): ImportWriter {
    return {
      create: async (input) =>
        this.intake.submit(
          principal,
          { ...input, occurredAt: new Date(input.occurredAt), recipientOrgIds: [], recipientUserIds: [] },
          sharing,
        ),
      update: async (id, changes) => {
        const updated = await this.intake.changeMarkings(principal, id, changes, sharing);
        if (!updated) throw new Error(`incident ${id} vanished during the import`);
        return updated;
      },
      retract: async (id, reason) => {
        const incident = await this.incidents.findById(id);
        if (incident) await this.intake.retract(principal, incident, reason);
      },
    };
  }
}

/**
 * Whether the objects held make a batch to import now: at least `size` of them and the page ended
 * with a `report` (Corridor, and producers like it, write an incident's report after all its objects,
 * so nothing of it is still to come), or four times `size` whatever the page ended with.
 */
export function batchEnds(pending: readonly unknown[], page: readonly unknown[], size: number): boolean {
  if (pending.length >= 4 * size) return true;
  const last = page[page.length - 1] as { type?: unknown } | undefined;
  return pending.length >= size && last?.type === 'report';
}

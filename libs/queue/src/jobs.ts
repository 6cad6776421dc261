import { createHash } from 'node:crypto';

/**
 * Every kind of job Corridor runs: its name, the queue that carries it, its payload type, how its
 * deterministic id is derived and how an untrusted payload is checked. A new kind of job (enrichment,
 * escalation, imports) is one entry here and one `JobHandler`; producers and workers are shared.
 */
export interface JobPayloads {
  /** normalize → enrich → correlate of one incident. */
  'process-incident': { incidentId: string };
  /** Offline enrichment of one correlated incident, then its indicators handed to external providers. */
  'enrich-incident': { incidentId: string };
  /** One indicator (`key` = `type:value`, its canonical correlation key) of one incident, asked of one provider. */
  'enrich-indicator': { incidentId: string; provider: string; key: string };
  /** Looks newly watched values (up to `RETRO_HUNT_BATCH` entry ids) up among the incidents already indexed. */
  'watch-retro-hunt': { watchIds: string[] };
  /** Hands one stored mail message (`mailMessageId`) to the SMTP server. */
  'send-mail': { messageId: string };
}

export type JobName = keyof JobPayloads;

export interface JobDefinition<N extends JobName> {
  queue: string;
  /** When jobs of one kind go to several queues (one per enrichment provider, each with its own rate). */
  queueOf?(payload: JobPayloads[N]): string;
  /** Deterministic, so duplicates collapse (BullMQ refuses ':' and plain integers in custom ids). */
  jobId(payload: JobPayloads[N]): string;
  /** The payload as the handler may trust it, or a message naming what is wrong with it. */
  parse(data: unknown): { ok: true; payload: JobPayloads[N] } | { ok: false; message: string };
}

/** The queue that carries an incident through normalize → enrich → correlate. */
export const INCIDENT_QUEUE = 'incident-processing';

/** Job payloads carry ids, never documents. */
export type ProcessIncidentJob = JobPayloads['process-incident'];

/** One job id per incident, so duplicates collapse (BullMQ refuses ':' in custom ids). */
export function processJobId(incidentId: string): string {
  return `process-${incidentId}`;
}

/** The queue that carries watchlist work (looking new entries up among earlier incidents). */
export const WATCHLIST_QUEUE = 'watchlist';

/** Watch entries looked up by one retro-hunt job (one store read and one index script for all of them). */
export const RETRO_HUNT_BATCH = 500;

const WATCH_ID = /^wl-[0-9a-f]{1,64}$/;

/** One job per batch of entries (a digest of the ids: the same batch asked twice runs once at a time). */
export function retroHuntJobId(watchIds: readonly string[]): string {
  return `retro-${createHash('sha256').update(watchIds.join(',')).digest('hex').slice(0, 32)}`;
}

/**
 * The retro-hunt jobs for entries just added, `RETRO_HUNT_BATCH` ids each, with their BullMQ priority
 * (1 runs first): the number of batches of the request they come from, so a single value or a small
 * import is looked up before the rest of a large import queued earlier — one organization's large file
 * does not hold up the others' lookups.
 */
export function retroHuntJobs(
  watchIds: readonly string[],
): Array<{ payload: { watchIds: string[] }; priority: number }> {
  const batches = Math.ceil(watchIds.length / RETRO_HUNT_BATCH);
  return Array.from({ length: batches }, (_, i) => ({
    payload: { watchIds: watchIds.slice(i * RETRO_HUNT_BATCH, (i + 1) * RETRO_HUNT_BATCH) },
    priority: batches,
  }));
}

const idField = (data: unknown, field: string): string | undefined => {
  const value: unknown =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
};

/** The queue that carries incidents' offline enrichment and hands indicators to providers. */
export const ENRICHMENT_QUEUE = 'incident-enrichment';

/** Each external provider has its own queue, so its worker's limiter enforces its rate alone. */
export function providerQueue(provider: string): string {
  return `enrichment-${provider}`;
}

/** The queue that carries e-mail to the SMTP server. */
export const MAIL_QUEUE = 'mail';

const MAIL_MESSAGE_ID = /^mail-[0-9a-f]{32}$/;

/** The most an indicator key may hold: the longest indicator (2048) and its type. */
const MAX_KEY = 2100;

export const JOBS: { [N in JobName]: JobDefinition<N> } = {
  'process-incident': {
    queue: INCIDENT_QUEUE,
    jobId: (payload) => processJobId(payload.incidentId),
    parse: (data) => {
      const incidentId = idField(data, 'incidentId');
      return incidentId
        ? { ok: true, payload: { incidentId } }
        : { ok: false, message: 'job payload has no valid incidentId' };
    },
  },
  'enrich-incident': {
    queue: ENRICHMENT_QUEUE,
    jobId: (payload) => `enrich-${payload.incidentId}`,
    parse: (data) => {
      const incidentId = idField(data, 'incidentId');
      return incidentId
        ? { ok: true, payload: { incidentId } }
        : { ok: false, message: 'job payload has no valid incidentId' };
    },
  },
  'enrich-indicator': {
    // Never used as such: every job goes to its provider's queue (`queueOf`).
    queue: providerQueue('any'),
    queueOf: (payload) => providerQueue(payload.provider),
    // The key can be long and hold ':': a digest of it keeps the id short and acceptable to BullMQ.
    jobId: (payload) =>
      `enrich-${payload.provider}-${payload.incidentId}-${createHash('sha256').update(payload.key).digest('hex').slice(0, 32)}`,
    parse: (data) => {
      const incidentId = idField(data, 'incidentId');
      const provider = idField(data, 'provider');
      const key: unknown = typeof data === 'object' && data !== null ? (data as { key?: unknown }).key : undefined;
      if (!incidentId) return { ok: false, message: 'job payload has no valid incidentId' };
      if (!provider || !/^[a-z0-9-]+$/.test(provider))
        return { ok: false, message: 'job payload has no valid provider' };
      if (typeof key !== 'string' || !/^[a-z0-9]+:./.test(key) || key.length > MAX_KEY)
        return { ok: false, message: 'job payload has no valid key' };
      return { ok: true, payload: { incidentId, provider, key } };
    },
  },
  'watch-retro-hunt': {
    queue: WATCHLIST_QUEUE,
    jobId: (payload) => retroHuntJobId(payload.watchIds),
    parse: (data) => {
      const ids: unknown =
        typeof data === 'object' && data !== null ? (data as { watchIds?: unknown }).watchIds : undefined;
      const valid =
        Array.isArray(ids) &&
        ids.length > 0 &&
        ids.length <= RETRO_HUNT_BATCH &&
        ids.every((id) => typeof id === 'string' && WATCH_ID.test(id));
      return valid
        ? { ok: true, payload: { watchIds: ids as string[] } }
        : { ok: false, message: 'job payload has no valid watchIds' };
    },
  },
  'send-mail': {
    queue: MAIL_QUEUE,
    // The message id is already deterministic and acceptable to BullMQ.
    jobId: (payload) => payload.messageId,
    parse: (data) => {
      const messageId = idField(data, 'messageId');
      return messageId && MAIL_MESSAGE_ID.test(messageId)
        ? { ok: true, payload: { messageId } }
        : { ok: false, message: 'job payload has no valid messageId' };
    },
  },
};

export interface QueueOptions {
  redisUrl: string;
  /** Key prefix of every queue key, so deployments and test suites can share a Redis. */
  redisPrefix: string;
  attempts: number;
  backoffMs: number;
  enqueueTimeoutMs: number;
}

export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}:bull`;
}

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
  /** Step `step` of an alert's escalation policy (delayed until the step is due). */
  'escalate-alert': { alertId: string; step: number };
  /** Evaluate the rules on a contact request just made (the owner organization's `contact-request` trigger). */
  'contact-alerts': { contactId: string };
  /** Tell an alert's channels (e-mail, webhooks) of a change made outside the worker (acknowledged, resolved). */
  'notify-alert': { alertId: string; change: 'acknowledged' | 'resolved' };
  /**
   * Attempt `attempt` (from 1) of round `round` (0, +1 per replay) of one webhook delivery. Each
   * attempt is its own (possibly delayed) job, so a `Retry-After` or the backoff sets its delay.
   */
  'webhook-deliver': { deliveryId: string; round: number; attempt: number };
  /** Hands one stored mail message (`mailMessageId`) to the SMTP server. */
  'send-mail': { messageId: string };
  /**
   * A reminder of one milestone of an incident's regulatory deadlines (delayed until it is due):
   * `near` before the due time `dueMs` (epoch ms), `missed` at it. Does nothing once the stored due
   * time differs (awareness or profile changed) or the milestone is completed.
   */
  'deadline-reminder': { incidentId: string; milestone: string; when: 'near' | 'missed'; dueMs: number };
  /** Withdraws what one retraction retracts and tells everyone who was told of it. */
  retract: { retractionId: string };
  /** One pull of a partner's TAXII collection into the feed's organization (scheduled or asked for). */
  'taxii-pull': { feedId: string };
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

/** The queue that carries alerts' escalation steps. */
export const ALERTING_QUEUE = 'alerting';

/** The queue that carries contact requests to the rules. */
export const CONTACT_ALERTS_QUEUE = 'contact-alerts';

/** The queue that carries alert changes to e-mail and webhooks. */
export const ALERT_NOTIFY_QUEUE = 'alert-notify';

/** The highest escalation step a job may name (levels × repeats stay far below it). */
export const MAX_ESCALATION_STEP = 1000;

const ALERT_ID = /^al-[0-9a-f]{32}$/;

/** Each external provider has its own queue, so its worker's limiter enforces its rate alone. */
export function providerQueue(provider: string): string {
  return `enrichment-${provider}`;
}

/** The queue that carries e-mail to the SMTP server. */
export const MAIL_QUEUE = 'mail';

const MAIL_MESSAGE_ID = /^mail-[0-9a-f]{32}$/;

/** The most an indicator key may hold: the longest indicator (2048) and its type. */
const MAX_KEY = 2100;

/** The queue that carries webhook delivery attempts. */
export const WEBHOOK_QUEUE = 'webhooks';

const DELIVERY_ID = /^msg_[0-9a-f]{32}$/;

const counter = (data: unknown, field: string, min: number): number | undefined => {
  const value: unknown =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 1_000_000 ? value : undefined;
};

/** The queue that carries regulatory deadline reminders. */
export const DEADLINES_QUEUE = 'deadlines';

const MILESTONE_KEY = /^[a-z][a-z0-9-]{0,39}$/;
/** Due times a reminder may name: from 1970 to the year 2286 (13 digits). */
const MAX_DUE_MS = 9_999_999_999_999;

/** One job per incident, milestone, kind of reminder and due time: a new due time is a new job. */
export function deadlineReminderJobId(payload: JobPayloads['deadline-reminder']): string {
  return `deadline-${payload.incidentId}-${payload.milestone}-${payload.when}-${payload.dueMs}`;
}

/** The queue that carries retractions. */
export const RETRACTION_QUEUE = 'retractions';

const RETRACTION_ID = /^retraction-[0-9a-f]{32}$/;

/** The queue that carries pulls of partners' TAXII collections. */
export const TAXII_PULL_QUEUE = 'taxii-pull';

const TAXII_FEED_ID = /^taxii-feed-[0-9a-f-]{36}$/;

/**
 * The id of a feed's Job Scheduler. BullMQ reads a scheduler id holding ':' as a legacy repeat key
 * (`name:id:endDate:tz:pattern`) when listing schedulers, so '-' it is, as for job ids.
 */
export function taxiiSchedulerId(feedId: string): string {
  return `taxii-pull-${feedId}`;
}

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
  'escalate-alert': {
    queue: ALERTING_QUEUE,
    // One job per alert and step: a step enqueued twice (the sweeper, a retry) runs once.
    jobId: (payload) => `esc-${payload.alertId}-${payload.step}`,
    parse: (data) => {
      const alertId = idField(data, 'alertId');
      const step: unknown = typeof data === 'object' && data !== null ? (data as { step?: unknown }).step : undefined;
      if (!alertId || !ALERT_ID.test(alertId)) return { ok: false, message: 'job payload has no valid alertId' };
      if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_ESCALATION_STEP)
        return { ok: false, message: 'job payload has no valid step' };
      return { ok: true, payload: { alertId, step } };
    },
  },
  'contact-alerts': {
    queue: CONTACT_ALERTS_QUEUE,
    jobId: (payload) => `contact-alerts-${payload.contactId}`,
    parse: (data) => {
      const contactId = idField(data, 'contactId');
      return contactId && /^contact-[0-9a-f]{40}$/.test(contactId)
        ? { ok: true, payload: { contactId } }
        : { ok: false, message: 'job payload has no valid contactId' };
    },
  },
  'notify-alert': {
    // A queue of its own: one queue carries one kind of job (a worker takes whatever its queue holds).
    queue: ALERT_NOTIFY_QUEUE,
    jobId: (payload) => `notify-${payload.alertId}-${payload.change}`,
    parse: (data) => {
      const alertId = idField(data, 'alertId');
      const change = idField(data, 'change');
      if (!alertId || !ALERT_ID.test(alertId)) return { ok: false, message: 'job payload has no valid alertId' };
      if (change !== 'acknowledged' && change !== 'resolved')
        return { ok: false, message: 'job payload has no valid change' };
      return { ok: true, payload: { alertId, change } };
    },
  },
  'webhook-deliver': {
    queue: WEBHOOK_QUEUE,
    // One id per delivery, round and attempt: a duplicate enqueue (the sweeper, a retried caller) collapses.
    jobId: (payload) => `webhook-${payload.deliveryId}-${payload.round}-${payload.attempt}`,
    parse: (data) => {
      const deliveryId = idField(data, 'deliveryId');
      const round = counter(data, 'round', 0);
      const attempt = counter(data, 'attempt', 1);
      if (!deliveryId || !DELIVERY_ID.test(deliveryId))
        return { ok: false, message: 'job payload has no valid deliveryId' };
      if (round === undefined) return { ok: false, message: 'job payload has no valid round' };
      if (attempt === undefined) return { ok: false, message: 'job payload has no valid attempt' };
      return { ok: true, payload: { deliveryId, round, attempt } };
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
  'deadline-reminder': {
    queue: DEADLINES_QUEUE,
    jobId: deadlineReminderJobId,
    parse: (data) => {
      const incidentId = idField(data, 'incidentId');
      const milestone = idField(data, 'milestone');
      const when = idField(data, 'when');
      const dueMs: unknown =
        typeof data === 'object' && data !== null ? (data as { dueMs?: unknown }).dueMs : undefined;
      if (!incidentId || !/^[0-9a-f-]{36}$/.test(incidentId))
        return { ok: false, message: 'job payload has no valid incidentId' };
      if (!milestone || !MILESTONE_KEY.test(milestone))
        return { ok: false, message: 'job payload has no valid milestone' };
      if (when !== 'near' && when !== 'missed') return { ok: false, message: 'job payload has no valid when' };
      if (typeof dueMs !== 'number' || !Number.isInteger(dueMs) || dueMs < 0 || dueMs > MAX_DUE_MS)
        return { ok: false, message: 'job payload has no valid dueMs' };
      return { ok: true, payload: { incidentId, milestone, when, dueMs } };
    },
  },
  'taxii-pull': {
    queue: TAXII_PULL_QUEUE,
    // A pull asked for now: one per feed at a time (the scheduler's own jobs get ids of BullMQ's).
    jobId: (payload) => `taxii-now-${payload.feedId}`,
    parse: (data) => {
      const feedId = idField(data, 'feedId');
      return feedId && TAXII_FEED_ID.test(feedId)
        ? { ok: true, payload: { feedId } }
        : { ok: false, message: 'job payload has no valid feedId' };
    },
  },
  retract: {
    queue: RETRACTION_QUEUE,
    // The retraction id is deterministic and acceptable to BullMQ: retracting twice runs once.
    jobId: (payload) => payload.retractionId,
    parse: (data) => {
      const retractionId = idField(data, 'retractionId');
      return retractionId && RETRACTION_ID.test(retractionId)
        ? { ok: true, payload: { retractionId } }
        : { ok: false, message: 'job payload has no valid retractionId' };
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

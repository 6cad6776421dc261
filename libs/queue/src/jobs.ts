/**
 * Every kind of job Corridor runs: its name, the queue that carries it, its payload type, how its
 * deterministic id is derived and how an untrusted payload is checked. A new kind of job (enrichment,
 * escalation, imports) is one entry here and one `JobHandler`; producers and workers are shared.
 */
export interface JobPayloads {
  /** normalize → enrich → correlate of one incident. */
  'process-incident': { incidentId: string };
  /** Looks a newly watched value up among the incidents already indexed (watchlists). */
  'watch-retro-hunt': { watchId: string };
}

export type JobName = keyof JobPayloads;

export interface JobDefinition<N extends JobName> {
  queue: string;
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

/** One job per watch entry (ids are `wl-<hex>`), so an entry added twice is looked up once at a time. */
export function retroHuntJobId(watchId: string): string {
  return `retro-${watchId}`;
}

const idField = (data: unknown, field: string): string | undefined => {
  const value: unknown =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 100 ? value : undefined;
};

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
  'watch-retro-hunt': {
    queue: WATCHLIST_QUEUE,
    jobId: (payload) => retroHuntJobId(payload.watchId),
    parse: (data) => {
      const watchId = idField(data, 'watchId');
      return watchId ? { ok: true, payload: { watchId } } : { ok: false, message: 'job payload has no valid watchId' };
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

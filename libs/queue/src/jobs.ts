/** The queue that carries an incident through normalize → enrich → correlate. */
export const INCIDENT_QUEUE = 'incident-processing';

/** Job payloads carry ids, never documents. */
export interface ProcessIncidentJob {
  incidentId: string;
}

/** One job id per incident, so duplicates collapse (BullMQ refuses ':' in custom ids). */
export function processJobId(incidentId: string): string {
  return `process-${incidentId}`;
}

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

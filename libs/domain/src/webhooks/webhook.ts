import { createHash } from 'node:crypto';
import { channelView, type Notification, type NotificationType } from '../notifications/notification';
import type { Tlp } from '../visibility/tlp';

/**
 * Webhooks after Standard Webhooks 1.0 (https://www.standardwebhooks.com, spec/standard-webhooks.md):
 * an organization's endpoints, each delivery of a notification to one of them and its attempts.
 */

/** A signing secret: `whsec_` and the base64 of the key bytes (the spec's format). */
export interface WebhookSecret {
  value: string;
  createdAt: Date;
  /** Null while it is the current secret; after a rotation, the end of its overlap. */
  expiresAt: Date | null;
}

export interface WebhookEndpoint {
  id: string;
  orgId: string;
  url: string;
  eventTypes: NotificationType[];
  /** The highest TLP whose content it may carry (never RED); content above it is withheld. */
  maxTlp: Tlp;
  description: string | null;
  enabled: boolean;
  /** Why it was disabled: `gone` after a 410 answer, `admin` by an org-admin; null when enabled. */
  disabledReason: 'gone' | 'admin' | null;
  secrets: WebhookSecret[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint as the API shows it: never its secrets, only until when an old one still signs. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  eventTypes: NotificationType[];
  maxTlp: Tlp;
  description: string | null;
  enabled: boolean;
  disabledReason: 'gone' | 'admin' | null;
  /** While a rotated-out secret still signs (ISO time), else null. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const WEBHOOK_DELIVERY_STATES = ['pending', 'succeeded', 'failed', 'dead'] as const;
/**
 * `pending`: an attempt is due; `succeeded`: a 2xx answer; `failed`: stopped without exhausting the
 * attempts (the endpoint answered 410, or was disabled or deleted); `dead`: every attempt failed.
 */
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** One HTTP attempt of a delivery. */
export interface WebhookAttempt {
  /** 0 for the first sending, +1 per replay. */
  round: number;
  /** From 1 within its round. */
  attempt: number;
  at: Date;
  /** The answer's status; null when none came (refused address, timeout, connection error). */
  status: number | null;
  durationMs: number;
  error: string | null;
  /** When another attempt follows: how long after this one (ms); else null. */
  retryInMs: number | null;
}

/** One notification to one endpoint; `id` is the Standard Webhooks `webhook-id`, the same on every attempt and replay. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  orgId: string;
  notificationId: string;
  type: NotificationType;
  tlp: Tlp;
  /** The exact JSON body sent on every attempt. */
  body: string;
  state: WebhookDeliveryState;
  round: number;
  /** Attempts made in the current round. */
  attemptCount: number;
  attempts: WebhookAttempt[];
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The most characters of an endpoint URL. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Checks the syntax of an endpoint URL: absolute http:// or https://, a host, no user-info (a
 * credential would be stored and logged), at most `MAX_WEBHOOK_URL_LENGTH` characters. Where the
 * host points is checked separately (`classifyWebhookAddress`), after resolution.
 */
export function checkWebhookUrl(
  raw: string,
): { ok: true; url: string; hostname: string } | { ok: false; message: string } {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH)
    return { ok: false, message: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'must be an absolute http:// or https:// URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, message: 'must be an http:// or https:// URL' };
  if (url.username || url.password) return { ok: false, message: 'must not carry a user name or password' };
  if (!url.hostname) return { ok: false, message: 'must name a host' };
  // WHATWG URL keeps IPv6 literals in brackets; resolvers and classifiers want them bare.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { ok: true, url: url.toString(), hostname };
}

/** The stable id of the delivery of one notification to one endpoint: `msg_` and 32 hex digits. */
export function webhookDeliveryId(endpointId: string, notificationId: string): string {
  return `msg_${createHash('sha256').update(`${endpointId}\n${notificationId}`).digest('hex').slice(0, 32)}`;
}

/**
 * The body sent to an endpoint, in the Standard Webhooks payload shape `{type, timestamp, data}`:
 * `data` is `channelView(notification, endpoint.maxTlp)`, so content travels only up to the
 * endpoint's highest TLP and never for RED.
 */
export function webhookBody(notification: Notification, maxTlp: Tlp): string {
  return JSON.stringify({
    type: notification.type,
    timestamp: notification.occurredAt,
    data: channelView(notification, maxTlp),
  });
}

/** A new delivery, pending its first attempt. */
export function newWebhookDelivery(
  endpoint: Pick<WebhookEndpoint, 'id' | 'orgId' | 'maxTlp'>,
  notification: Notification,
  now: Date,
): WebhookDelivery {
  return {
    id: webhookDeliveryId(endpoint.id, notification.id),
    endpointId: endpoint.id,
    orgId: endpoint.orgId,
    notificationId: notification.id,
    type: notification.type,
    tlp: notification.tlp,
    body: webhookBody(notification, endpoint.maxTlp),
    state: 'pending',
    round: 0,
    attemptCount: 0,
    attempts: [],
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** The secrets that sign at `now`: the current one and any rotated-out one still in its overlap. */
export function signingSecrets(secrets: readonly WebhookSecret[], now: Date): string[] {
  return secrets
    .filter((secret) => secret.expiresAt === null || secret.expiresAt.getTime() > now.getTime())
    .map((secret) => secret.value);
}

/**
 * The secrets after a rotation at `now`: the new one current, the previous current one signing for
 * `overlapMs` more, older ones dropped once expired.
 */
export function rotateSecrets(
  secrets: readonly WebhookSecret[],
  fresh: string,
  now: Date,
  overlapMs: number,
): WebhookSecret[] {
  const ends = new Date(now.getTime() + overlapMs);
  const kept = secrets
    .map((secret) => (secret.expiresAt === null ? { ...secret, expiresAt: ends } : secret))
    .filter((secret) => (secret.expiresAt as Date).getTime() > now.getTime());
  return [{ value: fresh, createdAt: now, expiresAt: null }, ...kept];
}

export function webhookEndpointView(endpoint: WebhookEndpoint, now: Date): WebhookEndpointView {
  const previous = endpoint.secrets
    .filter((secret) => secret.expiresAt !== null && secret.expiresAt.getTime() > now.getTime())
    .map((secret) => (secret.expiresAt as Date).getTime());
  return {
    id: endpoint.id,
    url: endpoint.url,
    eventTypes: [...endpoint.eventTypes],
    maxTlp: endpoint.maxTlp,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    previousSecretExpiresAt: previous.length > 0 ? new Date(Math.max(...previous)).toISOString() : null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** How retries are spaced (`WEBHOOK_BACKOFF_MS`, `WEBHOOK_BACKOFF_MAX_MS`, `WEBHOOK_MAX_ATTEMPTS`). */
export interface WebhookRetrySettings {
  baseMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/**
 * The delay before attempt `failed + 1`, after `failed` failed attempts (from 1): exponential
 * (`baseMs · 2^(failed−1)`, at most `maxDelayMs`) with "equal jitter" — half of it fixed, the other
 * half uniformly random (`random()` in [0, 1)), so receivers coming back from an outage are not hit
 * by every sender at once. With the defaults (30 s, 1 h cap): about 30 s, 1 min, 2, 4, 8, 16, 32 min.
 */
export function webhookBackoffMs(failed: number, settings: WebhookRetrySettings, random: () => number): number {
  const full = Math.min(settings.maxDelayMs, settings.baseMs * 2 ** Math.max(0, failed - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/** The longest `Retry-After` honoured: a longer one is shortened to this (a day). */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date. Returns
 * milliseconds from `now` (a date in the past gives 0, a delay above `MAX_RETRY_AFTER_MS` is cut to
 * it), or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(MAX_RETRY_AFTER_MS, Number(value) * 1000);
  if (!/^[A-Za-z]{3},/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now.getTime()));
}

/** What follows an attempt. */
export type WebhookNextStep =
  { kind: 'succeeded' } | { kind: 'disable' } | { kind: 'retry'; delayMs: number } | { kind: 'dead' };

/**
 * What follows attempt `attempt` (from 1) that got `status` (null: no answer): a 2xx succeeds; a 410
 * Gone disables the endpoint and stops; anything else (3xx, which is never followed, 4xx, 5xx, no
 * answer) is retried after `retryAfterMs` when the answer said so, else after `webhookBackoffMs`,
 * until `maxAttempts` attempts failed: then the delivery is dead-lettered.
 */
export function webhookNextStep(
  status: number | null,
  attempt: number,
  retryAfterMs: number | undefined,
  settings: WebhookRetrySettings,
  random: () => number,
): WebhookNextStep {
  if (status !== null && status >= 200 && status < 300) return { kind: 'succeeded' };
  if (status === 410) return { kind: 'disable' };
  if (attempt >= settings.maxAttempts) return { kind: 'dead' };
  return { kind: 'retry', delayMs: retryAfterMs ?? webhookBackoffMs(attempt, settings, random) };
}

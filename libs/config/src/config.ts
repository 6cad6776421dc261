import { z } from 'zod';
import {
  INDICATOR_TYPES,
  parseAllowedCidrs,
  PAP_LEVELS,
  parseJsonMapping,
  type IndicatorType,
  type JsonMapping,
  type Pap,
  type ProviderDescriptor,
} from '@corridor/domain';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Comma-separated CIDRs (see `parseAllowedCidrs`), empty by default; a bad entry fails start-up. */
const cidrList = z
  .string()
  .default('')
  .superRefine((raw, ctx) => {
    try {
      parseAllowedCidrs(raw);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `has a bad entry: ${(error as Error).message}` });
    }
  });

/**
 * An external enrichment provider's variables: `<P>_URL` (absent: the provider is off; `{value}` and
 * `{type}` are replaced by the indicator, URL-encoded), `<P>_MAX_PAP`, `<P>_TYPES` (comma-separated
 * indicator types), `<P>_TTL_SECONDS` (cache), `<P>_RATE_MAX` requests per `<P>_RATE_DURATION_MS`,
 * `<P>_TIMEOUT_MS` (one request).
 */
const providerUrl = z
  .string()
  .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
  .refine((url) => url.includes('{value}'), 'must contain {value}')
  .optional();

const indicatorTypes = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx): IndicatorType[] => {
      const types = raw.split(',').map((type) => type.trim());
      const bad = types.filter((type) => !(INDICATOR_TYPES as readonly string[]).includes(type));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `has unknown indicator types: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return types as IndicatorType[];
    });

/** A provider's highest PAP: never RED, which by PAP 2.0 does not leave the platform. */
const pap = (fallback: Pap) =>
  z
    .enum(PAP_LEVELS.filter((level) => level !== 'RED') as [Pap, ...Pap[]], {
      error: 'must be CLEAR, GREEN or AMBER (PAP:RED never leaves the platform)',
    })
    .default(fallback);

/** An address, bare or with a display name: `a@b.example`, `Corridor <a@b.example>` (no line breaks). */
const MAIL_FROM = /^(?:[^\r\n<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

/** Every environment variable Corridor reads, with its default. Nothing else reads process.env. */
const schema = z
  .object({
    PORT: int(3000, 0).refine((v) => v <= 65535, 'must be a TCP port'),
    HOST: z.string().min(1).default('0.0.0.0'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('corridor'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BODY_LIMIT_BYTES: int(1_048_576, 1024),
    WORKER_CONCURRENCY: int(4, 1),
    JOB_ATTEMPTS: int(5, 1),
    JOB_BACKOFF_MS: int(1000, 1),
    SWEEP_INTERVAL_MS: int(30_000, 100),
    SWEEP_PENDING_AFTER_MS: int(60_000, 0),
    ENQUEUE_TIMEOUT_MS: int(2000, 1),
    /** A regulatory deadline is "due soon" (listed so, and reminded of) this many hours before it; fractions allowed. */
    DEADLINE_SOON_HOURS: z.coerce.number().positive().max(8760).default(6),
    STORE_TIMEOUT_MS: int(5000, 100),
    /** A value carried by more incidents than this is "hot": indexed and counted, no longer correlated or alerted. */
    CORRELATION_HOT_THRESHOLD: int(500, 1),
    /** Signs access tokens; the api refuses to start without one (at least 32 characters). */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Signs TAXII `next` cursors (HMAC-SHA256), so any api instance accepts them, also after a restart.
     * Set one per deployment: the default is for development only.
     */
    TAXII_CURSOR_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .default('corridor-development-taxii-cursor-secret'),
    ACCESS_TOKEN_TTL_SECONDS: int(900, 30),
    REFRESH_TOKEN_TTL_SECONDS: int(30 * 24 * 3600, 60),
    /** Comma-separated origins allowed to call the api from a browser; empty allows none. */
    CORS_ORIGINS: z.string().default(''),
    KEY_RATE_LIMIT_PER_MINUTE: int(600, 1),
    LOGIN_MAX_FAILURES: int(5, 1),
    LOGIN_LOCKOUT_SECONDS: int(900, 1),
    /** Live events are kept this long per reader for resume after a reconnect or a reload. */
    EVENT_REPLAY_WINDOW_SECONDS: int(86_400, 1),
    /** ...and at most this many per reader stream. */
    EVENT_REPLAY_MAX_EVENTS: int(10_000, 1),
    /** Client events (joins, acknowledgements…) one socket may send per second. */
    SOCKET_EVENTS_PER_SECOND: int(20, 1),
    /** Client events all sockets of one principal may send per second, across api instances. */
    PRINCIPAL_SOCKET_EVENTS_PER_SECOND: int(50, 1),
    /** Incidents one socket may be subscribed to at once. */
    SOCKET_MAX_JOINED_INCIDENTS: int(500, 1),
    /** A reputation service (see README, Enrichment): off unless its URL is set. */
    ENRICH_REPUTATION_URL: providerUrl,
    ENRICH_REPUTATION_MAX_PAP: pap('AMBER'),
    ENRICH_REPUTATION_TYPES: indicatorTypes('ipv4,ipv6,domain,url'),
    ENRICH_REPUTATION_TTL_SECONDS: int(86_400, 1),
    ENRICH_REPUTATION_RATE_MAX: int(60, 1),
    ENRICH_REPUTATION_RATE_DURATION_MS: int(60_000, 1),
    ENRICH_REPUTATION_TIMEOUT_MS: int(5000, 1),
    /** The reputation service's API key, sent in ENRICH_REPUTATION_API_KEY_HEADER. */
    ENRICH_REPUTATION_API_KEY: z.string().min(1).optional(),
    ENRICH_REPUTATION_API_KEY_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .default('x-api-key'),
    /** A generic HTTP JSON provider: off unless its URL is set, then its mapping is required. */
    ENRICH_HTTP_JSON_URL: providerUrl,
    ENRICH_HTTP_JSON_MAX_PAP: pap('GREEN'),
    ENRICH_HTTP_JSON_TYPES: indicatorTypes('ipv4,ipv6,domain,url'),
    ENRICH_HTTP_JSON_TTL_SECONDS: int(86_400, 1),
    ENRICH_HTTP_JSON_RATE_MAX: int(60, 1),
    ENRICH_HTTP_JSON_RATE_DURATION_MS: int(60_000, 1),
    ENRICH_HTTP_JSON_TIMEOUT_MS: int(5000, 1),
    /** The generic provider's response mapping: a JSON object of output field → dotted path. */
    ENRICH_HTTP_JSON_MAPPING: z
      .string()
      .optional()
      .transform((raw, ctx): JsonMapping | undefined => {
        if (raw === undefined) return undefined;
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
        const parsed = parseJsonMapping(json);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.message });
          return z.NEVER;
        }
        return parsed.mapping;
      }),
    /** Consecutive failures that open a provider's circuit breaker, and how long it stays open. */
    ENRICH_BREAKER_FAILURES: int(5, 1),
    ENRICH_BREAKER_COOLDOWN_MS: int(60_000, 100),
    /** Requests in flight per provider and worker. */
    ENRICH_CONCURRENCY: int(2, 1),
    /** The most of a provider's answer read, in bytes: a longer one counts as a failure. */
    ENRICH_MAX_ANSWER_BYTES: int(1_048_576, 1024),
    /**
     * Comma-separated CIDRs webhooks may reach although not global unicast (a partner's hook inside a
     * private network); empty by default. Metadata addresses stay refused.
     */
    WEBHOOK_ALLOWED_CIDRS: cidrList,
    /**
     * Comma-separated CIDRs a TAXII feed's server may be at although not global unicast (a partner's
     * server inside a private network); empty by default. Checked when a feed is registered or changed.
     */
    TAXII_ALLOWED_CIDRS: cidrList,
    /** Objects asked for per TAXII Get Objects request (`limit`). */
    TAXII_PAGE_LIMIT: int(100, 1),
    /** Pages one pull of a feed reads at most; the next run goes on from the stored cursor. */
    TAXII_MAX_PAGES_PER_RUN: int(100, 1),
    /**
     * Objects a pull gathers before importing them together as one bundle (and saving the cursor): a
     * partner's incident spread over pages must meet its indicators, so pages are not imported one by one.
     */
    TAXII_IMPORT_BATCH: int(2000, 1),
    /** One TAXII request, connection to last byte. */
    TAXII_TIMEOUT_MS: int(30_000, 100),
    /** One webhook request, connection to last byte. */
    WEBHOOK_TIMEOUT_MS: int(10_000, 100),
    /** Attempts of one delivery (the first included) before it is dead-lettered. */
    WEBHOOK_MAX_ATTEMPTS: int(8, 1),
    /** Delay after the first failed attempt, doubling after each next one (with jitter)… */
    WEBHOOK_BACKOFF_MS: int(30_000, 1),
    /** …up to this. */
    WEBHOOK_BACKOFF_MAX_MS: int(3_600_000, 1),
    /** After a rotation, how long the previous secret still signs beside the new one. */
    WEBHOOK_SECRET_OVERLAP_SECONDS: int(86_400, 0),
    /** Webhook requests in flight per worker. */
    WEBHOOK_CONCURRENCY: int(4, 1),
    /** The SMTP server mail goes through (`smtp://` or `smtps://`, credentials in the URL); absent: e-mail is off. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL')
      .refine((url) => URL.canParse(url), 'must be an smtp:// or smtps:// URL')
      .optional(),
    /** The sender of every mail: `alerts@cert.example` or `Corridor <alerts@cert.example>`. */
    MAIL_FROM: z
      .string()
      .regex(MAIL_FROM, 'must be an address (name@domain), optionally as "Name <name@domain>"')
      .optional(),
    /** Attempts at handing one mail to the SMTP server before it is marked failed. */
    MAIL_MAX_ATTEMPTS: int(8, 1),
    /** The wait before the first retry; each next one doubles it (exponential backoff). */
    MAIL_BACKOFF_MS: int(10_000, 1),
    /** The dashboard's public address, for links in mails (absent: mails carry no links). */
    MAIL_LINK_BASE_URL: z
      .string()
      .regex(/^https?:\/\/[^\s"'<>]+$/, 'must be an http:// or https:// URL')
      .optional(),
  })
  .refine((env) => env.SMTP_URL === undefined || env.MAIL_FROM !== undefined, {
    message: 'is required when SMTP_URL is set',
    path: ['MAIL_FROM'],
  })
  .refine((env) => env.ENRICH_HTTP_JSON_URL === undefined || env.ENRICH_HTTP_JSON_MAPPING !== undefined, {
    message: 'is required when ENRICH_HTTP_JSON_URL is set',
    path: ['ENRICH_HTTP_JSON_MAPPING'],
  })
  .refine((env) => env.ENRICH_REPUTATION_URL === undefined || env.ENRICH_REPUTATION_API_KEY !== undefined, {
    message: 'is required when ENRICH_REPUTATION_URL is set',
    path: ['ENRICH_REPUTATION_API_KEY'],
  });

export type AppConfig = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; the error message is one line naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return env[name] === undefined ? `${name} is required` : `${name} ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

export const CONFIG = Symbol('CONFIG');

/** The api signs tokens: it must have a secret (the worker and the CLI do not need one). */
export function requireJwtSecret(config: AppConfig): string {
  if (!config.JWT_SECRET)
    throw new ConfigError('invalid configuration: JWT_SECRET is required (at least 32 characters)');
  return config.JWT_SECRET;
}

export function corsOrigins(config: AppConfig): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** Settings of the store connections, in the shape the persistence library takes. */
export function persistenceOptions(config: AppConfig) {
  return {
    mongoUri: config.MONGODB_URI,
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    storeTimeoutMs: config.STORE_TIMEOUT_MS,
    correlationHotThreshold: config.CORRELATION_HOT_THRESHOLD,
  };
}

/** Settings of the live event log, in the shape the realtime library takes. */
export function eventLogOptions(config: AppConfig) {
  return {
    redisPrefix: config.REDIS_PREFIX,
    windowMs: config.EVENT_REPLAY_WINDOW_SECONDS * 1000,
    maxEvents: config.EVENT_REPLAY_MAX_EVENTS,
  };
}

/** Settings of the job queue, in the shape the queue library takes. */
export function queueOptions(config: AppConfig) {
  return {
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    attempts: config.JOB_ATTEMPTS,
    backoffMs: config.JOB_BACKOFF_MS,
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  };
}

/** Settings of TAXII feeds (the client that pulls partners' collections), as the api and the worker use them. */
export function taxiiClientSettings(config: AppConfig) {
  return {
    allowedCidrs: parseAllowedCidrs(config.TAXII_ALLOWED_CIDRS),
    pageLimit: config.TAXII_PAGE_LIMIT,
    maxPagesPerRun: config.TAXII_MAX_PAGES_PER_RUN,
    importBatch: config.TAXII_IMPORT_BATCH,
    timeoutMs: config.TAXII_TIMEOUT_MS,
  };
}

/** Settings of webhook delivery, as the api and the worker use them. */
export function webhookSettings(config: AppConfig) {
  return {
    allowedCidrs: parseAllowedCidrs(config.WEBHOOK_ALLOWED_CIDRS),
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retry: {
      baseMs: config.WEBHOOK_BACKOFF_MS,
      maxDelayMs: config.WEBHOOK_BACKOFF_MAX_MS,
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    },
    secretOverlapMs: config.WEBHOOK_SECRET_OVERLAP_SECONDS * 1000,
    concurrency: config.WEBHOOK_CONCURRENCY,
  };
}

/** How one external enrichment provider is reached, besides its descriptor. */
export interface ExternalProviderConfig {
  descriptor: ProviderDescriptor;
  /** With `{value}` and `{type}` to replace (URL-encoded). */
  urlTemplate: string;
  headers: Record<string, string>;
  /** `reputation`: the answer's `score` and `verdict`; `http-json`: the configured mapping. */
  mapping: JsonMapping;
  /** The most of an answer read, in bytes (`ENRICH_MAX_ANSWER_BYTES`); a longer one is a failure. */
  maxAnswerBytes: number;
}

/** The documented answer of a reputation service: `{score, verdict}` (see README). */
export const REPUTATION_MAPPING: JsonMapping = { score: ['score'], verdict: ['verdict'] };

/** The external enrichment providers configured (none by default). */
export function enrichmentProviders(config: AppConfig): ExternalProviderConfig[] {
  const providers: ExternalProviderConfig[] = [];
  if (config.ENRICH_REPUTATION_URL && config.ENRICH_REPUTATION_API_KEY)
    providers.push({
      descriptor: {
        name: 'reputation',
        types: config.ENRICH_REPUTATION_TYPES,
        maxPap: config.ENRICH_REPUTATION_MAX_PAP,
        cacheTtlSeconds: config.ENRICH_REPUTATION_TTL_SECONDS,
        rateLimit: { max: config.ENRICH_REPUTATION_RATE_MAX, durationMs: config.ENRICH_REPUTATION_RATE_DURATION_MS },
        timeoutMs: config.ENRICH_REPUTATION_TIMEOUT_MS,
      },
      urlTemplate: config.ENRICH_REPUTATION_URL,
      maxAnswerBytes: config.ENRICH_MAX_ANSWER_BYTES,
      headers: { [config.ENRICH_REPUTATION_API_KEY_HEADER]: config.ENRICH_REPUTATION_API_KEY },
      mapping: REPUTATION_MAPPING,
    });
  if (config.ENRICH_HTTP_JSON_URL && config.ENRICH_HTTP_JSON_MAPPING)
    providers.push({
      descriptor: {
        name: 'http-json',
        types: config.ENRICH_HTTP_JSON_TYPES,
        maxPap: config.ENRICH_HTTP_JSON_MAX_PAP,
        cacheTtlSeconds: config.ENRICH_HTTP_JSON_TTL_SECONDS,
        rateLimit: { max: config.ENRICH_HTTP_JSON_RATE_MAX, durationMs: config.ENRICH_HTTP_JSON_RATE_DURATION_MS },
        timeoutMs: config.ENRICH_HTTP_JSON_TIMEOUT_MS,
      },
      urlTemplate: config.ENRICH_HTTP_JSON_URL,
      maxAnswerBytes: config.ENRICH_MAX_ANSWER_BYTES,
      headers: {},
      mapping: config.ENRICH_HTTP_JSON_MAPPING,
    });
  return providers;
}

/** How mail is sent, or undefined when e-mail is off (no `SMTP_URL`). */
export interface MailOptions {
  smtpUrl: string;
  from: string;
  maxAttempts: number;
  backoffMs: number;
  linkBaseUrl?: string;
}

export function mailOptions(config: AppConfig): MailOptions | undefined {
  if (!config.SMTP_URL || !config.MAIL_FROM) return undefined;
  return {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    backoffMs: config.MAIL_BACKOFF_MS,
    ...(config.MAIL_LINK_BASE_URL ? { linkBaseUrl: config.MAIL_LINK_BASE_URL.replace(/\/+$/, '') } : {}),
  };
}

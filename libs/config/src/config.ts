import { z } from 'zod';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Every environment variable Corridor reads, with its default. Nothing else reads process.env. */
const schema = z.object({
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
  STORE_TIMEOUT_MS: int(5000, 100),
  /** A value carried by more incidents than this is "hot": indexed and counted, no longer correlated or alerted. */
  CORRELATION_HOT_THRESHOLD: int(500, 1),
  /** Signs access tokens; the api refuses to start without one (at least 32 characters). */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
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

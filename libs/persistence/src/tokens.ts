export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

export interface PersistenceOptions {
  mongoUri: string;
  redisUrl: string;
  /** Prefix of every Redis key this library writes, so deployments and test suites can share a Redis. */
  redisPrefix: string;
  storeTimeoutMs: number;
  /** A value carried by more incidents than this is "hot": indexed, but no longer correlated or alerted. */
  correlationHotThreshold: number;
}

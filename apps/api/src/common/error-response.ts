import type { ErrorCode, FieldError } from '@corridor/domain';

export interface ErrorBody {
  error: {
    code: ErrorCode | 'internal' | 'method_not_allowed';
    message: string;
    details?: { fields?: FieldError[]; allowed?: readonly string[] };
  };
}

export const STATUS_OF: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

const STORE_DOWN = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MaxRetriesPerRequestError',
]);

const NETWORK_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH']);

/** Errors that mean a store (MongoDB or Redis) cannot be reached right now. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (STORE_DOWN.has(error.name) || STORE_DOWN.has(error.constructor.name)) return true;
  // A connection dropped mid-write can surface as a bare socket error rather than a driver error.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /ECONNREFUSED|Connection is closed|Command timed out|Stream isn't writeable|connection .* closed/i.test(
    error.message,
  );
}

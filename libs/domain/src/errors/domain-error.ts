/** Stable error codes; the api maps each to one HTTP status. */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'payload_too_large',
  'rate_limited',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: {
      fields?: FieldError[];
      omittedFields?: number;
      retryAfterSeconds?: number;
      allowed?: readonly string[];
    },
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);
export const unavailable = (what: string, retryAfterSeconds = 5): DomainError =>
  new DomainError('unavailable', `${what} is unavailable; retry later`, { retryAfterSeconds });

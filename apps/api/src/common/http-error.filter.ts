import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { DomainError, type ErrorCode } from '@corridor/domain';
import { STATUS_OF, isStoreUnavailable, type ErrorBody } from './error-response';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The one place that turns errors into HTTP: `{error: {code, message, details}}`, never a stack. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body, retryAfter] = this.describe(error);
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response.status(status).json(body);
  }

  private describe(error: unknown): [number, ErrorBody, number?] {
    if (error instanceof DomainError) {
      const details = error.details?.fields
        ? { fields: error.details.fields }
        : error.details?.allowed
          ? { allowed: error.details.allowed }
          : undefined;
      return [
        STATUS_OF[error.code],
        { error: { code: error.code, message: error.message, details } },
        error.details?.retryAfterSeconds,
      ];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const code = CODE_OF_STATUS[status];
      if (status === 404) return [404, { error: { code: 'not_found', message: 'no such route' } }];
      if (status === 405) return [405, { error: { code: 'method_not_allowed', message: 'method not allowed' } }];
      if (code) return [status, { error: { code, message: error.message } }];
    }
    if (isStoreUnavailable(error)) {
      this.logger.warn({ err: error }, 'store unavailable');
      return [503, { error: { code: 'unavailable', message: 'a backing store is unavailable; retry later' } }, 5];
    }
    this.logger.error({ err: error }, 'unexpected error');
    return [500, { error: { code: 'internal', message: 'internal error' } }];
  }
}

import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import { DomainError, TaxiiQueryError } from '@corridor/domain';
import { STATUS_OF, isStoreUnavailable } from '../common/error-response';
import { TaxiiHttpError, sendTaxii, type TaxiiErrorResource } from './taxii-http';

/** What a 401 announces (RFC 9110 §11.6.1): an API key as the Basic password, or as a Bearer token. */
export const TAXII_CHALLENGE = 'Basic realm="Corridor TAXII", charset="UTF-8", Bearer realm="Corridor TAXII"';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  406: 'Not acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** Every error of the TAXII endpoints as a TAXII error resource (TAXII 2.1 §3.6.1), never a stack. */
@Catch()
export class TaxiiErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body, headers] = this.describe(error);
    if (status === 401) headers['WWW-Authenticate'] = TAXII_CHALLENGE;
    sendTaxii(response, status, body, headers);
  }

  private describe(error: unknown): [number, TaxiiErrorResource, Record<string, string>] {
    const resource = (status: number, description?: string, details?: Record<string, unknown>): TaxiiErrorResource => ({
      title: TITLES[status] ?? 'Error',
      ...(description ? { description } : {}),
      http_status: String(status),
      ...(details ? { details } : {}),
    });
    if (error instanceof TaxiiHttpError)
      return [error.status, { ...resource(error.status, error.description), title: error.title }, { ...error.headers }];
    if (error instanceof TaxiiQueryError)
      return [400, resource(400, error.message, { parameter: error.parameter }), {}];
    if (error instanceof DomainError) {
      const status = STATUS_OF[error.code];
      const headers: Record<string, string> = {};
      if (error.details?.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(error.details.retryAfterSeconds);
      return [status, resource(status, error.message), headers];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return [status, resource(status, status === 404 ? 'no such resource' : error.message), {}];
    }
    if (isStoreUnavailable(error)) {
      this.logger.warn({ err: error }, 'store unavailable');
      return [503, resource(503, 'a backing store is unavailable; retry later'), { 'Retry-After': '5' }];
    }
    this.logger.error({ err: error }, 'unexpected error');
    return [500, { title: 'Internal error', http_status: '500' }, {}];
  }
}

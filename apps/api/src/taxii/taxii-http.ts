import type { Response } from 'express';
import { TAXII_MEDIA_TYPE } from '@corridor/domain';

/** An answer the TAXII endpoints give as a TAXII error resource (406, 413, 415, …). */
export class TaxiiHttpError extends Error {
  override name = 'TaxiiHttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? title);
  }
}

/** TAXII 2.1 §3.6.1 error resource. `http_status` is a string in the specification. */
export interface TaxiiErrorResource {
  title: string;
  description?: string;
  http_status: string;
  details?: Record<string, unknown>;
}

/**
 * Writes a TAXII response: exactly `application/taxii+json;version=2.1` (Express would append a
 * charset to the media type, which the specification does not name) and the JSON body, if any.
 */
export function sendTaxii(
  response: Response,
  status: number,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): void {
  response.status(status);
  response.setHeader('Content-Type', TAXII_MEDIA_TYPE);
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) response.setHeader(name, value);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
  response.setHeader('Content-Length', String(payload.length));
  response.end(payload);
}

import type { Request } from 'express';
import { TAXII_MEDIA_TYPE, isTaxiiContentType } from '@corridor/domain';
import { findRefused } from '../common/forbidden-keys';
import { TaxiiHttpError } from './taxii-http';

/**
 * The JSON body of a TAXII POST, read here rather than by the api's JSON parser so that its media
 * type (415) and size (413, `max_content_length` of the API root) answer as TAXII specifies, with
 * TAXII error resources. Refuses what the api refuses in every body (forbidden keys, absurd nesting).
 */
export async function readTaxiiBody(request: Request, maxContentLength: number): Promise<unknown> {
  if (!isTaxiiContentType(request.headers['content-type']))
    throw new TaxiiHttpError(415, 'Unsupported media type', `the request body must be ${TAXII_MEDIA_TYPE}`);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity')
    throw new TaxiiHttpError(415, 'Unsupported media type', 'the request body must not be content-encoded');
  const tooLarge = () =>
    new TaxiiHttpError(413, 'Content too large', `the request body is larger than ${maxContentLength} bytes`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxContentLength) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let exceeded = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxContentLength) exceeded = true;
    if (!exceeded) chunks.push(chunk);
  }
  if (exceeded) throw tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TaxiiHttpError(400, 'Bad request', 'the request body is not valid JSON');
  }
  const refusal = findRefused(body);
  if (refusal) throw new TaxiiHttpError(400, 'Bad request', `${refusal.path}: ${refusal.message}`);
  return body;
}

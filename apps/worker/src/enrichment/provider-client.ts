import type { ExternalProviderConfig } from '@corridor/config';
import { applyJsonMapping, retryAfterMs, type IndexedIndicator, type MappedValue } from '@corridor/domain';

/**
 * One request to an external provider, and what it means for the job:
 * - `ok`: its answer mapped (a 404 is an answer: the provider knows nothing of the value, every field null);
 * - `rate-limited`: 429, with the wait its Retry-After asks for, if it gave one;
 * - `failed`: 5xx, a timeout (beyond the provider's `timeoutMs`, the body included), a network error,
 *   an answer longer than `maxAnswerBytes` (not read further) or one that is not JSON — worth retrying,
 *   and counted by the circuit breaker;
 * - `refused`: any other 4xx (a bad key, a value it refuses) — retrying would not help.
 */
export type ProviderOutcome =
  | { kind: 'ok'; fields: Record<string, MappedValue> }
  | { kind: 'rate-limited'; retryAfterMs: number | undefined }
  | { kind: 'failed'; reason: string }
  | { kind: 'refused'; reason: string };

/** The provider's URL for an indicator: `{value}` and `{type}` replaced, URL-encoded. */
export function providerUrl(template: string, indicator: IndexedIndicator): string {
  return template
    .replaceAll('{value}', encodeURIComponent(indicator.value))
    .replaceAll('{type}', encodeURIComponent(indicator.type));
}

/** Thrown while reading an answer longer than the provider's limit. */
class AnswerTooLong extends Error {}

/** The body as text, read up to `limit` bytes: a longer one is abandoned (its connection cancelled). */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new AnswerTooLong(`answered more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function askProvider(
  provider: ExternalProviderConfig,
  indicator: IndexedIndicator,
): Promise<ProviderOutcome> {
  const { timeoutMs } = provider.descriptor;
  let response: Response;
  let body: string;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    response = await fetch(providerUrl(provider.urlTemplate, indicator), {
      headers: { accept: 'application/json', ...provider.headers },
      signal,
      redirect: 'error',
    });
    body = await readBounded(response, provider.maxAnswerBytes);
  } catch (error) {
    if (error instanceof AnswerTooLong) return { kind: 'failed', reason: error.message };
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError')
      return { kind: 'failed', reason: `no answer within ${timeoutMs} ms` };
    return { kind: 'failed', reason: `request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (response.status === 429)
    return { kind: 'rate-limited', retryAfterMs: retryAfterMs(response.headers.get('retry-after'), new Date()) };
  if (response.status >= 500) return { kind: 'failed', reason: `answered ${response.status}` };
  if (response.status === 404) return { kind: 'ok', fields: applyJsonMapping(undefined, provider.mapping) };
  if (response.status < 200 || response.status >= 300)
    return { kind: 'refused', reason: `answered ${response.status}` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'failed', reason: 'answered something that is not JSON' };
  }
  return { kind: 'ok', fields: applyJsonMapping(json, provider.mapping) };
}

import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyWebhookAddress, type AllowedCidr } from '@corridor/domain';

/** What resolves a host name to all its addresses (node's `dns.lookup` with `all: true` by default). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** Thrown (through the request) when a host resolves to an address webhooks may not reach. */
export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'EWEBHOOKADDRESS';
}

function refusal(hostname: string, address: string, reason: string): RefusedAddressError {
  const shown = hostname === address ? address : `${hostname} (${address})`;
  return new RefusedAddressError(`refused to connect to ${shown}: ${reason} address, not allowed for webhooks`);
}

/**
 * A `lookup` for http(s) requests that resolves the host, checks every address it resolves to with
 * `classifyWebhookAddress`, and fails the connection (`RefusedAddressError`) if any is refused — so
 * the address connected to is the one checked, on every attempt (no window for DNS rebinding between
 * a check and the connection). Answers in the form node asks for (`all` or one address).
 */
export function guardedLookup(allowed: readonly AllowedCidr[], resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family ?? 0, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      for (const { address } of addresses) {
        const verdict = classifyWebhookAddress(address, allowed);
        if (!verdict.allowed) return callback(refusal(hostname, address, verdict.reason), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Checks the host of a URL that is an IP literal (node connects to those without a lookup). */
export function literalRefusal(hostname: string, allowed: readonly AllowedCidr[]): RefusedAddressError | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 0) return undefined;
  const verdict = classifyWebhookAddress(bare, allowed);
  return verdict.allowed ? undefined : refusal(bare, bare, verdict.reason);
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The whole exchange, connection to the answer's end. */
  timeoutMs: number;
  allowed: readonly AllowedCidr[];
  resolve?: Resolver;
}

export interface WebhookAnswer {
  /** Null when no answer came (refused address, timeout, network error). */
  status: number | null;
  retryAfter?: string;
  error: string | null;
  durationMs: number;
}

/** The most of an answer's body read (it is discarded): a receiver cannot make the worker buffer more. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one webhook request. Redirects are never followed (a 3xx is an answer like any other, the
 * caller counts it as a failure); the address connected to is checked as `guardedLookup` says; the
 * answer's body is read up to 64 KiB and dropped. Never rejects: a failure is in `error`.
 */
export function sendWebhook(request: WebhookRequest): Promise<WebhookAnswer> {
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ status: null, error: 'the endpoint URL is invalid', durationMs: 0 });
  }
  const literal = literalRefusal(url.hostname, request.allowed);
  if (literal) return Promise.resolve({ status: null, error: literal.message, durationMs: elapsed() });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: guardedLookup(request.allowed, request.resolve),
      agent: false,
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    let settled = false;
    const finish = (answer: Omit<WebhookAnswer, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, durationMs: elapsed() });
    };
    req.on('error', (error) => finish({ status: null, error: error.message }));
    req.on('response', (response) => {
      const status = response.statusCode ?? null;
      const retryAfter = response.headers['retry-after'];
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) response.destroy();
      });
      const done = () =>
        finish({
          status,
          ...(retryAfter !== undefined ? { retryAfter } : {}),
          error: status !== null && status >= 200 && status < 300 ? null : `answered ${status ?? 'without a status'}`,
        });
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    req.end(request.body);
  });
}

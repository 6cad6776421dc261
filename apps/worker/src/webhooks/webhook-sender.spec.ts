import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowedCidrs } from '@corridor/domain';
import { guardedLookup, sendWebhook, type Resolver } from './webhook-sender';

const fixed =
  (addresses: Array<{ address: string; family: number }>): Resolver =>
  (_host, _options, callback) =>
    callback(null, addresses);

function lookupOnce(resolver: Resolver, all: boolean, allowed = parseAllowedCidrs('')) {
  return new Promise<{ error: Error | null; result: unknown }>((resolve) => {
    guardedLookup(allowed, resolver)('hooks.example', { all }, (error: Error | null, address: unknown) =>
      resolve({ error, result: address }),
    );
  });
}

describe('guardedLookup', () => {
  it('passes global addresses through, in the form node asks for', async () => {
    const resolver = fixed([
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
    expect(await lookupOnce(resolver, false)).toEqual({ error: null, result: '8.8.8.8' });
    expect((await lookupOnce(resolver, true)).result).toEqual([
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
  });

  it('refuses when any address the name resolves to is not allowed, naming it', async () => {
    const resolver = fixed([
      { address: '8.8.8.8', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ]);
    const { error } = await lookupOnce(resolver, true);
    expect(error?.message).toBe(
      'refused to connect to hooks.example (169.254.169.254): metadata address, not allowed for webhooks',
    );
    const loopback = await lookupOnce(fixed([{ address: '127.0.0.1', family: 4 }]), false);
    expect(loopback.error?.message).toContain('loopback address');
    const allowed = await lookupOnce(
      fixed([{ address: '127.0.0.1', family: 4 }]),
      false,
      parseAllowedCidrs('127.0.0.1/32'),
    );
    expect(allowed).toEqual({ error: null, result: '127.0.0.1' });
  });
});

describe('sendWebhook', () => {
  let server: http.Server;
  let port: number;
  let received = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => {
        if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
        else if (req.url === '/busy') res.writeHead(503, { 'retry-after': '7' }).end();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (path: string, allowedCidrs: string, host = '127.0.0.1', resolve?: Resolver) =>
    sendWebhook({
      url: `http://${host}:${port}${path}`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 5000,
      allowed: parseAllowedCidrs(allowedCidrs),
      ...(resolve ? { resolve } : {}),
    });

  it('refuses a loopback receiver by default, by literal or by name, and sends nothing', async () => {
    const before = received;
    const literal = await send('/ok', '');
    expect(literal).toMatchObject({ status: null, error: expect.stringContaining('loopback address') });
    const named = await send('/ok', '', 'receiver.test', fixed([{ address: '127.0.0.1', family: 4 }]));
    expect(named).toMatchObject({ status: null, error: expect.stringContaining('receiver.test (127.0.0.1)') });
    expect(received).toBe(before);
  });

  it('reaches an allowed receiver, does not follow a redirect and reports Retry-After', async () => {
    expect(await send('/ok', '127.0.0.1/32')).toMatchObject({ status: 200, error: null });
    const before = received;
    expect(await send('/redirect', '127.0.0.1/32')).toMatchObject({ status: 302, error: 'answered 302' });
    expect(received).toBe(before + 1);
    expect(await send('/busy', '127.0.0.1/32')).toMatchObject({ status: 503, retryAfter: '7' });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExternalProviderConfig } from '@corridor/config';
import { askProvider } from './provider-client';

/** A provider played by a local HTTP server: each test sets how it answers. */
describe('asking a provider', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  let base: string;

  beforeAll(async () => {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const provider = (maxAnswerBytes: number): ExternalProviderConfig => ({
    descriptor: {
      name: 'test',
      types: ['domain'],
      maxPap: 'GREEN',
      cacheTtlSeconds: 60,
      rateLimit: { max: 10, durationMs: 1000 },
      timeoutMs: 5000,
    },
    urlTemplate: `${base}/{type}/{value}`,
    headers: {},
    mapping: { verdict: ['verdict'] },
    maxAnswerBytes,
  });
  const indicator = { type: 'domain' as const, value: 'corridor-test.net' };

  it('maps an answer within the size limit', async () => {
    answer = (res) => res.end(JSON.stringify({ verdict: 'malicious' }));
    expect(await askProvider(provider(1024), indicator)).toEqual({ kind: 'ok', fields: { verdict: 'malicious' } });
  });

  it('stops reading an answer longer than the limit and counts it a failure', async () => {
    let written = 0;
    answer = (res) => {
      // An endless answer: only the reader's cancel stops it.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const write = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', write);
      };
      res.on('close', () => undefined);
      write();
    };
    const outcome = await askProvider(provider(256 * 1024), indicator);
    expect(outcome).toEqual({ kind: 'failed', reason: 'answered more than 262144 bytes' });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});

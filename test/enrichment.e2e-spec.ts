import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  RecordingClient,
  call,
  createOrganization,
  incidentBody,
  sleep,
  startDeployment,
  testIpv4,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/** What the provider server answers one request: a status, headers, a JSON body, after a delay. */
interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}

interface Received {
  path: string;
  provider: 'json' | 'reputation';
  value: string;
  headers: IncomingHttpHeaders;
}

/**
 * A local HTTP server playing the external providers: `/json/<type>/<value>` (the generic HTTP JSON
 * provider) and `/rep?v=<value>` (the reputation service). On the generic provider each value answers
 * from its own script of replies, in order (the last one repeats); by default (and on the reputation
 * service) with `fallback`. Every request is recorded.
 */
class FakeProvider {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private readonly server: Server;

  constructor(private readonly fallback: (value: string) => Reply) {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://provider');
      const json = url.pathname.startsWith('/json/');
      const value = json ? decodeURIComponent(url.pathname.split('/')[3] ?? '') : (url.searchParams.get('v') ?? '');
      this.received.push({
        path: url.pathname,
        provider: json ? 'json' : 'reputation',
        value,
        headers: request.headers,
      });
      // Scripts play the generic provider; the reputation service always answers by default.
      const script = json ? this.scripts.get(value) : undefined;
      const reply = script && script.length > 1 ? script.shift()! : (script?.[0] ?? this.fallback(value));
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      }, reply.delayMs ?? 0);
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  script(value: string, replies: Reply[]): void {
    this.scripts.set(value, [...replies]);
  }

  valuesFor(provider: Received['provider']): string[] {
    return this.received.filter((r) => r.provider === provider).map((r) => r.value);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ok = (value: string): Reply => ({
  status: 200,
  body: { data: { score: value.length, geo: { cc: 'ZZ' } }, score: 7, verdict: 'suspicious' },
});

type Org = { id: string; name: string; key: string };

/**
 * Enrichment (api, worker, FerretDB, Redis, a local HTTP server playing the providers): offline
 * country/AS, external providers behind queues with rate limits, Retry-After, retries, a circuit
 * breaker and a cache; PAP decides what leaves the platform; correlation never waits for any of it.
 */
describe('enrichment (api, worker, FerretDB, Redis, provider server)', () => {
  const provider = new FakeProvider(ok);
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c', Org> = {} as never;
  const open: RecordingClient[] = [];

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });

  const submit = async (org: Org, overrides: Record<string, unknown>) => {
    const created = await http(org.key, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  const detail = async (org: Org, id: string) => (await http(org.key, 'GET', `/api/v1/incidents/${id}`)).body;

  const indicatorOf = async (org: Org, id: string, value: string) =>
    ((await detail(org, id)).indicators as Array<{ value: string; enrichment: Record<string, any> }>).find(
      (indicator) => indicator.value === value,
    );

  /** Waits until `source` enriched `value` on the incident, read by REST. */
  const enrichedBy = async (org: Org, id: string, value: string, source: string, timeoutMs = 30_000) => {
    await waitFor(
      async () => (await indicatorOf(org, id, value))?.enrichment.providers?.[source] !== undefined,
      timeoutMs,
      `${source} enrichment of ${value}`,
    );
    return (await indicatorOf(org, id, value))!.enrichment;
  };

  beforeAll(async () => {
    const port = await provider.start();
    deployment = await startDeployment('enrichment', {
      ENRICH_HTTP_JSON_URL: `http://127.0.0.1:${port}/json/{type}/{value}`,
      ENRICH_HTTP_JSON_MAPPING: JSON.stringify({ score: 'data.score', country: 'data.geo.cc' }),
      ENRICH_HTTP_JSON_MAX_PAP: 'GREEN',
      ENRICH_HTTP_JSON_TIMEOUT_MS: '500',
      ENRICH_HTTP_JSON_RATE_MAX: '50',
      ENRICH_HTTP_JSON_RATE_DURATION_MS: '1000',
      ENRICH_HTTP_JSON_TTL_SECONDS: '3600',
      ENRICH_REPUTATION_URL: `http://127.0.0.1:${port}/rep?v={value}`,
      ENRICH_REPUTATION_API_KEY: 'rep-key-123',
      ENRICH_REPUTATION_MAX_PAP: 'AMBER',
      ENRICH_BREAKER_FAILURES: '5',
      JOB_ATTEMPTS: '3',
      JOB_BACKOFF_MS: '200',
    });
    baseUrl = deployment.baseUrl;
    orgs.a = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.b = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.c = await createOrganization(deployment.env, { kind: 'agency' });
  }, 240_000);

  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await provider.stop();
  });

  it('alerts first, then stores offline country/AS and the provider’s answer and announces each as incident.enriched', async () => {
    const shared = testIpv4();
    await submit(orgs.b, { tlp: 'GREEN', indicators: [shared] });
    const live = new RecordingClient(baseUrl, orgs.a.key);
    open.push(live);
    await live.resumed();
    // 8.8.8.8 is a public resolver: warned, so never sent out, but its offline facts are local.
    const id = await submit(orgs.a, { tlp: 'GREEN', indicators: [shared, '8.8.8.8'] });

    await enrichedBy(orgs.a, id, shared, 'reputation');
    const enrichment = await enrichedBy(orgs.a, id, shared, 'http-json');
    expect(enrichment.providers['http-json'].fields).toEqual({ score: shared.length, country: 'ZZ' });
    expect(enrichment.providers.reputation.fields).toEqual({ score: 7, verdict: 'suspicious' });
    const resolver = await indicatorOf(orgs.a, id, '8.8.8.8');
    expect(resolver?.enrichment).toMatchObject({ country: 'US', asn: 15169, asOrg: 'Google LLC' });
    expect(provider.received.map((r) => r.value)).not.toContain('8.8.8.8');
    expect((await detail(orgs.a, id)).state).toBe('correlated');

    for (const source of ['offline', 'http-json', 'reputation'])
      await live.next('incident.enriched', (e) => e.incidentId === id && e.source === source, 10_000);
    const order = live.events.map((e) => e.event);
    const alertAt = order.indexOf('correlation.alert');
    expect(alertAt).toBeGreaterThanOrEqual(0);
    const enrichedEvents = live.events
      .map((e, i) => ({ ...e, i }))
      .filter((e) => e.event === 'incident.enriched' && (e.payload as { incidentId: string }).incidentId === id);
    expect(enrichedEvents.map((e) => (e.payload as { source: string }).source).sort()).toEqual(
      ['http-json', 'offline', 'reputation'].sort(),
    );
    for (const event of enrichedEvents) expect(event.i).toBeGreaterThan(alertAt);
    const offline = enrichedEvents.find((e) => (e.payload as { source: string }).source === 'offline')!.payload;
    expect(offline).toMatchObject({
      incidentId: id,
      indicators: expect.arrayContaining([
        {
          type: 'ipv4',
          value: '8.8.8.8',
          enrichment: expect.objectContaining({ country: 'US', asn: 15169, asOrg: 'Google LLC' }),
        },
      ]),
    });
    // The reputation service gets its API key; the generic provider the value in its URL.
    const toReputation = provider.received.find((r) => r.provider === 'reputation' && r.value === shared);
    expect(toReputation?.headers['x-api-key']).toBe('rep-key-123');
    expect(provider.received.find((r) => r.provider === 'json' && r.value === shared)?.path).toBe(
      `/json/ipv4/${shared}`,
    );
  }, 60_000);

  it('sends nothing under PAP:RED anywhere, PAP:AMBER only to a provider that accepts AMBER', async () => {
    const [red, amber, green, clear] = [testIpv4(), testIpv4(), testIpv4(), testIpv4()];
    const id = await submit(orgs.a, {
      tlp: 'GREEN',
      pap: 'GREEN',
      indicators: [
        { value: red, pap: 'RED' },
        { value: amber, pap: 'AMBER' },
        { value: green, pap: 'GREEN' },
        { value: clear, pap: 'CLEAR' },
      ],
    });
    for (const value of [green, clear]) await enrichedBy(orgs.a, id, value, 'http-json');
    for (const value of [amber, green, clear]) await enrichedBy(orgs.a, id, value, 'reputation');

    const json = provider.valuesFor('json');
    const reputation = provider.valuesFor('reputation');
    expect(json).toEqual(expect.arrayContaining([green, clear]));
    expect(json).not.toContain(amber);
    expect(json).not.toContain(red);
    expect(reputation).toEqual(expect.arrayContaining([amber, green, clear]));
    expect(reputation).not.toContain(red);
    expect((await indicatorOf(orgs.a, id, red))?.enrichment.providers).toBeUndefined();
    expect((await indicatorOf(orgs.a, id, amber))?.enrichment.providers['http-json']).toBeUndefined();
  }, 60_000);

  it('on 429 with Retry-After the job waits (without using attempts) and then succeeds', async () => {
    const value = testIpv4();
    const limited: Reply = { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } };
    // Four 429s with JOB_ATTEMPTS=3: only waits that do not count as attempts let the fifth succeed.
    provider.script(value, [limited, limited, limited, limited, ok(value)]);
    const id = await submit(orgs.a, { tlp: 'GREEN', pap: 'GREEN', indicators: [value] });
    const enrichment = await enrichedBy(orgs.a, id, value, 'http-json', 45_000);
    expect(enrichment.providers['http-json'].fields.score).toBe(value.length);
    expect(provider.valuesFor('json').filter((v) => v === value)).toHaveLength(5);
    expect((await detail(orgs.a, id)).state).toBe('correlated');
  }, 60_000);

  it('retries 500s with backoff until the provider answers', async () => {
    const value = testIpv4();
    provider.script(value, [{ status: 500 }, { status: 503 }, ok(value)]);
    const id = await submit(orgs.a, { tlp: 'GREEN', pap: 'GREEN', indicators: [value] });
    await enrichedBy(orgs.a, id, value, 'http-json');
    expect(provider.valuesFor('json').filter((v) => v === value)).toHaveLength(3);
  }, 60_000);

  it('counts a reply slower than the timeout as a failure and retries', async () => {
    const value = testIpv4();
    provider.script(value, [{ ...ok(value), delayMs: 2000 }, ok(value)]);
    const id = await submit(orgs.a, { tlp: 'GREEN', pap: 'GREEN', indicators: [value] });
    await enrichedBy(orgs.a, id, value, 'http-json');
    expect(provider.valuesFor('json').filter((v) => v === value)).toHaveLength(2);
  }, 60_000);

  it('answers a value asked again within the TTL from the cache', async () => {
    const value = testIpv4();
    const first = await submit(orgs.a, { tlp: 'GREEN', pap: 'GREEN', indicators: [value] });
    await enrichedBy(orgs.a, first, value, 'http-json');
    const second = await submit(orgs.b, { tlp: 'GREEN', pap: 'GREEN', indicators: [value] });
    const enrichment = await enrichedBy(orgs.b, second, value, 'http-json');
    expect(enrichment.providers['http-json'].fields).toEqual({ score: value.length, country: 'ZZ' });
    expect(provider.valuesFor('json').filter((v) => v === value)).toHaveLength(1);
  }, 60_000);

  it('counts history only over incidents the reader may see', async () => {
    const value = testIpv4();
    const secret = await submit(orgs.a, { tlp: 'AMBER', indicators: [value], occurredAt: '2026-11-01T00:00:00Z' });
    const visible = await submit(orgs.b, { tlp: 'CLEAR', indicators: [value], occurredAt: '2026-11-20T00:00:00Z' });
    for (const [org, id] of [
      [orgs.a, secret],
      [orgs.b, visible],
    ] as const)
      await waitFor(async () => (await detail(org, id)).state === 'correlated', 30_000, `${id} correlated`);
    const history = async (org: Org) =>
      (
        await http(
          org.key,
          'GET',
          `/api/v1/indicators/history?value=${encodeURIComponent(value.replace(/\./g, '[.]'))}`,
        )
      ).body;

    expect(await history(orgs.a)).toEqual({
      type: 'ipv4',
      value,
      firstSeen: '2026-11-01T00:00:00.000Z',
      lastSeen: '2026-11-20T00:00:00.000Z',
      incidents: 2,
      organizations: 2,
      sightings: 0,
      truncated: false,
    });
    // B and C may not see A's AMBER incident: it is not counted, nor its time.
    for (const org of [orgs.b, orgs.c])
      expect(await history(org)).toMatchObject({
        firstSeen: '2026-11-20T00:00:00.000Z',
        lastSeen: '2026-11-20T00:00:00.000Z',
        incidents: 1,
        organizations: 1,
      });

    const bad = await http(orgs.c.key, 'GET', '/api/v1/indicators/history?value=not%20an%20indicator');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('value');
  }, 60_000);
});

describe('enrichment circuit breaker (api, worker, FerretDB, Redis, failing provider server)', () => {
  const provider = new FakeProvider(() => ({ status: 500, body: { error: 'down' } }));
  let deployment: Deployment;
  let baseUrl: string;
  let redis: Redis;
  let queue: Queue;
  const orgs: Record<'a' | 'b', Org> = {} as never;

  beforeAll(async () => {
    const port = await provider.start();
    deployment = await startDeployment('enrichbreaker', {
      ENRICH_HTTP_JSON_URL: `http://127.0.0.1:${port}/json/{type}/{value}`,
      ENRICH_HTTP_JSON_MAPPING: JSON.stringify({ score: 'score' }),
      ENRICH_BREAKER_FAILURES: '3',
      ENRICH_BREAKER_COOLDOWN_MS: '600000',
      ENRICH_CONCURRENCY: '1',
      JOB_ATTEMPTS: '10',
      JOB_BACKOFF_MS: '100',
    });
    baseUrl = deployment.baseUrl;
    redis = new Redis(deployment.env.REDIS_URL);
    queue = new Queue('enrichment-http-json', { connection: redis, prefix: `${deployment.env.REDIS_PREFIX}:bull` });
    orgs.a = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.b = await createOrganization(deployment.env, { kind: 'cert' });
  }, 240_000);

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await provider.stop();
  }, 180_000);

  it('stops calling a provider that keeps failing, while incidents are still correlated and alerted', async () => {
    const http = (token: string, method: string, path: string, body?: unknown) =>
      call(baseUrl, method, path, { token, body });
    const live = new RecordingClient(baseUrl, orgs.a.key);
    await live.resumed();
    try {
      const shared = testIpv4();
      const first = await http(orgs.b.key, 'POST', '/api/v1/incidents', incidentBody({ indicators: [shared] }));
      const second = await http(
        orgs.a.key,
        'POST',
        '/api/v1/incidents',
        incidentBody({ indicators: [shared, testIpv4()] }),
      );
      expect([first.status, second.status]).toEqual([201, 201]);
      const alert = await live.next('correlation.alert', (a) => a.yourIncidentId === second.body.id, 30_000);
      expect(alert.value).toBe(shared);

      const breakerKey = `${deployment.env.REDIS_PREFIX}:enrich:breaker:http-json`;
      await waitFor(
        async () => {
          const raw = await redis.get(breakerKey);
          return raw !== null && (JSON.parse(raw) as { openedAt: number | null }).openedAt !== null;
        },
        30_000,
        'breaker open',
      );
      expect(provider.received).toHaveLength(3);

      // While open, new work waits in the provider's queue: nothing more reaches the server.
      const later = testIpv4();
      const third = await http(orgs.a.key, 'POST', '/api/v1/incidents', incidentBody({ indicators: [later] }));
      const findJob = async () =>
        (await queue.getJobs(['wait', 'prioritized', 'delayed', 'active', 'failed', 'completed'])).find(
          (job) => (job.data as { key?: string }).key === `ipv4:${later}`,
        );
      await waitFor(async () => (await findJob()) !== undefined, 30_000, 'the later value queued for the provider');
      await sleep(1500);
      expect(provider.received).toHaveLength(3);
      expect(provider.received.map((r) => r.value)).not.toContain(later);
      expect(await (await findJob())!.getState()).not.toBe('failed');

      const states = [
        (await http(orgs.b.key, 'GET', `/api/v1/incidents/${first.body.id}`)).body.state,
        (await http(orgs.a.key, 'GET', `/api/v1/incidents/${second.body.id}`)).body.state,
        (await http(orgs.a.key, 'GET', `/api/v1/incidents/${third.body.id}`)).body.state,
      ];
      expect(states).toEqual(['correlated', 'correlated', 'correlated']);
    } finally {
      live.close();
    }
  }, 90_000);
});

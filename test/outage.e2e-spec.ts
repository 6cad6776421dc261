import {
  AppProcess,
  PrivateFerretDb,
  PrivateRedis,
  RecordingClient,
  call,
  freePort,
  incidentBody,
  suiteEnvironment,
  uniqueName,
  waitFor,
  createOrganization,
} from '@corridor/testing';

/**
 * Outages of the stores themselves: this suite runs its own FerretDB and Redis so it can kill and
 * restart them. Incidents accepted during a Redis outage are processed once it is back (Redis
 * restarted empty: queue and correlation index gone); a store outage answers 503, never 500.
 */
describe('store outages', () => {
  const ferret = new PrivateFerretDb();
  const redis = new PrivateRedis();
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let worker: AppProcess;
  let keyA: string;
  let keyB: string;
  const clients: RecordingClient[] = [];

  const submit = (token: string, body: Record<string, unknown>) =>
    call(baseUrl, 'POST', '/api/v1/incidents', { token, body });
  const stateOf = async (token: string, id: string) =>
    (await call(baseUrl, 'GET', `/api/v1/incidents/${id}`, { token })).body.state as string;

  beforeAll(async () => {
    await Promise.all([ferret.start(), redis.start()]);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = suiteEnvironment('outage', {
      MONGODB_URI: ferret.uri,
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      ENQUEUE_TIMEOUT_MS: '500',
      STORE_TIMEOUT_MS: '1500',
      SWEEP_INTERVAL_MS: '500',
      SWEEP_PENDING_AFTER_MS: '1000',
    });
    api = new AppProcess('api', env);
    worker = new AppProcess('worker', env);
    await Promise.all([api.start(), worker.start()]);
    keyA = (await createOrganization(env, { name: uniqueName('Agency A '), kind: 'agency' })).key;
    keyB = (await createOrganization(env, { name: uniqueName('CERT B '), country: 'SA' })).key;
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await Promise.all([ferret.remove(), redis.kill()]);
  });

  it('accepts incidents while Redis is down and correlates them once it is back, empty', async () => {
    const a = new RecordingClient(baseUrl, keyA);
    clients.push(a);
    await a.connected();
    const domain = `${uniqueName('outage-')}.com`;
    const earlier = await submit(keyB, incidentBody({ indicators: [domain] }));
    await waitFor(async () => (await stateOf(keyB, earlier.body.id)) === 'correlated', 10_000, 'B correlated');

    await redis.kill();
    const during = await submit(keyA, incidentBody({ description: `beacon to ${domain.replace('.', '[.]')}` }));
    expect(during.status).toBe(201);
    expect(during.body.state).toBe('pending');
    const health = await call(baseUrl, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.stores).toEqual({ mongodb: 'up', redis: 'down' });
    expect(health.headers.get('retry-after')).toBe('5');

    await redis.start(); // same port, no data: the queue and the correlation index are gone
    await waitFor(async () => (await stateOf(keyA, during.body.id)) === 'correlated', 30_000, 'swept and correlated');
    const detail = await call(baseUrl, 'GET', `/api/v1/incidents/${during.body.id}`, { token: keyA });
    expect(detail.body.correlations).toEqual([expect.objectContaining({ type: 'domain', value: domain })]);
    await a.next('correlation.alert', (x) => x.value === domain, 10_000);
  });

  it('answers 503 with Retry-After while the store is down, and recovers without a restart', async () => {
    await ferret.kill();
    const refused = await submit(keyA, incidentBody());
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body).toEqual({
      error: { code: 'unavailable', message: 'a backing store is unavailable; retry later' },
    });
    const list = await call(baseUrl, 'GET', '/api/v1/incidents', { token: keyA });
    expect(list.status).toBe(503);
    const health = await call(baseUrl, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.stores.mongodb).toBe('down');

    await ferret.start();
    await waitFor(async () => (await submit(keyA, incidentBody())).status === 201, 30_000, 'api recovered');
    expect((await call(baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

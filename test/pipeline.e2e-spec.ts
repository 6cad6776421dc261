import mongoose from 'mongoose';
import Redis from 'ioredis';
import {
  AppProcess,
  RecordingClient,
  call,
  incidentBody,
  runCli,
  sleep,
  testIpv4,
  uniqueName,
  waitFor,
  createOrganization,
  startDeployment,
} from '@corridor/testing';

/**
 * The whole pipeline on the real stores: api and worker run as their own processes (built output),
 * partners talk over HTTP and socket.io, organizations come from the operator CLI.
 */
describe('incident pipeline (api + worker + FerretDB + Redis)', () => {
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let worker: AppProcess;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  const clients: RecordingClient[] = [];

  const connect = async (token: string) => {
    const client = new RecordingClient(baseUrl, token);
    clients.push(client);
    await client.connected();
    return client;
  };
  const submit = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    call(baseUrl, 'POST', '/api/v1/incidents', { token, body, headers });
  const get = (token: string, id: string) => call(baseUrl, 'GET', `/api/v1/incidents/${id}`, { token });
  const stateOf = async (token: string, id: string) => (await get(token, id)).body.state as string;
  const uniqueDomain = () => `${uniqueName('corridor-')}.com`;

  beforeAll(async () => {
    ({ env, baseUrl, api, worker } = await startDeployment('e2e', {
      JOB_ATTEMPTS: '2',
      JOB_BACKOFF_MS: '100',
      SWEEP_INTERVAL_MS: '500',
      SWEEP_PENDING_AFTER_MS: '1500',
    }));
    for (const [slot, country] of [
      ['a', 'PK'],
      ['b', 'SA'],
      ['c', 'AE'],
    ] as const) {
      const created = await createOrganization(env, { name: `CERT ${slot.toUpperCase()} ${uniqueName('')}`, country });
      orgs[slot] = { id: created.id, name: created.name, key: created.key };
    }
    // One community of all three: GREEN is shared within it.
    const community = await runCli(env, ['community', 'create', '--name', uniqueName('corridor ')]);
    expect(community.code).toBe(0);
    for (const slot of ['a', 'b', 'c'] as const) {
      const added = await runCli(env, [
        'community',
        'add',
        '--community',
        community.json.community.id,
        '--org',
        orgs[slot].id,
      ]);
      expect(added.code).toBe(0);
    }
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('the CLI prints the organization and a key that is shown once and works', async () => {
    expect(orgs.a.key).toMatch(/^cor_[0-9a-f]{12}_/);
    expect(orgs.a.id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await call(baseUrl, 'GET', '/api/v1/incidents', { token: orgs.a.key });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });

  it('correlates A’s GREEN address with B’s defanged mention; both get correlation.alert within 2 s', async () => {
    const ip = testIpv4();
    const [a, b, c] = [await connect(orgs.a.key), await connect(orgs.b.key), await connect(orgs.c.key)];
    const first = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', indicators: [ip] }));
    expect(first.status).toBe(201);
    await waitFor(async () => (await stateOf(orgs.a.key, first.body.id)) === 'correlated', 10_000, 'A correlated');

    const second = await submit(
      orgs.b.key,
      incidentBody({
        tlp: 'GREEN',
        description: `Scanning from ${ip.replace(/\./g, '[.]')} against our mail gateway.`,
      }),
    );
    expect(second.status).toBe(201);
    const sentAt = Date.now();
    await waitFor(
      () => a.received('correlation.alert').length > 0 && b.received('correlation.alert').length > 0,
      2000,
      'correlation alerts within 2 s',
    );
    process.stderr.write(`correlation alert delivered to both sides in ${Date.now() - sentAt} ms\n`);

    const [toA] = a.received('correlation.alert');
    const [toB] = b.received('correlation.alert');
    expect(toA).toMatchObject({
      type: 'ipv4',
      value: ip,
      yourIncidentId: first.body.id,
      counterpart: {
        organization: { id: orgs.b.id, name: orgs.b.name },
        incident: { id: second.body.id, tlp: 'GREEN' },
      },
    });
    expect(toB).toMatchObject({
      value: ip,
      yourIncidentId: second.body.id,
      counterpart: { organization: { name: orgs.a.name }, incident: { id: first.body.id } },
    });
    expect(toA.id).toBe(toB.id);

    // The stored incident shows its normalized indicators and the correlation.
    await waitFor(async () => (await stateOf(orgs.b.key, second.body.id)) === 'correlated', 5000, 'B correlated');
    const detail = await get(orgs.b.key, second.body.id);
    expect(detail.body.indicators).toEqual([
      expect.objectContaining({ raw: ip.replace(/\./g, '[.]'), type: 'ipv4', value: ip, source: 'description' }),
    ]);
    expect(detail.body.correlations).toEqual([
      expect.objectContaining({
        id: toB.id,
        value: ip,
        counterpart: expect.objectContaining({ incident: expect.objectContaining({ id: first.body.id }) }),
      }),
    ]);

    // C may see both GREEN incidents being created, but is no side of the correlation.
    expect(c.received('incident.created').map((i) => i.id)).toEqual(
      expect.arrayContaining([first.body.id, second.body.id]),
    );
    expect(c.received('correlation.alert')).toEqual([]);
  });

  it('reads every indicator back with its enrichment, an empty one included (a hash has none)', async () => {
    const sha256 = 'ab'.repeat(32);
    const created = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', indicators: [sha256, '203.0.113.9'] }));
    expect(created.status).toBe(201);
    await waitFor(async () => (await stateOf(orgs.a.key, created.body.id)) === 'correlated', 10_000, 'correlated');
    const read = await call(baseUrl, 'GET', `/api/v1/incidents/${created.body.id}`, { token: orgs.a.key });
    const byType = Object.fromEntries(
      read.body.indicators.map((i: { type: string; enrichment: unknown }) => [i.type, i.enrichment]),
    );
    expect(byType.sha256).toEqual({});
    expect(byType.ipv4).toEqual(expect.objectContaining({}));
    expect(Object.keys(byType.ipv4 as object).length).toBeGreaterThan(0);
  });

  it('keeps A’s AMBER incident from C entirely, and tells B only that A has a match', async () => {
    const [a, b, c] = [await connect(orgs.a.key), await connect(orgs.b.key), await connect(orgs.c.key)];
    const domain = uniqueDomain();
    const secretTitle = `AMBER ${uniqueName('op-')}`;
    const amber = await submit(orgs.a.key, incidentBody({ tlp: 'AMBER', title: secretTitle, indicators: [domain] }));
    expect(amber.status).toBe(201);
    await waitFor(async () => (await stateOf(orgs.a.key, amber.body.id)) === 'correlated', 10_000, 'AMBER correlated');

    const green = await submit(
      orgs.b.key,
      incidentBody({ tlp: 'GREEN', description: `Beacon to ${domain.replace('.', '[.]')}` }),
    );
    expect(green.status).toBe(201);
    await waitFor(
      () =>
        a.received('correlation.alert').some((x) => x.value === domain) &&
        b.received('correlation.alert').some((x) => x.value === domain),
      5000,
      'alerts on the AMBER match',
    );
    const toB = b.received('correlation.alert').find((x) => x.value === domain)!;
    // AMBER discloses an anonymous match by default: B learns the level, not who holds it.
    expect(toB).toEqual({
      eventId: expect.any(String),
      id: expect.stringMatching(/^cor-/),
      type: 'domain',
      value: domain,
      kind: 'exact',
      strength: 'strong',
      matched: null,
      yourIncidentId: green.body.id,
      counterpart: { disclosure: 'anonymous', tlp: 'AMBER' },
      acknowledged: null,
      contact: null,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(b.events)).not.toContain(amber.body.id);
    expect(JSON.stringify(b.events)).not.toContain(secretTitle);
    expect(JSON.stringify(b.events)).not.toContain(orgs.a.id);
    // A may see B's GREEN incident, so A's alert carries it.
    const toA = a.received('correlation.alert').find((x) => x.value === domain)!;
    expect(toA.counterpart).toEqual({
      disclosure: 'full',
      organization: { id: orgs.b.id, name: orgs.b.name },
      incident: expect.objectContaining({ id: green.body.id }),
    });
    // A sees its own AMBER incident announced; nobody else does.
    expect(a.received('incident.created').map((i) => i.id)).toContain(amber.body.id);

    await waitFor(async () => (await stateOf(orgs.b.key, green.body.id)) === 'correlated', 5000, 'B correlated');
    await sleep(300); // let anything still in flight arrive before asserting absence
    for (const events of [c.events, b.events]) {
      expect(JSON.stringify(events)).not.toContain(amber.body.id);
      expect(JSON.stringify(events)).not.toContain(secretTitle);
    }
    expect(c.received('correlation.alert')).toEqual([]);

    for (const outsider of [orgs.c.key, orgs.b.key]) {
      const read = await get(outsider, amber.body.id);
      expect(read.status).toBe(404);
      expect(read.body).toEqual({ error: { code: 'not_found', message: 'incident not found' } });
      const list = await call(baseUrl, 'GET', '/api/v1/incidents?limit=200', { token: outsider });
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(amber.body.id);
    }
    // B's view of its own incident names the match with A but not A's incident.
    const bDetail = await get(orgs.b.key, green.body.id);
    const { eventId: _eventId, ...alertFields } = toB;
    expect(bDetail.body.correlations).toEqual([alertFields]);
    // C reading B's GREEN incident does not learn of the AMBER match at all.
    const cDetail = await get(orgs.c.key, green.body.id);
    expect(cDetail.status).toBe(200);
    expect(cDetail.body.correlations).toEqual([]);
    // Nor from the live event: only the submitting organization is told how many correlations there are.
    expect(c.received('incident.correlated').find((e) => e.incidentId === green.body.id)).toEqual({
      eventId: expect.any(String),
      incidentId: green.body.id,
      state: 'correlated',
    });
    const own = await b.next('incident.correlated', (e) => e.incidentId === green.body.id);
    expect(own.correlations).toBe(1);

    const join = await c.socket.emitWithAck('incident.join', { incidentId: amber.body.id });
    expect(join).toEqual({ ok: false, error: { code: 'not_found', message: 'incident not found' } });
    const ownJoin = await a.socket.emitWithAck('incident.join', { incidentId: amber.body.id });
    expect(ownJoin).toEqual({ ok: true, room: `incident:${amber.body.id}` });
  });

  it('collapses resubmissions of one externalRef, also 10 at once: one incident, one alert', async () => {
    const [a, b] = [await connect(orgs.a.key), await connect(orgs.b.key)];
    const domain = uniqueDomain();
    const earlier = await submit(orgs.b.key, incidentBody({ indicators: [domain] }));
    await waitFor(async () => (await stateOf(orgs.b.key, earlier.body.id)) === 'correlated', 10_000, 'B correlated');

    const body = incidentBody({ externalRef: `SOC-${uniqueName('')}`, indicators: [domain] });
    const replies = await Promise.all(Array.from({ length: 10 }, () => submit(orgs.a.key, body)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];

    const again = await submit(orgs.a.key, { ...body, title: 'changed title' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect(again.body.title).toBe(body.title);

    await waitFor(() => a.received('correlation.alert').some((x) => x.value === domain), 5000, 'alert to A');
    await waitFor(async () => (await stateOf(orgs.a.key, id)) === 'correlated', 5000, 'A correlated');
    await sleep(2000); // the sweeper and any duplicate job have had their chance to alert twice
    expect(a.received('correlation.alert').filter((x) => x.value === domain)).toHaveLength(1);
    expect(b.received('correlation.alert').filter((x) => x.value === domain)).toHaveLength(1);
    const mine = await call(baseUrl, 'GET', '/api/v1/incidents?limit=200', { token: orgs.a.key });
    expect(mine.body.items.filter((i: { externalRef: string }) => i.externalRef === body.externalRef)).toHaveLength(1);
  });

  it('collapses a repeated Idempotency-Key, and keeps keys apart per organization', async () => {
    const key = uniqueName('idem-');
    const one = await submit(orgs.a.key, incidentBody(), { 'Idempotency-Key': key });
    const two = await submit(orgs.a.key, incidentBody(), { 'Idempotency-Key': key });
    const other = await submit(orgs.b.key, incidentBody(), { 'Idempotency-Key': key });
    expect([one.status, two.status, other.status]).toEqual([201, 200, 201]);
    expect(two.body.id).toBe(one.body.id);
    expect(other.body.id).not.toBe(one.body.id);
    const bad = await submit(orgs.a.key, incidentBody(), { 'Idempotency-Key': 'has space' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('answers bad input with 4xx JSON errors naming the fields', async () => {
    const invalid = await submit(orgs.a.key, {
      title: '',
      occurredAt: 'yesterday',
      classification: { class: 'fraud', type: 'ddos' },
      severity: 'urgent',
      tlp: 'WHITE',
      indicators: [42, { value: 'x', type: 'nope' }],
      extra: true,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    const fields = invalid.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'title',
        'occurredAt',
        'classification.type',
        'severity',
        'tlp',
        'indicators.0',
        'indicators.1.type',
        'extra',
      ]),
    );
    expect(JSON.stringify(invalid.body)).not.toMatch(/at .*\.js:\d+/);

    // A blank title, and a time of occurrence beyond tomorrow.
    const blank = await submit(
      orgs.a.key,
      incidentBody({ title: '   ', occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    );
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'occurredAt',
      'title',
    ]);
    const soon = await submit(orgs.a.key, incidentBody({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(soon.status).toBe(201); // an hour of clock skew between partners is tolerated

    const notJson = await call(baseUrl, 'POST', '/api/v1/incidents', { token: orgs.a.key, rawBody: '{"title": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'validation_failed', details: { fields: [{ field: 'body' }] } });

    const array = await call(baseUrl, 'POST', '/api/v1/incidents', { token: orgs.a.key, body: [incidentBody()] });
    expect(array.status).toBe(400);

    const tooLarge = await submit(orgs.a.key, incidentBody({ description: 'x'.repeat(1_100_000) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');

    const noKey = await call(baseUrl, 'POST', '/api/v1/incidents', { body: incidentBody() });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.code).toBe('unauthorized');
    const badKey = await submit(`cor_0123456789ab_${'x'.repeat(43)}`, incidentBody());
    expect(badKey.status).toBe(401);

    const missing = await get(orgs.a.key, '00000000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    const badFilter = await call(baseUrl, 'GET', '/api/v1/incidents?severity=urgent&classification=fraud/ddos', {
      token: orgs.a.key,
    });
    expect(badFilter.status).toBe(400);
    // The processing state is `state`; `status` is the analysts' workflow status, as in PATCH.
    const stateAsStatus = await call(baseUrl, 'GET', '/api/v1/incidents?status=pending', { token: orgs.a.key });
    expect(stateAsStatus.status).toBe(400);
    expect(stateAsStatus.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['status']);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents?state=pending', { token: orgs.a.key })).status).toBe(200);

    const refused = new RecordingClient(baseUrl, 'not-a-key');
    clients.push(refused);
    await expect(refused.connected()).rejects.toThrow('unauthorized');
  });

  it('revoked keys stop working on HTTP and socket.io', async () => {
    const issued = await runCli(env, ['key', 'create', '--org', orgs.c.id]);
    expect(issued.code).toBe(0);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: issued.json.apiKey })).status).toBe(200);
    const revoked = await runCli(env, ['key', 'revoke', issued.json.apiKeyPrefix]);
    expect(revoked).toMatchObject({ code: 0, json: { revoked: issued.json.apiKeyPrefix } });
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: issued.json.apiKey })).status).toBe(401);
    const socket = new RecordingClient(baseUrl, issued.json.apiKey);
    clients.push(socket);
    await expect(socket.connected()).rejects.toThrow('unauthorized');
    expect((await runCli(env, ['key', 'revoke', 'cor_ffffffffffff'])).code).toBe(1);
    expect((await runCli(env, ['org', 'create', '--name', 'x', '--country', 'Pakistan', '--kind', 'cert'])).code).toBe(
      2,
    );
  });

  it('lists with filters and cursor pagination', async () => {
    const token = orgs.c.key;
    const created: string[] = [];
    for (const severity of ['low', 'critical', 'low', 'low'] as const) {
      created.push((await submit(token, incidentBody({ severity, tlp: 'AMBER+STRICT' }))).body.id);
    }
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/incidents?severity=low&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call(baseUrl, 'GET', query, { token });
      expect(page.status).toBe(200);
      for (const item of page.body.items) expect(item.severity).toBe('low');
      pages.push(
        ...page.body.items
          .filter((i: { organization: { id: string } }) => i.organization.id === orgs.c.id)
          .map((i: { id: string }) => i.id),
      );
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([created[3], created[2], created[0]]);
    const critical = await call(
      baseUrl,
      'GET',
      '/api/v1/incidents?severity=critical&classification=intrusion-attempts/brute-force',
      { token },
    );
    expect(critical.body.items.map((i: { id: string }) => i.id)).toContain(created[1]);
  });

  it('accepts incidents while the worker is down and alerts once it is back: nothing lost', async () => {
    const [a, b] = [await connect(orgs.a.key), await connect(orgs.b.key)];
    const domain = uniqueDomain();
    const earlier = await submit(orgs.b.key, incidentBody({ indicators: [domain] }));
    await waitFor(async () => (await stateOf(orgs.b.key, earlier.body.id)) === 'correlated', 10_000, 'B correlated');

    await worker.stop();
    const later = await submit(
      orgs.a.key,
      incidentBody({ description: `callback to hxxps://${domain.replace('.', '[.]')}/gate.php`, indicators: [domain] }),
    );
    expect(later.status).toBe(201);
    await sleep(500);
    expect(await stateOf(orgs.a.key, later.body.id)).toBe('pending');
    expect(a.received('correlation.alert').filter((x) => x.value === domain)).toEqual([]);

    worker = new AppProcess('worker', env);
    await worker.start();
    await waitFor(
      () =>
        a.received('correlation.alert').some((x) => x.value === domain) &&
        b.received('correlation.alert').some((x) => x.value === domain),
      10_000,
      'alerts after the worker restarted',
    );
    await waitFor(async () => (await stateOf(orgs.a.key, later.body.id)) === 'correlated', 5000, 'A correlated');
  });

  it('rebuilds the correlation index when Redis lost it, and the next match still correlates', async () => {
    const [a] = [await connect(orgs.a.key)];
    const domain = uniqueDomain();
    const earlier = await submit(orgs.b.key, incidentBody({ indicators: [`http://${domain}/x`] }));
    await waitFor(async () => (await stateOf(orgs.b.key, earlier.body.id)) === 'correlated', 10_000, 'B correlated');

    // Everything this deployment keeps in Redis (index, queue) disappears, as after a restart without persistence.
    const redis = new Redis(env.REDIS_URL);
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) removed += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(removed).toBeGreaterThan(0);
    expect(await redis.exists(`${env.REDIS_PREFIX}:cx:ready`)).toBe(0);

    const later = await submit(orgs.a.key, incidentBody({ indicators: [`HTTP://${domain.toUpperCase()}:80/x`] }));
    expect(later.status).toBe(201);
    await waitFor(
      () => a.received('correlation.alert').some((x) => x.value === `http://${domain}/x`),
      10_000,
      'alert after rebuild',
    );
    expect(await redis.exists(`${env.REDIS_PREFIX}:cx:ready`)).toBe(1);
    expect(worker.logs).toContain('correlation index was missing; rebuilt from the store');
    redis.disconnect();
  });

  it('re-enqueues incidents stored while Redis was unreachable, and marks one that keeps failing as failed', async () => {
    const connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
    const incidents = connection.collection('incidents');
    const now = new Date(Date.now() - 5000);
    const base = {
      orgId: orgs.a.id,
      authorId: 'key-of-a',
      recipientOrgIds: [],
      recipientUserIds: [],
      status: 'new',
      title: 'stored, never enqueued',
      description: '',
      occurredAt: now,
      classification: { class: 'other', type: 'undetermined' },
      severity: 'low',
      tlp: 'AMBER',
      externalRef: null,
      state: 'pending',
      failureReason: null,
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    const okId = '00000000-0000-7000-8000-00000000000a';
    const badId = '00000000-0000-7000-8000-00000000000b';
    await incidents.insertMany([
      {
        _id: okId as never,
        ...base,
        refKey: okId,
        idemKey: okId,
        submitted: [{ raw: '198.51.100.23', source: 'field' }],
      },
      // A record the worker cannot process (damaged in the store): it must end visibly failed.
      { _id: badId as never, ...base, refKey: badId, idemKey: badId, submitted: { damaged: true } },
    ]);
    await waitFor(async () => (await stateOf(orgs.a.key, okId)) === 'correlated', 15_000, 'swept incident processed');
    const ok = await get(orgs.a.key, okId);
    expect(ok.body.indicators).toEqual([expect.objectContaining({ type: 'ipv4', value: '198.51.100.23' })]);
    await waitFor(async () => (await stateOf(orgs.a.key, badId)) === 'failed', 15_000, 'damaged incident failed');
    const bad = await get(orgs.a.key, badId);
    expect(bad.body.failureReason).toEqual(expect.any(String));
    expect(bad.body.failureReason.length).toBeGreaterThan(0);
    await connection.close();
  });

  it('reports the stores on /health and serves the OpenAPI document', async () => {
    const health = await call(baseUrl, 'GET', '/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', stores: { mongodb: 'up', redis: 'up' } } });
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/incidents', '/api/v1/incidents/{id}', '/health']),
    );
    expect(docs.body.components.schemas.CreateIncidentDto.required).toEqual(
      expect.arrayContaining(['title', 'occurredAt', 'classification', 'severity', 'tlp']),
    );
  });

  it('the CLI reindex rebuilds the index from the store', async () => {
    const result = await runCli(env, ['reindex']);
    expect(result.code).toBe(0);
    expect(result.json.reindexed).toBeGreaterThan(5);
  });
});

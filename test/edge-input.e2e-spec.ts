import { gzipSync } from 'node:zlib';
import {
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  startDeployment,
  type Deployment,
} from '@corridor/testing';

/**
 * Input that validation used to let through but a later layer could not handle (the store, Date,
 * the driver, zlib) is refused at the edge with a 400 naming the field — never a 500 — and error
 * answers stay small whatever the body.
 */
describe('edge input (api + FerretDB + Redis)', () => {
  let deployment: Deployment;
  let key: string;
  let orgId: string;

  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${deployment.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...headers },
      body,
    });

  beforeAll(async () => {
    deployment = await startDeployment('edge', {}, { worker: false });
    const org = await createOrganization(deployment.env);
    key = org.key;
    orgId = org.id;
  }, 180_000);

  afterAll(async () => {
    await deployment.api.stop();
  });

  const field = (body: any) => body?.error?.details?.fields?.[0]?.field;

  it.each([
    ['description', { description: 'before\u0000after' }],
    ['title', { title: 'a\u0000b' }],
    ['indicators.1', { indicators: ['203.0.113.9', 'evil\u0000.com'] }],
    ['externalRef', { externalRef: 'ref\u0000' }],
  ])('refuses a NUL character in %s', async (name, overrides) => {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: key,
      body: incidentBody(overrides),
    });
    expect(reply.status).toBe(400);
    expect(field(reply.body)).toBe(name);
  });

  it('refuses a NUL character in a path id and in a query string', async () => {
    const byId = await call(deployment.baseUrl, 'GET', '/api/v1/incidents/abc%00def', { token: key });
    expect(byId.status).toBe(400);
    expect(field(byId.body)).toBe('path');
    const query = await call(deployment.baseUrl, 'GET', '/api/v1/search?value=a%00b', { token: key });
    expect(query.status).toBe(400);
    expect(field(query.body)).toBe('query.value');
  });

  it.each([
    ['occurredAt', 'POST', '/api/v1/incidents', { occurredAt: '2026-W48-1' }],
    ['occurredAt', 'POST', '/api/v1/incidents', { occurredAt: '2026-333' }],
    ['occurredAt', 'POST', '/api/v1/incidents', { occurredAt: '2026-02-31T00:00:00Z' }],
  ])('refuses week and ordinal dates in %s', async (name, method, path, overrides) => {
    const reply = await call(deployment.baseUrl, method, path, { token: key, body: incidentBody(overrides) });
    expect(reply.status).toBe(400);
    expect(field(reply.body)).toBe(name);
  });

  it.each(['2026-W48-1', '2026-333'])('refuses since=%s in the list', async (since) => {
    const reply = await call(deployment.baseUrl, 'GET', `/api/v1/incidents?since=${since}`, { token: key });
    expect(reply.status).toBe(400);
    expect(field(reply.body)).toBe('since');
  });

  it.each([
    ['/api/v1/incidents?limit=0x10', 'limit'],
    ['/api/v1/incidents?limit=1e1', 'limit'],
    ['/api/v1/incidents?limit=%2010', 'limit'],
    ['/api/v1/overview?days=1e2', 'days'],
    ['/api/v1/alerts?limit=10.0', 'limit'],
  ])('reads %s as no integer: 400 naming the parameter', async (path, field) => {
    const reply = await call(deployment.baseUrl, 'GET', path, { token: key });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses a lone surrogate in the login e-mail without a credential', async () => {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/auth/login', {
      rawBody: '{"email":"a\\ud800@corridor.example.com","password":"whatever"}',
    });
    expect(reply.status).toBe(400);
    expect(field(reply.body)).toBe('email');
  });

  it('refuses corrupt and truncated gzip bodies without a credential', async () => {
    const good = gzipSync(Buffer.from(JSON.stringify({ email: 'a@corridor.example.com', password: 'x' })));
    for (const body of [Buffer.from('not gzip at all'), good.subarray(0, good.length - 8)]) {
      const reply = await fetch(`${deployment.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
      expect(reply.status).toBe(400);
      expect(field(await reply.json())).toBe('body');
    }
    // A well-formed gzip body is read as usual.
    const created = await post('/api/v1/incidents', gzipSync(Buffer.from(JSON.stringify(incidentBody()))), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(created.status).toBe(201);
  });

  it('answers a 1 MB body of 340 000 bad indicators briefly and with a short error', async () => {
    const body = `{"title":"t","occurredAt":"2026-11-24T08:30:00Z","severity":"high","tlp":"GREEN","classification":{"class":"test","type":"test"},"indicators":[${new Array(340_000).fill('1').join(',')}]}`;
    expect(body.length).toBeLessThan(1_048_576);
    const reply = await post('/api/v1/incidents', body, { 'content-type': 'application/json' });
    const text = await reply.text();
    expect(reply.status).toBe(400);
    expect(text.length).toBeLessThan(20_000);
    const parsed = JSON.parse(text);
    expect(parsed.error.details.fields.length).toBeLessThanOrEqual(50);
    expect(parsed.error.details.fields.map((f: { field: string }) => f.field)).toContain('indicators');
  });

  it('filters by an RSIT type containing a digit', async () => {
    const created = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: key,
      body: incidentBody({ classification: { class: 'malicious-code', type: 'c2-server' } }),
    });
    expect(created.status).toBe(201);
    const list = await call(deployment.baseUrl, 'GET', '/api/v1/incidents?classification=malicious-code/c2-server', {
      token: key,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
  });

  it('audits a status-only change as a change of status only', async () => {
    const created = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, body: incidentBody() });
    const patched = await call(deployment.baseUrl, 'PATCH', `/api/v1/incidents/${created.body.id}`, {
      token: key,
      body: { status: 'investigating' },
    });
    expect(patched.status).toBe(200);
    const admin = await createOrgAdmin(deployment, orgId);
    const { accessToken } = await logIn(deployment.baseUrl, admin);
    const trail = await call(deployment.baseUrl, 'GET', '/api/v1/audit?limit=100', { token: accessToken });
    expect(trail.status).toBe(200);
    const update = trail.body.items.find(
      (r: { action: string; target: { id: string } }) =>
        r.action === 'incident.update' && r.target.id === created.body.id,
    );
    expect(update.details).toEqual({ fields: 'status' });
  });
});

import {
  call,
  createOperator,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  startDeployment,
  type Deployment,
} from '@corridor/testing';

/**
 * Whatever a client sends, the answer is a 4xx JSON error naming the problem — never a 500, never a
 * stack trace — and the process stays up. A fixed-seed generator makes the inputs reproducible.
 */
describe('garbage in, 4xx out', () => {
  let deployment: Deployment;
  let key: string;
  let token: string;
  let operatorToken: string;
  let incidentId: string;

  beforeAll(async () => {
    deployment = await startDeployment('garbage', { KEY_RATE_LIMIT_PER_MINUTE: '100000' }, { worker: false });
    const org = await createOrganization(deployment.env);
    key = org.key;
    // An org-admin who also analyses, and the operator's platform-admin (never the same account).
    const admin = await createOrgAdmin(deployment, org.id, { roles: ['org-admin', 'analyst'] });
    token = (await logIn(deployment.baseUrl, admin)).accessToken;
    operatorToken = (await logIn(deployment.baseUrl, await createOperator(deployment.env))).accessToken;
    incidentId = (await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, body: incidentBody() }))
      .body.id;
  }, 180_000);

  afterAll(async () => {
    await deployment?.api.stop();
  });

  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const scalar = (): unknown =>
    pick([
      () => null,
      () => true,
      () => Math.floor(random() * 1e6) - 5e5,
      () => 1e308 * 10,
      () => '',
      () => 'x'.repeat(Math.floor(random() * 5000)),
      () => '\u0000\u202e<script>',
      () => 'RED',
      () => '2026-13-45T99:00:00Z',
      () => '203.0.113[.]7',
    ])();
  const value = (depth = 0): unknown => {
    if (depth > 3 || random() < 0.5) return scalar();
    if (random() < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    const keys = [
      'title',
      'tlp',
      'classification',
      'indicators',
      'recipients',
      'type',
      'value',
      'email',
      'password',
      'token',
      'orgId',
      'scopes',
      'roles',
      'text',
      'status',
      'anonymous',
      'class',
      'zzz',
    ];
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [pick(keys), value(depth + 1)]));
  };

  it('answers every malformed request with a 4xx JSON error and keeps running', async () => {
    const routes: Array<[string, string, 'key' | 'token' | 'operator' | 'none']> = [
      ['POST', '/api/v1/incidents', 'key'],
      ['PATCH', `/api/v1/incidents/${incidentId}`, 'key'],
      ['POST', `/api/v1/incidents/${incidentId}/comments`, 'key'],
      ['POST', '/api/v1/auth/login', 'none'],
      ['POST', '/api/v1/auth/refresh', 'none'],
      ['POST', '/api/v1/auth/setup', 'none'],
      ['POST', '/api/v1/users', 'token'],
      ['POST', '/api/v1/users', 'operator'],
      ['POST', '/api/v1/keys', 'token'],
      ['POST', '/api/v1/organizations', 'operator'],
      ['POST', '/api/v1/communities', 'operator'],
    ];
    const queries = [
      '/api/v1/incidents?limit=-1',
      '/api/v1/incidents?cursor=%00',
      '/api/v1/incidents?since=yesterday',
      '/api/v1/search?value=',
      '/api/v1/search',
      '/api/v1/stats?severity[]=x',
      '/api/v1/audit?before=abc',
    ];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const [method, path, auth] of routes) {
      for (let i = 0; i < 25; i++) {
        const credential = { key, token, operator: operatorToken, none: undefined }[auth];
        const reply = await call(deployment.baseUrl, method, path, {
          token: credential,
          rawBody: JSON.stringify(value()),
        });
        sent++;
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 400) {
          expect(reply.status).toBeLessThan(500);
          expect(reply.body.error).toEqual(
            expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
          );
          expect(JSON.stringify(reply.body)).not.toMatch(/at .+\.(js|ts):\d+/);
        }
      }
    }
    for (const path of queries) {
      const reply = await call(deployment.baseUrl, 'GET', path, { token });
      sent++;
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      expect(reply.status).toBe(400);
    }
    const rawBodies = ['{', '[]', 'null', '"text"', '{"a":' + '['.repeat(5000), '\u0000'];
    for (const raw of rawBodies) {
      const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, rawBody: raw });
      sent++;
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      expect(reply.status).toBe(400);
    }
    process.stderr.write(`garbage: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    expect([...statuses.keys()].some((status) => status >= 500)).toBe(false);
    expect((await call(deployment.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});

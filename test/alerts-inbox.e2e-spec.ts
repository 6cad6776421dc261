import {
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  incidentBody,
  logIn,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Alert = {
  id: string;
  yourIncidentId: string;
  counterpart: { disclosure: string; incident?: { id: string } };
  acknowledged: { by: string; at: string } | null;
  createdAt: string;
};

/**
 * The alerts inbox (GET /api/v1/alerts): every correlation alert of the caller's organization, worded
 * exactly as the live `correlation.alert` and the incident detail word it, unacknowledged first, then
 * newest first, and nothing of a correlation the caller may not learn of.
 */
describe('alerts inbox (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  let admin: { id: string; token: string };
  let oncall: { id: string; token: string };
  let analyst: { id: string; token: string };
  let live: RecordingClient;
  /** A's alerts, oldest first: B CLEAR, B AMBER not naming A, B AMBER naming A; and one on A's RED incident. */
  const alerts: Array<{ id: string; mine: string; theirs: string }> = [];
  let red: { id: string; mine: string; theirs: string };
  const hiddenTitle = `AMBER ${uniqueName('hidden-')}`;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const processed = async (token: string, overrides: Record<string, unknown>) => {
    const created = await http(token, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => ['correlated', 'failed'].includes((await http(token, 'GET', `/api/v1/incidents/${id}`)).body.state),
      15_000,
      `incident ${id} processed`,
    );
    return id;
  };
  /** Both sides of a new correlation: B's incident first, then A's (which finds it). */
  const pair = async (
    theirs: Record<string, unknown>,
    mine: { token: string; overrides?: Record<string, unknown> },
  ) => {
    const domain = `${uniqueName('alert-')}.corridor-test.net`;
    const theirId = await processed(orgs.b.key, { ...theirs, indicators: [domain] });
    const myId = await processed(mine.token, { tlp: 'CLEAR', ...mine.overrides, indicators: [domain] });
    const detail = await http(mine.token, 'GET', `/api/v1/incidents/${myId}`);
    expect(detail.body.correlations).toHaveLength(1);
    return { id: detail.body.correlations[0].id as string, mine: myId, theirs: theirId };
  };
  const list = async (token: string, query = '') => {
    const reply = await http(token, 'GET', `/api/v1/alerts${query}`);
    expect(reply.status).toBe(200);
    return reply.body as { items: Alert[]; nextCursor: string | null };
  };
  const ids = (items: Alert[]) => items.map((item) => item.id);

  beforeAll(async () => {
    deployment = await startDeployment('api-alerts');
    baseUrl = deployment.baseUrl;
    for (const tag of ['a', 'b', 'c'] as const) orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
    const adminPerson = await createOrgAdmin(deployment, orgs.a.id, { roles: ['org-admin', 'analyst'] });
    admin = { id: adminPerson.id, token: (await logIn(baseUrl, adminPerson)).accessToken };
    const oncallPerson = await createPerson(baseUrl, admin.token, ['oncall']);
    oncall = { id: oncallPerson.id, token: (await logIn(baseUrl, oncallPerson)).accessToken };
    const analystPerson = await createPerson(baseUrl, admin.token, ['analyst']);
    analyst = { id: analystPerson.id, token: (await logIn(baseUrl, analystPerson)).accessToken };

    live = new RecordingClient(baseUrl, orgs.a.key);
    await live.connected();
    await live.resumed();

    alerts.push(await pair({ tlp: 'CLEAR' }, { token: orgs.a.key }));
    alerts.push(await pair({ tlp: 'AMBER', title: hiddenTitle }, { token: orgs.a.key }));
    alerts.push(
      await pair({ tlp: 'AMBER', recipients: { organizations: [orgs.a.id], users: [] } }, { token: orgs.a.key }),
    );
    // A RED incident of A's analyst: only its author may see it, so only the author has its alert.
    red = await pair({ tlp: 'CLEAR' }, { token: analyst.token, overrides: { tlp: 'RED' } });
  }, 240_000);

  afterAll(async () => {
    live?.close();
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  it('lists the organization’s alerts newest first, each equal to the live alert and the incident’s correlation', async () => {
    const { items, nextCursor } = await list(orgs.a.key);
    expect(ids(items)).toEqual([alerts[2].id, alerts[1].id, alerts[0].id]);
    expect(nextCursor).toBeNull();
    for (const [i, item] of items.entries()) {
      const expected = alerts[2 - i];
      expect(item.yourIncidentId).toBe(expected.mine);
      expect(item.acknowledged).toBeNull();
      expect(new Date(item.createdAt).toISOString()).toBe(item.createdAt);
      const detail = await http(orgs.a.key, 'GET', `/api/v1/incidents/${expected.mine}`);
      expect(item).toEqual(detail.body.correlations.find((c: Alert) => c.id === item.id));
      const { eventId, ...delivered } = await live.next('correlation.alert', (alert) => alert.id === item.id);
      expect(typeof eventId).toBe('string');
      expect(item).toEqual(delivered);
    }
    expect(items.map((item) => item.counterpart.disclosure)).toEqual(['full', 'anonymous', 'full']);
    expect(items[1].counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
    expect(JSON.stringify(items)).not.toContain(hiddenTitle);
    expect(JSON.stringify(items)).not.toContain(alerts[1].theirs);
  });

  it('gives each side its own alerts, and nothing to an organization that is not a side', async () => {
    const b = await list(orgs.b.key);
    expect(ids(b.items)).toEqual([red.id, alerts[2].id, alerts[1].id, alerts[0].id]);
    expect(b.items.map((item) => item.yourIncidentId)).toEqual([red.theirs, ...[2, 1, 0].map((i) => alerts[i].theirs)]);
    // B may not see A's RED incident: its owner discloses nothing of it by default.
    expect(b.items[0].counterpart).toEqual({ disclosure: 'nothing' });
    expect((await list(orgs.c.key)).items).toEqual([]);
  });

  it('lists an alert on a RED incident only to the people who may see that incident', async () => {
    const author = await list(analyst.token);
    expect(ids(author.items)).toEqual([red.id, alerts[2].id, alerts[1].id, alerts[0].id]);
    expect(author.items[0].yourIncidentId).toBe(red.mine);
    for (const token of [admin.token, orgs.a.key]) {
      expect(ids((await list(token)).items)).not.toContain(red.id);
    }
  });

  it('puts acknowledged alerts after the others, with who acknowledged and when, for that organization only', async () => {
    const acked = await http(oncall.token, 'POST', `/api/v1/correlations/${alerts[2].id}/ack`);
    expect(acked.status).toBe(200);
    const { items } = await list(orgs.a.key);
    expect(ids(items)).toEqual([alerts[1].id, alerts[0].id, alerts[2].id]);
    expect(items[2].acknowledged).toEqual({ by: oncall.id, at: acked.body.acknowledged.at });
    expect(items.slice(0, 2).map((item) => item.acknowledged)).toEqual([null, null]);
    const detail = await http(orgs.a.key, 'GET', `/api/v1/incidents/${alerts[2].mine}`);
    expect(items[2]).toEqual(detail.body.correlations[0]);

    expect(ids((await list(orgs.a.key, '?acknowledged=true')).items)).toEqual([alerts[2].id]);
    expect(ids((await list(orgs.a.key, '?acknowledged=false')).items)).toEqual([alerts[1].id, alerts[0].id]);
    // B has not acknowledged it: for B it is still new.
    const b = await list(orgs.b.key, '?acknowledged=false');
    expect(ids(b.items)).toContain(alerts[2].id);
    expect(b.items.find((item) => item.id === alerts[2].id)?.acknowledged).toBeNull();
    expect((await list(orgs.b.key, '?acknowledged=true')).items).toEqual([]);
  });

  it('pages with an opaque cursor, in the same order', async () => {
    const walk = async (token: string, filter: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Alert[]; nextCursor: string | null } = await list(
          token,
          `?limit=1${filter}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...ids(page.items));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk(orgs.a.key, '')).toEqual([alerts[1].id, alerts[0].id, alerts[2].id]);
    expect(await walk(orgs.a.key, '&acknowledged=false')).toEqual([alerts[1].id, alerts[0].id]);
    expect(await walk(analyst.token, '')).toEqual([red.id, alerts[1].id, alerts[0].id, alerts[2].id]);

    const first = await list(orgs.a.key, '?limit=2');
    expect(ids(first.items)).toEqual([alerts[1].id, alerts[0].id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await list(orgs.a.key, `?limit=2&cursor=${first.nextCursor}`);
    expect(ids(rest.items)).toEqual([alerts[2].id]);
    expect(rest.nextCursor).toBeNull();
    // A cursor of the unacknowledged part means nothing in a list of acknowledged alerts.
    const mixed = await http(orgs.a.key, 'GET', `/api/v1/alerts?acknowledged=true&cursor=${first.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['cursor']);
  });

  it('answers bad query values with 400 naming the field, and needs alerts:read', async () => {
    const cases: Array<[string, string]> = [
      ['acknowledged=yes', 'acknowledged'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=%00', 'query.cursor'], // control characters are refused before validation
      [`cursor=${Buffer.from('u.1.not-a-correlation').toString('base64url')}`, 'cursor'],
      ['since=2026-11-01', 'since'],
    ];
    for (const [query, field] of cases) {
      const reply = await http(orgs.a.key, 'GET', `/api/v1/alerts?${query}`);
      expect({ query, status: reply.status, code: reply.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
      expect(new Set(reply.body.error.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set([field]));
    }
    const reader = await http(admin.token, 'POST', '/api/v1/keys', { name: 'reader', scopes: ['incidents:read'] });
    expect(reader.status).toBe(201);
    const refused = await http(reader.body.apiKey, 'GET', '/api/v1/alerts');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('this credential lacks the scope alerts:read');
  });

  it('describes the page in the OpenAPI document', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    const schema = docs.body.paths['/api/v1/alerts'].get.responses['200'].content['application/json'].schema;
    expect(schema).toEqual({ $ref: '#/components/schemas/AlertPageDto' });
    expect(docs.body.components.schemas.AlertPageDto.properties.items.items).toEqual({
      $ref: '#/components/schemas/CorrelationViewDto',
    });
  });
});

import {
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  logIn,
  startDeployment,
  type Deployment,
} from '@corridor/testing';

type Fields = Array<{ field: string; message: string }>;

/**
 * On-call rotas (issue #10 §2) on the real stores: an org-admin builds a schedule of two people with
 * a daily handover in Asia/Riyadh, overrides it, asks who is on call at chosen instants, and pages the
 * schedule from an escalation policy. Analysts read but cannot write, API keys read nothing, another
 * organization sees 404s, bad input is a 400 naming the field, and every change is audited.
 */
describe('on-call schedules and escalation policies (api, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let orgKey: string;
  let admin: string;
  let analyst: string;
  let outsider: string;
  let amal: { id: string; email: string };
  let badr: { id: string; email: string };
  let foreigner: { id: string };

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const fieldsOf = (reply: { body: { error?: { details?: { fields?: Fields } } } }) =>
    (reply.body.error?.details?.fields ?? []).map((f) => f.field);

  const scheduleBody = () => ({
    name: 'Primary',
    timeZone: 'Asia/Riyadh',
    // 09:00 Riyadh = 06:00 UTC: amal from 1 March, badr from 2 March, amal from 3 March…
    rotations: [{ users: [amal.id, badr.id], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' }],
  });

  beforeAll(async () => {
    deployment = await startDeployment('oncall', {}, { worker: false });
    baseUrl = deployment.baseUrl;
    const org = await createOrganization(deployment.env);
    orgKey = org.key;
    admin = (await logIn(baseUrl, await createOrgAdmin(deployment, org.id))).accessToken;
    const amalPerson = await createPerson(baseUrl, admin, ['oncall'], { name: 'Amal' });
    const badrPerson = await createPerson(baseUrl, admin, ['oncall'], { name: 'Badr' });
    amal = { id: amalPerson.id, email: amalPerson.email };
    badr = { id: badrPerson.id, email: badrPerson.email };
    analyst = (await logIn(baseUrl, await createPerson(baseUrl, admin, ['analyst']))).accessToken;
    const other = await createOrganization(deployment.env);
    const otherAdmin = await createOrgAdmin(deployment, other.id);
    outsider = (await logIn(baseUrl, otherAdmin)).accessToken;
    foreigner = { id: otherAdmin.id };
  }, 120_000);

  afterAll(async () => {
    await deployment.api.stop();
  }, 180_000);

  it('creates a schedule, overrides it, answers who is on call at an instant, and pages it from a policy', async () => {
    const created = await http(admin, 'POST', '/api/v1/oncall/schedules', scheduleBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Primary', timeZone: 'Asia/Riyadh', version: 1, overrides: [] });
    const id = created.body.id as string;

    const nowAt = async (at: string) => {
      const reply = await http(analyst, 'GET', `/api/v1/oncall/now?at=${encodeURIComponent(at)}`);
      expect(reply.status).toBe(200);
      expect(reply.body.at).toBe(new Date(at).toISOString());
      type Entry = { scheduleId: string; onCall: Array<{ id: string; name: string; email: string }> };
      const entry = (reply.body.schedules as Entry[]).find((s) => s.scheduleId === id);
      return entry as Entry & {
        onCall: Array<{ id: string; name: string; email: string }>;
        nextHandover: string | null;
      };
    };
    expect((await nowAt('2026-03-01T05:59:00Z')).onCall).toEqual([]);
    const first = await nowAt('2026-03-01T06:00:00Z');
    expect(first.onCall).toEqual([{ id: amal.id, name: 'Amal', email: amal.email }]);
    expect(first.nextHandover).toBe('2026-03-02T06:00:00.000Z');
    expect((await nowAt('2026-03-02T06:00:00+00:00')).onCall.map((p) => p.id)).toEqual([badr.id]);

    const override = await http(admin, 'POST', `/api/v1/oncall/schedules/${id}/overrides`, {
      userId: amal.id,
      from: '2026-03-02T12:00:00Z',
      to: '2026-03-02T18:00:00Z',
    });
    expect(override.status).toBe(201);
    expect(override.body).toMatchObject({
      userId: amal.id,
      from: '2026-03-02T12:00:00.000Z',
      to: '2026-03-02T18:00:00.000Z',
    });
    expect((await nowAt('2026-03-02T11:59:59Z')).onCall.map((p) => p.id)).toEqual([badr.id]);
    expect((await nowAt('2026-03-02T12:00:00Z')).onCall.map((p) => p.id)).toEqual([amal.id]);
    expect((await nowAt('2026-03-02T18:00:00Z')).onCall.map((p) => p.id)).toEqual([badr.id]);
    const read = await http(analyst, 'GET', `/api/v1/oncall/schedules/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(2);
    expect(read.body.overrides).toEqual([override.body]);

    const policy = await http(admin, 'POST', '/api/v1/oncall/policies', {
      name: 'Critical',
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: id }], delayMinutes: 5 },
        { targets: [{ kind: 'user', userId: badr.id }], delayMinutes: 10 },
      ],
      repeat: 1,
    });
    expect(policy.status).toBe(201);
    expect(policy.body).toMatchObject({
      name: 'Critical',
      repeat: 1,
      version: 1,
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: id }], delayMinutes: 5 },
        { targets: [{ kind: 'user', userId: badr.id }], delayMinutes: 10 },
      ],
    });
    const policies = await http(analyst, 'GET', '/api/v1/oncall/policies');
    expect(policies.body.map((p: { id: string }) => p.id)).toEqual([policy.body.id]);

    // A schedule a policy pages cannot be deleted; once the policy is gone it can.
    expect((await http(admin, 'DELETE', `/api/v1/oncall/schedules/${id}`)).status).toBe(409);
    expect((await http(admin, 'DELETE', `/api/v1/oncall/policies/${policy.body.id}`)).status).toBe(204);
    expect((await http(admin, 'DELETE', `/api/v1/oncall/schedules/${id}/overrides/${override.body.id}`)).status).toBe(
      204,
    );
    expect((await nowAt('2026-03-02T12:00:00Z')).onCall.map((p) => p.id)).toEqual([badr.id]);
    expect((await http(admin, 'DELETE', `/api/v1/oncall/schedules/${id}`)).status).toBe(204);
    expect((await http(analyst, 'GET', `/api/v1/oncall/schedules/${id}`)).status).toBe(404);

    const trail = await http(admin, 'GET', '/api/v1/audit?limit=500');
    const actions = (trail.body.items as Array<{ action: string }>)
      .map((r) => r.action)
      .filter((a) => a.startsWith('oncall.'));
    expect(actions.reverse()).toEqual([
      'oncall.schedule.create',
      'oncall.override.create',
      'oncall.policy.create',
      'oncall.policy.delete',
      'oncall.override.delete',
      'oncall.schedule.delete',
    ]);
  });

  it('replaces a schedule with PUT and refuses a stale version with 409', async () => {
    const created = await http(admin, 'POST', '/api/v1/oncall/schedules', scheduleBody());
    const id = created.body.id as string;
    const renamed = await http(admin, 'PUT', `/api/v1/oncall/schedules/${id}`, {
      ...scheduleBody(),
      name: 'Weekly',
      rotations: [{ users: [badr.id], handover: '08:00', lengthDays: 7, startDate: '2026-03-01' }],
      version: 1,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Weekly', version: 2 });
    const stale = await http(admin, 'PUT', `/api/v1/oncall/schedules/${id}`, { ...scheduleBody(), version: 1 });
    expect(stale.status).toBe(409);
    expect((await http(admin, 'GET', `/api/v1/oncall/schedules/${id}`)).body.name).toBe('Weekly');

    // Concurrent overrides of one schedule all land (each write is conditional on the version read).
    const added = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        http(admin, 'POST', `/api/v1/oncall/schedules/${id}/overrides`, {
          userId: amal.id,
          from: `2026-04-0${i + 1}T00:00:00Z`,
          to: `2026-04-0${i + 1}T06:00:00Z`,
        }),
      ),
    );
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const read = await http(admin, 'GET', `/api/v1/oncall/schedules/${id}`);
    expect(read.body.overrides.map((o: { id: string }) => o.id).sort()).toEqual(added.map((r) => r.body.id).sort());
    expect(read.body.version).toBe(7);
  });

  it('lets an analyst read but not write, refuses API keys, and hides one organization’s rota from another', async () => {
    const created = await http(admin, 'POST', '/api/v1/oncall/schedules', scheduleBody());
    const id = created.body.id as string;
    expect((await http(analyst, 'POST', '/api/v1/oncall/schedules', scheduleBody())).status).toBe(403);
    expect((await http(analyst, 'PUT', `/api/v1/oncall/schedules/${id}`, scheduleBody())).status).toBe(403);
    expect((await http(analyst, 'DELETE', `/api/v1/oncall/schedules/${id}`)).status).toBe(403);
    expect(
      (
        await http(analyst, 'POST', `/api/v1/oncall/schedules/${id}/overrides`, {
          userId: amal.id,
          from: '2026-03-02T12:00:00Z',
          to: '2026-03-02T13:00:00Z',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await http(analyst, 'POST', '/api/v1/oncall/policies', {
          name: 'x',
          levels: [{ targets: [{ kind: 'user', userId: amal.id }], delayMinutes: 1 }],
          repeat: 0,
        })
      ).status,
    ).toBe(403);
    expect((await http(analyst, 'GET', '/api/v1/oncall/schedules')).status).toBe(200);
    expect((await http(orgKey, 'GET', '/api/v1/oncall/schedules')).status).toBe(403);
    expect((await http(orgKey, 'GET', '/api/v1/oncall/now')).status).toBe(403);

    expect((await http(outsider, 'GET', `/api/v1/oncall/schedules/${id}`)).status).toBe(404);
    expect((await http(outsider, 'PUT', `/api/v1/oncall/schedules/${id}`, scheduleBody())).status).toBe(404);
    expect((await http(outsider, 'DELETE', `/api/v1/oncall/schedules/${id}`)).status).toBe(404);
    const theirs = await http(outsider, 'GET', '/api/v1/oncall/schedules');
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual([]);
    expect((await http(outsider, 'GET', '/api/v1/oncall/now')).body.schedules).toEqual([]);
    // Another organization's schedule cannot be paged either.
    const foreignPolicy = await http(outsider, 'POST', '/api/v1/oncall/policies', {
      name: 'x',
      levels: [{ targets: [{ kind: 'schedule', scheduleId: id }], delayMinutes: 1 }],
      repeat: 0,
    });
    expect(foreignPolicy.status).toBe(400);
    expect(fieldsOf(foreignPolicy)).toEqual(['levels.0.targets.0.scheduleId']);
  });

  it('answers bad input with 400 naming the field', async () => {
    const bad = async (method: string, path: string, body: unknown, fields: string[]) => {
      const reply = await http(admin, method, path, body);
      expect(reply.status).toBe(400);
      expect(fieldsOf(reply)).toEqual(fields);
    };
    await bad('POST', '/api/v1/oncall/schedules', { ...scheduleBody(), timeZone: 'Mars/Olympus' }, ['timeZone']);
    await bad(
      'POST',
      '/api/v1/oncall/schedules',
      {
        ...scheduleBody(),
        rotations: [{ users: [amal.id], handover: '9:00', lengthDays: 1, startDate: '2026-02-30' }],
      },
      ['rotations.0.handover'],
    );
    await bad(
      'POST',
      '/api/v1/oncall/schedules',
      {
        ...scheduleBody(),
        rotations: [{ users: [amal.id], handover: '09:00', lengthDays: 1, startDate: '2026-02-30' }],
      },
      ['rotations.0.startDate'],
    );
    await bad(
      'POST',
      '/api/v1/oncall/schedules',
      { ...scheduleBody(), rotations: [{ users: [], handover: '09:00', lengthDays: 0, startDate: '2026-03-01' }] },
      ['rotations.0.users', 'rotations.0.lengthDays'],
    );
    // A person of another organization, and an id that names nobody.
    await bad(
      'POST',
      '/api/v1/oncall/schedules',
      {
        ...scheduleBody(),
        rotations: [{ users: [amal.id, foreigner.id], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' }],
      },
      ['rotations.0.users'],
    );
    const id = (await http(admin, 'POST', '/api/v1/oncall/schedules', scheduleBody())).body.id as string;
    await bad(
      'POST',
      `/api/v1/oncall/schedules/${id}/overrides`,
      { userId: amal.id, from: '2026-03-02T12:00:00Z', to: '2026-03-02T12:00:00Z' },
      ['to'],
    );
    await bad(
      'POST',
      `/api/v1/oncall/schedules/${id}/overrides`,
      { userId: 'nobody', from: '2026-03-02T12:00:00Z', to: '2026-03-02T13:00:00Z' },
      ['userId'],
    );
    await bad(
      'POST',
      `/api/v1/oncall/schedules/${id}/overrides`,
      { userId: amal.id, from: 'tomorrow', to: '2026-03-02T13:00:00Z' },
      ['from'],
    );
    await bad(
      'POST',
      '/api/v1/oncall/policies',
      { name: 'p', levels: [{ targets: [{ kind: 'team' }], delayMinutes: 1 }], repeat: -1 },
      ['levels.0.targets.0.kind', 'repeat'],
    );
    await bad(
      'POST',
      '/api/v1/oncall/policies',
      { name: 'p', levels: [{ targets: [{ kind: 'user' }], delayMinutes: 1 }], repeat: 0 },
      ['levels.0.targets.0.userId'],
    );
    await bad(
      'POST',
      '/api/v1/oncall/policies',
      { name: 'p', levels: [{ targets: [{ kind: 'schedule', scheduleId: 'missing' }], delayMinutes: 1 }], repeat: 0 },
      ['levels.0.targets.0.scheduleId'],
    );
    expect((await http(admin, 'GET', '/api/v1/oncall/now?at=yesterday')).status).toBe(400);
    expect((await http(admin, 'DELETE', `/api/v1/oncall/schedules/${id}/overrides/missing`)).status).toBe(404);
  });

  it('describes every route and its answers in the OpenAPI document', async () => {
    const doc = (await call(baseUrl, 'GET', '/docs/openapi.json')).body;
    expect(
      Object.keys(doc.paths)
        .filter((p: string) => p.startsWith('/api/v1/oncall'))
        .sort(),
    ).toEqual([
      '/api/v1/oncall/alerts',
      '/api/v1/oncall/alerts/{id}',
      '/api/v1/oncall/alerts/{id}/ack',
      '/api/v1/oncall/alerts/{id}/resolve',
      '/api/v1/oncall/now',
      '/api/v1/oncall/policies',
      '/api/v1/oncall/policies/{id}',
      '/api/v1/oncall/schedules',
      '/api/v1/oncall/schedules/{id}',
      '/api/v1/oncall/schedules/{id}/overrides',
      '/api/v1/oncall/schedules/{id}/overrides/{overrideId}',
    ]);
    const schema = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(schema('/api/v1/oncall/now', 'get', '200').$ref).toBe('#/components/schemas/OnCallNowPageDto');
    expect(schema('/api/v1/oncall/schedules/{id}', 'put', '200').$ref).toBe('#/components/schemas/ScheduleDto');
    expect(schema('/api/v1/oncall/policies', 'post', '201').$ref).toBe('#/components/schemas/PolicyDto');
    expect(doc.paths['/api/v1/oncall/schedules'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ScheduleInputDto',
    );
  });
});

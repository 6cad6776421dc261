import {
  call,
  createCommunity,
  createOrganization,
  incidentBody,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Day = {
  date: string;
  total: number;
  byClassification: Record<string, number>;
  bySeverity: Record<string, number>;
};
type Overview = {
  from: string;
  to: string;
  days: Day[];
  topIndicators: Array<{ type: string; value: string; incidents: number }>;
  partners: Array<{ organization: { id: string | null; name: string }; incidents: number; lastAt: string }>;
};

/**
 * The overview (GET /api/v1/overview): activity per day, the indicators shared most and the most
 * active organizations, computed over the incidents the caller may see only. B may not see A's and
 * D's AMBER incidents that do not name it: they must not count anywhere in B's overview.
 */
describe('overview (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c' | 'd', { id: string; name: string; key: string }> = {} as never;
  const v = { y1: '', y2: '', z1: '', z2: '' };
  const inc: Record<'A1' | 'A2' | 'A3' | 'C1' | 'B1' | 'B2' | 'D1', string> = {} as never;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const processed = async (token: string, overrides: Record<string, unknown>) => {
    const created = await http(token, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => (await http(token, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      15_000,
      `incident ${id} correlated`,
    );
    return id;
  };
  const overview = async (token: string, query = '') => {
    const reply = await http(token, 'GET', `/api/v1/overview${query}`);
    expect(reply.status).toBe(200);
    return reply.body as Overview;
  };
  const sum = (days: Day[], pick: (day: Day) => number) => days.reduce((total, day) => total + pick(day), 0);
  const byValue = (a: { value: string }, b: { value: string }) => (a.value < b.value ? -1 : 1);

  beforeAll(async () => {
    deployment = await startDeployment('api-overview');
    baseUrl = deployment.baseUrl;
    for (const tag of ['a', 'b', 'd'] as const) orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.c = await createOrganization(deployment.env, { kind: 'agency' });
    // C appears anonymised to B.
    await createCommunity(deployment.env, [{ orgId: orgs.b.id }, { orgId: orgs.c.id, anonymous: true }]);
    for (const name of ['y1', 'y2', 'z1', 'z2'] as const) v[name] = `${uniqueName(`${name}-`)}.corridor-test.net`;
    const c2 = { class: 'malicious-code', type: 'c2-server' };
    const phishing = { class: 'fraud', type: 'phishing' };
    const ddos = { class: 'availability', type: 'ddos' };
    const namingB = { organizations: [orgs.b.id], users: [] };
    inc.A1 = await processed(orgs.a.key, {
      tlp: 'AMBER',
      severity: 'critical',
      classification: c2,
      indicators: [v.y1, v.y2],
    });
    inc.A2 = await processed(orgs.a.key, {
      tlp: 'AMBER',
      severity: 'critical',
      classification: c2,
      indicators: [v.y1],
    });
    inc.A3 = await processed(orgs.a.key, {
      tlp: 'AMBER',
      recipients: namingB,
      severity: 'low',
      classification: phishing,
      indicators: [v.z1],
    });
    inc.C1 = await processed(orgs.c.key, {
      tlp: 'CLEAR',
      severity: 'medium',
      classification: ddos,
      indicators: [v.z1, v.y2],
    });
    inc.B1 = await processed(orgs.b.key, {
      tlp: 'GREEN',
      severity: 'low',
      classification: phishing,
      indicators: [v.y1, v.z2],
    });
    inc.B2 = await processed(orgs.b.key, {
      tlp: 'CLEAR',
      severity: 'medium',
      classification: ddos,
      indicators: [v.z2],
    });
    inc.D1 = await processed(orgs.d.key, {
      tlp: 'AMBER',
      severity: 'high',
      classification: { class: 'intrusions', type: 'system-compromise' },
      indicators: [v.z1],
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  it('counts only what the caller may see: no count, indicator or partner row from an invisible AMBER incident', async () => {
    const seen = await overview(orgs.b.key);
    const visible = (await http(orgs.b.key, 'GET', '/api/v1/incidents?limit=200')).body.items as Array<{
      id: string;
      organization: { id: string | null; name: string };
      createdAt: string;
    }>;
    expect(visible.map((i) => i.id).sort()).toEqual([inc.A3, inc.C1, inc.B1, inc.B2].sort());

    expect(sum(seen.days, (d) => d.total)).toBe(4);
    expect((await http(orgs.b.key, 'GET', '/api/v1/stats')).body.total).toBe(4);
    expect(sum(seen.days, (d) => d.bySeverity.critical)).toBe(0);
    expect(sum(seen.days, (d) => d.bySeverity.high)).toBe(0);
    expect(sum(seen.days, (d) => d.bySeverity.low)).toBe(2);
    expect(sum(seen.days, (d) => d.bySeverity.medium)).toBe(2);
    expect(sum(seen.days, (d) => d.byClassification['malicious-code'])).toBe(0);
    expect(sum(seen.days, (d) => d.byClassification.intrusions)).toBe(0);
    expect(sum(seen.days, (d) => d.byClassification.fraud)).toBe(2);
    expect(sum(seen.days, (d) => d.byClassification.availability)).toBe(2);

    // y1 and y2 are each on one visible incident (and on invisible ones): not listed. z1 is on D1 too.
    expect(seen.topIndicators).toEqual(
      [
        { type: 'domain', value: v.z1, incidents: 2 },
        { type: 'domain', value: v.z2, incidents: 2 },
      ].sort(byValue),
    );

    const shown = (id: string) => visible.find((i) => i.id === id)!;
    expect(shown(inc.C1).organization).toEqual({ id: null, name: 'a partner agency' });
    expect(seen.partners).toEqual([
      { organization: shown(inc.B2).organization, incidents: 2, lastAt: shown(inc.B2).createdAt },
      { organization: shown(inc.C1).organization, incidents: 1, lastAt: shown(inc.C1).createdAt },
      { organization: shown(inc.A3).organization, incidents: 1, lastAt: shown(inc.A3).createdAt },
    ]);
    expect(seen.partners[2].organization).toEqual({ id: orgs.a.id, name: orgs.a.name });
    const text = JSON.stringify(seen);
    for (const secret of [orgs.d.id, orgs.d.name, orgs.c.id, orgs.c.name, v.y1, v.y2]) {
      expect(text).not.toContain(secret);
    }
  });

  it('counts the owner’s AMBER incidents for the owner', async () => {
    const seen = await overview(orgs.a.key);
    expect(sum(seen.days, (d) => d.total)).toBe(5);
    expect((await http(orgs.a.key, 'GET', '/api/v1/stats')).body.total).toBe(5);
    expect(sum(seen.days, (d) => d.bySeverity.critical)).toBe(2);
    expect(sum(seen.days, (d) => d.byClassification['malicious-code'])).toBe(2);
    // B1 (GREEN, no community with A) and D1 are not A's to see: y1 counts A1 and A2, z1 counts A3 and C1.
    expect(seen.topIndicators).toEqual(
      [
        { type: 'domain', value: v.y1, incidents: 2 },
        { type: 'domain', value: v.y2, incidents: 2 },
        { type: 'domain', value: v.z1, incidents: 2 },
      ].sort(byValue),
    );
    expect(seen.partners.map((p) => [p.organization.id, p.incidents])).toEqual([
      [orgs.a.id, 3],
      [orgs.b.id, 1],
      [orgs.c.id, 1],
    ]);
  });

  it('has every UTC day of the range, zeros included, ending today', async () => {
    for (const [query, length] of [
      ['', 30],
      ['?days=7', 7],
      ['?days=1', 1],
      ['?days=365', 365],
    ] as const) {
      const seen = await overview(orgs.b.key, query);
      expect(seen.days).toHaveLength(length);
      const today = seen.to.slice(0, 10);
      expect(seen.days.at(-1)!.date).toBe(today);
      expect(seen.from).toBe(`${seen.days[0].date}T00:00:00.000Z`);
      for (const [i, day] of seen.days.entries()) {
        expect(day.date).toBe(new Date(Date.parse(seen.from) + i * 86_400_000).toISOString().slice(0, 10));
        expect(Object.keys(day.bySeverity).sort()).toEqual(['critical', 'high', 'low', 'medium']);
        expect(Object.keys(day.byClassification)).toHaveLength(11);
        expect(sum([day], (d) => Object.values(d.bySeverity).reduce((a, b) => a + b, 0))).toBe(day.total);
      }
      expect(seen.days.filter((d) => d.total === 0).length).toBeGreaterThanOrEqual(length - 2);
    }
  });

  it('answers bad query values with 400 naming the field', async () => {
    for (const [query, field] of [
      ['days=0', 'days'],
      ['days=366', 'days'],
      ['days=-1', 'days'],
      ['days=1.5', 'days'],
      ['days=month', 'days'],
      ['since=2026-11-01', 'since'],
    ]) {
      const reply = await http(orgs.b.key, 'GET', `/api/v1/overview?${query}`);
      expect({ query, status: reply.status }).toEqual({ query, status: 400 });
      expect(new Set(reply.body.error.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set([field]));
    }
  });

  it('describes the overview in the OpenAPI document', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    expect(docs.body.paths['/api/v1/overview'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OverviewDto',
    });
    const schemas = docs.body.components.schemas;
    expect(schemas.OverviewDto.required).toEqual(['from', 'to', 'days', 'topIndicators', 'partners']);
    expect(schemas.OverviewDayDto.properties.bySeverity.required).toEqual(['low', 'medium', 'high', 'critical']);
  });
});

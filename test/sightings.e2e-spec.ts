import {
  RecordingClient,
  call,
  createCommunity,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  launchChromium,
  logIn,
  openDashboard,
  signIn,
  startDeployment,
  testDomain,
  testIpv4,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/**
 * Sightings: partners that see an incident report seeing one of its indicators (or finding it a false
 * positive, or expired). Shown to every reader of the incident, the reporter worded as comments are;
 * summed per indicator on the detail; recorded on the timeline and sent live.
 */
describe('sightings (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  // A owns the incidents; B shares a community with A, anonymously; C shares nothing with A.
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  let auditor: string;

  const http = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call(baseUrl, method, path, { token, body, headers });
  const sightingsPath = (id: string) => `/api/v1/incidents/${id}/sightings`;

  /** An incident of A with a domain and an address, once processed. */
  const submitted = async (overrides: Record<string, unknown> = {}) => {
    const domain = testDomain('sight');
    const ip = testIpv4();
    const created = await http(
      orgs.a.key,
      'POST',
      '/api/v1/incidents',
      incidentBody({ indicators: [domain, ip], ...overrides }),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await waitFor(
      async () => (await http(orgs.a.key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      30_000,
      `incident ${id} processed`,
    );
    return { id, domain, ip };
  };

  beforeAll(async () => {
    deployment = await startDeployment('sightings');
    baseUrl = deployment.baseUrl;
    orgs.a = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.b = await createOrganization(deployment.env, { kind: 'agency' });
    orgs.c = await createOrganization(deployment.env, { kind: 'cert' });
    await createCommunity(deployment.env, [{ orgId: orgs.a.id }, { orgId: orgs.b.id, anonymous: true }]);
    auditor = (await logIn(baseUrl, await createOrgAdmin(deployment, orgs.a.id))).accessToken;
  }, 240_000);

  const open: RecordingClient[] = [];
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  });

  it('lets a partner that sees a GREEN incident report a sighting, worded for each reader as comments are, live too', async () => {
    const { id, domain } = await submitted({ tlp: 'GREEN' });
    const owner = new RecordingClient(baseUrl, orgs.a.key);
    const partner = new RecordingClient(baseUrl, orgs.b.key);
    open.push(owner, partner);
    await Promise.all([owner.resumed(), partner.resumed()]);
    for (const socket of [owner, partner]) {
      expect((await socket.request('incident.join', { incidentId: id })).ok).toBe(true);
    }

    // Written defanged and upper-case: it is the incident's domain all the same.
    const written = domain.toUpperCase().replace(/\./g, '[.]');
    const reported = await http(orgs.b.key, 'POST', sightingsPath(id), {
      indicator: written,
      kind: 'seen',
      count: 3,
      firstSeen: '2026-11-28T01:00:00Z',
      lastSeen: '2026-11-28T05:30:00+02:00',
      note: 'In our proxy logs, three hosts.',
    });
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({
      id: expect.any(String),
      incidentId: id,
      organization: { id: orgs.b.id, name: orgs.b.name },
      indicator: { type: 'domain', value: domain },
      kind: 'seen',
      count: 3,
      firstSeen: '2026-11-28T01:00:00.000Z',
      lastSeen: '2026-11-28T03:30:00.000Z',
      note: 'In our proxy logs, three hosts.',
      createdAt: expect.any(String),
    });

    // The owner sees B as comments word B to it: anonymised, without an id.
    const comment = await http(orgs.b.key, 'POST', `/api/v1/incidents/${id}/comments`, { text: 'same here' });
    expect(comment.status).toBe(201);
    const ownerComments = await http(orgs.a.key, 'GET', `/api/v1/incidents/${id}/comments`);
    const ownerView = await http(orgs.a.key, 'GET', sightingsPath(id));
    expect(ownerView.status).toBe(200);
    expect(ownerView.body).toEqual([{ ...reported.body, organization: { id: null, name: 'a partner agency' } }]);
    expect(ownerView.body[0].organization).toEqual(ownerComments.body[0].organization);
    expect(ownerView.body[0].organization.name).not.toContain(orgs.b.name);
    expect((await http(orgs.b.key, 'GET', sightingsPath(id))).body).toEqual([reported.body]);

    // A's own sighting is named as A's incident names A.
    const own = await http(orgs.a.key, 'POST', sightingsPath(id), {
      indicator: { type: 'domain', value: domain },
      kind: 'expired',
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({
      organization: { id: orgs.a.id, name: orgs.a.name },
      count: 1,
      firstSeen: null,
      lastSeen: null,
      note: null,
    });
    const partnerList = await http(orgs.b.key, 'GET', sightingsPath(id));
    expect(partnerList.body.map((s: { id: string }) => s.id)).toEqual([reported.body.id, own.body.id]);
    expect(partnerList.body[1].organization).toEqual({ id: orgs.a.id, name: orgs.a.name });

    // The timeline has one `sighted` entry per sighting, each carrying the sighting as GET words it,
    // and each socket got it live exactly as its principal reads it by REST.
    for (const [token, socket, list] of [
      [orgs.a.key, owner, ownerView.body.concat([own.body])],
      [orgs.b.key, partner, partnerList.body],
    ] as const) {
      const timeline = await http(token, 'GET', `/api/v1/incidents/${id}/timeline`);
      const sighted = timeline.body.items.filter((entry: { kind: string }) => entry.kind === 'sighted');
      expect(sighted.map((entry: { sighting: unknown }) => entry.sighting)).toEqual(list);
      expect(sighted[0].id).toBe(`sighted-${reported.body.id}`);
      for (const entry of sighted) {
        const live = await socket.next('incident.timeline', (e) => e.id === entry.id);
        const { eventId: _eventId, ...payload } = live as typeof live & { eventId: string };
        expect(payload).toEqual(entry);
      }
    }
    expect(sightedCount(owner)).toBe(2);
    expect(sightedCount(partner)).toBe(2);

    // The report is in the owner's audit trail.
    const trail = await http(auditor, 'GET', '/api/v1/audit?limit=500');
    const records = trail.body.items.filter(
      (r: { action: string; details?: { sightingId?: string } }) =>
        r.action === 'incident.sighting' && r.details?.sightingId === reported.body.id,
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actor: { orgId: orgs.b.id },
      target: { type: 'incident', id },
      details: { kind: 'seen', count: 3, indicatorType: 'domain' },
    });
  });

  it('sums sightings per indicator on the incident’s detail, for every reader', async () => {
    const { id, domain, ip } = await submitted({ tlp: 'GREEN' });
    const report = async (key: string, body: Record<string, unknown>) => {
      const reply = await http(key, 'POST', sightingsPath(id), body);
      expect(reply.status).toBe(201);
    };
    await report(orgs.b.key, { indicator: domain, kind: 'seen', count: 2, lastSeen: '2026-11-27T10:00:00Z' });
    await report(orgs.a.key, { indicator: domain, kind: 'seen', firstSeen: '2026-11-28T10:00:00Z' });
    await report(orgs.b.key, { indicator: domain, kind: 'false-positive', count: 4 });
    await report(orgs.a.key, { indicator: ip.replace(/\./g, '[.]'), kind: 'expired' });
    for (const key of [orgs.a.key, orgs.b.key]) {
      const detail = await http(key, 'GET', `/api/v1/incidents/${id}`);
      expect(detail.status).toBe(200);
      const byValue = Object.fromEntries(
        detail.body.indicators.map((i: { value: string; sightings: unknown }) => [i.value, i.sightings]),
      );
      expect(byValue).toEqual({
        [domain]: { seen: 3, falsePositive: 4, expired: 0, lastSeen: '2026-11-28T10:00:00.000Z' },
        [ip]: { seen: 0, falsePositive: 0, expired: 1, lastSeen: null },
      });
    }
    // An incident nobody reported on says so.
    const quiet = await submitted({ tlp: 'GREEN' });
    const detail = await http(orgs.b.key, 'GET', `/api/v1/incidents/${quiet.id}`);
    for (const indicator of detail.body.indicators) {
      expect(indicator.sightings).toEqual({ seen: 0, falsePositive: 0, expired: 0, lastSeen: null });
    }
  });

  it('answers 404 to whoever may not see an AMBER incident, on GET and POST alike, and stores nothing', async () => {
    const { id, domain } = await submitted({ tlp: 'AMBER' });
    for (const key of [orgs.c.key, orgs.b.key]) {
      expect((await http(key, 'GET', sightingsPath(id))).status).toBe(404);
      const refused = await http(key, 'POST', sightingsPath(id), { indicator: domain, kind: 'seen' });
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('not_found');
    }
    expect(
      (await http(orgs.c.key, 'POST', sightingsPath('no-such-incident'), { indicator: domain, kind: 'seen' })).status,
    ).toBe(404);
    expect((await http(orgs.a.key, 'GET', sightingsPath(id))).body).toEqual([]);

    // A partner the AMBER incident names may report on it.
    const shared = await submitted({ tlp: 'AMBER', recipients: { organizations: [orgs.c.id] } });
    const named = await http(orgs.c.key, 'POST', sightingsPath(shared.id), { indicator: shared.ip, kind: 'seen' });
    expect(named.status).toBe(201);
    expect((await http(orgs.a.key, 'GET', sightingsPath(shared.id))).body.map((s: { id: string }) => s.id)).toEqual([
      named.body.id,
    ]);
  });

  it('refuses bad bodies with 400 naming the field, and stores nothing', async () => {
    const { id, domain } = await submitted({ tlp: 'GREEN' });
    const tomorrowAndMore = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
    const cases: Array<[unknown, string]> = [
      [{ kind: 'seen' }, 'indicator'],
      [{ indicator: 42, kind: 'seen' }, 'indicator'],
      [{ indicator: testDomain('other'), kind: 'seen' }, 'indicator'],
      [{ indicator: 'not an indicator at all', kind: 'seen' }, 'indicator'],
      [{ indicator: { type: 'ipv4', value: domain }, kind: 'seen' }, 'indicator'],
      [{ indicator: { value: '' }, kind: 'seen' }, 'indicator.value'],
      [{ indicator: { type: 'hostname', value: domain }, kind: 'seen' }, 'indicator.type'],
      [{ indicator: domain }, 'kind'],
      [{ indicator: domain, kind: 'sighted' }, 'kind'],
      [{ indicator: domain, kind: 'seen', count: 0 }, 'count'],
      [{ indicator: domain, kind: 'seen', count: 1.5 }, 'count'],
      [{ indicator: domain, kind: 'seen', count: '2' }, 'count'],
      [{ indicator: domain, kind: 'seen', firstSeen: '2026-W48-1' }, 'firstSeen'],
      [{ indicator: domain, kind: 'seen', lastSeen: tomorrowAndMore }, 'lastSeen'],
      [
        { indicator: domain, kind: 'seen', firstSeen: '2026-11-28T10:00:00Z', lastSeen: '2026-11-28T09:59:59Z' },
        'lastSeen',
      ],
      [{ indicator: domain, kind: 'seen', note: 'x'.repeat(2001) }, 'note'],
      [{ indicator: domain, kind: 'seen', note: '   ' }, 'note'],
      [{ indicator: domain, kind: 'seen', orgId: orgs.c.id }, 'orgId'],
    ];
    for (const [body, field] of cases) {
      const refused = await http(orgs.b.key, 'POST', sightingsPath(id), body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      const named = new Set(refused.body.error.details.fields.map((f: { field: string }) => f.field));
      expect({ body, fields: [...named] }).toEqual({
        body,
        fields: [field],
      });
    }
    const badKey = await http(
      orgs.b.key,
      'POST',
      sightingsPath(id),
      { indicator: domain, kind: 'seen' },
      { 'Idempotency-Key': 'with space' },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['Idempotency-Key']);
    expect((await http(orgs.a.key, 'GET', sightingsPath(id))).body).toEqual([]);
  });

  it('records a repeated Idempotency-Key once, and refuses it on another incident', async () => {
    const { id, domain } = await submitted({ tlp: 'GREEN' });
    const key = `sighting-${Date.now()}`;
    const body = { indicator: domain, kind: 'seen', count: 5 };
    const replies = await Promise.all(
      [0, 1, 2].map(() => http(orgs.b.key, 'POST', sightingsPath(id), body, { 'Idempotency-Key': key })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const later = await http(orgs.b.key, 'POST', sightingsPath(id), { ...body, count: 9 }, { 'Idempotency-Key': key });
    expect(later.status).toBe(200);
    expect(later.body).toEqual(replies.find((r) => r.status === 201)!.body);

    // The same key from another organization is that organization's own.
    const other = await http(orgs.a.key, 'POST', sightingsPath(id), body, { 'Idempotency-Key': key });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(later.body.id);

    const list = await http(orgs.a.key, 'GET', sightingsPath(id));
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([later.body.id, other.body.id]);
    const detail = await http(orgs.a.key, 'GET', `/api/v1/incidents/${id}`);
    expect(detail.body.indicators.find((i: { value: string }) => i.value === domain).sightings.seen).toBe(10);
    const timeline = await http(orgs.a.key, 'GET', `/api/v1/incidents/${id}/timeline`);
    expect(timeline.body.items.filter((e: { kind: string }) => e.kind === 'sighted')).toHaveLength(2);

    const elsewhere = await submitted({ tlp: 'GREEN' });
    const reused = await http(
      orgs.b.key,
      'POST',
      sightingsPath(elsewhere.id),
      { indicator: elsewhere.domain, kind: 'seen' },
      { 'Idempotency-Key': key },
    );
    expect(reused.status).toBe(409);
    expect((await http(orgs.a.key, 'GET', sightingsPath(elsewhere.id))).body).toEqual([]);
  });

  it('shows the counts on the incident page and reports a sighting from it; others’ reports update it live', async () => {
    const { id, domain } = await submitted({ tlp: 'GREEN' });
    const analyst = await createOrgAdmin(deployment, orgs.b.id, { roles: ['org-admin', 'analyst'] });
    const browser = await launchChromium();
    try {
      const { context, page, problems, external } = await openDashboard(browser, baseUrl);
      await page.goto(`${baseUrl}/incidents/${id}`);
      await signIn(page, analyst);
      const row = page.locator('table.indicators tr', { hasText: domain });
      await row.getByText('None reported').waitFor();
      await row.getByRole('button', { name: 'Report sighting' }).click();
      const form = row.getByRole('form', { name: 'Report sighting' });
      await form.getByLabel('Kind').selectOption('seen');
      await form.getByLabel('Count').fill('2');
      await form.getByLabel('Note (optional)').fill('Seen from the dashboard');
      await form.getByRole('button', { name: 'Report', exact: true }).click();
      await row.getByText('2 seen · 0 false positive · 0 expired').waitFor();
      const stored = await http(orgs.a.key, 'GET', sightingsPath(id));
      expect(stored.body).toMatchObject([
        { kind: 'seen', count: 2, note: 'Seen from the dashboard', indicator: { type: 'domain', value: domain } },
      ]);
      // The owner's report reaches the open page by the live timeline entry, without a reload.
      expect(
        (await http(orgs.a.key, 'POST', sightingsPath(id), { indicator: domain, kind: 'false-positive' })).status,
      ).toBe(201);
      await row.getByText('2 seen · 1 false positive · 0 expired').waitFor();
      await page.locator('.timeline').getByText('reported', { exact: false }).first().waitFor();
      expect(problems).toEqual([]);
      expect(external).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('describes sightings in the OpenAPI document', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    const path = docs.body.paths['/api/v1/incidents/{id}/sightings'];
    expect(path.post.responses['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SightingViewDto',
    });
    expect(path.get.responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/SightingViewDto' },
    });
    expect(docs.body.components.schemas.IndicatorViewDto.properties.sightings).toEqual({
      allOf: [{ $ref: '#/components/schemas/IndicatorSightingsDto' }],
      description: expect.any(String),
    });
    expect(docs.body.components.schemas.TimelineEntryDto.properties.sighting).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/SightingViewDto' }],
    });
  });
});

function sightedCount(socket: RecordingClient): number {
  return socket.received('incident.timeline').filter((e) => e.kind === 'sighted').length;
}

import { CORRIDOR_EXTENSION_ID } from '@corridor/domain';
import mongoose from 'mongoose';
import {
  RecordingClient,
  call,
  createCommunity,
  createOrganization,
  incidentBody,
  sleep,
  startDeployment,
  testDomain,
  testIpv4,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/**
 * Warning lists and PAP on the real stores (api and worker as processes, FerretDB, Redis): a warned
 * indicator shared by two organizations is stored and shown with its warning but correlates with
 * nothing and alerts nobody; PAP is defaulted from the TLP, validated, followed and exported.
 */
describe('warning lists and PAP (api + worker + FerretDB + Redis)', () => {
  let deployment: Deployment;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  const clients: RecordingClient[] = [];
  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(deployment.baseUrl, method, path, { token, body });
  const submit = (token: string, overrides: Record<string, unknown>) =>
    http(token, 'POST', '/api/v1/incidents', incidentBody(overrides));
  const get = (token: string, id: string) => http(token, 'GET', `/api/v1/incidents/${id}`);
  const correlated = (token: string, id: string) =>
    waitFor(async () => (await get(token, id)).body.state === 'correlated', 15_000, `incident ${id} correlated`);

  beforeAll(async () => {
    deployment = await startDeployment('warn-lists');
    for (const slot of ['a', 'b', 'c'] as const) orgs[slot] = await createOrganization(deployment.env);
    // A and B share a community, so each may see the other's GREEN incidents; C is in none.
    await createCommunity(deployment.env, [{ orgId: orgs.a.id }, { orgId: orgs.b.id }]);
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  it('shows a warned indicator two organizations share with its warning, and correlates only the rest', async () => {
    const [a, b] = [
      new RecordingClient(deployment.baseUrl, orgs.a.key),
      new RecordingClient(deployment.baseUrl, orgs.b.key),
    ];
    clients.push(a, b);
    await Promise.all([a.connected(), b.connected()]);
    const shared = testDomain('shared');
    const warned = [
      '8.8.8.8',
      '10.20.30.40',
      'download.windowsupdate.com',
      `http://[2001:db8::${Math.floor(Math.random() * 9000) + 1000}]/x`,
    ];

    const first = await submit(orgs.a.key, { tlp: 'GREEN', indicators: [...warned, shared] });
    expect(first.status).toBe(201);
    await correlated(orgs.a.key, first.body.id);
    const second = await submit(orgs.b.key, {
      tlp: 'GREEN',
      indicators: [shared],
      description: `Seen 8.8.8[.]8 and 10.20.30[.]40, hxxp://download.windowsupdate[.]com/ and ${warned[3]}`,
    });
    expect(second.status).toBe(201);
    await correlated(orgs.b.key, second.body.id);

    // Exactly one correlation, on the indicator no list warns of; both sides are alerted of it only.
    const detail = await get(orgs.b.key, second.body.id);
    expect(detail.body.correlations.map((c: { value: string }) => c.value)).toEqual([shared]);
    await waitFor(
      () => a.received('correlation.alert').length > 0 && b.received('correlation.alert').length > 0,
      5000,
      'alerts',
    );
    await sleep(500);
    for (const client of [a, b]) {
      expect(client.received('correlation.alert').map((alert) => alert.value)).toEqual([shared]);
    }
    const inbox = await http(orgs.a.key, 'GET', '/api/v1/alerts');
    expect(inbox.body.items.map((alert: { value: string }) => alert.value)).toEqual([shared]);

    // Stored and shown, each with the list it matched and said not to correlate.
    const byValue = new Map<string, { warnings: unknown; correlates: boolean; source: string }>(
      detail.body.indicators.map((i: { value: string }) => [i.value, i]),
    );
    expect(byValue.get('8.8.8.8')).toMatchObject({
      source: 'description',
      correlates: false,
      warnings: [{ list: 'public-dns-resolvers', name: 'Public DNS resolvers' }],
    });
    expect(byValue.get('10.20.30.40')).toMatchObject({ correlates: false, warnings: [{ list: 'rfc1918' }] });
    expect(byValue.get('http://download.windowsupdate.com/')).toMatchObject({
      correlates: false,
      warnings: [{ list: 'popular-domains' }],
    });
    expect(byValue.get(warned[3])).toMatchObject({ correlates: false, warnings: [{ list: 'documentation' }] });
    expect(byValue.get(shared)).toMatchObject({ correlates: true, warnings: [] });
  });

  it('correlates nothing and alerts nobody when two organizations share only warned indicators', async () => {
    const a = new RecordingClient(deployment.baseUrl, orgs.a.key);
    const c = new RecordingClient(deployment.baseUrl, orgs.c.key);
    clients.push(a, c);
    await Promise.all([a.connected(), c.connected()]);
    // AMBER+STRICT: had they correlated, each would have learned of the other's incident.
    const values = [
      '1.1.1.1',
      '2606:4700:4700::1111',
      '::ffff:192.168.1.1',
      'www.example.com',
      'security@microsoft.com',
    ];
    const mine = await submit(orgs.a.key, { tlp: 'AMBER+STRICT', indicators: values });
    const theirs = await submit(orgs.c.key, { tlp: 'AMBER+STRICT', indicators: values });
    await correlated(orgs.a.key, mine.body.id);
    await correlated(orgs.c.key, theirs.body.id);
    await sleep(1000);
    for (const [client, token, id] of [
      [a, orgs.a.key, mine.body.id],
      [c, orgs.c.key, theirs.body.id],
    ] as const) {
      expect(client.received('correlation.alert')).toEqual([]);
      const detail = await get(token, id);
      expect(detail.body.correlations).toEqual([]);
      expect(
        detail.body.indicators.map((i: { warnings: Array<{ list: string }> }) => i.warnings.map((w) => w.list)),
      ).toEqual([
        ['public-dns-resolvers'],
        ['public-dns-resolvers'],
        ['rfc1918'],
        ['special-use-domains'],
        ['popular-domains'],
      ]);
    }
    const inbox = await http(orgs.c.key, 'GET', '/api/v1/alerts');
    expect(inbox.body.items).toEqual([]);
    // The timeline records the processing, and no correlation.
    const timeline = await http(orgs.c.key, 'GET', `/api/v1/incidents/${theirs.body.id}/timeline`);
    expect(timeline.body.items.map((entry: { kind: string }) => entry.kind)).not.toContain('correlated');
  });

  it('finds incidents carrying a warned value by search, only those the caller may see', async () => {
    const resolverHost = `https://[2a10:50c0::ad1:ff]/${testDomain('q')}`;
    const own = await submit(orgs.a.key, { tlp: 'GREEN', indicators: [resolverHost] });
    const hidden = await submit(orgs.c.key, { tlp: 'AMBER+STRICT', indicators: [resolverHost] });
    await correlated(orgs.a.key, own.body.id);
    await correlated(orgs.c.key, hidden.body.id);
    const found = await http(orgs.b.key, 'GET', `/api/v1/search?value=${encodeURIComponent(resolverHost)}`);
    expect(found.status).toBe(200);
    expect(found.body.warnings).toEqual([{ list: 'public-dns-resolvers', name: 'Public DNS resolvers' }]);
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([own.body.id]);
    const control = testIpv4();
    const plain = await http(orgs.b.key, 'GET', `/api/v1/search?value=${control}`);
    expect(plain.body).toMatchObject({ type: 'ipv4', value: control, warnings: [], items: [] });
  });

  it('defaults PAP from the TLP, keeps one given, and gives each indicator its own or the incident’s', async () => {
    const expected = { CLEAR: 'GREEN', GREEN: 'GREEN', AMBER: 'AMBER', 'AMBER+STRICT': 'AMBER', RED: 'AMBER' };
    for (const [tlp, pap] of Object.entries(expected)) {
      const created = await submit(orgs.a.key, { tlp });
      expect([tlp, created.status, created.body.pap]).toEqual([tlp, 201, pap]);
    }
    const explicit = await submit(orgs.a.key, {
      tlp: 'AMBER',
      pap: 'GREEN',
      indicators: [{ value: testDomain('red'), pap: 'RED' }, testDomain('plain')],
      description: `also ${testIpv4()}`,
    });
    expect(explicit.body.pap).toBe('GREEN');
    await correlated(orgs.a.key, explicit.body.id);
    const detail = await get(orgs.a.key, explicit.body.id);
    expect(
      detail.body.indicators.map((i: { pap: string; papGiven?: boolean }) => [i.pap, i.papGiven ?? false]),
    ).toEqual([
      ['RED', true],
      ['GREEN', false],
      ['GREEN', false],
    ]);
    const list = await http(orgs.a.key, 'GET', '/api/v1/incidents?limit=1');
    expect(list.body.items[0]).toMatchObject({ id: explicit.body.id, pap: 'GREEN' });

    // PATCH: the incident's PAP changes, and the indicators without one of their own follow it.
    const patched = await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${explicit.body.id}`, { pap: 'CLEAR' });
    expect(patched.status).toBe(200);
    expect(patched.body.pap).toBe('CLEAR');
    expect(patched.body.indicators.map((i: { pap: string }) => i.pap)).toEqual(['RED', 'CLEAR', 'CLEAR']);

    const bundle = await http(orgs.a.key, 'GET', `/api/v1/incidents/${explicit.body.id}/export`);
    expect(bundle.status).toBe(200);
    type Exported = { type: string; name?: string; extensions?: Record<string, { pap?: string }> };
    const objects: Exported[] = bundle.body.objects;
    const papOf = (o: Exported) => o.extensions?.[CORRIDOR_EXTENSION_ID]?.pap;
    expect(objects.filter((o) => o.type === 'incident').map(papOf)).toEqual(['CLEAR']);
    expect(objects.filter((o) => o.type === 'indicator').map(papOf)).toEqual(['RED', 'CLEAR', 'CLEAR']);
  });

  it('refuses a PAP that is not one, naming the field; no one else may change it', async () => {
    for (const [body, field] of [
      [{ tlp: 'GREEN', pap: 'WHITE' }, 'pap'],
      [{ tlp: 'GREEN', pap: 'PAP:RED' }, 'pap'],
      [{ tlp: 'GREEN', pap: 7 }, 'pap'],
      [{ tlp: 'GREEN', indicators: [testDomain(), { value: testDomain(), pap: 'amber' }] }, 'indicators.1.pap'],
    ] as const) {
      const refused = await submit(orgs.a.key, body);
      expect([refused.status, refused.body.error.details.fields.map((f: { field: string }) => f.field)]).toEqual([
        400,
        [field],
      ]);
    }
    const created = await submit(orgs.a.key, { tlp: 'GREEN' });
    const bad = await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${created.body.id}`, { pap: 'BLACK' });
    expect([bad.status, bad.body.error.details.fields.map((f: { field: string }) => f.field)]).toEqual([400, ['pap']]);
    // B sees A's GREEN incident through the community but may not change it; C does not see it at all.
    const byReader = await http(orgs.b.key, 'PATCH', `/api/v1/incidents/${created.body.id}`, { pap: 'RED' });
    expect(byReader.status).toBe(403);
    const byStranger = await http(orgs.c.key, 'PATCH', `/api/v1/incidents/${created.body.id}`, { pap: 'RED' });
    expect(byStranger.status).toBe(404);
    expect((await get(orgs.a.key, created.body.id)).body.pap).toBe('GREEN');
  });

  it('reads incidents stored before warning lists and PAP: no warnings, the PAP for their TLP', async () => {
    const connection = await mongoose.createConnection(deployment.env.MONGODB_URI).asPromise();
    try {
      const id = `00000000-0000-7000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
      const now = new Date();
      await connection.collection('incidents').insertOne({
        _id: id as never,
        orgId: orgs.a.id,
        authorId: 'key-of-a',
        recipientOrgIds: [],
        recipientUserIds: [],
        status: 'new',
        title: 'stored before warning lists',
        description: '',
        occurredAt: now,
        classification: { class: 'other', type: 'undetermined' },
        severity: 'low',
        tlp: 'AMBER+STRICT',
        externalRef: null,
        refKey: id,
        idemKey: id,
        state: 'correlated',
        failureReason: null,
        submitted: [{ raw: '8.8.8.8', source: 'field' }],
        indicators: [
          { raw: '8.8.8.8', type: 'ipv4', value: '8.8.8.8', source: 'field', enrichment: { ipRange: 'unicast' } },
        ],
        rejectedIndicators: [],
        createdAt: now,
        updatedAt: now,
      });
      const read = await get(orgs.a.key, id);
      expect(read.status).toBe(200);
      expect(read.body.pap).toBe('AMBER');
      expect(read.body.indicators).toEqual([
        expect.objectContaining({ value: '8.8.8.8', warnings: [], correlates: true, pap: 'AMBER' }),
      ]);
    } finally {
      await connection.close();
    }
  });
});

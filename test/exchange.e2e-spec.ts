import { createHash, randomUUID } from 'node:crypto';
import { importStixBundle, stixIncidentId } from '@corridor/domain';
import {
  call,
  createCommunity,
  createOrganization,
  incidentBody,
  startDeployment,
  testDomain,
  testIpv4,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/** RFC 4122 UUIDs of versions 1–5, as STIX identifiers must be (STIX 2.1 §2.9). */
const STIX_ID = /^[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type StixObject = { type: string; id: string; [key: string]: unknown };

/**
 * STIX 2.1 and MISP in and out through the api: an incident exported by one organization and
 * imported by another in another community comes back with the same fields, TLP, PAP and
 * indicators; re-imports are idempotent, newer versions update, `revoked` retracts; bad documents
 * are refused whole with the object and path named.
 */
describe('STIX and MISP exchange (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  // A and B share a community; C is alone in another one.
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  let shared: { id: string };

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });

  const processed = async (token: string, id: string) => {
    let detail: Record<string, any> = {};
    await waitFor(
      async () => {
        detail = (await http(token, 'GET', `/api/v1/incidents/${id}`)).body;
        return detail.state === 'correlated';
      },
      30_000,
      `incident ${id} processed`,
    );
    return detail;
  };

  /** What a round trip must keep of an incident. */
  const essence = (detail: Record<string, any>) => ({
    title: detail.title,
    severity: detail.severity,
    classification: detail.classification,
    tlp: detail.tlp,
    pap: detail.pap,
    indicators: (detail.indicators as Array<Record<string, unknown>>)
      .map((i) => ({ type: i.type, value: i.value, pap: i.pap, forDetection: i.forDetection }))
      .sort((x, y) => String(x.value).localeCompare(String(y.value))),
  });

  const countOwn = async (token: string) =>
    ((await http(token, 'GET', '/api/v1/incidents?limit=200')).body.items as unknown[]).length;

  beforeAll(async () => {
    deployment = await startDeployment('exchange');
    baseUrl = deployment.baseUrl;
    orgs.a = await createOrganization(deployment.env, { kind: 'cert' });
    orgs.b = await createOrganization(deployment.env, { kind: 'agency' });
    orgs.c = await createOrganization(deployment.env, { kind: 'cert' });
    shared = await createCommunity(deployment.env, [{ orgId: orgs.a.id }, { orgId: orgs.b.id }]);
    await createCommunity(deployment.env, [{ orgId: orgs.c.id }]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  });

  /** An incident of A with detection indicators, a context-only one, a CVE and its own PAPs. */
  const submitted = async (overrides: Record<string, unknown> = {}) => {
    const ip = testIpv4();
    const domain = testDomain('xchg');
    const created = await http(
      orgs.a.key,
      'POST',
      '/api/v1/incidents',
      incidentBody({
        tlp: 'AMBER',
        pap: 'GREEN',
        classification: { class: 'fraud', type: 'phishing' },
        indicators: [
          ip,
          { value: domain, type: 'domain', pap: 'RED' },
          { value: testDomain('ctx'), forDetection: false },
          'CVE-2024-3094',
        ],
        ...overrides,
      }),
    );
    expect(created.status).toBe(201);
    return processed(orgs.a.key, created.body.id);
  };

  it('exports a STIX 2.1 bundle the importer validates: v1–5 ids, a report, observed data, no empty bundle', async () => {
    const incident = await submitted();
    const exported = await http(orgs.a.key, 'GET', `/api/v1/incidents/${incident.id}/stix`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/stix+json');
    const objects = exported.body.objects as StixObject[];
    for (const object of objects) expect(object.id).toMatch(STIX_ID);
    expect(objects.find((o) => o.type === 'incident')?.id).toBe(stixIncidentId(incident.id));
    const types = new Set(objects.map((o) => o.type));
    for (const type of ['report', 'observed-data', 'vulnerability', 'indicator', 'relationship', 'identity'])
      expect(types).toContain(type);
    // The context-only domain is an observable, not an indicator.
    expect(objects.filter((o) => o.type === 'indicator')).toHaveLength(2);
    expect(objects.filter((o) => o.type === 'domain-name')).toHaveLength(2);
    expect(JSON.stringify(objects)).not.toContain('indicates');
    expect(() => importStixBundle(exported.body)).not.toThrow();

    // Nothing matches: no bundle at all (STIX forbids an empty one).
    const none = await http(orgs.a.key, 'GET', '/api/v1/export?severity=low&status=closed');
    expect(none.status).toBe(204);
    expect(none.body).toBeFalsy();
  });

  it('brings an incident exported by A into C by STIX with the same fields, TLP, PAP and indicators', async () => {
    const original = await submitted();
    const bundle = (await http(orgs.a.key, 'GET', `/api/v1/incidents/${original.id}/stix`)).body;

    const imported = await http(orgs.c.key, 'POST', '/api/v1/import/stix', bundle);
    expect(imported.status).toBe(200);
    expect(imported.body.incidents).toHaveLength(1);
    const [outcome] = imported.body.incidents;
    expect(outcome).toMatchObject({ externalRef: stixIncidentId(original.id), outcome: 'created', tlp: 'AMBER' });
    const copy = await processed(orgs.c.key, outcome.id);
    expect(essence(copy)).toEqual(essence(original));
    expect(copy.description).toBe(original.description);
    expect(copy.externalRef).toBe(stixIncidentId(original.id));

    // The copy is C's: A and B, who share nothing with C, do not see it.
    for (const other of [orgs.a, orgs.b]) {
      expect((await http(other.key, 'GET', `/api/v1/incidents/${outcome.id}`)).status).toBe(404);
    }

    // C's copy travels on (C exports it, B imports it): B keys it by the original's id, so A's own
    // bundle reaching B afterwards is the same incident, not a second copy.
    const onward = (await http(orgs.c.key, 'GET', `/api/v1/incidents/${outcome.id}/stix`)).body;
    const atB = await http(orgs.b.key, 'POST', '/api/v1/import/stix', onward);
    expect(atB.body.incidents[0]).toMatchObject({ externalRef: stixIncidentId(original.id), outcome: 'created' });
    const direct = await http(orgs.b.key, 'POST', '/api/v1/import/stix', bundle);
    expect(direct.body.incidents[0]).toMatchObject({ id: atB.body.incidents[0].id, outcome: 'unchanged' });

    // The same bundle again changes nothing; a newer version with a stricter marking narrows the copy.
    const again = await http(orgs.c.key, 'POST', '/api/v1/import/stix', bundle);
    expect(again.body.incidents[0]).toMatchObject({ id: outcome.id, outcome: 'unchanged' });
    const strict = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003';
    const newer = {
      ...bundle,
      objects: (bundle.objects as StixObject[]).map((o) =>
        o.type === 'incident'
          ? { ...o, modified: '2099-01-01T00:00:00.000Z', object_marking_refs: [strict] }
          : o.type === 'marking-definition'
            ? o
            : o,
      ),
    };
    const updated = await http(orgs.c.key, 'POST', '/api/v1/import/stix', newer);
    expect(updated.status).toBe(200);
    expect(updated.body.incidents[0]).toMatchObject({ id: outcome.id, outcome: 'updated', tlp: 'AMBER+STRICT' });
    expect((await http(orgs.c.key, 'GET', `/api/v1/incidents/${outcome.id}`)).body.tlp).toBe('AMBER+STRICT');

    // Revoked at the source: retracted here.
    const revoked = {
      ...newer,
      objects: (newer.objects as StixObject[]).map((o) =>
        o.type === 'incident' ? { ...o, modified: '2099-01-02T00:00:00.000Z', revoked: true } : o,
      ),
    };
    const retracted = await http(orgs.c.key, 'POST', '/api/v1/import/stix', revoked);
    expect(retracted.body.incidents[0]).toMatchObject({ id: outcome.id, outcome: 'retracted' });
    await waitFor(
      async () => (await http(orgs.c.key, 'GET', `/api/v1/incidents/${outcome.id}`)).status === 410,
      60_000,
      'the revoked incident retracted',
    );
  });

  it('brings an incident exported by A into C by MISP with the same fields, TLP, PAP and indicators', async () => {
    const original = await submitted({ tlp: 'CLEAR', pap: 'CLEAR' });
    const event = await http(orgs.a.key, 'GET', `/api/v1/incidents/${original.id}/misp`);
    expect(event.status).toBe(200);
    expect(event.body.Event.distribution).toBe('3');
    const tags = (event.body.Event.Tag as Array<{ name: string }>).map((t) => t.name);
    expect(tags).toEqual(expect.arrayContaining(['tlp:clear', 'PAP:CLEAR', 'rsit:fraud="phishing"']));
    expect((await http(orgs.a.key, 'GET', `/api/v1/incidents/${original.id}/misp`)).body).toEqual(event.body);

    const imported = await http(orgs.c.key, 'POST', '/api/v1/import/misp', event.body);
    expect(imported.status).toBe(200);
    const [outcome] = imported.body.incidents;
    expect(outcome).toMatchObject({ externalRef: `misp:${event.body.Event.uuid}`, outcome: 'created', tlp: 'CLEAR' });
    const copy = await processed(orgs.c.key, outcome.id);
    expect(essence(copy)).toEqual(essence(original));
  });

  it('refuses a broken document whole, naming the object and path, and imports nothing of it', async () => {
    const before = await countOwn(orgs.c.key);
    const cases: Array<[string, unknown, RegExp]> = [
      ['/api/v1/import/stix', { type: 'not-a-bundle' }, /type/],
      ['/api/v1/import/stix', [], /./],
      [
        '/api/v1/import/stix',
        {
          type: 'bundle',
          id: 'bundle--6a2f9a3e-4c1b-4d7e-9f00-1b2c3d4e5f60',
          objects: [
            {
              type: 'incident',
              spec_version: '2.1',
              id: 'incident--2b6c1e9a-3d4f-4a5b-8c7d-9e0f1a2b3c4d',
              created: '2026-11-24T08:00:00.000Z',
              modified: '2026-11-24T08:00:00.000Z',
              name: 'fine',
            },
            {
              type: 'indicator',
              spec_version: '2.1',
              id: 'indicator--7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
              created: '2026-02-30T08:00:00.000Z',
              modified: '2026-02-30T08:00:00.000Z',
              pattern: "[ipv4-addr:value = '45.1.2.3']",
              pattern_type: 'stix',
              valid_from: '2026-02-30T08:00:00.000Z',
            },
          ],
        },
        /objects\[1\].*created/,
      ],
      ['/api/v1/import/misp', { Event: { date: '2026-11-24' } }, /Event\.info/],
      [
        '/api/v1/import/misp',
        {
          Event: {
            uuid: '5b3f1c2a-9d4e-4f6a-8b7c-0d1e2f3a4b5c',
            info: 'secret',
            date: '2026-11-24',
            distribution: '0',
            timestamp: '1795000000',
            Tag: [{ name: 'tlp:red' }],
          },
        },
        /Event\.Tag\[0\]/,
      ],
    ];
    for (const [path, body, field] of cases) {
      const refused = await http(orgs.c.key, 'POST', path, body);
      expect(refused.status).toBe(400);
      const fields = (refused.body.error.details?.fields ?? []) as Array<{ field: string }>;
      expect(fields.map((f) => f.field).join(' ')).toMatch(field);
    }
    const badTlp = await http(orgs.c.key, 'POST', '/api/v1/import/stix?defaultTlp=PURPLE', { type: 'x' });
    expect(badTlp.status).toBe(400);
    expect(await countOwn(orgs.c.key)).toBe(before);
  });

  it('serves a community’s MISP feed to its members, holding only what each may see', async () => {
    const green = await submitted({ tlp: 'GREEN' });
    const amber = await submitted({ tlp: 'AMBER' });
    const greenUuid = (await http(orgs.a.key, 'GET', `/api/v1/incidents/${green.id}/misp`)).body.Event.uuid;
    const amberUuid = (await http(orgs.a.key, 'GET', `/api/v1/incidents/${amber.id}/misp`)).body.Event.uuid;
    const feed = `/api/v1/misp-feeds/${shared.id}`;

    const manifest = await http(orgs.b.key, 'GET', `${feed}/manifest.json`);
    expect(manifest.status).toBe(200);
    expect(Object.keys(manifest.body)).toContain(greenUuid);
    expect(Object.keys(manifest.body)).not.toContain(amberUuid);
    const event = await http(orgs.b.key, 'GET', `${feed}/${greenUuid}.json`);
    expect(event.body.Event.SharingGroup.uuid).toBeDefined();
    expect(event.body.Event.distribution).toBe('4');
    expect((await http(orgs.b.key, 'GET', `${feed}/${amberUuid}.json`)).status).toBe(404);
    const hashes = await fetch(`${baseUrl}${feed}/hashes.csv`, { headers: { authorization: `Bearer ${orgs.b.key}` } });
    expect(hashes.status).toBe(200);
    const ip = (green.indicators as Array<{ type: string; value: string }>).find((i) => i.type === 'ipv4')!.value;
    const md5 = createHash('md5').update(ip).digest('hex');
    expect(await hashes.text()).toContain(`${md5},${greenUuid}`);

    // The owner sees both; an organization outside the community sees no feed at all.
    expect(Object.keys((await http(orgs.a.key, 'GET', `${feed}/manifest.json`)).body)).toEqual(
      expect.arrayContaining([greenUuid, amberUuid]),
    );
    expect((await http(orgs.c.key, 'GET', `${feed}/manifest.json`)).status).toBe(404);
  });

  it('imports a MISP event under tlp:ex:chr with its submitter anonymised to every partner, and exports it so', async () => {
    const ip = testIpv4();
    const event = {
      Event: {
        uuid: randomUUID(),
        info: 'Scanning under the Chatham House Rule',
        date: '2026-11-20',
        threat_level_id: '2',
        distribution: '3',
        timestamp: '1795000000',
        Tag: [{ name: 'tlp:green' }, { name: 'tlp:ex:chr' }, { name: 'rsit:information-gathering="scanner"' }],
        Attribute: [{ uuid: randomUUID(), type: 'ip-src', category: 'Network activity', value: ip, to_ids: true }],
      },
    };
    const imported = await http(orgs.a.key, 'POST', '/api/v1/import/misp', event);
    expect(imported.status).toBe(200);
    const [outcome] = imported.body.incidents;
    expect(outcome).toMatchObject({ outcome: 'created', tlp: 'GREEN' });
    await processed(orgs.a.key, outcome.id);

    // B shares a community with A, where A is named: the rule hides A all the same.
    const seenByB = await http(orgs.b.key, 'GET', `/api/v1/incidents/${outcome.id}`);
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.organization).toEqual({ id: null, name: 'a partner CERT' });
    expect(JSON.stringify(seenByB.body)).not.toContain(orgs.a.name);
    const ownView = await http(orgs.a.key, 'GET', `/api/v1/incidents/${outcome.id}`);
    expect(ownView.body.organization).toEqual({ id: orgs.a.id, name: orgs.a.name });
    const stixForB = await http(orgs.b.key, 'GET', `/api/v1/incidents/${outcome.id}/stix`);
    expect(JSON.stringify(stixForB.body)).not.toContain(orgs.a.name);
    const mispForA = await http(orgs.a.key, 'GET', `/api/v1/incidents/${outcome.id}/misp`);
    expect((mispForA.body.Event.Tag as Array<{ name: string }>).map((t) => t.name)).toContain('tlp:ex:chr');
  });
});

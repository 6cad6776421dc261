import { randomUUID } from 'node:crypto';
import {
  call,
  createCommunity,
  createOrganization,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

const TAXII = 'application/taxii+json;version=2.1';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const POSTED = 2500;
/** 4 MiB: the 2,500 objects fit in one POST (about 1 MB); the 413 case sends more. */
const MAX_CONTENT_LENGTH = 4 * 1024 * 1024;
const TIMESTAMP_6 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

type Stix = { id: string; type: string; name?: string; object_marking_refs?: string[] };
type Reply = { status: number; body: any; headers: Headers };

/**
 * The TAXII 2.1 server (issue #11 §3, §6) on the real stores. Organizations A and B each have a
 * community of their own and share a third. A POSTs 2,500 GREEN objects to the shared collection at
 * once, then submits a GREEN and, last, an AMBER incident. B pages the shared collection by `next`
 * and by `added_after` alone and gets every object it may read exactly once, and never A's AMBER
 * objects: not by objects, manifest, versions, id, count, `more` or date headers.
 */
describe('TAXII 2.1 server (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let shared: string;
  let ownOfA: string;
  let amberIncident: string;
  let greenIncident: string;

  const taxii = (
    key: string | undefined,
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const headers: Record<string, string> = { accept: TAXII, ...options.headers };
    if (key !== undefined && !headers.authorization) headers.authorization = `Bearer ${key}`;
    if ((options.body !== undefined || options.rawBody !== undefined) && !headers['content-type'])
      headers['content-type'] = TAXII;
    const rawBody = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    return call(baseUrl, method, path, { rawBody, headers });
  };
  const collectionPath = (id: string) => `/taxii2/api/collections/${id}`;

  const submit = async (key: string, tlp: string, value: string): Promise<string> => {
    const reply = await call(baseUrl, 'POST', '/api/v1/incidents', {
      token: key,
      body: {
        title: uniqueName(`${tlp} incident `),
        description: `Scanning from ${value}.`,
        occurredAt: '2026-11-29T08:00:00Z',
        classification: { class: 'information-gathering', type: 'scanner' },
        severity: 'medium',
        tlp,
        indicators: [{ value }],
      },
    });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };

  /** Every object of a collection as `key` reads it, paged by `next` (limit 100). */
  const pageByNext = async (key: string, collectionId: string, endpoint = 'objects') => {
    const seen: any[] = [];
    let pages = 0;
    let next: string | undefined;
    for (;;) {
      const query = next ? `?limit=100&next=${encodeURIComponent(next)}` : '?limit=100';
      const reply = await taxii(key, 'GET', `${collectionPath(collectionId)}/${endpoint}/${query}`);
      expect(reply.status).toBe(200);
      pages++;
      const items = (reply.body.objects ?? []) as any[];
      expect(items.length).toBeLessThanOrEqual(100);
      if (reply.body.more) expect(items).toHaveLength(100);
      seen.push(...items);
      if (!reply.body.more) {
        expect(reply.body.next).toBeUndefined();
        return { seen, pages, lastHeader: reply.headers.get('x-taxii-date-added-last') };
      }
      next = reply.body.next as string;
    }
  };

  beforeAll(async () => {
    deployment = await startDeployment('taxii_', { BODY_LIMIT_BYTES: String(MAX_CONTENT_LENGTH) });
    baseUrl = deployment.baseUrl;
    a = await createOrganization(deployment.env);
    b = await createOrganization(deployment.env);
    await createCommunity(deployment.env, [{ orgId: a.id }]);
    await createCommunity(deployment.env, [{ orgId: b.id }]);
    await createCommunity(deployment.env, [{ orgId: a.id }, { orgId: b.id }]);
    const listA = await taxii(a.key, 'GET', '/taxii2/api/collections/');
    expect(listA).toMatchObject({ status: 200, body: { collections: expect.any(Array) } });
    const ofA = listA.body.collections as Array<{ id: string }>;
    const ofB = (await taxii(b.key, 'GET', '/taxii2/api/collections/')).body.collections as Array<{ id: string }>;
    expect(ofA).toHaveLength(2);
    expect(ofB).toHaveLength(2);
    shared = ofA.find((c) => ofB.some((d) => d.id === c.id))!.id;
    ownOfA = ofA.find((c) => c.id !== shared)!.id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  it('discovery, API root and collections, with the TAXII media type', async () => {
    const discovery = await taxii(a.key, 'GET', '/taxii2/');
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe(TAXII);
    expect(discovery.body.api_roots).toEqual([`${baseUrl}/taxii2/api/`]);
    const root = await taxii(a.key, 'GET', '/taxii2/api/');
    expect(root.body).toMatchObject({ versions: [TAXII], max_content_length: MAX_CONTENT_LENGTH });
    const collection = await taxii(b.key, 'GET', `${collectionPath(shared)}/`);
    expect(collection.status).toBe(200);
    expect(collection.body).toMatchObject({
      id: shared,
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
    expect(shared).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A's own community's collection is not B's: 404, as a missing one.
    expect((await taxii(b.key, 'GET', `${collectionPath(ownOfA)}/`)).status).toBe(404);
    expect((await taxii(b.key, 'GET', `${collectionPath(ownOfA)}/objects/`)).status).toBe(404);
  });

  it('2,500 objects POSTed at once: 202 with a status resource, kept and read back by its sender only', async () => {
    const now = new Date().toISOString();
    const objects = Array.from({ length: POSTED }, (_, i) => ({
      // A partner's catalogue of techniques: STIX objects Corridor keeps and lists, and maps to no indicator.
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${randomUUID()}`,
      created: now,
      modified: now,
      name: `scanner ${i}`,
      object_marking_refs: [GREEN],
    }));
    const started = Date.now();
    const reply = await taxii(a.key, 'POST', `${collectionPath(shared)}/objects/`, { body: { objects } });
    expect(reply.status).toBe(202);
    expect(reply.headers.get('content-type')).toBe(TAXII);
    expect(reply.body).toMatchObject({
      status: 'complete',
      total_count: POSTED,
      success_count: POSTED,
      failure_count: 0,
      pending_count: 0,
    });
    expect(reply.body.request_timestamp).toMatch(TIMESTAMP_6);
    expect(new Set(reply.body.successes.map((s: { id: string }) => s.id))).toEqual(new Set(objects.map((o) => o.id)));
    process.stdout.write(`TAXII POST: ${POSTED} objects stored in ${Date.now() - started} ms\n`);

    const status = await taxii(a.key, 'GET', `/taxii2/api/status/${reply.body.id}/`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: reply.body.id, status: 'complete', success_count: POSTED });
    expect((await taxii(b.key, 'GET', `/taxii2/api/status/${reply.body.id}/`)).status).toBe(404);

    // The objects were imported too: one incident of A (the bundle holds no incident, report or grouping),
    // published to the collection once processed, before anything below.
    const imported = /imported: bundle--[0-9a-f-]{36} created as ([0-9a-f-]{36})/.exec(reply.body.successes[0].message);
    expect(imported).not.toBeNull();
    await waitFor(
      async () => (await incidentObjects(a.key, imported![1])).length > 0,
      60_000,
      'the imported incident published',
    );

    // Then A's GREEN incident, and A's AMBER incident last of all.
    greenIncident = await submit(a.key, 'GREEN', '203.0.113.70');
    await waitFor(async () => (await incidentObjects(a.key, greenIncident)).length > 0, 30_000, 'GREEN published');
    amberIncident = await submit(a.key, 'AMBER', '203.0.113.71');
    await waitFor(async () => (await incidentObjects(a.key, amberIncident)).length > 0, 30_000, 'AMBER published');
  }, 240_000);

  /** The STIX objects of one incident in the shared collection, as `key` reads them. */
  const incidentObjects = async (key: string, incidentId: string): Promise<Stix[]> => {
    const reply = await taxii(key, 'GET', `${collectionPath(shared)}/objects/?match[type]=incident&limit=1000`);
    const incident = ((reply.body.objects ?? []) as any[]).find((o) =>
      (o.external_references ?? []).some((r: { external_id?: string }) => r.external_id === incidentId),
    );
    return incident ? [incident] : [];
  };

  it('B pages by next and by added_after alone: every object it may read, exactly once; none of the AMBER ones', async () => {
    const t0 = Date.now();
    const byNext = await pageByNext(b.key, shared);
    const nextMs = Date.now() - t0;

    const t1 = Date.now();
    const byDate: any[] = [];
    let datePages = 0;
    let addedAfter: string | undefined;
    for (;;) {
      const query = addedAfter ? `?limit=100&added_after=${addedAfter}` : '?limit=100';
      const reply = await taxii(b.key, 'GET', `${collectionPath(shared)}/objects/${query}`);
      expect(reply.status).toBe(200);
      datePages++;
      const items = (reply.body.objects ?? []) as any[];
      byDate.push(...items);
      if (!reply.body.more) break;
      const last = reply.headers.get('x-taxii-date-added-last');
      expect(last).toMatch(TIMESTAMP_6);
      addedAfter = last!;
    }
    const dateMs = Date.now() - t1;

    const ids = (list: any[]) => list.map((o) => `${o.id}|${o.modified ?? o.created}`);
    expect(new Set(ids(byNext.seen)).size).toBe(byNext.seen.length);
    expect(new Set(ids(byDate)).size).toBe(byDate.length);
    expect(ids(byDate)).toEqual(ids(byNext.seen));
    const indicators = byNext.seen.filter((o) => o.type === 'attack-pattern' && /^scanner \d+$/.test(o.name));
    expect(indicators).toHaveLength(POSTED);

    const aView = await pageByNext(a.key, shared);
    const amber = aView.seen.filter((o: Stix) => (o.object_marking_refs ?? []).includes(AMBER));
    expect([...new Set(amber.map((o: Stix) => o.type))].sort()).toEqual([
      'incident',
      'indicator',
      'ipv4-addr',
      'observed-data',
      'relationship',
      'report',
    ]);
    const amberIds = new Set(amber.map((o: Stix) => o.id));
    expect(byNext.seen.filter((o) => amberIds.has(o.id))).toEqual([]);
    // Everything else A reads, B reads too (GREEN and the shared definitions): the counts differ by the AMBER ones.
    expect(aView.seen.length - amber.length).toBe(byNext.seen.length);
    // The GREEN incident is there for B.
    expect((await incidentObjects(b.key, greenIncident)).length).toBe(1);

    process.stdout.write(
      `TAXII paging, limit=100: by next ${byNext.pages} pages, ${byNext.seen.length} objects, ${nextMs} ms; ` +
        `by added_after ${datePages} pages, ${byDate.length} objects, ${dateMs} ms ` +
        `(A reads ${aView.seen.length}, ${amber.length} of them AMBER)\n`,
    );

    // The AMBER objects came last: past B's last object nothing is left for B, and nothing says more.
    const after = await taxii(b.key, 'GET', `${collectionPath(shared)}/objects/?added_after=${byNext.lastHeader}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ more: false });
    expect(after.headers.get('x-taxii-date-added-first')).toBeNull();
    expect(after.headers.get('x-taxii-date-added-last')).toBeNull();
    const aAfter = await taxii(a.key, 'GET', `${collectionPath(shared)}/objects/?added_after=${byNext.lastHeader}`);
    expect(aAfter.body.objects.length).toBeGreaterThanOrEqual(amber.length);

    // Manifest: the same records as the objects, none of them AMBER.
    const manifest = await pageByNext(b.key, shared, 'manifest');
    expect(manifest.seen.map((r) => r.id)).toEqual(byNext.seen.map((o) => o.id));
    expect(manifest.seen.every((r) => TIMESTAMP_6.test(r.date_added))).toBe(true);

    // By id and versions: 404 for B, as for an object that does not exist; A reads them.
    for (const object of amber) {
      for (const path of [`objects/${object.id}/`, `objects/${object.id}/versions/`]) {
        const reply = await taxii(b.key, 'GET', `${collectionPath(shared)}/${path}`);
        expect(reply.status).toBe(404);
        expect(reply.headers.get('content-type')).toBe(TAXII);
        expect(reply.body.http_status).toBe('404');
        expect((await taxii(a.key, 'GET', `${collectionPath(shared)}/${path}`)).status).toBe(200);
      }
    }
    const missing = await taxii(b.key, 'GET', `${collectionPath(shared)}/objects/incident--${randomUUID()}/`);
    expect(missing.status).toBe(404);
    // Filtered by the AMBER ids: nothing, and no date headers.
    const filtered = await taxii(
      b.key,
      'GET',
      `${collectionPath(shared)}/objects/?match[id]=${[...amberIds].join(',')}&match[version]=all`,
    );
    expect(filtered.body).toEqual({ more: false });
    expect(filtered.headers.get('x-taxii-date-added-first')).toBeNull();
  }, 180_000);

  it('a change of the incident is a new version; version selection first/last/all', async () => {
    const [incident] = await incidentObjects(a.key, greenIncident);
    const patched = await call(baseUrl, 'PATCH', `/api/v1/incidents/${greenIncident}`, {
      token: a.key,
      body: { status: 'triaged' },
    });
    expect(patched.status).toBe(200);
    const versionsPath = `${collectionPath(shared)}/objects/${incident.id}/versions/`;
    await waitFor(async () => ((await taxii(b.key, 'GET', versionsPath)).body.versions ?? []).length === 2, 10_000);
    const versions = (await taxii(b.key, 'GET', versionsPath)).body.versions as string[];
    const objectPath = `${collectionPath(shared)}/objects/${incident.id}/`;
    const last = await taxii(b.key, 'GET', objectPath);
    expect(last.body.objects.map((o: { modified: string }) => o.modified)).toEqual([versions[1]]);
    const first = await taxii(b.key, 'GET', `${objectPath}?match[version]=first`);
    expect(first.body.objects.map((o: { modified: string }) => o.modified)).toEqual([versions[0]]);
    const all = await taxii(b.key, 'GET', `${objectPath}?match[version]=all`);
    expect(all.body.objects).toHaveLength(2);
    const at = await taxii(b.key, 'GET', `${objectPath}?match[version]=${versions[0]}`);
    expect(at.body.objects.map((o: { modified: string }) => o.modified)).toEqual([versions[0]]);

    // Narrowed to AMBER: every version leaves B's view at once.
    const narrowed = await call(baseUrl, 'PATCH', `/api/v1/incidents/${greenIncident}`, {
      token: a.key,
      body: { tlp: 'AMBER' },
    });
    expect(narrowed.status).toBe(200);
    expect((await taxii(b.key, 'GET', objectPath)).status).toBe(404);
    expect((await taxii(b.key, 'GET', versionsPath)).status).toBe(404);
    expect((await taxii(a.key, 'GET', versionsPath)).body.versions.length).toBeGreaterThanOrEqual(2);
  });

  it('cursors: bound to the filters and the collection, refused when tampered with', async () => {
    const first = await taxii(b.key, 'GET', `${collectionPath(shared)}/objects/?limit=10&match[type]=attack-pattern`);
    expect(first.body.more).toBe(true);
    const next = first.body.next as string;
    const again = await taxii(
      b.key,
      'GET',
      `${collectionPath(shared)}/objects/?limit=10&match[type]=attack-pattern&next=${encodeURIComponent(next)}`,
    );
    expect(again.status).toBe(200);
    const tampered = `${Buffer.from('1').toString('base64url')}.${next.split('.')[1]}`;
    for (const query of [
      `?limit=10&match[type]=attack-pattern&next=${encodeURIComponent(tampered)}`,
      `?limit=10&match[type]=incident&next=${encodeURIComponent(next)}`,
      `?limit=10&next=${encodeURIComponent(next)}`,
    ]) {
      const reply = await taxii(b.key, 'GET', `${collectionPath(shared)}/objects/${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body.details).toEqual({ parameter: 'next' });
    }
    // On another collection of B's, the cursor is foreign.
    const ofB = (await taxii(b.key, 'GET', '/taxii2/api/collections/')).body.collections as Array<{ id: string }>;
    const own = ofB.find((c) => c.id !== shared)!.id;
    const foreign = await taxii(
      b.key,
      'GET',
      `${collectionPath(own)}/objects/?limit=10&match[type]=attack-pattern&next=${encodeURIComponent(next)}`,
    );
    expect(foreign.status).toBe(400);
  });

  it('401, 406, 415, 413 and 400 as TAXII error resources', async () => {
    const objects = `${collectionPath(shared)}/objects/`;
    const none = await taxii(undefined, 'GET', objects);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=.*Bearer realm=/);
    expect(none.headers.get('content-type')).toBe(TAXII);
    expect(none.body.http_status).toBe('401');
    const wrong = await taxii('cor_not-a-key', 'GET', objects);
    expect(wrong.status).toBe(401);
    const basic = `Basic ${Buffer.from(`taxii:${b.key}`).toString('base64')}`;
    expect((await taxii(undefined, 'GET', objects, { headers: { authorization: basic } })).status).toBe(200);

    const json = await taxii(b.key, 'GET', objects, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(406);
    expect(json.headers.get('content-type')).toBe(TAXII);

    const body = {
      objects: [{ type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}` }],
    };
    const plain = await taxii(b.key, 'POST', objects, { body, headers: { 'content-type': 'application/json' } });
    expect(plain.status).toBe(415);
    const huge = await taxii(b.key, 'POST', objects, { rawBody: `{"objects":[${'0,'.repeat(MAX_CONTENT_LENGTH)}0]}` });
    expect(huge.status).toBe(413);
    expect(huge.body.http_status).toBe('413');

    for (const [query, parameter] of [
      ['limit=0', 'limit'],
      ['added_after=yesterday', 'added_after'],
      ['match[version]=newest', 'match[version]'],
      ['match[id]=not-an-id', 'match[id]'],
      ['match[type]=Indicator', 'match[type]'],
      ['match[spec_version]=x', 'match[spec_version]'],
      ['next=abc', 'next'],
    ]) {
      const reply = await taxii(b.key, 'GET', `${objects}?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ http_status: '400', details: { parameter } });
    }

    const notEnvelope = await taxii(b.key, 'POST', objects, { body: [1, 2] });
    expect(notEnvelope.status).toBe(400);
    const stamp = new Date().toISOString();
    const whole = {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${randomUUID()}`,
      created: stamp,
      modified: stamp,
      name: 'posted by B',
    };
    const broken = await taxii(b.key, 'POST', objects, {
      body: { objects: [{ spec_version: '2.1', id: `indicator--${randomUUID()}` }, whole] },
    });
    expect(broken.status).toBe(202);
    // One bad object fails the request whole: the good one is neither stored nor imported.
    expect(broken.body).toMatchObject({ total_count: 2, success_count: 0, failure_count: 2 });
    expect(broken.body.failures[0].message).toMatch(/objects\[0\]: type is missing/);
    expect(broken.body.failures[1]).toMatchObject({ id: whole.id, message: expect.stringMatching(/not stored/) });
    expect((await taxii(b.key, 'GET', `${objects}${whole.id}/`)).status).toBe(404);
    // An object the envelope takes but STIX does not (an indicator without pattern or timestamps): the
    // importer refuses it, naming what is wrong, and nothing of the request is kept.
    const incomplete = await taxii(b.key, 'POST', objects, { body });
    expect(incomplete.status).toBe(202);
    expect(incomplete.body).toMatchObject({ total_count: 1, success_count: 0, failure_count: 1 });
    expect(incomplete.body.failures[0].message).toMatch(/not imported: .*pattern/);

    // B may not stand in for A's object with a version of its own.
    const ofA = (await taxii(b.key, 'GET', `${objects}?match[type]=attack-pattern&limit=1`)).body.objects[0] as Stix;
    const squat = { ...ofA, modified: '2030-01-01T00:00:00.000Z', name: 'not A' };
    const refused = await taxii(b.key, 'POST', objects, { body: { objects: [squat] } });
    expect(refused.body).toMatchObject({ success_count: 0, failure_count: 1 });
    const read = await taxii(b.key, 'GET', `${objects}${ofA.id}/?match[version]=all`);
    expect(read.body.objects.map((o: Stix) => o.name)).toEqual([ofA.name]);
  });

  it('DELETE: only the caller organization’s objects; its incident is retracted and leaves the collection', async () => {
    const [incident] = await incidentObjects(a.key, amberIncident);
    const path = `${collectionPath(shared)}/objects/${incident.id}/`;
    // B may not read it: 404; a GREEN object of A that B reads: 403.
    expect((await taxii(b.key, 'DELETE', path)).status).toBe(404);
    const readable = (await pageByNext(b.key, shared)).seen.find(
      (o) => o.type === 'attack-pattern' && /^scanner \d+$/.test(o.name),
    )!;
    expect((await taxii(b.key, 'DELETE', `${collectionPath(shared)}/objects/${readable.id}/`)).status).toBe(403);

    const deleted = await taxii(a.key, 'DELETE', path);
    expect(deleted.status).toBe(200);
    await waitFor(async () => (await taxii(a.key, 'GET', path)).status === 404, 30_000, 'retraction carried out');
    const retracted = await call(baseUrl, 'GET', `/api/v1/incidents/${amberIncident}`, { token: a.key });
    expect(retracted.status).toBe(410);
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import {
  RecordingClient,
  call,
  createCommunity,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  startDeployment,
  testIpv4,
  waitFor,
  type Deployment,
} from '@corridor/testing';

const TAXII = 'application/taxii+json;version=2.1';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
/** GREEN incidents P shares with the reading organization; each with two indicators. */
const SHARED = 24;
/** Objects per page H's feed asks for: small, so one incident's objects span pages. */
const PAGE_LIMIT = 5;

type Incident = {
  id: string;
  externalRef: string | null;
  tlp: string;
  state: string;
  indicators: Array<{ type: string; value: string }>;
};

/**
 * Two Corridors on loopback (issue #11 §3, §4, §6). Corridor P's organization P1 shares GREEN
 * incidents in a community with P2 and keeps one AMBER incident to itself; Corridor H's organization
 * pulls that community's collection through a TAXII feed holding P2's API key, in pages of 5, with
 * its worker SIGKILLed mid-pull and started again: each GREEN incident arrives once, with its
 * indicators and TLP, the AMBER one never, and a second pull adds nothing. Then, on one Corridor, a
 * TAXII POST ends in a correlation alert like any submission.
 */
describe('TAXII peering: a Corridor pulls another Corridor (two deployments, FerretDB, Redis)', () => {
  let p: Deployment;
  let h: Deployment;
  let p1: { id: string; key: string };
  let p2: { id: string; key: string };
  let collectionId: string;
  const clients: RecordingClient[] = [];
  const greens: Array<{ id: string; indicators: string[] }> = [];
  let amberId: string;
  let pulledByH: { home: { key: string }; pulled: Incident[]; exported: Map<string, string> } | undefined;

  /** The STIX id P's export gives one of P1's incidents. */
  const stixIdOf = async (incidentId: string): Promise<string> => {
    const stix = await call(p.baseUrl, 'GET', `/api/v1/incidents/${incidentId}/stix`, { token: p1.key });
    return (stix.body.objects as Array<{ type: string; id: string }>).find((o) => o.type === 'incident')!.id;
  };

  const incidentsOf = async (baseUrl: string, key: string): Promise<Incident[]> => {
    const items: Incident[] = [];
    let cursor: string | undefined;
    for (;;) {
      const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
      const reply = await call(baseUrl, 'GET', `/api/v1/incidents${query}`, { token: key });
      expect(reply.status).toBe(200);
      items.push(...(reply.body.items as Incident[]));
      cursor = reply.body.nextCursor ?? undefined;
      if (!cursor) return items;
    }
  };

  beforeAll(async () => {
    [p, h] = await Promise.all([
      startDeployment('peer_p_'),
      startDeployment('peer_h_', {
        TAXII_ALLOWED_CIDRS: '127.0.0.0/8',
        TAXII_PAGE_LIMIT: String(PAGE_LIMIT),
        TAXII_MAX_PAGES_PER_RUN: '1000',
        // Imported in batches that end with a report (each incident's last object), so the worker is
        // killed with some incidents in and the cursor saved, and no incident is cut in two.
        TAXII_IMPORT_BATCH: '30',
        TAXII_TIMEOUT_MS: '5000',
      }),
    ]);
    p1 = await createOrganization(p.env);
    p2 = await createOrganization(p.env);
    await createCommunity(p.env, [{ orgId: p1.id }, { orgId: p2.id }]);

    for (let i = 0; i < SHARED; i++) {
      const indicators = [testIpv4(), `peer-${randomUUID().slice(0, 8)}.corridor-test.net`];
      const reply = await call(p.baseUrl, 'POST', '/api/v1/incidents', {
        token: p1.key,
        body: incidentBody({ tlp: 'GREEN', indicators: indicators.map((value) => ({ value })) }),
      });
      expect(reply.status).toBe(201);
      greens.push({ id: reply.body.id as string, indicators });
    }
    const amber = await call(p.baseUrl, 'POST', '/api/v1/incidents', {
      token: p1.key,
      body: incidentBody({ tlp: 'AMBER', indicators: [{ value: testIpv4() }] }),
    });
    expect(amber.status).toBe(201);
    amberId = amber.body.id as string;
    // Published to the collection once processed.
    await waitFor(
      async () =>
        (await incidentsOf(p.baseUrl, p1.key)).filter((i) => i.state === 'correlated' || i.state === 'enriched')
          .length ===
        SHARED + 1,
      120_000,
      'P processed its incidents',
    );
    const collections = await call(p.baseUrl, 'GET', '/taxii2/api/collections/', {
      token: p2.key,
      headers: { accept: TAXII },
    });
    expect(collections.status).toBe(200);
    expect(collections.body.collections).toHaveLength(1);
    collectionId = collections.body.collections[0].id as string;
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([p?.api.stop(), p?.worker.stop(), h?.api.stop(), h?.worker.stop()]);
  });

  it('H pulls P’s collection through a SIGKILL: each GREEN incident once with indicators and TLP, the AMBER one never', async () => {
    const home = await createOrganization(h.env);
    const admin = await createOrgAdmin(h, home.id, { roles: ['org-admin', 'analyst'] });
    const token = (await logIn(h.baseUrl, admin)).accessToken;
    const http = (method: string, path: string, body?: unknown) => call(h.baseUrl, method, path, { token, body });

    // What P2 itself reads of the collection: the objects H should end up with.
    const expectedObjects = await (async () => {
      let count = 0;
      let next: string | undefined;
      for (;;) {
        const query = next ? `?next=${encodeURIComponent(next)}` : '';
        const reply = await call(p.baseUrl, 'GET', `/taxii2/api/collections/${collectionId}/objects/${query}`, {
          token: p2.key,
          headers: { accept: TAXII },
        });
        count += (reply.body.objects ?? []).length;
        if (!reply.body.more) return count;
        next = reply.body.next as string;
      }
    })();

    const created = await http('POST', '/api/v1/taxii-feeds', {
      name: 'Corridor P',
      apiRoot: `${p.baseUrl}/taxii2/api/`,
      collectionId,
      auth: { kind: 'basic', username: 'corridor-h', password: p2.key },
      defaultTlp: 'AMBER+STRICT',
      pollIntervalSeconds: 3600,
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(p2.key);
    const feedId = created.body.id as string;
    const feed = async () => (await http('GET', `/api/v1/taxii-feeds/${feedId}`)).body as Record<string, any>;

    const started = Date.now();
    // Creating the feed scheduled it; a pull asked for now may meet that run (one at a time per feed).
    await http('POST', `/api/v1/taxii-feeds/${feedId}/pull`);
    let cursorAtKill: unknown;
    let importedAtKill = 0;
    await waitFor(
      async () => {
        const state = await feed();
        if (state.cursor.next === null && state.cursor.addedAfter === null) return false;
        importedAtKill = (await incidentsOf(h.baseUrl, home.key)).length;
        cursorAtKill = state.cursor;
        return importedAtKill > 0;
      },
      60_000,
      'a few pages pulled',
    );
    await h.worker.stop('SIGKILL');
    const killedAt = Date.now() - started;
    expect(importedAtKill).toBeLessThan(SHARED);
    await h.worker.start();
    await http('POST', `/api/v1/taxii-feeds/${feedId}/pull`);

    let caughtUp: Record<string, any> = {};
    await waitFor(
      async () => {
        caughtUp = await feed();
        return caughtUp.lastRun?.stopped === 'caught-up' && caughtUp.cursor.next === null;
      },
      180_000,
      'the feed caught up',
    ).catch((error: unknown) => {
      process.stdout.write(`${JSON.stringify(caughtUp)}\n${h.worker.logs.slice(-3000)}\n`);
      throw error;
    });
    const elapsed = Date.now() - started;

    const pulled = await incidentsOf(h.baseUrl, home.key);
    const fromIncidents = pulled.filter((i) => i.externalRef?.startsWith('incident--'));
    const refs = fromIncidents.map((i) => i.externalRef!);

    // P's GREEN incidents by their STIX ids (P's export), and the AMBER one's.
    const exported = new Map<string, string>();
    for (const green of greens) exported.set(await stixIdOf(green.id), green.id);
    const amberRef = await stixIdOf(amberId);

    // Each GREEN incident of P once, by its STIX id; the AMBER one never; all GREEN, as P marked them.
    expect(refs.length).toBe(new Set(refs).size);
    expect(new Set(refs)).toEqual(new Set(exported.keys()));
    expect(pulled.map((i) => i.externalRef)).not.toContain(amberRef);
    expect(fromIncidents.map((i) => i.tlp)).toEqual(fromIncidents.map(() => 'GREEN'));

    // A second pull adds nothing: no new incident, nothing created or updated.
    const before = caughtUp.lastRun.finishedAt as string;
    expect((await http('POST', `/api/v1/taxii-feeds/${feedId}/pull`)).status).toBe(202);
    let again: Record<string, any> = {};
    await waitFor(
      async () => {
        again = await feed();
        return again.lastRun?.finishedAt !== before;
      },
      60_000,
      'the second pull',
    );
    expect(again.lastRun).toMatchObject({ created: 0, updated: 0, retracted: 0, stopped: 'caught-up' });
    expect((await incidentsOf(h.baseUrl, home.key)).map((i) => i.id).sort()).toEqual(pulled.map((i) => i.id).sort());

    process.stdout.write(
      `TAXII peer pull: ${expectedObjects} objects readable by P2, page limit ${PAGE_LIMIT}; ` +
        `killed after ${killedAt} ms with ${importedAtKill} incidents in and cursor ${JSON.stringify(cursorAtKill)}; ` +
        `caught up in ${elapsed} ms; last run ${JSON.stringify(caughtUp.lastRun)}; second pull ${JSON.stringify(again.lastRun)}\n`,
    );
    pulledByH = { home, pulled, exported };
  }, 400_000);

  it('each pulled incident keeps its indicators, and no other incident is made of its objects split over pages', async () => {
    expect(pulledByH).toBeDefined();
    const { home, pulled, exported } = pulledByH!;
    // Nothing but P's incidents: a report, or a page, paged apart from its incident is not one.
    expect(pulled.map((i) => i.externalRef).filter((ref) => !ref?.startsWith('incident--'))).toEqual([]);
    for (const incident of pulled.filter((i) => exported.has(i.externalRef ?? ''))) {
      const green = greens.find((g) => g.id === exported.get(incident.externalRef!))!;
      const read = await call(h.baseUrl, 'GET', `/api/v1/incidents/${incident.id}`, { token: home.key });
      expect({
        ref: incident.externalRef,
        values: (read.body.indicators as Array<{ value: string }>).map((i) => i.value).sort(),
      }).toEqual({
        ref: incident.externalRef,
        values: [...green.indicators].sort(),
      });
    }
  });

  it('TAXII POST → 202 → status complete → the other organization’s socket gets correlation.alert', async () => {
    const x = await createOrganization(p.env);
    const y = await createOrganization(p.env);
    await createCommunity(p.env, [{ orgId: x.id }, { orgId: y.id }]);
    const ip = testIpv4();
    const socket = new RecordingClient(p.baseUrl, x.key);
    clients.push(socket);
    await socket.connected();
    await socket.resumed();

    const submitted = await call(p.baseUrl, 'POST', '/api/v1/incidents', {
      token: x.key,
      body: incidentBody({ tlp: 'GREEN', indicators: [{ value: ip }] }),
    });
    expect(submitted.status).toBe(201);
    const xIncident = submitted.body.id as string;
    await waitFor(
      async () =>
        (await call(p.baseUrl, 'GET', `/api/v1/incidents/${xIncident}`, { token: x.key })).body.state === 'correlated',
      30_000,
      'X correlated',
    );

    const collections = await call(p.baseUrl, 'GET', '/taxii2/api/collections/', {
      token: y.key,
      headers: { accept: TAXII },
    });
    const shared = collections.body.collections[0].id as string;
    const now = new Date().toISOString();
    const incidentId = `incident--${randomUUID()}`;
    const indicatorId = `indicator--${randomUUID()}`;
    const common = { spec_version: '2.1', created: now, modified: now, object_marking_refs: [GREEN] };
    const posted = await call(p.baseUrl, 'POST', `/taxii2/api/collections/${shared}/objects/`, {
      token: y.key,
      headers: { accept: TAXII, 'content-type': TAXII },
      body: {
        objects: [
          { type: 'incident', id: incidentId, name: 'Scanning seen by Y', ...common },
          {
            type: 'indicator',
            id: indicatorId,
            pattern: `[ipv4-addr:value = '${ip}']`,
            pattern_type: 'stix',
            valid_from: now,
            ...common,
          },
          {
            type: 'relationship',
            id: `relationship--${randomUUID()}`,
            relationship_type: 'related-to',
            source_ref: indicatorId,
            target_ref: incidentId,
            ...common,
          },
        ],
      },
    });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('content-type')).toBe(TAXII);
    expect(posted.body).toMatchObject({ status: 'complete', total_count: 3, success_count: 3, failure_count: 0 });
    const status = await call(p.baseUrl, 'GET', `/taxii2/api/status/${posted.body.id}/`, {
      token: y.key,
      headers: { accept: TAXII },
    });
    expect(status.body).toMatchObject({ id: posted.body.id, status: 'complete', success_count: 3 });

    const yIncident = (await incidentsOf(p.baseUrl, y.key)).find((i) => i.externalRef === incidentId);
    expect(yIncident).toBeDefined();
    const alert = await socket.next('correlation.alert', (a) => a.value === ip, 30_000);
    expect(alert).toMatchObject({
      type: 'ipv4',
      value: ip,
      yourIncidentId: xIncident,
      counterpart: { organization: { id: y.id }, incident: { id: yIncident!.id, tlp: 'GREEN' } },
    });
  }, 120_000);
});

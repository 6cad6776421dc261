import {
  AppProcess,
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  sleep,
  startDeployment,
  uniqueName,
  waitFor,
} from '@corridor/testing';

/**
 * Issue #7 §2, end to end: a match on an incident the other side may not see is disclosed as its
 * owner consents. Owners (one organization per policy, so each one's identity can be checked for
 * absence everywhere) share no community with B, the other side. B submits TLP:CLEAR incidents, which
 * every owner may see in full.
 */
type Policy = 'nothing' | 'anonymous' | 'named';
type RestrictedTlp = 'AMBER' | 'AMBER+STRICT' | 'RED';
const POLICIES: Policy[] = ['nothing', 'anonymous', 'named'];
/** The levels at which B (no recipient, no common community) may not see A's incident. */
const HIDDEN: RestrictedTlp[] = ['AMBER', 'AMBER+STRICT', 'RED'];

interface Org {
  id: string;
  name: string;
  key: string;
  admin: string;
}

/** What a REST object of a delivered event is: the same minus `eventId`. */
function withoutEventId<T extends { eventId: string }>({ eventId, ...rest }: T): Omit<T, 'eventId'> {
  expect(eventId).toEqual(expect.any(String));
  return rest;
}

describe('disclosure of restricted matches by consent (api + worker + FerretDB + Redis)', () => {
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let worker: AppProcess;
  const owners = {} as Record<Policy | 'acceptor' | 'decliner', Org>;
  let b: Org;
  const clients: RecordingClient[] = [];
  const sockets = new Map<string, RecordingClient>();
  /** Every restricted incident of an owner that B must never learn the id or title of. */
  const secrets: Array<{ id: string; title: string }> = [];

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const socketOf = (org: Org) => sockets.get(org.id)!;
  const uniqueDomain = () => `${uniqueName('consent-')}.com`;
  const waitCorrelated = (token: string, id: string) =>
    waitFor(
      async () => (await http(token, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      15_000,
      `incident ${id} correlated`,
    );

  async function organization(label: string): Promise<Org> {
    const created = await createOrganization(env, { name: `${label} ${uniqueName('')}`, country: 'PK' });
    const admin = await createOrgAdmin({ env, baseUrl }, created.id, { name: `${label} admin` });
    const { accessToken } = await logIn(baseUrl, admin);
    return { id: created.id, name: created.name, key: created.key, admin: accessToken };
  }

  async function setPolicy(org: Org, level: Policy) {
    const put = await http(org.admin, 'PUT', '/api/v1/organizations/me/disclosure', {
      AMBER: level,
      'AMBER+STRICT': level,
      RED: level,
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ CLEAR: 'named', GREEN: 'named', AMBER: level, 'AMBER+STRICT': level, RED: level });
  }

  /** A submits a restricted incident, B a CLEAR one with the same indicator; both alerts arrive. */
  async function match(owner: Org, tlp: RestrictedTlp, extra: Record<string, unknown> = {}) {
    const domain = uniqueDomain();
    const secretTitle = `SECRET ${tlp} ${uniqueName('')}`;
    const theirs = await http(owner.key, 'POST', '/api/v1/incidents', {
      ...incidentBody({ tlp, title: secretTitle, indicators: [domain] }),
      ...extra,
    });
    expect(theirs.status).toBe(201);
    secrets.push({ id: theirs.body.id, title: secretTitle });
    await waitCorrelated(owner.key, theirs.body.id);

    const mineTitle = `B sees ${uniqueName('')}`;
    const mine = await http(
      b.key,
      'POST',
      '/api/v1/incidents',
      incidentBody({ tlp: 'CLEAR', title: mineTitle, description: `Beacon to ${domain.replace('.', '[.]')}` }),
    );
    expect(mine.status).toBe(201);
    const toB = await socketOf(b).next('correlation.alert', (a) => a.value === domain);
    const toOwner = await socketOf(owner).next('correlation.alert', (a) => a.value === domain);
    await waitCorrelated(b.key, mine.body.id);
    return {
      domain,
      theirs: theirs.body.id as string,
      secretTitle,
      mine: mine.body.id as string,
      mineTitle,
      toB,
      toOwner,
    };
  }

  beforeAll(async () => {
    ({ env, baseUrl, api, worker } = await startDeployment('consent'));
    for (const label of [...POLICIES, 'acceptor', 'decliner'] as const)
      owners[label] = await organization(`Owner ${label}`);
    b = await organization('Other side B');
    for (const org of [...Object.values(owners), b]) {
      const client = new RecordingClient(baseUrl, org.key);
      clients.push(client);
      await client.connected();
      sockets.set(org.id, client);
    }
    for (const level of POLICIES) await setPolicy(owners[level], level);
    await setPolicy(owners.acceptor, 'anonymous');
    await setPolicy(owners.decliner, 'anonymous');
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  describe('the disclosure policy', () => {
    it('any member reads it; only an org-admin changes it; a bad level is a 400 naming the field', async () => {
      const owner = owners.named;
      const read = await http(owner.key, 'GET', '/api/v1/organizations/me/disclosure');
      expect(read).toMatchObject({
        status: 200,
        body: { CLEAR: 'named', GREEN: 'named', AMBER: 'named', 'AMBER+STRICT': 'named', RED: 'named' },
      });
      const byKey = await http(owner.key, 'PUT', '/api/v1/organizations/me/disclosure', { RED: 'nothing' });
      expect(byKey.status).toBe(403);
      expect(byKey.body.error.code).toBe('forbidden');

      const bad = await http(owner.admin, 'PUT', '/api/v1/organizations/me/disclosure', {
        RED: 'everything',
        WHITE: 'named',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['RED', 'WHITE']);
      // Nothing changed.
      expect((await http(owner.key, 'GET', '/api/v1/organizations/me/disclosure')).body.RED).toBe('named');

      const audit = await http(owner.admin, 'GET', '/api/v1/audit');
      expect(audit.body.items).toContainEqual(
        expect.objectContaining({
          action: 'organization.disclosure_change',
          target: { type: 'organization', id: owner.id },
          details: { CLEAR: 'named', GREEN: 'named', AMBER: 'named', 'AMBER+STRICT': 'named', RED: 'named' },
        }),
      );
    });
  });

  describe.each(POLICIES)('owner policy %s', (policy) => {
    it.each(HIDDEN)('B is told exactly what the policy allows of a TLP:%s match; A is told in full', async (tlp) => {
      const owner = owners[policy];
      const { domain, theirs, secretTitle, mine, mineTitle, toB, toOwner } = await match(owner, tlp);

      const counterpart =
        policy === 'nothing'
          ? { disclosure: 'nothing' }
          : policy === 'anonymous'
            ? { disclosure: 'anonymous', tlp }
            : { disclosure: 'named', organization: { id: owner.id, name: owner.name }, tlp };
      expect(toB).toEqual({
        id: expect.stringMatching(/^cor-/),
        type: 'domain',
        value: domain,
        kind: 'exact',
        strength: 'strong',
        matched: null,
        yourIncidentId: mine,
        counterpart,
        acknowledged: null,
        contact: null,
        createdAt: expect.any(String),
        eventId: expect.any(String),
      });
      const told = JSON.stringify(toB);
      expect(told).not.toContain(theirs);
      expect(told).not.toContain(secretTitle);
      if (policy !== 'named') {
        expect(told).not.toContain(owner.id);
        expect(told).not.toContain(owner.name);
      }
      // REST says the same as the live event.
      const read = await http(b.key, 'GET', `/api/v1/incidents/${mine}`);
      expect(read.status).toBe(200);
      expect(read.body.correlations).toEqual([withoutEventId(toB)]);

      // A learns its incident matched, and sees B's CLEAR incident in full.
      expect(toOwner).toEqual({
        id: toB.id,
        type: 'domain',
        value: domain,
        kind: 'exact',
        strength: 'strong',
        matched: null,
        yourIncidentId: theirs,
        counterpart: {
          disclosure: 'full',
          organization: { id: b.id, name: b.name },
          incident: {
            id: mine,
            title: mineTitle,
            severity: 'high',
            classification: { class: 'intrusion-attempts', type: 'brute-force' },
            tlp: 'CLEAR',
          },
        },
        acknowledged: null,
        contact: null,
        createdAt: toB.createdAt,
        eventId: expect.any(String),
      });
      const own = await http(owner.key, 'GET', `/api/v1/incidents/${theirs}`);
      expect(own.body.correlations).toEqual([withoutEventId(toOwner)]);
      // B still may not read A's incident.
      expect((await http(b.key, 'GET', `/api/v1/incidents/${theirs}`)).status).toBe(404);
    });
  });

  it('an incident override of nothing beats a policy of named', async () => {
    const owner = owners.named;
    const { theirs, mine, toB } = await match(owner, 'AMBER', { disclosure: 'nothing' });
    expect(toB.counterpart).toEqual({ disclosure: 'nothing' });
    for (const secret of [owner.id, owner.name, theirs]) expect(JSON.stringify(toB)).not.toContain(secret);
    const read = await http(b.key, 'GET', `/api/v1/incidents/${mine}`);
    expect(read.body.correlations).toEqual([withoutEventId(toB)]);
    // Nothing disclosed: nobody to ask.
    const asked = await http(b.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: mine });
    expect(asked.status).toBe(409);
    expect(asked.body.error.code).toBe('conflict');
  });

  it('B never learned anything of the owners who disclose nothing or stay anonymous', async () => {
    await sleep(300); // anything still in flight
    const everything = JSON.stringify(socketOf(b).events);
    for (const owner of [owners.nothing, owners.anonymous]) {
      expect(everything).not.toContain(owner.id);
      expect(everything).not.toContain(owner.name);
    }
    for (const secret of secrets) {
      expect(everything).not.toContain(secret.id);
      expect(everything).not.toContain(secret.title);
    }
    // B heard of its own CLEAR incidents being created, of none of the owners' restricted ones.
    const created = socketOf(b)
      .received('incident.created')
      .map((i) => i.id);
    expect(created.length).toBeGreaterThanOrEqual(secrets.length);
    expect(created.filter((id) => secrets.some((s) => s.id === id))).toEqual([]);
  });

  describe('brokered contact on an anonymous match', () => {
    it('B asks, A is told without B’s identity; A accepts and both are named to each other', async () => {
      const a = owners.acceptor;
      const { theirs, mine, toB } = await match(a, 'AMBER');
      expect(toB.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });

      // Only B's own side can ask, and only about a correlation it is a side of.
      expect(
        (await http(b.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: theirs })).status,
      ).toBe(404);
      expect(
        (await http(owners.named.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: mine }))
          .status,
      ).toBe(404);
      // A sees B's incident in full: nothing to ask.
      expect(
        (await http(a.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: theirs })).status,
      ).toBe(409);

      const asked = await http(b.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: mine });
      expect(asked.status).toBe(201);
      expect(asked.body).toEqual({
        correlationId: toB.id,
        yourIncidentId: mine,
        contact: {
          id: expect.stringMatching(/^contact-[0-9a-f]{40}$/),
          direction: 'outgoing',
          status: 'pending',
          createdAt: expect.any(String),
          answeredAt: null,
        },
      });
      const contactId = asked.body.contact.id as string;
      const again = await http(b.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: mine });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(asked.body);

      const requested = await socketOf(a).next('contact.requested', (e) => e.contact.id === contactId);
      expect(requested).toEqual({
        correlationId: toB.id,
        yourIncidentId: theirs,
        contact: {
          id: contactId,
          direction: 'incoming',
          status: 'pending',
          createdAt: asked.body.contact.createdAt,
          answeredAt: null,
        },
        eventId: expect.any(String),
      });
      for (const secret of [b.id, b.name, mine]) expect(JSON.stringify(requested)).not.toContain(secret);
      await sleep(300);
      expect(
        socketOf(a)
          .received('contact.requested')
          .filter((e) => e.contact.id === contactId),
      ).toHaveLength(1);
      expect(socketOf(b).received('contact.requested')).toEqual([]);
      expect((await http(a.key, 'GET', '/api/v1/contact-requests')).body).toEqual([withoutEventId(requested)]);
      // A's audit trail records the request without naming who asked.
      const trail = await http(a.admin, 'GET', '/api/v1/audit');
      const record = trail.body.items.find((r: { action: string }) => r.action === 'contact.request');
      expect(record).toMatchObject({ target: { type: 'contact_request', id: contactId }, actor: { type: 'system' } });
      for (const secret of [b.id, mine]) expect(JSON.stringify(trail.body)).not.toContain(secret);

      // B cannot answer its own request.
      expect((await http(b.key, 'POST', `/api/v1/contact-requests/${contactId}/accept`)).status).toBe(404);
      const accepted = await http(a.key, 'POST', `/api/v1/contact-requests/${contactId}/accept`);
      expect(accepted.status).toBe(200);
      const toA = await socketOf(a).next('contact.answered', (e) => e.contact.id === contactId);
      const toRequester = await socketOf(b).next('contact.answered', (e) => e.contact.id === contactId);
      expect(toA).toEqual({
        correlationId: toB.id,
        yourIncidentId: theirs,
        contact: {
          id: contactId,
          direction: 'incoming',
          status: 'accepted',
          createdAt: asked.body.contact.createdAt,
          answeredAt: expect.any(String),
          organization: { id: b.id, name: b.name },
          incidentId: mine,
        },
        eventId: expect.any(String),
      });
      expect(accepted.body).toEqual(withoutEventId(toA));
      expect(toRequester).toEqual({
        correlationId: toB.id,
        yourIncidentId: mine,
        contact: {
          id: contactId,
          direction: 'outgoing',
          status: 'accepted',
          createdAt: asked.body.contact.createdAt,
          answeredAt: toA.contact.answeredAt,
          organization: { id: a.id, name: a.name },
          incidentId: theirs,
        },
        eventId: expect.any(String),
      });
      expect((await http(b.key, 'GET', '/api/v1/contact-requests')).body).toEqual([withoutEventId(toRequester)]);
      const read = await http(b.key, 'GET', `/api/v1/incidents/${mine}`);
      expect(read.body.correlations).toEqual([
        expect.objectContaining({
          id: toB.id,
          counterpart: { disclosure: 'anonymous', tlp: 'AMBER' },
          contact: toRequester.contact,
        }),
      ]);
      // Answered once.
      expect((await http(a.key, 'POST', `/api/v1/contact-requests/${contactId}/decline`)).status).toBe(409);
      const twice = await http(a.key, 'POST', `/api/v1/contact-requests/${contactId}/accept`);
      expect(twice).toMatchObject({ status: 200, body: accepted.body });
      // Each side's timeline holds the request and the answer once, as that side sees them, by nobody.
      for (const [key, incidentId, direction, answered] of [
        [a.key, theirs, 'incoming', toA],
        [b.key, mine, 'outgoing', toRequester],
      ] as const) {
        const timeline = await http(key, 'GET', `/api/v1/incidents/${incidentId}/timeline`);
        const contacts = (timeline.body.items as Array<Record<string, any>>).filter((e) =>
          e.kind.startsWith('contact_'),
        );
        expect(contacts.map((e) => e.kind)).toEqual(['contact_requested', 'contact_answered']);
        expect(contacts[0]).toMatchObject({ by: null, contact: { id: contactId, direction, status: 'pending' } });
        expect(contacts[0].contact.organization).toBeUndefined();
        expect(contacts[1]).toMatchObject({ by: null, contact: answered.contact });
      }
    });

    it('A declines: B learns "declined" and nothing else', async () => {
      const a = owners.decliner;
      const { theirs, mine, toB } = await match(a, 'RED');
      expect(toB.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'RED' });
      const asked = await http(b.key, 'POST', `/api/v1/correlations/${toB.id}/contact`, { yourIncidentId: mine });
      expect(asked.status).toBe(201);
      const contactId = asked.body.contact.id as string;
      // RED: the incident's author (A's key) is its reader.
      await socketOf(a).next('contact.requested', (e) => e.contact.id === contactId);

      const declined = await http(a.key, 'POST', `/api/v1/contact-requests/${contactId}/decline`);
      expect(declined.status).toBe(200);
      expect(declined.body.contact).toEqual({
        id: contactId,
        direction: 'incoming',
        status: 'declined',
        createdAt: asked.body.contact.createdAt,
        answeredAt: expect.any(String),
      });
      const told = await socketOf(b).next('contact.answered', (e) => e.contact.id === contactId);
      expect(told).toEqual({
        correlationId: toB.id,
        yourIncidentId: mine,
        contact: {
          id: contactId,
          direction: 'outgoing',
          status: 'declined',
          createdAt: asked.body.contact.createdAt,
          answeredAt: declined.body.contact.answeredAt,
        },
        eventId: expect.any(String),
      });
      const read = await http(b.key, 'GET', `/api/v1/incidents/${mine}`);
      expect(read.body.correlations).toEqual([
        expect.objectContaining({ counterpart: { disclosure: 'anonymous', tlp: 'RED' }, contact: told.contact }),
      ]);
      await sleep(300);
      const everything = JSON.stringify([
        socketOf(b).events,
        read.body,
        await http(b.key, 'GET', '/api/v1/contact-requests'),
      ]);
      for (const secret of [a.id, a.name, theirs]) expect(everything).not.toContain(secret);
      // B's trail records the decline without naming who declined.
      const trail = await http(b.admin, 'GET', '/api/v1/audit');
      const record = trail.body.items.find((r: { action: string }) => r.action === 'contact.decline');
      expect(record).toMatchObject({ target: { type: 'contact_request', id: contactId }, actor: { type: 'system' } });
      for (const secret of [a.id, theirs]) expect(JSON.stringify(trail.body)).not.toContain(secret);

      expect((await http(a.key, 'POST', `/api/v1/contact-requests/${contactId}/accept`)).status).toBe(409);
    });
  });
});

import Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { contactRequestId, type Incident } from '@corridor/domain';
import {
  ContactRequestsRepository,
  DocumentLocks,
  SharingVersion,
  IncidentsRepository,
  OrganizationsRepository,
  connectMongo,
  type NewContactRequest,
} from '@corridor/persistence';
import { suiteEnvironment, uniqueName } from '@corridor/testing';

/**
 * The disclosure settings and brokered contact requests on the real store and Redis: idempotent by
 * the primary key, answered once even when answers race (FerretDB loses one of two concurrent updates
 * of a document unless writers are serialized).
 */
describe('contact requests and disclosure settings (store)', () => {
  const env = suiteEnvironment('contacts');
  let connection: Connection;
  let redis: Redis;
  let contacts: ContactRequestsRepository;
  let organizations: OrganizationsRepository;
  let incidents: IncidentsRepository;

  beforeAll(async () => {
    connection = await connectMongo(env.MONGODB_URI, 5000);
    redis = new Redis(env.REDIS_URL);
    const options = {
      mongoUri: env.MONGODB_URI,
      redisUrl: env.REDIS_URL,
      redisPrefix: env.REDIS_PREFIX,
      storeTimeoutMs: 5000,
      correlationHotThreshold: 1000,
    };
    const locks = new DocumentLocks(redis, options);
    contacts = new ContactRequestsRepository(connection, locks);
    organizations = new OrganizationsRepository(connection, new SharingVersion(redis, options), locks);
    incidents = new IncidentsRepository(connection, locks);
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    redis?.disconnect();
  });

  let clock = Date.parse('2026-11-24T08:00:00.000Z');
  const candidate = (overrides: Partial<NewContactRequest> = {}): NewContactRequest => ({
    correlationId: `cor-${uuidv7()}`,
    requesterOrgId: `org-${uuidv7()}`,
    requesterIncidentId: uuidv7(),
    requestedBy: 'key-b',
    ownerOrgId: `org-${uuidv7()}`,
    ownerIncidentId: uuidv7(),
    createdAt: new Date((clock += 1000)),
    ...overrides,
  });

  it('stores a pending request under its deterministic id, and returns it on a repeat', async () => {
    const asked = candidate();
    const first = await contacts.request(asked);
    expect(first).toEqual({
      created: true,
      announced: false,
      request: {
        ...asked,
        id: contactRequestId(asked),
        status: 'pending',
        answeredAt: null,
        answeredBy: null,
      },
    });
    const again = await contacts.request({ ...asked, requestedBy: 'user-other', createdAt: new Date() });
    expect(again).toEqual({ created: false, announced: false, request: first.request });
    expect(await contacts.findById(first.request.id)).toEqual(first.request);
    expect(await contacts.findById('contact-missing')).toBeUndefined();
  });

  it('remembers which status was announced live, per status', async () => {
    const asked = candidate();
    const { request } = await contacts.request(asked);
    await contacts.markAnnounced(request.id, 'accepted'); // not its status: nothing happens
    expect((await contacts.request(asked)).announced).toBe(false);
    await contacts.markAnnounced(request.id, 'pending');
    expect((await contacts.request(asked)).announced).toBe(true);
    const answered = await contacts.answer(request.id, asked.ownerOrgId, 'accepted', 'user-a', new Date());
    expect(answered).toMatchObject({ changed: true, announced: false });
    await contacts.markAnnounced(request.id, 'accepted');
    expect(await contacts.answer(request.id, asked.ownerOrgId, 'accepted', 'user-a', new Date())).toMatchObject({
      changed: false,
      announced: true,
    });
  });

  it('collapses 10 concurrent requests into one', async () => {
    const asked = candidate();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => contacts.request(asked)));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.request.id))).toEqual(new Set([contactRequestId(asked)]));
    expect(await contacts.forCorrelations([asked.correlationId])).toHaveLength(1);
  });

  it('lists an organization’s requests in both directions, newest first, bounded', async () => {
    const org = `org-${uuidv7()}`;
    const made = await contacts.request(candidate({ requesterOrgId: org }));
    const received = await contacts.request(candidate({ ownerOrgId: org }));
    const later = await contacts.request(candidate({ requesterOrgId: org }));
    await contacts.request(candidate()); // someone else's
    const listed = await contacts.forOrganization(org);
    expect(listed.map((r) => r.id)).toEqual([later.request.id, received.request.id, made.request.id]);
    expect((await contacts.forOrganization(org, 2)).map((r) => r.id)).toEqual([later.request.id, received.request.id]);
    expect(await contacts.forOrganization(`org-${uuidv7()}`)).toEqual([]);
  });

  it('finds the requests of several correlations, both directions of one', async () => {
    const one = candidate();
    const reverse = candidate({
      correlationId: one.correlationId,
      requesterOrgId: one.ownerOrgId,
      requesterIncidentId: one.ownerIncidentId,
      ownerOrgId: one.requesterOrgId,
      ownerIncidentId: one.requesterIncidentId,
    });
    const other = candidate();
    const ids = [(await contacts.request(one)).request.id, (await contacts.request(reverse)).request.id];
    const otherId = (await contacts.request(other)).request.id;
    expect(ids[0]).not.toBe(ids[1]);
    const found = await contacts.forCorrelations([one.correlationId, other.correlationId, 'cor-none']);
    expect(found.map((r) => r.id).sort()).toEqual([...ids, otherId].sort());
    expect(await contacts.forCorrelations([])).toEqual([]);
  });

  it('is answered once, by the owner only: a second answer returns the first unchanged', async () => {
    const asked = candidate();
    const { request } = await contacts.request(asked);
    expect(await contacts.answer(request.id, asked.requesterOrgId, 'accepted', 'key-b', new Date())).toBeUndefined();
    expect(await contacts.answer('contact-missing', asked.ownerOrgId, 'accepted', 'key-a', new Date())).toBeUndefined();
    expect((await contacts.findById(request.id))?.status).toBe('pending');

    const at = new Date('2026-11-24T12:00:00.000Z');
    const first = await contacts.answer(request.id, asked.ownerOrgId, 'declined', 'user-a1', at);
    expect(first).toEqual({
      changed: true,
      announced: false,
      request: { ...request, status: 'declined', answeredAt: at, answeredBy: 'user-a1' },
    });
    const second = await contacts.answer(request.id, asked.ownerOrgId, 'accepted', 'user-a2', new Date());
    expect(second).toEqual({ changed: false, announced: false, request: first!.request });
  });

  it('racing answers: exactly one wins and the stored request is the winner’s', async () => {
    const asked = candidate();
    const { request } = await contacts.request(asked);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        contacts.answer(request.id, asked.ownerOrgId, i % 2 ? 'accepted' : 'declined', `user-${i}`, new Date()),
      ),
    );
    const winners = answers.filter((a) => a?.changed);
    expect(winners).toHaveLength(1);
    const stored = await contacts.findById(request.id);
    expect(stored).toEqual(winners[0]!.request);
    for (const answer of answers) expect(answer?.request).toEqual(stored);
  });

  it('stores an organization’s disclosure policy: replaced whole, only valid levels', async () => {
    const org = await organizations.create({
      id: uuidv7(),
      name: uniqueName('Disclosing CERT '),
      country: 'PK',
      kind: 'cert',
      createdAt: new Date(),
    });
    expect((await organizations.findFresh(org.id))?.disclosure).toBeUndefined();
    const first = await organizations.setDisclosure(org.id, { RED: 'anonymous', AMBER: 'named' });
    expect(first?.disclosure).toEqual({ RED: 'anonymous', AMBER: 'named' });
    // The cache of this process was dropped: a plain read sees the change too.
    expect((await organizations.findById(org.id))?.disclosure).toEqual({ RED: 'anonymous', AMBER: 'named' });
    const replaced = await organizations.setDisclosure(org.id, { GREEN: 'nothing', CLEAR: undefined });
    expect(replaced?.disclosure).toEqual({ GREEN: 'nothing' });
    expect((await organizations.list()).find((o) => o.id === org.id)?.disclosure).toEqual({ GREEN: 'nothing' });
    expect(await organizations.setDisclosure(uuidv7(), { RED: 'named' })).toBeUndefined();
  });

  it('keeps concurrent policy writes whole: the last one stands, never a mix', async () => {
    const org = await organizations.create({
      id: uuidv7(),
      name: uniqueName('Racing CERT '),
      country: 'SA',
      kind: 'agency',
      createdAt: new Date(),
    });
    const policies = [
      { CLEAR: 'nothing', RED: 'named' },
      { GREEN: 'anonymous', AMBER: 'nothing' },
      { 'AMBER+STRICT': 'named' },
    ] as const;
    await Promise.all(Array.from({ length: 9 }, (_, i) => organizations.setDisclosure(org.id, policies[i % 3])));
    const stored = (await organizations.findFresh(org.id))?.disclosure;
    expect(policies).toContainEqual(stored);
  });

  it('stores an incident’s override, and null removes it', async () => {
    const now = new Date();
    const incident: Incident = {
      id: uuidv7(),
      orgId: `org-${uuidv7()}`,
      authorId: 'key-a',
      recipientOrgIds: [],
      recipientUserIds: [],
      status: 'new',
      title: 'override',
      description: '',
      occurredAt: now,
      classification: { class: 'test', type: 'test' },
      severity: 'low',
      tlp: 'AMBER',
      pap: 'AMBER',
      disclosure: 'nothing',
      state: 'pending',
      submitted: [],
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    await incidents.insertOrGetExisting(incident);
    expect((await incidents.findById(incident.id))?.disclosure).toBe('nothing');
    expect((await incidents.update(incident.id, { disclosure: 'named' }))?.disclosure).toBe('named');
    const cleared = await incidents.update(incident.id, { disclosure: null });
    expect(cleared).toBeDefined();
    expect(cleared).not.toHaveProperty('disclosure');
    const plain = { ...incident, id: uuidv7(), disclosure: undefined };
    await incidents.insertOrGetExisting(plain);
    expect(await incidents.findById(plain.id)).not.toHaveProperty('disclosure');
  });
});

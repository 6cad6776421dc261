import {
  SharingContext,
  contactRequestId,
  type AuditEntry,
  type ContactRequest,
  type Correlation,
  type CorrelationAck,
  type DisclosurePolicy,
  type Incident,
  type OrganizationInfo,
  type Principal,
} from '@corridor/domain';
import { Principals, type ContactAnswer, type NewContactRequest } from '@corridor/persistence';
import type { DeliveryPlan } from '@corridor/realtime';
import { AuditService } from '../../audit/audit.service';
import { CONTACT_BROKER } from '../access';
import { AnswerContact } from './answer-contact.service';
import { ListContactRequests } from './list-contact-requests.service';
import { RequestContact } from './request-contact.service';

/**
 * The contact use cases over in-memory stand-ins of the repositories (the store-backed repository has
 * its own suite): A (org-a) owns a restricted incident, B (org-b) the other side of the match, C
 * (org-c) is neither. The audit service and the planners are the real ones.
 */
const ORGS: OrganizationInfo[] = [
  { id: 'org-a', name: 'CERT A', kind: 'cert' },
  { id: 'org-b', name: 'Agency B', kind: 'agency' },
  { id: 'org-c', name: 'CERT C', kind: 'cert' },
];
const WRITE = ['incidents:read', 'incidents:write', 'alerts:read'] as const;
const key = (orgId: string, id = `key-${orgId.slice(4)}`, scopes: Principal['scopes'] = WRITE): Principal => ({
  kind: 'key',
  id,
  orgId,
  scopes,
  roles: [],
});
const keyA = key('org-a');
const keyB = key('org-b');
const keyC = key('org-c');

function incident(id: string, orgId: string, tlp: Incident['tlp'], extra: Partial<Incident> = {}): Incident {
  const at = new Date('2026-11-24T08:00:00.000Z');
  return {
    id,
    orgId,
    authorId: `key-${orgId.slice(4)}`,
    recipientOrgIds: [],
    recipientUserIds: [],
    status: 'new',
    title: `Incident ${id}`,
    description: '',
    occurredAt: at,
    classification: { class: 'fraud', type: 'phishing' },
    severity: 'high',
    tlp,
    pap: 'GREEN',
    state: 'correlated',
    submitted: [],
    indicators: [],
    rejectedIndicators: [],
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

class FakeContacts {
  readonly stored = new Map<string, ContactRequest>();
  readonly announced = new Map<string, ContactRequest['status']>();

  private isAnnounced(id: string) {
    return this.announced.get(id) === this.stored.get(id)?.status;
  }

  request(candidate: NewContactRequest) {
    const id = contactRequestId(candidate);
    const existing = this.stored.get(id);
    if (existing) return Promise.resolve({ created: false, request: { ...existing }, announced: this.isAnnounced(id) });
    const request: ContactRequest = { ...candidate, id, status: 'pending', answeredAt: null, answeredBy: null };
    this.stored.set(id, request);
    return Promise.resolve({ created: true, request: { ...request }, announced: false });
  }

  markAnnounced(id: string, status: ContactRequest['status']) {
    if (this.stored.get(id)?.status === status) this.announced.set(id, status);
    return Promise.resolve();
  }

  findById(id: string) {
    const found = this.stored.get(id);
    return Promise.resolve(found ? { ...found } : undefined);
  }

  forOrganization(orgId: string) {
    return Promise.resolve(
      [...this.stored.values()].filter((r) => r.requesterOrgId === orgId || r.ownerOrgId === orgId).reverse(),
    );
  }

  answer(id: string, ownerOrgId: string, status: ContactAnswer, by: string, at: Date) {
    const found = this.stored.get(id);
    if (!found || found.ownerOrgId !== ownerOrgId) return Promise.resolve(undefined);
    const changed = found.status === 'pending';
    if (changed) Object.assign(found, { status, answeredBy: by, answeredAt: at });
    return Promise.resolve({ changed, request: { ...found }, announced: this.isAnnounced(id) });
  }
}

interface World {
  policyOfA?: Partial<DisclosurePolicy>;
  mine?: Incident;
  theirs?: Incident;
  users?: Array<{ id: string; orgId: string }>;
}

function setUp(world: World = {}) {
  const mine = world.mine ?? incident('inc-b', 'org-b', 'CLEAR');
  const theirs = world.theirs ?? incident('inc-a', 'org-a', 'AMBER');
  const correlation: Correlation & { acks: CorrelationAck[] } = {
    id: 'cor-1',
    key: 'ipv4:203.0.113.7',
    type: 'ipv4',
    value: '203.0.113.7',
    found: { incidentId: mine.id, orgId: mine.orgId },
    earlier: { incidentId: theirs.id, orgId: theirs.orgId },
    createdAt: new Date('2026-11-24T09:00:00.000Z'),
    acks: [],
  };
  const incidents = new Map([mine, theirs].map((i) => [i.id, i]));
  const contacts = new FakeContacts();
  const appended: AuditEntry[] = [];
  const audit = new AuditService(
    {
      append: (entry: AuditEntry) => {
        appended.push(entry);
        return Promise.resolve(entry);
      },
    } as never,
    { error: () => undefined } as never,
  );
  const plans: DeliveryPlan[] = [];
  const redis = { down: false };
  const publisher = {
    publish: (plan: DeliveryPlan) => {
      if (redis.down) return Promise.reject(new Error('Redis is down'));
      plans.push(plan);
      return Promise.resolve('1-0');
    },
  };
  const directory = ORGS.map((org) => (org.id === 'org-a' ? { ...org, disclosure: world.policyOfA } : org));
  const sharing = { context: () => Promise.resolve(new SharingContext([], directory)) };
  const principals = new Principals({
    findByIds: (ids: readonly string[]) => Promise.resolve((world.users ?? []).filter((u) => ids.includes(u.id))),
  } as never);
  const correlations = {
    findById: (id: string) => Promise.resolve(id === correlation.id ? correlation : undefined),
  };
  const incidentsRepo = {
    findByIds: (ids: readonly string[]) =>
      Promise.resolve(new Map(ids.filter((id) => incidents.has(id)).map((id) => [id, incidents.get(id)!]))),
  };
  // The timeline has its own suites; here it only has to take the entries.
  const timeline = { record: () => Promise.resolve() };
  // The owner's rules are evaluated by the worker: the use case only queues the request's id.
  const enqueued: Array<{ name: string; payload: unknown }> = [];
  const jobs = {
    enqueue: (name: string, payload: unknown) => {
      enqueued.push({ name, payload });
      return Promise.resolve();
    },
  };
  const request = new RequestContact(
    correlations as never,
    incidentsRepo as never,
    contacts as never,
    sharing as never,
    principals,
    publisher as never,
    jobs as never,
    audit,
    timeline as never,
  );
  const answer = new AnswerContact(
    contacts as never,
    incidentsRepo as never,
    sharing as never,
    principals,
    publisher as never,
    audit,
    timeline as never,
  );
  const list = new ListContactRequests(contacts as never, incidentsRepo as never, sharing as never);
  return { request, answer, list, contacts, appended, plans, mine, theirs, redis, enqueued };
}

const domainError = (code: string) => expect.objectContaining({ name: 'DomainError', code });
const IDENTITY_OF_B = ['org-b', 'Agency B', 'inc-b', 'key-b'];
const IDENTITY_OF_A = ['org-a', 'CERT A', 'inc-a', 'key-a'];
const expectNone = (value: unknown, secrets: string[]) => {
  const text = JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
};

describe('RequestContact', () => {
  it('asks the owner of an anonymous match, without naming either side to the other', async () => {
    const world = setUp();
    const { created, event } = await world.request.execute(keyB, 'cor-1', 'inc-b');
    const id = contactRequestId({ correlationId: 'cor-1', requesterIncidentId: 'inc-b' });
    expect(created).toBe(true);
    expect(event).toEqual({
      correlationId: 'cor-1',
      yourIncidentId: 'inc-b',
      contact: { id, direction: 'outgoing', status: 'pending', createdAt: expect.any(String), answeredAt: null },
    });
    expectNone(event, IDENTITY_OF_A);
    // The owner's notification rules hear of it through the worker: only the request's id is queued.
    expect(world.enqueued).toEqual([{ name: 'contact-alerts', payload: { contactId: id } }]);
    expect(world.contacts.stored.get(id)).toMatchObject({
      requesterOrgId: 'org-b',
      requesterIncidentId: 'inc-b',
      requestedBy: 'key-b',
      ownerOrgId: 'org-a',
      ownerIncidentId: 'inc-a',
      status: 'pending',
    });

    // Both trails: B's names B's own side only; A's has the broker as actor and nothing of B.
    expect(world.appended).toEqual([
      expect.objectContaining({
        orgId: 'org-b',
        actor: { type: 'key', id: 'key-b', orgId: 'org-b' },
        action: 'contact.request',
        target: { type: 'contact_request', id },
        details: { correlationId: 'cor-1', incidentId: 'inc-b' },
      }),
      expect.objectContaining({
        orgId: 'org-a',
        actor: CONTACT_BROKER,
        action: 'contact.request',
        target: { type: 'contact_request', id },
        details: { correlationId: 'cor-1', incidentId: 'inc-a' },
      }),
    ]);
    expectNone(world.appended[0], IDENTITY_OF_A);
    expectNone(world.appended[1], IDENTITY_OF_B);

    // One event, to A only, worded for A.
    expect(world.plans).toEqual([
      {
        event: 'contact.requested',
        scope: 'feed',
        incidentId: 'inc-a',
        deliveries: [
          {
            reader: { kind: 'organization', orgId: 'org-a' },
            payload: {
              correlationId: 'cor-1',
              yourIncidentId: 'inc-a',
              contact: {
                id,
                direction: 'incoming',
                status: 'pending',
                createdAt: expect.any(String),
                answeredAt: null,
              },
            },
          },
        ],
      },
    ]);
    expectNone(world.plans, IDENTITY_OF_B);
  });

  it('asking again returns the first request, and neither records nor announces it twice', async () => {
    const world = setUp();
    const first = await world.request.execute(keyB, 'cor-1', 'inc-b');
    const again = await world.request.execute(key('org-b', 'user-b2'), 'cor-1', 'inc-b');
    expect(again.created).toBe(false);
    expect(again.event).toEqual(first.event);
    expect(world.contacts.stored.size).toBe(1);
    expect(world.appended).toHaveLength(2);
    expect(world.plans).toHaveLength(1);
  });

  it('a retry after a failed announcement announces it, without recording the request twice', async () => {
    const world = setUp();
    world.redis.down = true;
    await expect(world.request.execute(keyB, 'cor-1', 'inc-b')).rejects.toThrow('Redis is down');
    expect(world.contacts.stored.size).toBe(1);
    expect(world.appended).toHaveLength(2);
    world.redis.down = false;
    const retry = await world.request.execute(keyB, 'cor-1', 'inc-b');
    expect(retry.created).toBe(false);
    expect(world.plans.map((p) => p.event)).toEqual(['contact.requested']);
    expect(world.appended).toHaveLength(2);
    await world.request.execute(keyB, 'cor-1', 'inc-b');
    expect(world.plans).toHaveLength(1);
  });

  it.each([
    ['nothing', 'does not disclose itself'],
    ['named', 'already named to you'],
  ] as const)('refuses when A discloses %s (409)', async (level, why) => {
    const world = setUp({ policyOfA: { AMBER: level } });
    const refused = world.request.execute(keyB, 'cor-1', 'inc-b');
    await expect(refused).rejects.toEqual(domainError('conflict'));
    await expect(refused).rejects.toThrow(why);
    expect(world.contacts.stored.size).toBe(0);
    expect(world.appended).toEqual([]);
    expect(world.plans).toEqual([]);
  });

  it('refuses when B may see A’s incident anyway (409)', async () => {
    const world = setUp({ theirs: incident('inc-a', 'org-a', 'AMBER', { recipientOrgIds: ['org-b'] }) });
    await expect(world.request.execute(keyB, 'cor-1', 'inc-b')).rejects.toEqual(domainError('conflict'));
  });

  it('follows the incident’s override over the policy', async () => {
    const named = setUp({
      policyOfA: { AMBER: 'anonymous' },
      theirs: incident('inc-a', 'org-a', 'AMBER', { disclosure: 'named' }),
    });
    await expect(named.request.execute(keyB, 'cor-1', 'inc-b')).rejects.toEqual(domainError('conflict'));
    const anonymous = setUp({
      policyOfA: { RED: 'nothing' },
      theirs: incident('inc-a', 'org-a', 'RED', { disclosure: 'anonymous' }),
    });
    await expect(anonymous.request.execute(keyB, 'cor-1', 'inc-b')).resolves.toMatchObject({ created: true });
  });

  it.each([
    ['an unknown correlation', keyB, 'cor-x', 'inc-b'],
    ['the other side’s incident', keyB, 'cor-1', 'inc-a'],
    ['an incident of no side', keyB, 'cor-1', 'inc-z'],
    ['an organization of neither side', keyC, 'cor-1', 'inc-b'],
    ['the owner asking about its own side', keyA, 'cor-1', 'inc-b'],
  ])('answers 404 for %s, and stores nothing', async (_case, principal, correlationId, incidentId) => {
    const world = setUp();
    await expect(world.request.execute(principal, correlationId, incidentId)).rejects.toEqual(domainError('not_found'));
    expect(world.contacts.stored.size + world.appended.length + world.plans.length).toBe(0);
  });

  it('answers 404 to a caller of B who may not see B’s own (RED) incident', async () => {
    const world = setUp({ mine: incident('inc-b', 'org-b', 'RED', { authorId: 'user-b1' }) });
    await expect(world.request.execute(keyB, 'cor-1', 'inc-b')).rejects.toEqual(domainError('not_found'));
    const author = { ...key('org-b', 'user-b1'), kind: 'user' as const };
    await expect(world.request.execute(author, 'cor-1', 'inc-b')).resolves.toMatchObject({ created: true });
  });

  it('refuses a credential without incidents:write (403)', async () => {
    const world = setUp();
    const reader = key('org-b', 'key-b', ['incidents:read']);
    await expect(world.request.execute(reader, 'cor-1', 'inc-b')).rejects.toEqual(domainError('forbidden'));
  });

  it('tells a RED owner incident’s readers one by one: its author and named people, of A only', async () => {
    const world = setUp({
      policyOfA: { RED: 'anonymous' },
      theirs: incident('inc-a', 'org-a', 'RED', { authorId: 'user-a1', recipientUserIds: ['user-a2', 'user-c1'] }),
      users: [
        { id: 'user-a1', orgId: 'org-a' },
        { id: 'user-a2', orgId: 'org-a' },
        { id: 'user-c1', orgId: 'org-c' },
      ],
    });
    await world.request.execute(keyB, 'cor-1', 'inc-b');
    expect(world.plans[0].deliveries.map((d) => d.reader)).toEqual([
      { kind: 'principal', principalId: 'user-a1', orgId: 'org-a', isUser: true },
      { kind: 'principal', principalId: 'user-a2', orgId: 'org-a', isUser: true },
    ]);
  });
});

describe('AnswerContact', () => {
  async function asked(world: World = {}) {
    const set = setUp(world);
    const { event } = await set.request.execute(keyB, 'cor-1', 'inc-b');
    set.appended.length = 0;
    set.plans.length = 0;
    return { ...set, id: event.contact.id };
  }

  it('accept: both sides are named to each other, on both trails and in both events', async () => {
    const world = await asked();
    const event = await world.answer.execute(keyA, world.id, 'accepted');
    expect(event).toEqual({
      correlationId: 'cor-1',
      yourIncidentId: 'inc-a',
      contact: {
        id: world.id,
        direction: 'incoming',
        status: 'accepted',
        createdAt: expect.any(String),
        answeredAt: expect.any(String),
        organization: { id: 'org-b', name: 'Agency B' },
        incidentId: 'inc-b',
      },
    });
    expect(world.appended).toEqual([
      expect.objectContaining({
        orgId: 'org-a',
        actor: { type: 'key', id: 'key-a', orgId: 'org-a' },
        action: 'contact.accept',
        details: { correlationId: 'cor-1', incidentId: 'inc-a', otherOrgId: 'org-b', otherIncidentId: 'inc-b' },
      }),
      expect.objectContaining({
        orgId: 'org-b',
        actor: { type: 'key', id: 'key-a', orgId: 'org-a' },
        action: 'contact.accept',
        details: { correlationId: 'cor-1', incidentId: 'inc-b', otherOrgId: 'org-a', otherIncidentId: 'inc-a' },
      }),
    ]);
    expect(world.plans.map((p) => [p.event, p.deliveries])).toEqual([
      ['contact.answered', [{ reader: { kind: 'organization', orgId: 'org-a' }, payload: event }]],
      [
        'contact.answered',
        [
          {
            reader: { kind: 'organization', orgId: 'org-b' },
            payload: {
              correlationId: 'cor-1',
              yourIncidentId: 'inc-b',
              contact: expect.objectContaining({
                direction: 'outgoing',
                status: 'accepted',
                organization: { id: 'org-a', name: 'CERT A' },
                incidentId: 'inc-a',
              }),
            },
          },
        ],
      ],
    ]);
  });

  it('decline: the requester learns "declined" only, and the owner’s trail does not name it', async () => {
    const world = await asked();
    const event = await world.answer.execute(keyA, world.id, 'declined');
    expect(event.contact).toEqual({
      id: world.id,
      direction: 'incoming',
      status: 'declined',
      createdAt: expect.any(String),
      answeredAt: expect.any(String),
    });
    const [ownerRecord, requesterRecord] = world.appended;
    expect(ownerRecord).toMatchObject({ orgId: 'org-a', actor: { id: 'key-a' }, action: 'contact.decline' });
    expectNone(ownerRecord, IDENTITY_OF_B);
    expect(requesterRecord).toMatchObject({ orgId: 'org-b', actor: CONTACT_BROKER, action: 'contact.decline' });
    expectNone(requesterRecord, IDENTITY_OF_A);
    const toB = world.plans[1].deliveries;
    expect(toB).toEqual([
      {
        reader: { kind: 'organization', orgId: 'org-b' },
        payload: {
          correlationId: 'cor-1',
          yourIncidentId: 'inc-b',
          contact: {
            id: world.id,
            direction: 'outgoing',
            status: 'declined',
            createdAt: expect.any(String),
            answeredAt: expect.any(String),
          },
        },
      },
    ]);
    expectNone(toB, IDENTITY_OF_A);
  });

  it('answers once: the same answer again changes and announces nothing; the other one is a conflict', async () => {
    const world = await asked();
    const first = await world.answer.execute(keyA, world.id, 'accepted');
    const again = await world.answer.execute(key('org-a', 'user-a9'), world.id, 'accepted');
    expect(again).toEqual(first);
    expect(world.appended).toHaveLength(2);
    expect(world.plans).toHaveLength(2);
    await expect(world.answer.execute(keyA, world.id, 'declined')).rejects.toEqual(domainError('conflict'));
    expect(world.contacts.stored.get(world.id)).toMatchObject({ status: 'accepted', answeredBy: 'key-a' });
  });

  it('repeating an answer whose announcement failed announces it, without recording it twice', async () => {
    const world = await asked();
    world.redis.down = true;
    await expect(world.answer.execute(keyA, world.id, 'declined')).rejects.toThrow('Redis is down');
    expect(world.contacts.stored.get(world.id)?.status).toBe('declined');
    expect(world.appended).toHaveLength(2);
    world.redis.down = false;
    await world.answer.execute(keyA, world.id, 'declined');
    expect(world.plans.map((p) => [p.event, p.incidentId])).toEqual([
      ['contact.answered', 'inc-a'],
      ['contact.answered', 'inc-b'],
    ]);
    expect(world.appended).toHaveLength(2);
    await world.answer.execute(keyA, world.id, 'declined');
    expect(world.plans).toHaveLength(2);
  });

  it.each([
    ['the requester', keyB],
    ['an organization of neither side', keyC],
  ])('answers 404 to %s', async (_case, principal) => {
    const world = await asked();
    await expect(world.answer.execute(principal, world.id, 'accepted')).rejects.toEqual(domainError('not_found'));
    expect(world.contacts.stored.get(world.id)?.status).toBe('pending');
  });

  it('answers 404 to an unknown request and to a caller of A who may not see A’s incident', async () => {
    const world = await asked({
      policyOfA: { RED: 'anonymous' },
      theirs: incident('inc-a', 'org-a', 'RED', { authorId: 'user-a1' }),
    });
    await expect(world.answer.execute(keyA, 'contact-nope', 'accepted')).rejects.toEqual(domainError('not_found'));
    await expect(world.answer.execute(keyA, world.id, 'accepted')).rejects.toEqual(domainError('not_found'));
    const author = { ...key('org-a', 'user-a1'), kind: 'user' as const };
    await expect(world.answer.execute(author, world.id, 'accepted')).resolves.toMatchObject({
      contact: { status: 'accepted' },
    });
  });

  it('refuses a credential without incidents:write (403)', async () => {
    const world = await asked();
    const reader = key('org-a', 'key-a', ['incidents:read']);
    await expect(world.answer.execute(reader, world.id, 'declined')).rejects.toEqual(domainError('forbidden'));
  });
});

describe('ListContactRequests', () => {
  it('lists each side’s requests as its live events word them, and nobody else’s', async () => {
    const world = setUp();
    const { event } = await world.request.execute(keyB, 'cor-1', 'inc-b');
    expect(await world.list.execute(keyB)).toEqual([event]);
    const toA = await world.list.execute(keyA);
    expect(toA).toEqual([world.plans[0].deliveries[0].payload]);
    expectNone(toA, IDENTITY_OF_B);
    expect(await world.list.execute(keyC)).toEqual([]);
  });

  it('leaves out requests about an incident the caller may not see', async () => {
    const world = setUp({
      policyOfA: { RED: 'anonymous' },
      theirs: incident('inc-a', 'org-a', 'RED', { authorId: 'user-a1' }),
    });
    await world.request.execute(keyB, 'cor-1', 'inc-b');
    expect(await world.list.execute(keyA)).toEqual([]);
    const author = { ...key('org-a', 'user-a1'), kind: 'user' as const };
    expect(await world.list.execute(author)).toHaveLength(1);
  });

  it('needs incidents:read', async () => {
    const world = setUp();
    await expect(world.list.execute(key('org-b', 'key-b', []))).rejects.toEqual(domainError('forbidden'));
  });
});

import {
  SharingContext,
  principalsOf,
  timelineChanges,
  type Correlation,
  type Incident,
  type TimelineEntry,
  type WatchHit,
} from '@corridor/domain';
import { assertDistinctReaders, readerKey, type DeliveryPlan } from './delivery-plan';
import { EventLog, compareEventIds, isEventId } from './event-log';
import {
  incidentReaders,
  ownerReaders,
  planCorrelationAcknowledged,
  planCorrelationAlert,
  planIncidentCommented,
  planIncidentAudienceChange,
  planIncidentCorrelated,
  planIncidentCreated,
  planIncidentEnriched,
  planTimelineEntry,
  planUserCreated,
  planWatchlistHit,
  type PrincipalDirectory,
} from './plans';

// A and B share a community in which B chose anonymity; C is outside it; D is a CERT outside everything.
const sharing = new SharingContext(
  [
    {
      members: [
        { orgId: 'A', anonymous: false },
        { orgId: 'B', anonymous: true },
      ],
    },
  ],
  [
    { id: 'A', name: 'CERT A', kind: 'cert' },
    { id: 'B', name: 'Agency B', kind: 'agency' },
    { id: 'C', name: 'CERT C', kind: 'cert' },
    { id: 'D', name: 'CERT D', kind: 'cert' },
  ],
);

const at = new Date('2026-11-29T10:00:00.000Z');

function incident(overrides: Partial<Incident>): Incident {
  return {
    id: 'i-a',
    orgId: 'A',
    authorId: 'key-a',
    recipientOrgIds: [],
    recipientUserIds: [],
    status: 'new',
    title: 'secret title',
    description: '',
    occurredAt: at,
    classification: { class: 'malicious-code', type: 'c2-server' },
    severity: 'high',
    tlp: 'GREEN',
    pap: 'GREEN',
    state: 'pending',
    submitted: [],
    indicators: [],
    rejectedIndicators: [],
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const noPrincipals: PrincipalDirectory = new Map();
const keys = (plan: DeliveryPlan) => plan.deliveries.map((d) => readerKey(d.reader)).sort();

describe('delivery plans', () => {
  it('sends incident.enriched to the incident readers only, the same indicators to each, for replay too', () => {
    const enriched = [
      {
        type: 'ipv4' as const,
        value: '8.8.8.8',
        enrichment: { ipRange: 'unicast', country: 'US', asn: 15169, asOrg: 'Google LLC' },
      },
    ];
    const amber = incident({ tlp: 'AMBER', state: 'correlated' });
    const plan = planIncidentEnriched(amber, 'offline', enriched, sharing, noPrincipals);
    expect(plan.event).toBe('incident.enriched');
    expect(plan.incidentId).toBe('i-a');
    expect(plan.scope).toBe('feed');
    expect(keys(plan)).toEqual(['o:A']);
    expect(plan.deliveries[0].payload).toEqual({ incidentId: 'i-a', source: 'offline', indicators: enriched });
    expect(
      keys(planIncidentEnriched(incident({ tlp: 'GREEN' }), 'reputation', enriched, sharing, noPrincipals)),
    ).toEqual(['o:A', 'o:B']);
  });

  it('words incident.created for each reader: B anonymised to A, named to itself', () => {
    const own = incident({ orgId: 'B', authorId: 'key-b', id: 'i-b' });
    const plan = planIncidentCreated(own, sharing, noPrincipals);
    expect(keys(plan)).toEqual(['o:A', 'o:B']);
    const to = (orgId: string) => plan.deliveries.find((d) => d.reader.orgId === orgId)?.payload.organization;
    expect(to('A')).toEqual({ id: null, name: 'a partner agency' });
    expect(to('B')).toEqual({ id: 'B', name: 'Agency B' });
  });

  it('sends CLEAR to every organization and RED to its author and named people only', () => {
    expect(keys(planIncidentCreated(incident({ tlp: 'CLEAR' }), sharing, noPrincipals))).toEqual([
      'o:A',
      'o:B',
      'o:C',
      'o:D',
    ]);
    const red = incident({ tlp: 'RED', authorId: 'user-a', recipientUserIds: ['user-c'] });
    const principals = new Map([
      ['user-a', { orgId: 'A', isUser: true }],
      ['user-c', { orgId: 'C', isUser: true }],
    ]);
    expect(principalsOf(red)).toEqual(['user-a', 'user-c']);
    expect(incidentReaders(red, sharing, principals)).toEqual([
      { kind: 'principal', principalId: 'user-a', orgId: 'A', isUser: true },
      { kind: 'principal', principalId: 'user-c', orgId: 'C', isUser: true },
    ]);
    // An author that is not a person is an API key of the submitting organization.
    expect(ownerReaders(incident({ tlp: 'RED', authorId: 'key-a' }), noPrincipals)).toEqual([
      { kind: 'principal', principalId: 'key-a', orgId: 'A', isUser: false },
    ]);
  });

  describe('a change of TLP or recipients', () => {
    const principals = new Map([
      ['user-a', { orgId: 'A', isUser: true }],
      ['user-c', { orgId: 'C', isUser: true }],
    ]);

    it('withdraws the incident from those who lose it and shares it with those who gain it', () => {
      const green = incident({ tlp: 'GREEN' });
      const tightened = planIncidentAudienceChange(green, { ...green, tlp: 'AMBER' }, sharing, principals, principals);
      expect(keys(tightened.withdrawn)).toEqual(['o:B']);
      expect(tightened.withdrawn.deliveries[0].payload).toEqual({ incidentId: 'i-a' });
      expect(tightened.withdrawn.incidentId).toBeUndefined();
      expect(keys(tightened.shared)).toEqual([]);

      const widened = planIncidentAudienceChange(green, { ...green, tlp: 'CLEAR' }, sharing, principals, principals);
      expect(keys(widened.withdrawn)).toEqual([]);
      expect(keys(widened.shared)).toEqual(['o:C', 'o:D']);
      expect(widened.shared.incidentId).toBe('i-a');
      expect(widened.shared.deliveries.find((d) => d.reader.orgId === 'C')?.payload).toEqual(
        planIncidentCreated({ ...green, tlp: 'CLEAR' }, sharing, principals).deliveries.find(
          (d) => d.reader.orgId === 'C',
        )?.payload,
      );
    });

    it('going RED: the organizations lose it, the author and the named person keep or gain it', () => {
      const green = incident({ tlp: 'GREEN', authorId: 'user-a' });
      const red = { ...green, tlp: 'RED' as const, recipientUserIds: ['user-c'] };
      const change = planIncidentAudienceChange(green, red, sharing, principals, principals);
      expect(keys(change.withdrawn)).toEqual(['o:A', 'o:B']);
      // The author saw it through A, which is told it is withdrawn: the author is told it is shared.
      expect(keys(change.shared)).toEqual(['p:user-a', 'p:user-c']);

      const back = planIncidentAudienceChange(red, green, sharing, principals, principals);
      // user-c (C) loses it; the author sees it again through A, as all of A and B do.
      expect(keys(back.withdrawn)).toEqual(['p:user-c']);
      expect(keys(back.shared)).toEqual(['o:A', 'o:B']);
    });

    it('tells nothing when the audience stays the same', () => {
      const amber = incident({ tlp: 'AMBER' });
      const change = planIncidentAudienceChange(
        amber,
        { ...amber, tlp: 'AMBER+STRICT' },
        sharing,
        principals,
        principals,
      );
      expect([...keys(change.withdrawn), ...keys(change.shared)]).toEqual([]);
    });
  });

  it('tells the count of correlations to readers of the submitting organization only', () => {
    const plan = planIncidentCorrelated(incident({ tlp: 'GREEN' }), 3, sharing, noPrincipals);
    expect(plan.deliveries.find((d) => d.reader.orgId === 'A')?.payload).toEqual({
      incidentId: 'i-a',
      state: 'correlated',
      correlations: 3,
    });
    expect(plan.deliveries.find((d) => d.reader.orgId === 'B')?.payload).toEqual({
      incidentId: 'i-a',
      state: 'correlated',
    });
  });

  it('words a comment by anonymised B for A, and by name for B', () => {
    const plan = planIncidentCommented(
      incident({ tlp: 'GREEN' }),
      { id: 'c1', incidentId: 'i-a', orgId: 'B', authorId: 'key-b', text: 'seen too', createdAt: at },
      sharing,
      noPrincipals,
    );
    expect(plan.scope).toBe('incident');
    expect(plan.deliveries.find((d) => d.reader.orgId === 'A')?.payload.comment.organization).toEqual({
      id: null,
      name: 'a partner agency',
    });
    expect(plan.deliveries.find((d) => d.reader.orgId === 'B')?.payload.comment.organization).toEqual({
      id: 'B',
      name: 'Agency B',
    });
  });

  describe('correlation alerts on a RED incident naming a person of another organization', () => {
    // A's RED incident names a person of C; D's AMBER incident names A as recipient; they match.
    const red = incident({ id: 'i-red', tlp: 'RED', authorId: 'user-a', recipientUserIds: ['user-c'] });
    const amber = incident({
      id: 'i-amber',
      orgId: 'D',
      authorId: 'key-d',
      tlp: 'AMBER',
      recipientOrgIds: ['A'],
      title: 'D only',
    });
    const correlation: Correlation = {
      id: 'cor-1',
      key: 'domain:evil.com',
      type: 'domain',
      value: 'evil.com',
      found: { incidentId: 'i-amber', orgId: 'D' },
      earlier: { incidentId: 'i-red', orgId: 'A' },
      createdAt: at,
    };
    const principals = new Map([
      ['user-a', { orgId: 'A', isUser: true }],
      ['user-c', { orgId: 'C', isUser: true }],
    ]);

    it('shows the counterpart to the author, who may see it, and nothing to the person of C, who may not', () => {
      const plan = planCorrelationAlert(correlation, red, amber, sharing, principals);
      expect(keys(plan)).toEqual(['p:user-a']);
      expect(plan.deliveries[0].payload.counterpart).toEqual({
        disclosure: 'full',
        organization: { id: 'D', name: 'CERT D' },
        incident: {
          id: 'i-amber',
          title: 'D only',
          severity: 'high',
          classification: amber.classification,
          tlp: 'AMBER',
        },
      });
      expect(JSON.stringify(plan)).not.toContain('user-c');
    });

    it('tells D that its incident matched, and of the RED side only what A discloses (nothing by default)', () => {
      const plan = planCorrelationAlert(correlation, amber, red, sharing, principals);
      expect(keys(plan)).toEqual(['o:D']);
      expect(plan.deliveries[0].payload).toMatchObject({
        yourIncidentId: 'i-amber',
        counterpart: { disclosure: 'nothing' },
      });
      expect(JSON.stringify(plan)).not.toContain('CERT A');
    });

    it('gives a person of D named on the RED side its own, fuller, alert than D as a whole', () => {
      const namesD = incident({ id: 'i-red', tlp: 'RED', authorId: 'user-a', recipientUserIds: ['user-d'] });
      const withD = new Map([...principals, ['user-d', { orgId: 'D', isUser: true }]]);
      const plan = planCorrelationAlert(correlation, amber, namesD, sharing, withD);
      expect(keys(plan)).toEqual(['o:D', 'p:user-d']);
      const to = (key: string) => plan.deliveries.find((d) => readerKey(d.reader) === key)?.payload.counterpart;
      expect(to('o:D')).toEqual({ disclosure: 'nothing' });
      expect(to('p:user-d')).toMatchObject({ disclosure: 'full', incident: { id: 'i-red' } });
    });

    it('tells an acknowledgement only to readers of the acknowledging organization', () => {
      const plan = planCorrelationAcknowledged(correlation, red, { orgId: 'A', userId: 'user-a', at }, principals);
      expect(keys(plan)).toEqual(['p:user-a']);
      expect(plan.deliveries[0].payload).toEqual({
        id: 'cor-1',
        yourIncidentId: 'i-red',
        by: 'user-a',
        at: at.toISOString(),
      });
    });
  });

  it('announces a new account to the org-admins of its own organization only', () => {
    const user = {
      id: 'u1',
      orgId: 'A',
      email: 'x@a.example.com',
      name: 'X',
      roles: ['analyst' as const],
      language: 'en' as const,
      createdAt: at,
    };
    const plan = planUserCreated(
      user,
      [
        { id: 'admin-a', orgId: 'A' },
        { id: 'admin-b', orgId: 'B' },
      ],
      'admin-a',
    );
    expect(keys(plan)).toEqual(['p:admin-a']);
    expect(plan.deliveries[0]?.payload.user.language).toBe('en');
  });

  it('plans a timeline entry for the incident room, worded per reader; assignment to the owner only', () => {
    const before = incident({ id: 'i-t', tlp: 'GREEN' });
    const after = { ...before, status: 'triaged' as const, assigneeId: 'user-a' };
    const [status, assigned] = timelineChanges(before, after, { orgId: 'A', principalId: 'user-a' }, at, 'c1');
    const statusPlan = planTimelineEntry(status, after, sharing, new Map());
    expect(statusPlan).toMatchObject({ event: 'incident.timeline', scope: 'incident', incidentId: 'i-t' });
    const byReader = new Map(statusPlan.deliveries.map((d) => [d.reader.orgId, d.payload]));
    expect([...byReader.keys()].sort()).toEqual(['A', 'B']);
    expect(byReader.get('A')).toMatchObject({
      kind: 'status_changed',
      from: 'new',
      to: 'triaged',
      by: { organization: { id: 'A', name: 'CERT A' }, principalId: 'user-a' },
    });
    expect(byReader.get('B')).toMatchObject({ by: { organization: { id: 'A', name: 'CERT A' }, principalId: null } });
    const assignedPlan = planTimelineEntry(assigned, after, sharing, new Map());
    expect(assignedPlan.deliveries.map((d) => d.reader.orgId)).toEqual(['A']);
  });

  it('words a correlation entry by the correlation rule, and leaves out readers who may not learn of it', () => {
    const own = incident({ id: 'i-own', orgId: 'A', tlp: 'GREEN' });
    const other = incident({ id: 'i-other', orgId: 'B', tlp: 'AMBER+STRICT', title: 'B only' });
    const correlation: Correlation = {
      id: 'cor-t',
      key: 'domain:evil.com',
      type: 'domain',
      value: 'evil.com',
      found: { incidentId: 'i-own', orgId: 'A' },
      earlier: { incidentId: 'i-other', orgId: 'B' },
      createdAt: at,
    };
    const entry: TimelineEntry = {
      id: 'correlated-i-own-cor-t',
      incidentId: 'i-own',
      at,
      actor: null,
      kind: 'correlated',
      correlationId: 'cor-t',
    };
    const plan = planTimelineEntry(entry, own, sharing, new Map(), { correlation, other });
    // A may not see B's AMBER+STRICT incident: its entry tells of the match without B's details.
    const a = plan.deliveries.find((d) => d.reader.orgId === 'A')!.payload;
    expect(a).toMatchObject({ kind: 'correlated', by: null, correlation: { id: 'cor-t', yourIncidentId: 'i-own' } });
    expect(JSON.stringify(a)).not.toContain('B only');
  });

  it('gives a person named on a RED other side a correlation entry of their own, as REST words it for them', () => {
    const own = incident({ id: 'i-green', orgId: 'A', tlp: 'GREEN' });
    const other = incident({ id: 'i-red', orgId: 'B', tlp: 'RED', authorId: 'key-b', recipientUserIds: ['user-a'] });
    const correlation: Correlation = {
      id: 'cor-red',
      key: 'domain:evil.com',
      type: 'domain',
      value: 'evil.com',
      found: { incidentId: 'i-green', orgId: 'A' },
      earlier: { incidentId: 'i-red', orgId: 'B' },
      createdAt: at,
    };
    const entry: TimelineEntry = {
      id: 'correlated-i-green-cor-red',
      incidentId: 'i-green',
      at,
      actor: null,
      kind: 'correlated',
      correlationId: 'cor-red',
    };
    const principals = new Map([['user-a', { orgId: 'A', isUser: true }]]);
    const plan = planTimelineEntry(entry, own, sharing, principals, { correlation, other });
    assertDistinctReaders(plan);
    const person = plan.deliveries.find((d) => d.reader.kind === 'principal' && d.reader.principalId === 'user-a');
    const orgA = plan.deliveries.find((d) => d.reader.kind === 'organization' && d.reader.orgId === 'A');
    expect(person?.payload).toMatchObject({ correlation: { counterpart: { disclosure: 'full' } } });
    expect(orgA?.payload).toMatchObject({ correlation: { counterpart: { disclosure: 'nothing' } } });
  });

  describe('a watchlist hit', () => {
    const hit = (orgId: string, incidentId = 'i-a'): WatchHit => ({
      id: 'wh-1',
      watchId: 'wl-1',
      orgId,
      watched: { type: 'domain', value: 'watched.corridor-test.net' },
      incidentId,
      incidentOrgId: 'A',
      matched: { type: 'url', value: 'https://watched.corridor-test.net/secret-path' },
      kind: 'url-host',
      createdAt: at,
    });

    it('goes to the watching organization only, naming an incident it may see', () => {
      const plan = planWatchlistHit(hit('C'), incident({ tlp: 'CLEAR' }), sharing, noPrincipals);
      expect(keys(plan)).toEqual(['o:C']);
      expect(plan.incidentId).toBeUndefined();
      expect(plan.deliveries[0].payload).toMatchObject({
        counterpart: { disclosure: 'full', incident: { id: 'i-a', title: 'secret title' } },
        matched: { type: 'url', value: 'https://watched.corridor-test.net/secret-path' },
      });
    });

    it('words an incident the organization may not see by its owner’s policy, with nothing of its own', () => {
      const plan = planWatchlistHit(hit('C'), incident({ tlp: 'AMBER' }), sharing, noPrincipals);
      expect(keys(plan)).toEqual(['o:C']);
      const payload = plan.deliveries[0].payload;
      expect(payload.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
      expect(payload.matched).toBeNull();
      expect(JSON.stringify(payload)).not.toMatch(/i-a|secret/);
    });

    it('gives a person of the watching organization named on a RED incident a delivery of their own', () => {
      const red = incident({ tlp: 'RED', authorId: 'user-a', recipientUserIds: ['user-c'] });
      const principals = new Map([
        ['user-a', { orgId: 'A', isUser: true }],
        ['user-c', { orgId: 'C', isUser: true }],
      ]);
      const plan = planWatchlistHit(hit('C'), red, sharing, principals);
      assertDistinctReaders(plan);
      expect(keys(plan)).toEqual(['o:C', 'p:user-c']);
      const to = (key: string) => plan.deliveries.find((d) => readerKey(d.reader) === key)?.payload.counterpart;
      expect(to('o:C')).toEqual({ disclosure: 'nothing' });
      expect(to('p:user-c')).toMatchObject({ disclosure: 'full', incident: { id: 'i-a' } });
    });
  });

  it('refuses a plan naming one reader twice', () => {
    const plan: DeliveryPlan<'incident.failed'> = {
      event: 'incident.failed',
      scope: 'feed',
      deliveries: [
        { reader: { kind: 'organization', orgId: 'A' }, payload: { incidentId: 'x', state: 'failed', reason: 'r' } },
        { reader: { kind: 'organization', orgId: 'A' }, payload: { incidentId: 'x', state: 'failed', reason: 'r' } },
      ],
    };
    expect(() => assertDistinctReaders(plan)).toThrow('names reader o:A twice');
  });
});

describe('event ids and channel messages', () => {
  it('orders ids by time, then by counter', () => {
    expect(compareEventIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareEventIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0);
    expect(compareEventIds('5-5', '5-5')).toBe(0);
    expect(isEventId('1700000000000-0')).toBe(true);
    expect(isEventId('1700000000000')).toBe(false);
    expect(isEventId('x-1')).toBe(false);
    expect(isEventId({})).toBe(false);
  });

  it('decodes a published event into one payload per reader, and ignores garbage', () => {
    const message = `17-3 {"e":"incident.failed","i":"inc","s":"feed","to":[["o:A",0],["o:B",0],["p:k",1]],"p":[{"n":1},{"n":2}]}`;
    const event = EventLog.decode(message);
    expect(event).toEqual({
      id: '17-3',
      event: 'incident.failed',
      incidentId: 'inc',
      scope: 'feed',
      payloads: new Map<string, unknown>([
        ['o:A', { n: 1 }],
        ['o:B', { n: 1 }],
        ['p:k', { n: 2 }],
      ]),
    });
    expect(EventLog.decode('nonsense')).toBeUndefined();
    expect(EventLog.decode('17-3 {not json')).toBeUndefined();
  });
});

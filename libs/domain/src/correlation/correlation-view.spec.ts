import { createHash } from 'node:crypto';
import { DISCLOSURE_LEVELS, type Disclosure, type DisclosurePolicy } from '../visibility/disclosure';
import { SharingContext, type CommunityMembers, type OrganizationInfo } from '../visibility/organization-display';
import type { Tlp } from '../visibility/tlp';
import type { Viewer } from '../visibility/visibility';
import type { Correlation, CounterpartIncident } from './correlation';
import {
  contactRequestId,
  contactViewFor,
  correlationViewFor,
  type ContactRequest,
  type CorrelationAck,
} from './correlation-view';

/**
 * A (org-a) owns the incident on the other side of the correlation; B (org-b) reads from its own side.
 * C (org-c) is a third organization. Each case builds the sharing it needs.
 */
const ORG_A: OrganizationInfo = { id: 'org-a', name: 'CERT A', kind: 'cert' };
const ORG_B: OrganizationInfo = { id: 'org-b', name: 'Agency B', kind: 'agency' };
const ORG_C: OrganizationInfo = { id: 'org-c', name: 'CERT C', kind: 'cert' };

const theirs = (tlp: Tlp, extra: Partial<CounterpartIncident> = {}): CounterpartIncident => ({
  id: 'inc-a',
  orgId: 'org-a',
  authorId: 'user-a',
  recipientOrgIds: [],
  recipientUserIds: [],
  title: 'Secret operation',
  severity: 'critical',
  classification: { class: 'intrusions', type: 'system-compromise' },
  tlp,
  ...extra,
});
const mine = (tlp: Tlp = 'CLEAR', extra: Partial<CounterpartIncident> = {}): CounterpartIncident => ({
  id: 'inc-b',
  orgId: 'org-b',
  authorId: 'user-b',
  recipientOrgIds: [],
  recipientUserIds: [],
  title: 'Our report',
  severity: 'high',
  classification: { class: 'fraud', type: 'phishing' },
  tlp,
  ...extra,
});

const correlation: Correlation & { acks: CorrelationAck[] } = {
  id: 'cor-1',
  key: 'ipv4:203.0.113.7',
  type: 'ipv4',
  value: '203.0.113.7',
  found: { incidentId: 'inc-b', orgId: 'org-b' },
  earlier: { incidentId: 'inc-a', orgId: 'org-a' },
  createdAt: new Date('2026-11-24T08:30:00.000Z'),
  acks: [],
};

function sharing(
  policyOfA?: Partial<DisclosurePolicy>,
  communities: CommunityMembers[] = [],
  extraOrgs: OrganizationInfo[] = [ORG_C],
): SharingContext {
  return new SharingContext(communities, [{ ...ORG_A, disclosure: policyOfA }, ORG_B, ...extraOrgs]);
}
const everything = (level: Disclosure): DisclosurePolicy => ({
  CLEAR: level,
  GREEN: level,
  AMBER: level,
  'AMBER+STRICT': level,
  RED: level,
});
const common = (anonymousA = false): CommunityMembers => ({
  members: [
    { orgId: 'org-a', anonymous: anonymousA },
    { orgId: 'org-b', anonymous: false },
  ],
});

/** How B comes to see (or not) A's incident at each TLP; CLEAR is always seen, AMBER+STRICT never. */
interface Reading {
  name: string;
  tlp: Tlp;
  sees: boolean;
  incident: CounterpartIncident;
  communities: CommunityMembers[];
  viewer: (context: SharingContext) => Viewer;
}
const asOrganization = (context: SharingContext) => context.viewerFor({ kind: 'key', id: 'key-b', orgId: 'org-b' });
const asNamedPerson = (context: SharingContext) => context.viewerFor({ kind: 'user', id: 'user-b', orgId: 'org-b' });
const READINGS: Reading[] = [
  { name: 'CLEAR', tlp: 'CLEAR', sees: true, incident: theirs('CLEAR'), communities: [], viewer: asOrganization },
  {
    name: 'GREEN, common community',
    tlp: 'GREEN',
    sees: true,
    incident: theirs('GREEN'),
    communities: [common()],
    viewer: asOrganization,
  },
  {
    name: 'GREEN, no common community',
    tlp: 'GREEN',
    sees: false,
    incident: theirs('GREEN'),
    communities: [],
    viewer: asOrganization,
  },
  {
    name: 'AMBER, B a recipient',
    tlp: 'AMBER',
    sees: true,
    incident: theirs('AMBER', { recipientOrgIds: ['org-b'] }),
    communities: [],
    viewer: asOrganization,
  },
  {
    name: 'AMBER, B no recipient (even in a common community)',
    tlp: 'AMBER',
    sees: false,
    incident: theirs('AMBER', { recipientOrgIds: ['org-c'] }),
    communities: [common()],
    viewer: asOrganization,
  },
  {
    name: 'AMBER+STRICT',
    tlp: 'AMBER+STRICT',
    sees: false,
    incident: theirs('AMBER+STRICT', { recipientOrgIds: ['org-b'] }),
    communities: [common()],
    viewer: asOrganization,
  },
  {
    name: 'RED, B’s person named',
    tlp: 'RED',
    sees: true,
    incident: theirs('RED', { recipientUserIds: ['user-b'] }),
    communities: [],
    viewer: asNamedPerson,
  },
  {
    name: 'RED, read by B as an organization',
    tlp: 'RED',
    sees: false,
    incident: theirs('RED', { recipientUserIds: ['user-b'] }),
    communities: [common()],
    viewer: (context) => context.organizationViewer('org-b'),
  },
  {
    name: 'RED, B’s person not named',
    tlp: 'RED',
    sees: false,
    incident: theirs('RED', { recipientUserIds: ['user-c'] }),
    communities: [],
    viewer: asNamedPerson,
  },
];

const AMBER_HIDDEN = READINGS.find((r) => r.tlp === 'AMBER' && !r.sees)!;

const FULL_INCIDENT = (tlp: Tlp) => ({
  id: 'inc-a',
  title: 'Secret operation',
  severity: 'critical',
  classification: { class: 'intrusions', type: 'system-compromise' },
  tlp,
});

function expectedCounterpart(reading: Reading, disclosure: Disclosure) {
  if (reading.sees)
    return { disclosure: 'full', organization: { id: 'org-a', name: 'CERT A' }, incident: FULL_INCIDENT(reading.tlp) };
  switch (disclosure) {
    case 'named':
      return { disclosure: 'named', organization: { id: 'org-a', name: 'CERT A' }, tlp: reading.tlp };
    case 'anonymous':
      return { disclosure: 'anonymous', tlp: reading.tlp };
    case 'nothing':
      return { disclosure: 'nothing' };
  }
}

describe('the correlation view: what B learns of A’s side', () => {
  describe.each(DISCLOSURE_LEVELS)('A’s policy: %s at every level', (level) => {
    it.each(READINGS.map((r) => [r.name, r] as const))('%s', (_name, reading) => {
      const context = sharing(everything(level), reading.communities);
      const view = correlationViewFor(reading.viewer(context), correlation, mine(), reading.incident, context);
      expect(view).toEqual({
        id: 'cor-1',
        type: 'ipv4',
        value: '203.0.113.7',
        kind: 'exact',
        strength: 'strong',
        matched: null,
        yourIncidentId: 'inc-b',
        counterpart: expectedCounterpart(reading, level),
        acknowledged: null,
        contact: null,
        createdAt: '2026-11-24T08:30:00.000Z',
      });
      const text = JSON.stringify(view);
      if (!reading.sees) {
        expect(text).not.toContain('inc-a');
        expect(text).not.toContain('Secret operation');
        expect(text).not.toContain('system-compromise');
        expect(text).not.toContain('critical');
      }
      if (!reading.sees && level !== 'named') {
        expect(text).not.toContain('org-a');
        expect(text).not.toContain('CERT A');
      }
      if (!reading.sees && level === 'nothing') expect(text).not.toContain(reading.tlp);
    });
  });

  it.each(READINGS.filter((r) => !r.sees).map((r) => [r.name, r] as const))(
    'without a policy, follows the defaults (%s)',
    (_name, reading) => {
      const context = sharing(undefined, reading.communities);
      const view = correlationViewFor(reading.viewer(context), correlation, mine(), reading.incident, context);
      const expected = { GREEN: 'named', AMBER: 'anonymous', 'AMBER+STRICT': 'nothing', RED: 'nothing' } as const;
      expect(view?.counterpart).toEqual(expectedCounterpart(reading, expected[reading.tlp as keyof typeof expected]));
    },
  );

  it('applies the policy of A’s level only', () => {
    const context = sharing({ AMBER: 'named', RED: 'anonymous' });
    const viewer = asOrganization(context);
    const at = (tlp: Tlp) => correlationViewFor(viewer, correlation, mine(), theirs(tlp), context)?.counterpart;
    expect(at('AMBER')).toEqual({ disclosure: 'named', organization: { id: 'org-a', name: 'CERT A' }, tlp: 'AMBER' });
    expect(at('RED')).toEqual({ disclosure: 'anonymous', tlp: 'RED' });
    expect(at('AMBER+STRICT')).toEqual({ disclosure: 'nothing' });
  });

  it.each(DISCLOSURE_LEVELS)('lets A’s incident override %s win over its organization’s policy', (override) => {
    for (const level of DISCLOSURE_LEVELS) {
      const context = sharing(everything(level));
      const view = correlationViewFor(
        asOrganization(context),
        correlation,
        mine(),
        theirs('AMBER', { disclosure: override }),
        context,
      );
      expect(view?.counterpart).toEqual(expectedCounterpart(AMBER_HIDDEN, override));
    }
  });

  it('an override changes nothing for a reader who may see the incident', () => {
    const context = sharing(everything('nothing'));
    const view = correlationViewFor(
      asOrganization(context),
      correlation,
      mine(),
      theirs('CLEAR', { disclosure: 'nothing' }),
      context,
    );
    expect(view?.counterpart.disclosure).toBe('full');
  });

  it('names A as B knows it: anonymised where A chose anonymity in their common community', () => {
    const context = sharing(everything('named'), [common(true)]);
    const viewer = context.organizationViewer('org-b');
    for (const tlp of ['AMBER', 'AMBER+STRICT', 'RED'] as const) {
      // RED included: the incident names people, but not B's, so it must not count as naming B.
      const view = correlationViewFor(viewer, correlation, mine(), theirs(tlp), context);
      expect(view?.counterpart).toEqual({
        disclosure: 'named',
        organization: { id: null, name: 'a partner CERT' },
        tlp,
      });
    }
    const named = asNamedPerson(context);
    const red = correlationViewFor(
      named,
      correlation,
      mine(),
      theirs('RED', { recipientUserIds: ['user-c'] }),
      context,
    );
    expect(red?.counterpart).toEqual({
      disclosure: 'named',
      organization: { id: null, name: 'a partner CERT' },
      tlp: 'RED',
    });
    // A RED incident that does name B's person names A to that person (it chose B by name).
    const toNamed = correlationViewFor(
      named,
      correlation,
      mine(),
      theirs('RED', { recipientUserIds: ['user-b'] }),
      context,
    );
    expect(toNamed?.counterpart).toMatchObject({ disclosure: 'full', organization: { id: 'org-a', name: 'CERT A' } });
  });

  it('an organization missing from the directory is named as unknown, and its policy is the default', () => {
    const context = new SharingContext([], [ORG_B]);
    const viewer = asOrganization(context);
    expect(correlationViewFor(viewer, correlation, mine(), theirs('GREEN'), context)?.counterpart).toEqual({
      disclosure: 'named',
      organization: { id: null, name: 'unknown organization' },
      tlp: 'GREEN',
    });
    expect(correlationViewFor(viewer, correlation, mine(), theirs('RED'), context)?.counterpart).toEqual({
      disclosure: 'nothing',
    });
  });
});

describe('the correlation view: kinds other than exact', () => {
  // B's address 10.1.2.3 fell inside A's reported range 10.1.0.0/16.
  const contained: Correlation & { acks: CorrelationAck[] } = {
    ...correlation,
    key: 'ip-in-cidr\ncidr:10.1.0.0/16\nipv4:10.1.2.3',
    type: 'ipv4',
    value: '10.1.2.3',
    kind: 'ip-in-cidr',
    matched: { type: 'cidr', value: '10.1.0.0/16' },
  };

  for (const reading of READINGS) {
    it(`${reading.name}: B learns A’s range only if it may see A’s incident`, () => {
      for (const level of DISCLOSURE_LEVELS) {
        const context = sharing(everything(level), reading.communities);
        const view = correlationViewFor(reading.viewer(context), contained, mine(), reading.incident, context);
        expect(view).toMatchObject({ type: 'ipv4', value: '10.1.2.3', kind: 'ip-in-cidr', strength: 'medium' });
        expect(view?.matched).toEqual(reading.sees ? { type: 'cidr', value: '10.1.0.0/16' } : null);
        expect(JSON.stringify(view).includes('10.1.0.0')).toBe(reading.sees);
      }
    });
  }

  it('A reads its own range and, when it may see B’s incident, B’s address', () => {
    const context = sharing();
    const a = context.viewerFor({ kind: 'key', id: 'key-a', orgId: 'org-a' });
    expect(correlationViewFor(a, contained, theirs('AMBER'), mine('CLEAR'), context)).toMatchObject({
      type: 'cidr',
      value: '10.1.0.0/16',
      matched: { type: 'ipv4', value: '10.1.2.3' },
    });
    expect(correlationViewFor(a, contained, theirs('AMBER'), mine('AMBER'), context)).toMatchObject({
      type: 'cidr',
      value: '10.1.0.0/16',
      matched: null,
    });
  });
});

describe('the correlation view: readers and sides', () => {
  it('tells a reader outside the side’s organization nothing unless it may see the other incident', () => {
    // C reads B's CLEAR incident: it may not see A's AMBER one, so the correlation does not exist for C.
    const context = sharing(everything('named'));
    const c = context.viewerFor({ kind: 'key', id: 'key-c', orgId: 'org-c' });
    for (const tlp of ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const) {
      expect(correlationViewFor(c, correlation, mine('CLEAR'), theirs(tlp), context)).toBeUndefined();
    }
    // ...but it does when it may see both sides, in full and without B's acknowledgement.
    const acked = { ...correlation, acks: [{ orgId: 'org-b', userId: 'user-b', at: new Date(0) }] };
    expect(correlationViewFor(c, acked, mine('CLEAR'), theirs('CLEAR'), context)).toMatchObject({
      yourIncidentId: 'inc-b',
      counterpart: { disclosure: 'full', incident: { id: 'inc-a' } },
      acknowledged: null,
      contact: null,
    });
  });

  it('tells the side’s organization that its incident matched, even when it learns nothing else', () => {
    const context = sharing(everything('nothing'));
    const view = correlationViewFor(
      context.organizationViewer('org-b'),
      correlation,
      mine('RED'),
      theirs('RED'),
      context,
    );
    expect(view).toMatchObject({ yourIncidentId: 'inc-b', counterpart: { disclosure: 'nothing' } });
  });

  it('is undefined when the incidents are not the sides of the correlation', () => {
    const context = sharing();
    const viewer = asOrganization(context);
    expect(correlationViewFor(viewer, correlation, mine(), theirs('CLEAR', { id: 'inc-x' }), context)).toBeUndefined();
    expect(
      correlationViewFor(viewer, correlation, mine('CLEAR', { id: 'inc-x' }), theirs('CLEAR'), context),
    ).toBeUndefined();
  });

  it('reads from either side', () => {
    const context = sharing();
    const a = context.viewerFor({ kind: 'key', id: 'key-a', orgId: 'org-a' });
    const view = correlationViewFor(a, correlation, theirs('AMBER'), mine('AMBER'), context);
    expect(view).toMatchObject({ yourIncidentId: 'inc-a', counterpart: { disclosure: 'anonymous', tlp: 'AMBER' } });
  });

  it('shows the reader’s own organization’s acknowledgement only', () => {
    const context = sharing();
    const acks = [
      { orgId: 'org-a', userId: 'user-a', at: new Date('2026-11-24T09:00:00.000Z') },
      { orgId: 'org-b', userId: 'user-b', at: new Date('2026-11-24T10:00:00.000Z') },
    ];
    const viewer = asOrganization(context);
    const view = correlationViewFor(viewer, { ...correlation, acks }, mine(), theirs('AMBER'), context);
    expect(view?.acknowledged).toEqual({ by: 'user-b', at: '2026-11-24T10:00:00.000Z' });
    const noAck = correlationViewFor(viewer, { ...correlation, acks: [acks[0]] }, mine(), theirs('AMBER'), context);
    expect(noAck?.acknowledged).toBeNull();
  });
});

describe('contact requests', () => {
  const request = (status: ContactRequest['status'], extra: Partial<ContactRequest> = {}): ContactRequest => ({
    id: contactRequestId({ correlationId: 'cor-1', requesterIncidentId: 'inc-b' }),
    correlationId: 'cor-1',
    requesterOrgId: 'org-b',
    requesterIncidentId: 'inc-b',
    requestedBy: 'user-b',
    ownerOrgId: 'org-a',
    ownerIncidentId: 'inc-a',
    status,
    createdAt: new Date('2026-11-24T11:00:00.000Z'),
    answeredAt: status === 'pending' ? null : new Date('2026-11-24T12:00:00.000Z'),
    answeredBy: status === 'pending' ? null : 'user-a',
    ...extra,
  });
  const context = sharing(everything('anonymous'));

  it('ids are deterministic per correlation and requesting side, and name no organization', () => {
    const id = contactRequestId({ correlationId: 'cor-1', requesterIncidentId: 'inc-b' });
    expect(id).toMatch(/^contact-[0-9a-f]{40}$/);
    expect(contactRequestId({ correlationId: 'cor-1', requesterIncidentId: 'inc-b' })).toBe(id);
    expect(contactRequestId({ correlationId: 'cor-2', requesterIncidentId: 'inc-b' })).not.toBe(id);
    expect(contactRequestId({ correlationId: 'cor-1', requesterIncidentId: 'inc-a' })).not.toBe(id);
    // The owner knows the correlation and every organization id: hashing them must not find the requester.
    for (const guess of ['cor-1\norg-b', 'contact\ncor-1\norg-b']) {
      expect(id).not.toContain(createHash('sha256').update(guess).digest('hex').slice(0, 40));
    }
  });

  it('pending: each side sees the direction and status, and no identity', () => {
    const pending = request('pending');
    expect(contactViewFor(pending, 'org-b', context)).toEqual({
      id: pending.id,
      direction: 'outgoing',
      status: 'pending',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: null,
    });
    expect(contactViewFor(pending, 'org-a', context)).toEqual({
      id: pending.id,
      direction: 'incoming',
      status: 'pending',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: null,
    });
    for (const side of ['org-a', 'org-b']) {
      const text = JSON.stringify(contactViewFor(pending, side, context));
      for (const secret of ['org-a', 'org-b', 'CERT A', 'Agency B', 'inc-a', 'inc-b', 'user-a', 'user-b'])
        expect(text).not.toContain(secret);
    }
  });

  it('accepted: each side is named to the other, with the other’s incident', () => {
    const accepted = request('accepted');
    expect(contactViewFor(accepted, 'org-b', context)).toEqual({
      id: accepted.id,
      direction: 'outgoing',
      status: 'accepted',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: '2026-11-24T12:00:00.000Z',
      organization: { id: 'org-a', name: 'CERT A' },
      incidentId: 'inc-a',
    });
    expect(contactViewFor(accepted, 'org-a', context)).toEqual({
      id: accepted.id,
      direction: 'incoming',
      status: 'accepted',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: '2026-11-24T12:00:00.000Z',
      organization: { id: 'org-b', name: 'Agency B' },
      incidentId: 'inc-b',
    });
  });

  it('accepted: names by real name even where community membership anonymises', () => {
    const anonymised = sharing(everything('anonymous'), [common(true)]);
    expect(contactViewFor(request('accepted'), 'org-b', anonymised)?.organization).toEqual({
      id: 'org-a',
      name: 'CERT A',
    });
    const gone = new SharingContext([], [ORG_B]);
    expect(contactViewFor(request('accepted'), 'org-b', gone)?.organization).toEqual({
      id: null,
      name: 'unknown organization',
    });
  });

  it('declined: the requester learns "declined" and nothing more', () => {
    const declined = request('declined');
    const toRequester = contactViewFor(declined, 'org-b', context);
    expect(toRequester).toEqual({
      id: declined.id,
      direction: 'outgoing',
      status: 'declined',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: '2026-11-24T12:00:00.000Z',
    });
    const text = JSON.stringify(toRequester);
    for (const secret of ['org-a', 'CERT A', 'inc-a', 'user-a']) expect(text).not.toContain(secret);
    expect(contactViewFor(declined, 'org-a', context)).toEqual({
      id: declined.id,
      direction: 'incoming',
      status: 'declined',
      createdAt: '2026-11-24T11:00:00.000Z',
      answeredAt: '2026-11-24T12:00:00.000Z',
    });
  });

  it('is nobody else’s business', () => {
    for (const status of ['pending', 'accepted', 'declined'] as const) {
      expect(contactViewFor(request(status), 'org-c', context)).toBeUndefined();
    }
  });

  it('appears in the correlation view of each side, as that side sees it', () => {
    const toB = correlationViewFor(
      asOrganization(context),
      correlation,
      mine(),
      theirs('AMBER'),
      context,
      request('accepted'),
    );
    expect(toB?.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
    expect(toB?.contact).toMatchObject({ direction: 'outgoing', organization: { id: 'org-a' }, incidentId: 'inc-a' });
    const a = context.viewerFor({ kind: 'key', id: 'key-a', orgId: 'org-a' });
    const toA = correlationViewFor(a, correlation, theirs('AMBER'), mine('AMBER'), context, request('pending'));
    expect(toA?.contact).toEqual(expect.objectContaining({ direction: 'incoming', status: 'pending' }));
    expect(toA?.contact).not.toHaveProperty('organization');
  });

  it('a request of another correlation is not shown', () => {
    const view = correlationViewFor(
      asOrganization(context),
      correlation,
      mine(),
      theirs('AMBER'),
      context,
      request('accepted', { correlationId: 'cor-other' }),
    );
    expect(view?.contact).toBeNull();
  });

  it('a reader outside both organizations never sees the request', () => {
    const c = context.viewerFor({ kind: 'key', id: 'key-c', orgId: 'org-c' });
    const view = correlationViewFor(c, correlation, mine('CLEAR'), theirs('CLEAR'), context, request('accepted'));
    expect(view?.contact).toBeNull();
  });
});

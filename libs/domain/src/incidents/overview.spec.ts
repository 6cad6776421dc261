import { SharingContext } from '../visibility/organization-display';
import { overviewOf, overviewStart, type OverviewFacts } from './overview';

const ORGS = [
  { id: 'org-me', name: 'CERT Me', kind: 'cert' as const },
  { id: 'org-named', name: 'Agency Named', kind: 'agency' as const },
  { id: 'org-anon1', name: 'Hidden CERT 1', kind: 'cert' as const },
  { id: 'org-anon2', name: 'Hidden CERT 2', kind: 'cert' as const },
];
// org-anon1 and org-anon2 appear anonymised to org-me in their shared community.
const sharing = new SharingContext(
  [
    {
      members: [
        { orgId: 'org-me', anonymous: false },
        { orgId: 'org-anon1', anonymous: true },
        { orgId: 'org-anon2', anonymous: true },
      ],
    },
  ],
  ORGS,
);

let seq = 0;
const facts = (extra: Partial<OverviewFacts> & { at: string }): OverviewFacts => ({
  id: `inc-${++seq}`,
  orgId: 'org-me',
  tlp: 'GREEN',
  recipientOrgIds: [],
  severity: 'high',
  classification: { class: 'fraud' },
  indicators: [],
  ...extra,
  createdAt: new Date(extra.at),
});

const now = new Date('2026-11-24T15:00:00.000Z');

describe('overviewOf', () => {
  it('has every day of the window, UTC, zeros included', () => {
    const overview = overviewOf(
      [
        facts({ at: '2026-11-24T00:00:00.000Z', severity: 'critical', classification: { class: 'intrusions' } }),
        facts({ at: '2026-11-23T23:59:59.999Z' }),
        facts({ at: '2026-11-22T12:00:00.000Z' }),
        facts({ at: '2026-11-21T23:59:59.999Z' }), // before the window
        facts({ at: '2026-11-24T15:00:00.001Z' }), // after `now`
      ],
      { now, days: 3 },
      'org-me',
      sharing,
    );
    expect(overview.from).toBe('2026-11-22T00:00:00.000Z');
    expect(overview.to).toBe('2026-11-24T15:00:00.000Z');
    expect(overview.days.map((d) => [d.date, d.total])).toEqual([
      ['2026-11-22', 1],
      ['2026-11-23', 1],
      ['2026-11-24', 1],
    ]);
    const today = overview.days[2];
    expect(today.bySeverity).toEqual({ low: 0, medium: 0, high: 0, critical: 1 });
    expect(today.byClassification.intrusions).toBe(1);
    expect(today.byClassification.fraud).toBe(0);
    expect(Object.keys(today.byClassification)).toHaveLength(11);
  });

  it('lists indicators carried by at least two incidents, counting each incident once', () => {
    const ip = { type: 'ipv4' as const, value: '203.0.113.7' };
    const domain = { type: 'domain' as const, value: 'evil.example' };
    const lonely = { type: 'domain' as const, value: 'once.example' };
    const overview = overviewOf(
      [
        facts({ at: '2026-11-24T01:00:00Z', indicators: [ip, ip, domain, lonely] }),
        facts({ at: '2026-11-24T02:00:00Z', indicators: [ip, domain] }),
        facts({ at: '2026-11-24T03:00:00Z', indicators: [ip] }),
      ],
      { now, days: 1 },
      'org-me',
      sharing,
    );
    expect(overview.topIndicators).toEqual([
      { ...ip, incidents: 3 },
      { ...domain, incidents: 2 },
    ]);
  });

  it('keeps the ten most shared', () => {
    const incidents = Array.from({ length: 3 }, (_, i) =>
      facts({
        at: `2026-11-24T0${i}:00:00Z`,
        indicators: Array.from({ length: 12 }, (_, j) => ({ type: 'domain' as const, value: `d${j}.example` })),
      }),
    );
    const overview = overviewOf(incidents, { now, days: 1 }, 'org-me', sharing);
    expect(overview.topIndicators).toHaveLength(10);
  });

  it('ranks organizations by activity and never tells anonymised organizations apart', () => {
    const overview = overviewOf(
      [
        facts({ at: '2026-11-24T01:00:00Z', orgId: 'org-named', tlp: 'CLEAR' }),
        facts({ at: '2026-11-24T05:00:00Z', orgId: 'org-named', tlp: 'CLEAR' }),
        facts({ at: '2026-11-24T02:00:00Z', orgId: 'org-anon1' }),
        facts({ at: '2026-11-24T03:00:00Z', orgId: 'org-anon2' }),
        facts({ at: '2026-11-24T04:00:00Z', orgId: 'org-anon2' }),
        // Named as a recipient: the submitter is shown by name on this incident.
        facts({ at: '2026-11-24T06:00:00Z', orgId: 'org-anon1', tlp: 'AMBER', recipientOrgIds: ['org-me'] }),
        facts({ at: '2026-11-24T07:00:00Z' }),
      ],
      { now, days: 1 },
      'org-me',
      sharing,
    );
    expect(overview.partners).toEqual([
      { organization: { id: null, name: 'a partner CERT' }, incidents: 3, lastAt: '2026-11-24T04:00:00.000Z' },
      { organization: { id: 'org-named', name: 'Agency Named' }, incidents: 2, lastAt: '2026-11-24T05:00:00.000Z' },
      { organization: { id: 'org-me', name: 'CERT Me' }, incidents: 1, lastAt: '2026-11-24T07:00:00.000Z' },
      { organization: { id: 'org-anon1', name: 'Hidden CERT 1' }, incidents: 1, lastAt: '2026-11-24T06:00:00.000Z' },
    ]);
  });
});

describe('overviewStart', () => {
  it('is the UTC midnight days-1 before today', () => {
    expect(overviewStart(now, 1).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(overviewStart(now, 30).toISOString()).toBe('2026-10-26T00:00:00.000Z');
  });
});

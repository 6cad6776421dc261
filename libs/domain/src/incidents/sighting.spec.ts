import { fixtureAt, greenIncidentOfA, twoOrganizations } from './incident.fixtures';
import { sightingKeyOf, sightingViewFor, summarizeSightings, type Sighting } from './sighting';
import { sightedEntry, timelineEntryFor } from './timeline';

const sharing = twoOrganizations;
const at = fixtureAt;
const incident = greenIncidentOfA;
const sighting: Sighting = {
  id: 's-1',
  incidentId: 'i-1',
  orgId: 'B',
  authorId: 'key-b',
  indicator: { type: 'domain', value: 'evil.test' },
  kind: 'seen',
  count: 3,
  firstSeen: new Date('2026-11-28T01:00:00.000Z'),
  lastSeen: new Date('2026-11-28T05:00:00.000Z'),
  note: 'in our proxy logs',
  createdAt: at,
};

describe('sightings', () => {
  it('words the reporting organization as comments do: anonymised to others, by name to itself', () => {
    expect(sightingViewFor(sighting, 'A', sharing, incident).organization).toEqual({
      id: null,
      name: 'a partner agency',
    });
    expect(sightingViewFor(sighting, 'B', sharing, incident)).toEqual({
      id: 's-1',
      incidentId: 'i-1',
      organization: { id: 'B', name: 'Agency B' },
      indicator: { type: 'domain', value: 'evil.test' },
      kind: 'seen',
      count: 3,
      firstSeen: '2026-11-28T01:00:00.000Z',
      lastSeen: '2026-11-28T05:00:00.000Z',
      note: 'in our proxy logs',
      createdAt: '2026-11-29T10:00:00.000Z',
    });
  });

  it('gives each reader the same sighting in the timeline as by GET …/sightings', () => {
    const entry = sightedEntry(sighting);
    expect(entry.id).toBe('sighted-s-1');
    for (const reader of ['A', 'B']) {
      const view = timelineEntryFor(entry, incident, reader, sharing, () => undefined);
      expect(view).toMatchObject({ kind: 'sighted', sighting: sightingViewFor(sighting, reader, sharing, incident) });
    }
  });

  it('sums counts by kind per indicator and keeps the latest time seen', () => {
    const other = { type: 'ipv4' as const, value: '1.2.3.4' };
    const summary = summarizeSightings([
      sighting,
      { ...sighting, count: 1, firstSeen: null, lastSeen: null, createdAt: new Date('2026-11-29T12:00:00.000Z') },
      { ...sighting, kind: 'false-positive', count: 2 },
      { ...sighting, kind: 'expired', count: 1, lastSeen: new Date('2026-11-30T00:00:00.000Z') },
      { ...sighting, indicator: other, kind: 'false-positive', count: 1 },
    ]);
    expect(summary.get(sightingKeyOf(sighting.indicator))).toEqual({
      seen: 4,
      falsePositive: 2,
      expired: 1,
      lastSeen: '2026-11-29T12:00:00.000Z',
    });
    expect(summary.get(sightingKeyOf(other))).toEqual({ seen: 0, falsePositive: 1, expired: 0, lastSeen: null });
    expect(summary.size).toBe(2);
  });
});

import {
  correlationId,
  crossOrgMatches,
  decodeIndexEntry,
  describeCounterpart,
  encodeIndexEntry,
  sidesOf,
  type Correlation,
  type CounterpartIncident,
} from './correlation';
import { correlationKey } from './index-plan';
import { DISCLOSURE_LEVELS } from '../visibility/disclosure';
import { organizationViewer, type Viewer } from '../visibility/visibility';

const incident = (tlp: CounterpartIncident['tlp']): CounterpartIncident => ({
  id: 'inc-a',
  orgId: 'org-a',
  authorId: 'user-a',
  recipientOrgIds: [],
  recipientUserIds: [],
  title: 'Phishing wave',
  severity: 'high',
  classification: { class: 'fraud', type: 'phishing' },
  tlp,
});
const orgA = { id: 'org-a', name: 'CERT A' };
// B shares a community with A; D does not.
const viewerB = organizationViewer('org-b', ['org-a']);
const viewerD = organizationViewer('org-d', []);

describe('correlation', () => {
  it('keys carry the type', () => {
    expect(correlationKey({ type: 'ipv4', value: '203.0.113.7' })).toBe('ipv4:203.0.113.7');
    expect(correlationKey({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' })).toBe(
      'md5:d41d8cd98f00b204e9800998ecf8427e',
    );
  });

  it('index entries round-trip and junk is refused', () => {
    const entry = { incidentId: '0193-abc', orgId: 'org-1' };
    expect(decodeIndexEntry(encodeIndexEntry(entry))).toEqual(entry);
    expect(decodeIndexEntry('no-separator')).toBeUndefined();
    expect(decodeIndexEntry('|org')).toBeUndefined();
    expect(decodeIndexEntry('inc|')).toBeUndefined();
    const derived = { incidentId: '0193-abc', orgId: 'org-1', key: 'url:https://x.example/a|b' };
    expect(decodeIndexEntry(encodeIndexEntry(derived))).toEqual(derived);
    expect(decodeIndexEntry('inc|org|')).toBeUndefined();
  });

  it('correlation ids do not depend on which side found the match', () => {
    const one = correlationId('ipv4:203.0.113.7', 'inc-1', 'inc-2');
    expect(one).toBe(correlationId('ipv4:203.0.113.7', 'inc-2', 'inc-1'));
    expect(one).toMatch(/^cor-[0-9a-f]{40}$/);
    expect(one).not.toBe(correlationId('ipv4:203.0.113.8', 'inc-1', 'inc-2'));
  });

  it('keeps only other organizations, once each', () => {
    const own = { incidentId: 'i0', orgId: 'o0' };
    const found = [
      { incidentId: 'i0', orgId: 'o0' },
      { incidentId: 'i1', orgId: 'o0' },
      { incidentId: 'i2', orgId: 'o1' },
      { incidentId: 'i2', orgId: 'o1' },
      { incidentId: 'i3', orgId: 'o2' },
    ];
    expect(crossOrgMatches(own, found)).toEqual([
      { incidentId: 'i2', orgId: 'o1' },
      { incidentId: 'i3', orgId: 'o2' },
    ]);
  });

  it.each(['CLEAR', 'GREEN'] as const)(
    'shows a %s counterpart in full to a community peer, whatever the disclosure',
    (tlp) => {
      for (const disclosure of DISCLOSURE_LEVELS) {
        expect(describeCounterpart(viewerB, incident(tlp), orgA, disclosure)).toEqual({
          disclosure: 'full',
          organization: orgA,
          incident: {
            id: 'inc-a',
            title: 'Phishing wave',
            severity: 'high',
            classification: { class: 'fraud', type: 'phishing' },
            tlp,
          },
        });
      }
    },
  );

  it('never copies the override or sharing fields of a visible counterpart', () => {
    const view = describeCounterpart(viewerB, { ...incident('CLEAR'), disclosure: 'nothing' }, orgA, 'nothing');
    expect(Object.keys(view).sort()).toEqual(['disclosure', 'incident', 'organization']);
    expect(JSON.stringify(view)).not.toContain('user-a');
  });

  // D may not see A's GREEN incident (no common community); B may not see AMBER, AMBER+STRICT or RED.
  const hidden: Array<[string, Viewer, CounterpartIncident['tlp']]> = [
    ['D', viewerD, 'GREEN'],
    ['B', viewerB, 'AMBER'],
    ['B', viewerB, 'AMBER+STRICT'],
    ['B', viewerB, 'RED'],
  ];

  describe.each(hidden)('to %s, who may not see a %s counterpart', (_name, viewer, tlp) => {
    it('names the organization and the TLP, and nothing of the incident, when disclosure is named', () => {
      const view = describeCounterpart(viewer, incident(tlp), orgA, 'named');
      expect(view).toEqual({ disclosure: 'named', organization: orgA, tlp });
      expect(JSON.stringify(view)).not.toContain('Phishing');
      expect(JSON.stringify(view)).not.toContain('inc-a');
    });

    it('tells only the TLP when disclosure is anonymous', () => {
      const view = describeCounterpart(viewer, incident(tlp), orgA, 'anonymous');
      expect(view).toEqual({ disclosure: 'anonymous', tlp });
      expect(JSON.stringify(view)).not.toContain('org-a');
      expect(JSON.stringify(view)).not.toContain('CERT A');
    });

    it('tells nothing when disclosure is nothing', () => {
      expect(describeCounterpart(viewer, incident(tlp), orgA, 'nothing')).toEqual({ disclosure: 'nothing' });
    });
  });

  it('names the organization by id and name only', () => {
    const full = { ...orgA, country: 'PK', kind: 'cert', createdAt: new Date(0) };
    expect(describeCounterpart(viewerB, incident('RED'), full, 'named')).toEqual({
      disclosure: 'named',
      organization: orgA,
      tlp: 'RED',
    });
  });

  it('shows an AMBER counterpart to its own organization, but not a RED one to the organization as a whole', () => {
    const ownOrg = organizationViewer('org-a', []);
    expect(describeCounterpart(ownOrg, incident('AMBER'), orgA, 'nothing')).toMatchObject({
      disclosure: 'full',
      incident: { id: 'inc-a' },
    });
    expect(describeCounterpart(ownOrg, incident('RED'), orgA, 'nothing')).toEqual({ disclosure: 'nothing' });
  });

  it('splits a correlation into own and other side', () => {
    const c: Correlation = {
      id: 'cor-1',
      key: 'ipv4:203.0.113.7',
      type: 'ipv4',
      value: '203.0.113.7',
      found: { incidentId: 'b', orgId: 'ob' },
      earlier: { incidentId: 'a', orgId: 'oa' },
      createdAt: new Date(0),
    };
    expect(sidesOf(c, 'a')).toEqual({ own: c.earlier, other: c.found });
    expect(sidesOf(c, 'b')).toEqual({ own: c.found, other: c.earlier });
  });
});

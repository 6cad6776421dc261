import {
  correlationId,
  correlationKey,
  crossOrgMatches,
  decodeIndexEntry,
  describeCounterpart,
  encodeIndexEntry,
  sidesOf,
  type Correlation,
  type CounterpartIncident,
} from './correlation';
import { organizationViewer } from '../visibility/visibility';

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

  it.each(['CLEAR', 'GREEN'] as const)('shows a %s counterpart in full to a community peer', (tlp) => {
    expect(describeCounterpart(viewerB, incident(tlp), orgA)).toEqual({
      organization: orgA,
      incident: {
        id: 'inc-a',
        title: 'Phishing wave',
        severity: 'high',
        classification: { class: 'fraud', type: 'phishing' },
        tlp,
      },
    });
  });

  it('hides a GREEN counterpart from an organization outside its communities', () => {
    expect(describeCounterpart(viewerD, incident('GREEN'), orgA)).toEqual({ organization: orgA });
  });

  it.each(['AMBER', 'AMBER+STRICT', 'RED'] as const)('hides a %s counterpart from another organization', (tlp) => {
    const view = describeCounterpart(viewerB, incident(tlp), orgA);
    expect(view).toEqual({ organization: orgA });
    expect(JSON.stringify(view)).not.toContain('Phishing');
    expect(JSON.stringify(view)).not.toContain('inc-a');
  });

  it('names the organization by id and name only', () => {
    const full = { ...orgA, country: 'PK', kind: 'cert', createdAt: new Date(0) };
    expect(describeCounterpart(viewerB, incident('RED'), full)).toEqual({ organization: orgA });
  });

  it('shows an AMBER counterpart to its own organization', () => {
    expect(describeCounterpart(organizationViewer('org-a', []), incident('AMBER'), orgA).incident?.id).toBe('inc-a');
    expect(describeCounterpart(organizationViewer('org-a', []), incident('RED'), orgA).incident).toBeUndefined();
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

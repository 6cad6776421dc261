import type { Correlation } from '../correlation/correlation';
import type { Incident } from '../incidents/incident';
import { strictestTlp } from '../visibility/tlp';
import {
  indicatorDigest,
  newRetraction,
  retractionId,
  retractionNotification,
  retractionViewFor,
  withdrawnCorrelations,
  withdrawnWatchHits,
  withoutIndicator,
  mayReadRetraction,
  retractedAliasPairs,
} from './retraction';

const at = new Date('2026-11-30T09:00:00.000Z');
const incident = { id: 'inc-a', orgId: 'org-a', tlp: 'AMBER' as const, authorId: 'u-author', recipientUserIds: [] };
const correlation = (
  id: string,
  found: [string, string],
  earlier: [string, string],
  value = 'evil.example.net',
  matched?: { type: 'domain'; value: string },
): Correlation => ({
  id,
  key: `domain:${value}`,
  type: 'domain',
  value,
  ...(matched ? { matched, kind: 'subdomain' as const } : {}),
  found: { incidentId: found[0], orgId: found[1] },
  earlier: { incidentId: earlier[0], orgId: earlier[1] },
  createdAt: at,
});

describe('retraction ids and tombstones', () => {
  it('one id per incident, and per indicator of it; never the same for the two', () => {
    expect(retractionId('inc-a')).toBe(retractionId('inc-a'));
    expect(retractionId('inc-a')).not.toBe(retractionId('inc-b'));
    const digest = indicatorDigest({ type: 'domain', value: 'evil.example.net' });
    expect(retractionId('inc-a', digest)).not.toBe(retractionId('inc-a'));
    expect(retractionId('inc-a')).toMatch(/^retraction-[0-9a-f]{32}$/);
  });

  it('keeps an indicator as its digest, never its value', () => {
    const retraction = newRetraction({
      incident,
      indicator: { type: 'domain', value: 'evil.example.net' },
      reason: 'sinkhole',
      by: 'u-1',
      at,
    });
    expect(retraction.scope).toBe('indicator');
    expect(retraction.indicator).toEqual({
      type: 'domain',
      digest: indicatorDigest({ type: 'domain', value: 'evil.example.net' }),
    });
    expect(JSON.stringify(retraction)).not.toContain('evil.example.net');
    expect(retraction.id).toBe(retractionId('inc-a', retraction.indicator!.digest));
  });
});

describe('withdrawnCorrelations', () => {
  const all = [
    correlation('c1', ['inc-a', 'org-a'], ['inc-b', 'org-b']),
    correlation('c2', ['inc-c', 'org-c'], ['inc-a', 'org-a'], 'other.example.org'),
    correlation('c3', ['inc-c', 'org-c'], ['inc-b', 'org-b']),
    // A's side is the parent domain; the found side is a subdomain of it.
    correlation('c4', ['inc-d', 'org-d'], ['inc-a', 'org-a'], 'www.evil.example.net', {
      type: 'domain',
      value: 'evil.example.net',
    }),
  ];

  it('an incident: every correlation with a side of it', () => {
    const retraction = newRetraction({ incident, reason: 'x', by: 'u', at });
    expect(withdrawnCorrelations(retraction, all).map((c) => c.id)).toEqual(['c1', 'c2', 'c4']);
  });

  it('an indicator: those whose own side is it, whichever side found the match', () => {
    const retraction = newRetraction({
      incident,
      indicator: { type: 'domain', value: 'evil.example.net' },
      reason: 'x',
      by: 'u',
      at,
    });
    expect(withdrawnCorrelations(retraction, all).map((c) => c.id)).toEqual(['c1', 'c4']);
  });
});

describe('retractionViewFor', () => {
  const retraction = newRetraction({ incident, reason: 'Submitted in error', by: 'u', at });
  const withdrawn = {
    correlations: [
      correlation('c1', ['inc-a', 'org-a'], ['inc-b', 'org-b']),
      correlation('c2', ['inc-c', 'org-c'], ['inc-a', 'org-a']),
    ],
    alerts: [
      { id: 'al-b', orgId: 'org-b' },
      { id: 'al-c', orgId: 'org-c' },
    ],
  };

  it('a reader who may not see the incident learns only of its own correlations and alerts', () => {
    const view = retractionViewFor(retraction, { orgId: 'org-b', seesIncident: false }, withdrawn, {
      type: 'domain',
      value: 'evil.example.net',
    });
    expect(view).toEqual({
      retractionId: retraction.id,
      scope: 'incident',
      correlationIds: ['c1'],
      alertIds: ['al-b'],
      retractedAt: at.toISOString(),
    });
  });

  it('a reader who may see it is told its id, the reason and the indicator', () => {
    const view = retractionViewFor(retraction, { orgId: 'org-c', seesIncident: true }, withdrawn, {
      type: 'domain',
      value: 'evil.example.net',
    });
    expect(view).toMatchObject({
      incidentId: 'inc-a',
      reason: 'Submitted in error',
      indicator: { type: 'domain', value: 'evil.example.net' },
      correlationIds: ['c2'],
      alertIds: ['al-c'],
    });
  });

  it('its notification is labelled with the incident’s TLP only for a reader who may see it', () => {
    const hidden = retractionViewFor(retraction, { orgId: 'org-b', seesIncident: false }, withdrawn);
    const shown = retractionViewFor(retraction, { orgId: 'org-c', seesIncident: true }, withdrawn);
    const toB = retractionNotification(retraction, 'org-b', hidden, 'GREEN');
    const toC = retractionNotification(retraction, 'org-c', shown, 'GREEN');
    expect(toB).toMatchObject({ type: 'incident.retracted', orgId: 'org-b', tlp: 'GREEN' });
    expect(toB.incidentId).toBeUndefined();
    expect(toC).toMatchObject({ orgId: 'org-c', tlp: 'AMBER', incidentId: 'inc-a' });
    // One notification per retraction and organization: a retried job sends nothing twice.
    expect(retractionNotification(retraction, 'org-b', hidden, 'GREEN').id).toBe(toB.id);
    expect(toB.id).not.toBe(toC.id);
  });

  it('strictestTlp', () => {
    expect(strictestTlp([])).toBe('CLEAR');
    expect(strictestTlp(['GREEN', 'AMBER+STRICT', 'AMBER'])).toBe('AMBER+STRICT');
  });
});

describe('withoutIndicator', () => {
  it('drops the retracted indicator, the submitted values read as it (defanged or not) and its text in the description', () => {
    const kept = { raw: 'kept.example.org', source: 'field' as const };
    const stored: Pick<Incident, 'indicators' | 'submitted' | 'pap' | 'description'> = {
      pap: 'GREEN',
      description: 'Beacons to evil[.]example[.]net, then kept.example.org.',
      submitted: [
        { raw: 'evil[.]example[.]net', source: 'description' },
        { raw: 'EVIL.example.net', source: 'field' },
        kept,
      ],
      indicators: [
        { raw: 'evil[.]example[.]net', type: 'domain', value: 'evil.example.net' },
        { raw: 'kept.example.org', type: 'domain', value: 'kept.example.org' },
      ] as Incident['indicators'],
    };
    const retraction = newRetraction({
      incident,
      indicator: { type: 'domain', value: 'evil.example.net' },
      reason: 'x',
      by: 'u',
      at,
    });
    const left = withoutIndicator(stored, retraction);
    expect(left.indicators.map((i) => i.value)).toEqual(['kept.example.org']);
    expect(left.submitted).toEqual([kept]);
    expect(left.description).toBe('Beacons to [retracted], then kept.example.org.');
  });
});

describe('withdrawnWatchHits', () => {
  const hit = (id: string, incidentId: string, value: string) => ({
    id,
    incidentId,
    matched: { type: 'domain', value },
  });
  const hits = [
    hit('h1', 'inc-a', 'evil.example.net'),
    hit('h2', 'inc-a', 'kept.example.org'),
    hit('h3', 'inc-b', 'evil.example.net'),
  ];

  it('an incident: all of its hits; an indicator: those that matched it', () => {
    expect(withdrawnWatchHits(newRetraction({ incident, reason: 'x', by: 'u', at }), hits).map((h) => h.id)).toEqual([
      'h1',
      'h2',
    ]);
    const one = newRetraction({
      incident,
      indicator: { type: 'domain', value: 'evil.example.net' },
      reason: 'x',
      by: 'u',
      at,
    });
    expect(withdrawnWatchHits(one, hits).map((h) => h.id)).toEqual(['h1']);
  });
});

describe('mayReadRetraction', () => {
  it('the submitting organization reads it; for RED only the people the incident named', () => {
    const amber = newRetraction({ incident, reason: 'x', by: 'u', at });
    expect(amber.restrictedTo).toBeNull();
    expect(mayReadRetraction(amber, { id: 'u-any', orgId: 'org-a' })).toBe(true);
    expect(mayReadRetraction(amber, { id: 'u-any', orgId: 'org-b' })).toBe(false);
    const red = newRetraction({
      incident: { ...incident, tlp: 'RED', recipientUserIds: ['u-named'] },
      reason: 'x',
      by: 'u',
      at,
    });
    expect(red.restrictedTo).toEqual(['u-author', 'u-named']);
    expect(mayReadRetraction(red, { id: 'u-named', orgId: 'org-a' })).toBe(true);
    expect(mayReadRetraction(red, { id: 'key-1', orgId: 'org-a' })).toBe(false);
  });
});

describe('retractedAliasPairs', () => {
  const md5 = { type: 'md5' as const, value: 'd41d8cd98f00b204e9800998ecf8427f' };
  const sha1 = { type: 'sha1' as const, value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' };
  const sha256 = { type: 'sha256' as const, value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
  const domain = { type: 'domain' as const, value: 'evil.example.net' };

  it('an incident takes back every pair among its hashes; a hash, its own pairs only', () => {
    const all = retractedAliasPairs([md5, sha1, sha256, domain], { indicator: null });
    expect(all).toHaveLength(3);
    const one = retractedAliasPairs([md5, sha1, sha256, domain], {
      indicator: { type: 'md5', digest: indicatorDigest(md5) },
    });
    expect(one).toHaveLength(2);
    expect(one.every((pair) => pair.some((key) => key.startsWith('md5:')))).toBe(true);
    expect(
      retractedAliasPairs([md5, sha1, domain], { indicator: { type: 'domain', digest: indicatorDigest(domain) } }),
    ).toEqual([]);
  });
});

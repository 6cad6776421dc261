import type { Delivered, Incident, IncidentIndicator } from '../api/types';
import { attributionNeeded, mergeEnriched, networkFacts, providerAnswers, regionName } from './enrichment';

const indicator = (
  value: string,
  enrichment: IncidentIndicator['enrichment'],
  type: IncidentIndicator['type'] = 'ipv4',
): IncidentIndicator => ({
  raw: value,
  type,
  value,
  source: 'field' as const,
  enrichment,
  warnings: [],
  forDetection: true,
  correlates: true,
  pap: 'GREEN',
  hot: null,
  sightings: { seen: 0, falsePositive: 0, expired: 0, lastSeen: null },
});

const incident = (id: string, indicators: IncidentIndicator[]) => ({ id, title: 'kept', indicators }) as Incident;

const enriched = (
  incidentId: string,
  indicators: Delivered<'incident.enriched'>['indicators'],
): Delivered<'incident.enriched'> => ({ eventId: '1-0', incidentId, source: 'http-json', indicators });

describe('indicator enrichment on the incident page', () => {
  it('takes country and AS from the offline facts, and nothing when there are none', () => {
    const facts = { ipRange: 'unicast', country: 'NL', asn: 3333, asOrg: 'RIPE NCC' };
    expect(networkFacts(indicator('193.0.6.139', facts))).toEqual({ country: 'NL', asn: 3333, asOrg: 'RIPE NCC' });
    expect(networkFacts(indicator('10.1.2.3', { ipRange: 'private' }))).toEqual({});
    // An indicator the api sends without the field (a hash) has nothing either.
    const hash = { ...indicator('d41d8cd98f00b204e9800998ecf8427e', {}, 'md5') } as Partial<IncidentIndicator>;
    delete hash.enrichment;
    expect(networkFacts(hash as IncidentIndicator)).toEqual({});
  });

  it('names a region in the page’s language, and falls back to the code', () => {
    expect(regionName('NL', 'en')).toBe('Netherlands');
    expect(regionName('NL', 'ar')).toBe('هولندا');
    expect(regionName('NL', 'ur')).not.toBe('NL');
    expect(regionName('not a code', 'en')).toBe('not a code');
  });

  it('lists provider answers by name, their fields by name, null and booleans kept', () => {
    const answers = providerAnswers(
      indicator('45.1.2.3', {
        providers: {
          reputation: { at: '2026-11-30T02:00:00.000Z', fields: { verdict: 'suspicious', score: 7 } },
          'http-json': { at: '2026-11-30T01:00:00.000Z', fields: { listed: false, country: null } },
        },
      }),
    );
    expect(answers).toEqual([
      {
        name: 'http-json',
        at: '2026-11-30T01:00:00.000Z',
        fields: [
          ['country', null],
          ['listed', false],
        ],
      },
      {
        name: 'reputation',
        at: '2026-11-30T02:00:00.000Z',
        fields: [
          ['score', 7],
          ['verdict', 'suspicious'],
        ],
      },
    ]);
    expect(providerAnswers(indicator('45.1.2.3', { ipRange: 'unicast' }))).toEqual([]);
  });

  it('asks for each data set’s attribution only when one of its results is shown', () => {
    const plain = indicator('evil.example.net', { registrableDomain: 'example.net' }, 'domain');
    expect(attributionNeeded([plain])).toEqual({ country: false, as: false });
    expect(attributionNeeded([plain, indicator('45.1.2.3', { country: 'PK' })])).toEqual({ country: true, as: false });
    expect(attributionNeeded([indicator('45.1.2.3', { asn: 1, asOrg: 'X' })])).toEqual({ country: false, as: true });
    // A provider's own "country" field is the provider's, not the offline data set's.
    const provided = indicator('45.1.2.3', {
      providers: { p: { at: '2026-11-30T00:00:00Z', fields: { country: 'ZZ' } } },
    });
    expect(attributionNeeded([provided])).toEqual({ country: false, as: false });
  });

  it('merges an incident.enriched event into its incident’s detail, by type and value', () => {
    const address = indicator('45.1.2.3', { ipRange: 'unicast' });
    const domain = indicator('evil.example.net', { registrableDomain: 'example.net' }, 'domain');
    const before = incident('inc-1', [address, domain]);
    const whole = { ipRange: 'unicast', country: 'PK', providers: { p: { at: '2026-11-30T00:00:00Z', fields: {} } } };
    const after = mergeEnriched(
      before,
      enriched('inc-1', [
        { type: 'ipv4', value: '45.1.2.3', enrichment: whole },
        // The same value as another type is another indicator.
        { type: 'domain', value: '45.1.2.3', enrichment: { host: 'x' } },
      ]),
    );
    expect(after.indicators.map((i) => i.enrichment)).toEqual([whole, { registrableDomain: 'example.net' }]);
    expect(after.title).toBe('kept');
    expect(after.indicators[1]).toBe(domain);
    // The cached detail is not changed in place; an event for nothing on it returns it as it was.
    expect(before.indicators[0].enrichment).toEqual({ ipRange: 'unicast' });
    expect(mergeEnriched(before, enriched('inc-2', [{ type: 'ipv4', value: '45.1.2.3', enrichment: whole }]))).toBe(
      before,
    );
    expect(mergeEnriched(before, enriched('inc-1', [{ type: 'ipv4', value: '45.9.9.9', enrichment: whole }]))).toBe(
      before,
    );
  });
});

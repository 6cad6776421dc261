import type { IncidentIndicator } from '../api/types';
import { enrichmentFacts, indicatorWarnings, rejectionReason } from './indicator-notes';

const indicator = (type: IncidentIndicator['type'], value: string, enrichment: IncidentIndicator['enrichment']) => ({
  raw: value,
  type,
  value,
  source: 'field' as const,
  enrichment,
  hot: null,
});

describe('indicator notes', () => {
  it('warns of addresses outside public unicast space', () => {
    expect(indicatorWarnings(indicator('ipv4', '203.0.113.7', { ipRange: 'reserved' }))).toEqual([
      { key: 'incident.warningRange', values: { range: 'reserved' } },
    ]);
    expect(indicatorWarnings(indicator('ipv4', '10.1.2.3', { ipRange: 'private' }))).toHaveLength(1);
    expect(indicatorWarnings(indicator('ipv4', '8.8.8.8', { ipRange: 'unicast' }))).toEqual([]);
    expect(
      indicatorWarnings(indicator('url', 'http://127.0.0.1/x', { host: '127.0.0.1', ipRange: 'loopback' })),
    ).toEqual([{ key: 'incident.warningRange', values: { range: 'loopback' } }]);
  });

  it('warns of host names under no public suffix, not of hashes', () => {
    expect(indicatorWarnings(indicator('domain', 'intranet.corp', {}))).toEqual([{ key: 'incident.warningNoSuffix' }]);
    expect(indicatorWarnings(indicator('url', 'http://printer/', { host: 'printer' }))).toHaveLength(1);
    expect(
      indicatorWarnings(
        indicator('domain', 'evil.example.com', { registrableDomain: 'example.com', publicSuffix: 'com' }),
      ),
    ).toEqual([]);
    expect(indicatorWarnings(indicator('md5', 'd41d8cd98f00b204e9800998ecf8427e', {}))).toEqual([]);
  });

  it('reads an indicator sent without enrichment as one with none', () => {
    const { enrichment: _none, ...bare } = indicator('md5', 'd41d8cd98f00b204e9800998ecf8427e', {});
    expect(indicatorWarnings(bare as IncidentIndicator)).toEqual([]);
    expect(enrichmentFacts(bare as IncidentIndicator)).toEqual([]);
  });

  it('lists the enrichment facts present, in order', () => {
    const facts = enrichmentFacts(
      indicator('url', 'https://login.example.co.uk/', {
        publicSuffix: 'co.uk',
        host: 'login.example.co.uk',
        registrableDomain: 'example.co.uk',
      }),
    );
    expect(facts.map((fact) => [fact.label.key, fact.value])).toEqual([
      ['incident.enrichmentHost', 'login.example.co.uk'],
      ['incident.enrichmentDomain', 'example.co.uk'],
      ['incident.enrichmentSuffix', 'co.uk'],
    ]);
  });

  it('words rejections', () => {
    expect(rejectionReason({ raw: 'x', reason: 'type_mismatch', message: '…' }).key).toBe(
      'incident.rejectedTypeMismatch',
    );
  });
});

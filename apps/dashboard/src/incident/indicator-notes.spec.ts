import { WARNING_LISTS } from '../api/domain';
import type { IncidentIndicator } from '../api/types';
import en from '../i18n/en.json';
import { enrichmentFacts, rejectionReason, warningLabel, warningsOf } from './indicator-notes';

const indicator = (
  type: IncidentIndicator['type'],
  value: string,
  enrichment: IncidentIndicator['enrichment'],
  warnings: IncidentIndicator['warnings'] = [],
): IncidentIndicator => ({
  raw: value,
  type,
  value,
  source: 'field' as const,
  enrichment,
  warnings,
  forDetection: true,
  correlates: warnings.length === 0,
  pap: 'GREEN',
  hot: null,
  sightings: { seen: 0, falsePositive: 0, expired: 0, lastSeen: null },
});

describe('indicator notes', () => {
  it('shows the warnings the api gives, in the reader’s language', () => {
    const resolver = indicator('ipv4', '8.8.8.8', { ipRange: 'unicast' }, [
      { list: 'public-dns-resolvers', name: 'Public DNS resolvers' },
    ]);
    expect(warningsOf(resolver).map(warningLabel)).toEqual([{ key: 'warningList.public-dns-resolvers' }]);
    // No derivation of its own: an address outside public space without a warning from the api has none.
    expect(warningsOf(indicator('ipv4', '10.1.2.3', { ipRange: 'private' }))).toEqual([]);
  });

  it('has a label for every list the api can name, and words an unknown one by its name', () => {
    for (const list of WARNING_LISTS) {
      const label = warningLabel({ list, name: list });
      expect([list, label.key in en]).toEqual([list, true]);
      expect(label.key).toBe(`warningList.${list}`);
    }
    expect(warningLabel({ list: 'tor-exit-nodes', name: 'Tor exit nodes' })).toEqual({
      key: 'incident.warningList',
      values: { name: 'Tor exit nodes' },
    });
  });

  it('reads an indicator sent without enrichment or warnings as one with none', () => {
    const {
      enrichment: _none,
      warnings: _noWarnings,
      ...bare
    } = indicator('md5', 'd41d8cd98f00b204e9800998ecf8427e', {});
    expect(warningsOf(bare as IncidentIndicator)).toEqual([]);
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

import type { FeedRow } from '../api/types';
import {
  filtersFromSearch,
  isUnfiltered,
  listPath,
  matchesLive,
  matchesLocally,
  searchFromFilters,
  type FeedFilters,
} from './feed-filters';

const row = (change: Partial<FeedRow> = {}): FeedRow => ({
  id: 'i-1',
  organization: { id: 'org-1', name: 'CERT-PK' },
  title: 'Phishing wave against banks',
  severity: 'high',
  tlp: 'GREEN',
  classification: { class: 'fraud', type: 'phishing' },
  state: 'pending',
  status: 'new',
  createdAt: '2026-11-29T10:00:00.000Z',
  ...change,
});

describe('feed filters in the URL', () => {
  const all: FeedFilters = {
    severity: 'critical',
    classification: 'fraud/phishing',
    tlp: 'AMBER+STRICT',
    status: 'investigating',
    organization: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    assignee: 'me',
    text: 'evil example',
  };

  it('round-trips every filter through the search params', () => {
    const search = searchFromFilters(all);
    expect(search.toString()).toBe(
      'severity=critical&classification=fraud%2Fphishing&tlp=AMBER%2BSTRICT&status=investigating' +
        '&org=0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b&assignee=me&q=evil+example',
    );
    expect(filtersFromSearch(new URLSearchParams(search.toString()))).toEqual(all);
  });

  it('writes nothing for no filters, and the same URL whatever order they were set in', () => {
    expect(searchFromFilters({}).toString()).toBe('');
    expect(searchFromFilters({ text: 'x', severity: 'low' }).toString()).toBe(
      searchFromFilters({ severity: 'low', text: 'x' }).toString(),
    );
    expect(searchFromFilters({ text: '   ' }).toString()).toBe('');
  });

  it('drops values it does not know instead of sending them', () => {
    const read = filtersFromSearch(
      new URLSearchParams(
        'severity=urgent&classification=fraud/phishing/extra&tlp=WHITE&status=pending&org=a%20b&assignee=you&q=%20%20',
      ),
    );
    expect(read).toEqual({});
    expect(isUnfiltered(read)).toBe(true);
    expect(filtersFromSearch(new URLSearchParams('classification=not-a-class'))).toEqual({});
    // A type that is not one of the class's (the API refuses it with a 400) is dropped too.
    expect(filtersFromSearch(new URLSearchParams('classification=fraud/nonsense'))).toEqual({});
    expect(filtersFromSearch(new URLSearchParams('classification=fraud/ddos'))).toEqual({});
    expect(filtersFromSearch(new URLSearchParams('classification=availability'))).toEqual({
      classification: 'availability',
    });
    expect(filtersFromSearch(new URLSearchParams(`q=${'x'.repeat(300)}`)).text).toHaveLength(200);
  });

  it('asks the API for the filters it applies, the others never', () => {
    const path = new URL(listPath(all, 200, 'abc'), 'http://x');
    expect(path.pathname).toBe('/api/v1/incidents');
    expect(Object.fromEntries(path.searchParams)).toEqual({
      severity: 'critical',
      classification: 'fraud/phishing',
      status: 'investigating',
      assignee: 'me',
      q: 'evil example',
      limit: '200',
      cursor: 'abc',
    });
    expect(listPath({}, 50)).toBe('/api/v1/incidents?limit=50');
  });
});

describe('feed filters on rows', () => {
  it('applies TLP and organization to listed rows', () => {
    expect(matchesLocally(row(), { tlp: 'GREEN', organization: 'org-1' })).toBe(true);
    expect(matchesLocally(row(), { tlp: 'RED' })).toBe(false);
    expect(matchesLocally(row(), { organization: 'org-2' })).toBe(false);
    // An anonymised organization has no id: it never matches an organization filter.
    expect(matchesLocally(row({ organization: { id: null, name: 'a partner' } }), { organization: 'org-1' })).toBe(
      false,
    );
    // What the API filtered is not checked again (the text may match the description).
    expect(matchesLocally(row(), { text: 'nowhere in the title', severity: 'low' })).toBe(true);
  });

  it('inserts a live row only when it matches every active filter', () => {
    expect(matchesLive(row(), {})).toBe(true);
    expect(matchesLive(row(), { severity: 'high', classification: 'fraud', status: 'new', tlp: 'GREEN' })).toBe(true);
    expect(matchesLive(row(), { classification: 'fraud/phishing' })).toBe(true);
    expect(matchesLive(row(), { classification: 'fraud/copyright' })).toBe(false);
    expect(matchesLive(row(), { classification: 'availability' })).toBe(false);
    expect(matchesLive(row(), { severity: 'critical' })).toBe(false);
    expect(matchesLive(row(), { status: 'triaged' })).toBe(false);
    expect(matchesLive(row(), { tlp: 'CLEAR' })).toBe(false);
    expect(matchesLive(row(), { organization: 'org-2' })).toBe(false);
  });

  it('looks for the text in the title, case-insensitively, as a whole', () => {
    expect(matchesLive(row(), { text: 'PHISHING WAVE' })).toBe(true);
    expect(matchesLive(row(), { text: 'wave phishing' })).toBe(false);
    expect(matchesLive(row(), { text: 'CERT-PK' })).toBe(false);
  });

  it('never takes a new incident into "assigned to me"', () => {
    expect(matchesLive(row(), { assignee: 'me' })).toBe(false);
  });
});

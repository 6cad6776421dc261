import {
  TaxiiQueryError,
  acceptsTaxii,
  encodeCursor,
  formatTimestampMicros,
  isTaxiiContentType,
  parseTaxiiQuery,
  parseTimestampMicros,
  selectEntries,
  verifyCursor,
  withVersionFlags,
  type CursorScope,
  type TaxiiEntry,
  type TaxiiQueryOptions,
  type VersionSelection,
} from './taxii';

const OBJECTS: TaxiiQueryOptions = { defaultLimit: 100, maxLimit: 1000, allowIdAndType: true, allowVersion: true };
const ID_A = 'indicator--6a1a7a3e-8f63-4b0e-9a0b-1f1f3c9c2b10';
const ID_B = 'incident--0b6f0a53-64b2-5f83-9a3b-5d2d7c8c9e11';

function errorOf(run: () => unknown): TaxiiQueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof TaxiiQueryError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('TAXII media types', () => {
  it.each([
    [undefined, true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version="2.1"', true],
    ['application/taxii+json', true],
    ['*/*', true],
    ['application/*', true],
    ['text/html, application/taxii+json;version=2.1;q=0.5', true],
    ['application/json', false],
    ['application/taxii+json;version=2.0', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['text/*', false],
  ])('Accept %s → %s', (accept, ok) => expect(acceptsTaxii(accept)).toBe(ok));

  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['Application/TAXII+json; version=2.1; charset=utf-8', true],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    ['application/taxii+json;version=2.0', false],
    [undefined, false],
  ])('Content-Type %s → %s', (type, ok) => expect(isTaxiiContentType(type)).toBe(ok));
});

describe('timestamps in microseconds', () => {
  it('formats with six fractional digits', () => {
    expect(formatTimestampMicros(1_780_000_000_123_456)).toBe('2026-05-28T20:26:40.123456Z');
    expect(formatTimestampMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatTimestampMicros(1_000_001)).toBe('1970-01-01T00:00:01.000001Z');
  });

  it('parses 0 to 9 fractional digits, dropping those past the sixth', () => {
    expect(parseTimestampMicros('2026-05-28T20:26:40Z')).toBe(1_780_000_000_000_000);
    expect(parseTimestampMicros('2026-05-28T20:26:40.1Z')).toBe(1_780_000_000_100_000);
    expect(parseTimestampMicros('2026-05-28T20:26:40.123456Z')).toBe(1_780_000_000_123_456);
    expect(parseTimestampMicros('2026-05-28T20:26:40.123456789Z')).toBe(1_780_000_000_123_456);
  });

  it('round-trips', () => {
    for (const us of [1, 999, 1_780_000_000_000_001, 1_780_000_000_999_999])
      expect(parseTimestampMicros(formatTimestampMicros(us))).toBe(us);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-05-28T24:00:00Z',
    '2026-05-28T20:26:60Z',
    '2026-05-28 20:26:40Z',
    '2026-05-28T20:26:40+00:00',
    '2026-05-28T20:26:40.Z',
    '2026-05-28',
    'yesterday',
  ])('refuses %s', (value) => expect(parseTimestampMicros(value)).toBeUndefined());

  it('refuses a fractional number of microseconds', () => {
    expect(() => formatTimestampMicros(1.5)).toThrow(RangeError);
  });
});

describe('parseTaxiiQuery', () => {
  it('defaults: limit and match[version]=last', () => {
    expect(parseTaxiiQuery({}, OBJECTS)).toEqual({
      limit: 100,
      versions: { first: false, last: true, all: false, at: [] },
    });
  });

  it('reads every parameter, flat or nested, repeated or comma-separated', () => {
    const query = parseTaxiiQuery(
      {
        added_after: '2026-05-28T20:26:40.000001Z',
        limit: '50',
        'match[id]': `${ID_A},${ID_B}`,
        match: { type: ['indicator', 'incident'] },
        'match[version]': 'first,2026-05-28T20:26:40.5Z',
        'match[spec_version]': '2.1',
      },
      OBJECTS,
    );
    expect(query).toEqual({
      addedAfter: 1_780_000_000_000_001,
      limit: 50,
      ids: [ID_A, ID_B],
      types: ['indicator', 'incident'],
      versions: { first: true, last: false, all: false, at: [1_780_000_000_500_000] },
      specVersions: ['2.1'],
    });
  });

  it('caps limit at the maximum', () => {
    expect(parseTaxiiQuery({ limit: '5000' }, OBJECTS).limit).toBe(1000);
  });

  it.each([
    [{ added_after: 'yesterday' }, 'added_after'],
    [{ added_after: ['2026-05-28T20:26:40Z', '2026-05-28T20:26:41Z'] }, 'added_after'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '-1' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ next: '' }, 'next'],
    [{ 'match[id]': 'indicator--not-a-uuid' }, 'match[id]'],
    [{ 'match[id]': `${ID_A},` }, 'match[id]'],
    [{ 'match[type]': 'Indicator' }, 'match[type]'],
    [{ 'match[version]': 'latest' }, 'match[version]'],
    [{ 'match[spec_version]': 'two' }, 'match[spec_version]'],
    [{ 'match[name]': 'x' }, 'match[name]'],
    [{ match: { labels: 'x' } }, 'match[labels]'],
  ])('%j → 400 naming %s', (raw, parameter) => {
    expect(errorOf(() => parseTaxiiQuery(raw, OBJECTS)).parameter).toBe(parameter);
  });

  it('refuses filters an endpoint does not take', () => {
    const versions = { ...OBJECTS, allowIdAndType: false, allowVersion: false };
    expect(errorOf(() => parseTaxiiQuery({ 'match[type]': 'indicator' }, versions)).parameter).toBe('match[type]');
    expect(errorOf(() => parseTaxiiQuery({ 'match[version]': 'all' }, versions)).parameter).toBe('match[version]');
  });
});

describe('version selection and paging', () => {
  const base = (stixId: string, version: number, dateAdded: number) => ({
    stixId,
    type: stixId.split('--')[0] ?? '',
    specVersion: '2.1',
    version,
    dateAdded,
  });
  const entries: TaxiiEntry[] = withVersionFlags([
    base(ID_A, 10, 1),
    base(ID_B, 5, 2),
    base(ID_A, 20, 3),
    base(ID_A, 30, 4),
  ]);
  const q = (versions: Partial<VersionSelection> = {}, limit = 10) => ({
    limit,
    versions: { first: false, last: false, all: false, at: [], ...versions },
  });
  const picked = (page: { items: TaxiiEntry[] }) => page.items.map((e) => `${e.type}@${e.version}`);

  it('flags the oldest and newest version of each object', () => {
    expect(entries.map((e) => [e.firstVersion, e.lastVersion])).toEqual([
      [true, false],
      [true, true],
      [false, false],
      [false, true],
    ]);
  });

  it('last (the default), first, all and timestamps', () => {
    expect(picked(selectEntries(entries, q({ last: true }), undefined))).toEqual(['incident@5', 'indicator@30']);
    expect(picked(selectEntries(entries, q({ first: true }), undefined))).toEqual(['indicator@10', 'incident@5']);
    expect(picked(selectEntries(entries, q({ all: true }), undefined))).toHaveLength(4);
    expect(picked(selectEntries(entries, q({ at: [20] }), undefined))).toEqual(['indicator@20']);
    expect(picked(selectEntries(entries, q({ first: true, last: true }), undefined))).toEqual([
      'indicator@10',
      'incident@5',
      'indicator@30',
    ]);
  });

  it('pages strictly after a position, and says more only when more follow', () => {
    const first = selectEntries(entries, q({ all: true }, 2), undefined);
    expect(first).toMatchObject({ more: true, dateAddedFirst: 1, dateAddedLast: 2 });
    const second = selectEntries(entries, q({ all: true }, 2), first.dateAddedLast);
    expect(second).toMatchObject({ more: false, dateAddedFirst: 3, dateAddedLast: 4 });
    const none = selectEntries(entries, q({ all: true }, 2), 4);
    expect(none).toEqual({ items: [], more: false, dateAddedFirst: undefined, dateAddedLast: undefined });
  });
});

describe('next cursor', () => {
  const scope: CursorScope = {
    collectionId: '5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    endpoint: 'objects',
    query: { types: ['indicator'], versions: { first: false, last: true, all: false, at: [] } },
  };
  const secret = 'a-secret-of-at-least-thirty-two-characters';

  it('verifies on any instance holding the secret', () => {
    const cursor = encodeCursor(secret, scope, 1_780_000_000_123_456);
    expect(verifyCursor(secret, { ...scope, query: { ...scope.query } }, cursor)).toBe(1_780_000_000_123_456);
  });

  it('refuses a tampered, foreign or differently filtered cursor', () => {
    const cursor = encodeCursor(secret, scope, 1_780_000_000_123_456);
    const [, mac] = cursor.split('.');
    const moved = `${Buffer.from('1').toString('base64url')}.${mac}`;
    const cases = [
      () => verifyCursor(secret, scope, moved),
      () => verifyCursor('another-secret-of-thirty-two-characters!!', scope, cursor),
      () => verifyCursor(secret, { ...scope, collectionId: 'other' }, cursor),
      () => verifyCursor(secret, { ...scope, endpoint: 'manifest' }, cursor),
      () => verifyCursor(secret, { ...scope, query: { ...scope.query, types: ['incident'] } }, cursor),
      () => verifyCursor(secret, { ...scope, query: { ...scope.query, addedAfter: 1 } }, cursor),
      () => verifyCursor(secret, scope, 'garbage'),
    ];
    for (const run of cases) expect(errorOf(run).parameter).toBe('next');
  });
});

import {
  EMPTY_TAXII_CURSOR,
  advanceTaxiiCursor,
  stixVersionKey,
  taxiiObjectsQuery,
  taxiiStall,
  unseenObjects,
} from './taxii-client';

const T1 = '2026-03-01T10:00:00.000000Z';
const T2 = '2026-03-01T10:00:01.000000Z';

describe('taxiiObjectsQuery', () => {
  it('sends neither filter from an empty cursor', () => {
    expect(taxiiObjectsQuery(EMPTY_TAXII_CURSOR, 100)).toEqual({ limit: '100' });
  });
  it('sends added_after alone when there is no next', () => {
    expect(taxiiObjectsQuery({ next: null, addedAfter: T1 }, 50)).toEqual({ limit: '50', added_after: T1 });
  });
  it('sends next alone when there is one, never with added_after', () => {
    const query = taxiiObjectsQuery({ next: 'n-2', addedAfter: T1 }, 100);
    expect(query).toEqual({ limit: '100', next: 'n-2' });
    expect(query).not.toHaveProperty('added_after');
  });
});

describe('advanceTaxiiCursor', () => {
  it('keeps the server next while there is more, and the last date added', () => {
    expect(advanceTaxiiCursor(EMPTY_TAXII_CURSOR, { count: 100, more: true, next: 'n-1', dateAddedLast: T1 })).toEqual({
      next: 'n-1',
      addedAfter: T1,
    });
  });
  it('drops next at the last page and pages by date from then on', () => {
    expect(
      advanceTaxiiCursor({ next: 'n-1', addedAfter: T1 }, { count: 3, more: false, next: 'n-9', dateAddedLast: T2 }),
    ).toEqual({ next: null, addedAfter: T2 });
  });
  it('keeps the previous date when the server sent no Date-Added-Last (an empty page)', () => {
    expect(
      advanceTaxiiCursor({ next: null, addedAfter: T1 }, { count: 0, more: false, next: null, dateAddedLast: null }),
    ).toEqual({ next: null, addedAfter: T1 });
  });
  it('pages by date when the server says more but gives no next', () => {
    expect(
      advanceTaxiiCursor({ next: null, addedAfter: T1 }, { count: 10, more: true, next: null, dateAddedLast: T2 }),
    ).toEqual({ next: null, addedAfter: T2 });
  });
});

describe('taxiiStall', () => {
  it('stops when the server answers the next it was sent', () => {
    expect(
      taxiiStall({ next: 'n-1', addedAfter: T1 }, { count: 5, more: true, next: 'n-1', dateAddedLast: T2 }, 5),
    ).toBe('same-next');
  });
  it('stops on a page of only seen objects whose Date-Added-Last did not move', () => {
    expect(taxiiStall({ next: null, addedAfter: T1 }, { count: 5, more: true, next: null, dateAddedLast: T1 }, 0)).toBe(
      'no-new-objects',
    );
  });
  it('goes on when seen objects come with a new next (a server repeating the boundary object)', () => {
    expect(
      taxiiStall({ next: 'n-1', addedAfter: T1 }, { count: 5, more: true, next: 'n-2', dateAddedLast: T1 }, 0),
    ).toBeNull();
  });
  it('goes on when the date moved, or new objects came, or there is no more', () => {
    const sent = { next: null, addedAfter: T1 };
    expect(taxiiStall(sent, { count: 5, more: true, next: null, dateAddedLast: T2 }, 0)).toBeNull();
    expect(taxiiStall(sent, { count: 5, more: true, next: null, dateAddedLast: T1 }, 1)).toBeNull();
    expect(taxiiStall(sent, { count: 5, more: false, next: null, dateAddedLast: T1 }, 0)).toBeNull();
  });
});

describe('dedupe by (id, version)', () => {
  const a1 = { type: 'indicator', id: 'indicator--a', created: 'c', modified: 'm1' };
  const a2 = { ...a1, modified: 'm2' };
  const sco = { type: 'ipv4-addr', id: 'ipv4-addr--b', value: '203.0.113.7' };

  it('keys an object by id and modified, else created, else the id alone', () => {
    expect(stixVersionKey(a1)).toBe('indicator--a|m1');
    expect(stixVersionKey({ id: 'x--1', created: 'c' })).toBe('x--1|c');
    expect(stixVersionKey(sco)).toBe('ipv4-addr--b|');
    expect(stixVersionKey('nope')).toBeUndefined();
  });
  it('passes each version once across pages, a newer version again', () => {
    const seen = new Set<string>();
    expect(unseenObjects([a1, sco, a1], seen)).toEqual([a1, sco]);
    expect(unseenObjects([a1, a2, sco], seen)).toEqual([a2]);
    expect(seen.size).toBe(3);
  });
  it('passes objects without an id on, for the importer to name', () => {
    expect(unseenObjects([{ type: 'indicator' }], new Set())).toEqual([{ type: 'indicator' }]);
  });
});

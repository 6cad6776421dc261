import { batchEnds } from './taxii-pull.service';

const objects = (n: number, last = 'indicator') =>
  Array.from({ length: n }, (_, i) => ({ type: i === n - 1 ? last : 'indicator' }));

describe('batchEnds: when a pull imports what it holds', () => {
  it('waits for the batch size and a page ending with a report (an incident complete)', () => {
    expect(batchEnds(objects(29), objects(5, 'report'), 30)).toBe(false);
    expect(batchEnds(objects(30), objects(5, 'indicator'), 30)).toBe(false);
    expect(batchEnds(objects(30), objects(5, 'report'), 30)).toBe(true);
  });

  it('imports at four times the batch size whatever the page ended with, so memory stays bounded', () => {
    expect(batchEnds(objects(119), objects(5, 'relationship'), 30)).toBe(false);
    expect(batchEnds(objects(120), objects(5, 'relationship'), 30)).toBe(true);
  });

  it('does not trip over pages of junk', () => {
    expect(batchEnds(objects(40), [null, 7, 'x'], 30)).toBe(false);
    expect(batchEnds(objects(40), [], 30)).toBe(false);
  });
});

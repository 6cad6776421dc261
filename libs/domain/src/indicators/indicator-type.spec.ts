import { INDICATOR_TYPES, isIndicatorType } from './indicator-type';

describe('isIndicatorType', () => {
  it.each(INDICATOR_TYPES.map((t) => [t]))('accepts %j', (t) => {
    expect(isIndicatorType(t)).toBe(true);
  });

  it.each([['IPV4'], ['hash'], [''], [undefined], [null], [42], [['ipv4']]])('rejects %j', (v) => {
    expect(isIndicatorType(v)).toBe(false);
  });
});

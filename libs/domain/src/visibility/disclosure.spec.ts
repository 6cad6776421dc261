import {
  DEFAULT_DISCLOSURE_POLICY,
  DISCLOSURE_LEVELS,
  completePolicy,
  disclosureFor,
  explicitPolicy,
  isDisclosure,
  type Disclosure,
  type DisclosurePolicy,
} from './disclosure';
import { TLP_LEVELS, type Tlp } from './tlp';

const everything = (level: Disclosure): DisclosurePolicy =>
  Object.fromEntries(TLP_LEVELS.map((tlp) => [tlp, level])) as DisclosurePolicy;

describe('disclosure of matches', () => {
  it('defaults: shareable levels named, AMBER anonymous, the strictest nothing', () => {
    expect(DEFAULT_DISCLOSURE_POLICY).toEqual({
      CLEAR: 'named',
      GREEN: 'named',
      AMBER: 'anonymous',
      'AMBER+STRICT': 'nothing',
      RED: 'nothing',
    });
    expect(Object.isFrozen(DEFAULT_DISCLOSURE_POLICY)).toBe(true);
  });

  it('knows its levels and nothing else', () => {
    expect(DISCLOSURE_LEVELS).toEqual(['nothing', 'anonymous', 'named']);
    for (const level of DISCLOSURE_LEVELS) expect(isDisclosure(level)).toBe(true);
    for (const other of ['full', 'Named', '', null, undefined, 1, {}]) expect(isDisclosure(other)).toBe(false);
  });

  describe.each(TLP_LEVELS)('an incident at TLP:%s', (tlp: Tlp) => {
    it('follows the defaults without a policy or override', () => {
      expect(disclosureFor({ tlp }, undefined)).toBe(DEFAULT_DISCLOSURE_POLICY[tlp]);
      expect(disclosureFor({ tlp, disclosure: null }, {})).toBe(DEFAULT_DISCLOSURE_POLICY[tlp]);
    });

    it.each(DISCLOSURE_LEVELS)('follows its organization’s policy %s', (level) => {
      expect(disclosureFor({ tlp }, everything(level))).toBe(level);
      expect(disclosureFor({ tlp, disclosure: null }, { [tlp]: level })).toBe(level);
    });

    it.each(DISCLOSURE_LEVELS)('lets its own override %s win over any policy', (override) => {
      for (const level of DISCLOSURE_LEVELS) {
        expect(disclosureFor({ tlp, disclosure: override }, everything(level))).toBe(override);
      }
      expect(disclosureFor({ tlp, disclosure: override }, undefined)).toBe(override);
    });
  });

  it('takes a missing level of a partial policy from the defaults', () => {
    const policy = { AMBER: 'named' } as const;
    expect(disclosureFor({ tlp: 'AMBER' }, policy)).toBe('named');
    expect(disclosureFor({ tlp: 'RED' }, policy)).toBe('nothing');
    expect(disclosureFor({ tlp: 'GREEN' }, policy)).toBe('named');
  });

  it('treats a stored value that is no level as unset', () => {
    const junk = { RED: 'everything' } as unknown as Partial<DisclosurePolicy>;
    expect(disclosureFor({ tlp: 'RED' }, junk)).toBe('nothing');
    const badOverride = { tlp: 'AMBER' as const, disclosure: 'full' as unknown as Disclosure };
    expect(disclosureFor(badOverride, { AMBER: 'named' })).toBe('named');
  });

  it('completes a partial policy; undefined or junk levels keep their default', () => {
    expect(completePolicy(undefined)).toEqual(DEFAULT_DISCLOSURE_POLICY);
    expect(completePolicy({ RED: 'anonymous' })).toEqual({ ...DEFAULT_DISCLOSURE_POLICY, RED: 'anonymous' });
    // An optional DTO field is an own property holding undefined: it must not erase the default.
    const dto = { CLEAR: undefined, GREEN: 'nothing', AMBER: null, RED: 'x' } as unknown as Partial<DisclosurePolicy>;
    expect(completePolicy(dto)).toEqual({ ...DEFAULT_DISCLOSURE_POLICY, GREEN: 'nothing' });
    expect(completePolicy(dto)).not.toBe(DEFAULT_DISCLOSURE_POLICY);
  });

  it('keeps only the levels set to a valid value', () => {
    expect(
      explicitPolicy({ CLEAR: undefined, GREEN: 'nothing', AMBER: null, RED: 'x', 'AMBER+STRICT': 'named' }),
    ).toEqual({ GREEN: 'nothing', 'AMBER+STRICT': 'named' });
    expect(explicitPolicy(undefined)).toEqual({});
  });
});

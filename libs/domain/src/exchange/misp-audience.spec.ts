import type { ImportedAudience } from './imported';
import {
  mispAudience,
  mispTlpColumn,
  narrowerMispAudience,
  tlpOfMispTag,
  type MispAudienceCell,
} from './misp-audience';

const GROUP = '5e1c0003-0000-4000-8000-000000000003';
const OTHER_GROUP = '5e1c0009-0000-4000-8000-000000000009';

const tagged: ImportedAudience = { kind: 'tlp' };
const community: ImportedAudience = { kind: 'community' };
const group: ImportedAudience = { kind: 'community', sharingGroupUuid: GROUP };

/** The tag each column is written with; `none` carries a tag that is not TLP's, to show it is ignored. */
const COLUMNS: Record<string, string[]> = {
  none: ['rsit:fraud="phishing"'],
  CLEAR: ['tlp:clear'],
  GREEN: ['tlp:green'],
  AMBER: ['tlp:amber'],
  'AMBER+STRICT': ['tlp:amber+strict'],
  RED: ['tlp:red'],
};

// Issue 11 §5, written out cell by cell (not derived from the table under test).
const EXPECTED: Array<[string, 0 | 1 | 2 | 3 | 4, MispAudienceCell]> = [
  ['none', 0, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['CLEAR', 0, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['GREEN', 0, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['AMBER', 0, { tlp: 'AMBER', audience: tagged }],
  ['AMBER+STRICT', 0, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['RED', 0, { tlp: 'RED', audience: tagged }],

  ['none', 1, { tlp: 'GREEN', audience: community }],
  ['CLEAR', 1, { tlp: 'GREEN', audience: community }],
  ['GREEN', 1, { tlp: 'GREEN', audience: community }],
  ['AMBER', 1, { tlp: 'AMBER', audience: tagged }],
  ['AMBER+STRICT', 1, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['RED', 1, { tlp: 'RED', audience: tagged }],

  ['none', 2, { tlp: 'GREEN', audience: community }],
  ['CLEAR', 2, { tlp: 'GREEN', audience: community }],
  ['GREEN', 2, { tlp: 'GREEN', audience: community }],
  ['AMBER', 2, { tlp: 'AMBER', audience: tagged }],
  ['AMBER+STRICT', 2, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['RED', 2, { tlp: 'RED', audience: tagged }],

  ['none', 3, { tlp: 'GREEN', audience: tagged }],
  ['CLEAR', 3, { tlp: 'CLEAR', audience: tagged }],
  ['GREEN', 3, { tlp: 'GREEN', audience: tagged }],
  ['AMBER', 3, { tlp: 'AMBER', audience: tagged }],
  ['AMBER+STRICT', 3, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['RED', 3, { tlp: 'RED', audience: tagged }],

  ['none', 4, { tlp: 'GREEN', audience: group }],
  ['CLEAR', 4, { tlp: 'GREEN', audience: group }],
  ['GREEN', 4, { tlp: 'GREEN', audience: group }],
  ['AMBER', 4, { tlp: 'AMBER', audience: tagged }],
  ['AMBER+STRICT', 4, { tlp: 'AMBER+STRICT', audience: tagged }],
  ['RED', 4, { tlp: 'RED', audience: tagged }],
];

describe('mispAudience: TLP tag × distribution', () => {
  it.each(EXPECTED)('%s with distribution %d', (column, distribution, expected) => {
    expect(mispAudience(COLUMNS[column], distribution, GROUP)).toEqual(expected);
  });

  it.each(['none', 'CLEAR', 'GREEN'])('%s with distribution 4 and no SharingGroup uuid is AMBER+STRICT', (column) => {
    expect(mispAudience(COLUMNS[column], 4)).toEqual({ tlp: 'AMBER+STRICT', audience: tagged });
  });

  it('reads tlp:white as CLEAR and tags in any case', () => {
    expect(mispAudience(['tlp:white'], 3)).toEqual({ tlp: 'CLEAR', audience: tagged });
    expect(mispAudience(['TLP:Amber+Strict'], 3)).toEqual({ tlp: 'AMBER+STRICT', audience: tagged });
    expect(tlpOfMispTag(' TLP:GREEN ')).toBe('GREEN');
    expect(tlpOfMispTag('tlp:ex:chr')).toBeUndefined();
    expect(tlpOfMispTag('tlp:unclear')).toBeUndefined();
  });

  it('takes the strictest of several TLP tags', () => {
    expect(mispTlpColumn(['tlp:clear', 'tlp:amber', 'tlp:green'])).toBe('AMBER');
    expect(mispAudience(['tlp:green', 'tlp:red'], 3)).toEqual({ tlp: 'RED', audience: tagged });
    expect(mispTlpColumn(['misp-galaxy:x="y"'])).toBe('none');
  });
});

describe('narrowerMispAudience', () => {
  const green = { tlp: 'GREEN', audience: tagged } as const;
  it('keeps the stricter TLP', () => {
    expect(narrowerMispAudience(green, { tlp: 'AMBER', audience: tagged }).tlp).toBe('AMBER');
    expect(narrowerMispAudience({ tlp: 'RED', audience: tagged }, green).tlp).toBe('RED');
  });
  it('prefers a community at equal GREEN', () => {
    expect(narrowerMispAudience(green, { tlp: 'GREEN', audience: group })).toEqual({ tlp: 'GREEN', audience: group });
    expect(narrowerMispAudience({ tlp: 'GREEN', audience: community }, green).audience).toEqual(community);
  });
  it('makes two different communities AMBER+STRICT', () => {
    expect(
      narrowerMispAudience(
        { tlp: 'GREEN', audience: group },
        { tlp: 'GREEN', audience: { kind: 'community', sharingGroupUuid: OTHER_GROUP } },
      ),
    ).toEqual({ tlp: 'AMBER+STRICT', audience: tagged });
    expect(narrowerMispAudience({ tlp: 'GREEN', audience: group }, { tlp: 'GREEN', audience: group }).audience).toEqual(
      group,
    );
  });
});

import { TLP_LEVELS, type Tlp } from './tlp';
import { audienceOf, canSee, matchesVisibilityFilter, visibilityFilter } from './visibility';

const owner = 'org-a';
const outsider = 'org-b';

describe('visibility rule', () => {
  it.each<[Tlp, boolean]>([
    ['CLEAR', true],
    ['GREEN', true],
    ['AMBER', false],
    ['AMBER+STRICT', false],
    ['RED', false],
  ])('%s is visible to another organization: %s', (tlp, expected) => {
    expect(canSee({ orgId: outsider }, { orgId: owner, tlp })).toBe(expected);
  });

  it.each(TLP_LEVELS)('%s is always visible to the submitting organization', (tlp) => {
    expect(canSee({ orgId: owner }, { orgId: owner, tlp })).toBe(true);
  });

  it('the store filter agrees with canSee for every level and relationship', () => {
    let cells = 0;
    for (const tlp of TLP_LEVELS) {
      for (const viewer of [owner, outsider]) {
        const item = { orgId: owner, tlp };
        expect(matchesVisibilityFilter(visibilityFilter({ orgId: viewer }), item)).toBe(
          canSee({ orgId: viewer }, item),
        );
        cells++;
      }
    }
    expect(cells).toBe(10);
  });

  it('announces CLEAR and GREEN to the platform and the rest only to the owner', () => {
    expect(audienceOf({ orgId: owner, tlp: 'GREEN' })).toEqual({ kind: 'platform' });
    expect(audienceOf({ orgId: owner, tlp: 'CLEAR' })).toEqual({ kind: 'platform' });
    for (const tlp of ['AMBER', 'AMBER+STRICT', 'RED'] as const) {
      expect(audienceOf({ orgId: owner, tlp })).toEqual({ kind: 'organizations', orgIds: [owner] });
    }
  });

  it('every member of an audience may see the item', () => {
    for (const tlp of TLP_LEVELS) {
      const item = { orgId: owner, tlp };
      const audience = audienceOf(item);
      if (audience.kind === 'organizations') {
        for (const orgId of audience.orgIds) expect(canSee({ orgId }, item)).toBe(true);
      } else {
        expect(canSee({ orgId: outsider }, item)).toBe(true);
      }
    }
  });
});

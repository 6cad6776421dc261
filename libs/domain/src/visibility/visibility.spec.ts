import { acceptsRecipients } from './recipients';
import { TLP_LEVELS, type Tlp } from './tlp';
import {
  audienceOf,
  canSee,
  inAudience,
  matchesVisibilityFilter,
  organizationViewer,
  visibilityFilter,
  type Shareable,
  type Viewer,
} from './visibility';

/*
 * Organizations: S submits; P shares a community with S; R is a named recipient organization (GREEN
 * or AMBER) sharing no community with S; O is an outsider. People: `author` (S), `colleague` (S, not
 * named), `named` (O, named RED recipient). Every item names both lists, so the cells also show that a
 * level ignores a list it does not take (the api refuses such lists; older stored data may hold them).
 */
const item = (tlp: Tlp): Shareable => ({
  orgId: 'S',
  tlp,
  authorId: 'author',
  recipientOrgIds: ['R'],
  recipientUserIds: ['named'],
});
const peersOf: Record<string, string[]> = { S: ['P'], P: ['S'], R: [], O: [] };
const viewers: Record<string, Viewer> = {
  author: { orgId: 'S', principalId: 'author', userId: 'author', communityPeers: peersOf.S },
  colleague: { orgId: 'S', principalId: 'colleague', userId: 'colleague', communityPeers: peersOf.S },
  submitterKey: { orgId: 'S', principalId: 'key-s', communityPeers: peersOf.S },
  communityPeer: { orgId: 'P', principalId: 'p1', userId: 'p1', communityPeers: peersOf.P },
  recipientOrg: { orgId: 'R', principalId: 'r1', userId: 'r1', communityPeers: peersOf.R },
  namedUser: { orgId: 'O', principalId: 'named', userId: 'named', communityPeers: peersOf.O },
  outsider: { orgId: 'O', principalId: 'o1', userId: 'o1', communityPeers: peersOf.O },
};

// TLP 2.0 written out by hand, independently of the implementation.
const expected: Record<Tlp, string[]> = {
  CLEAR: Object.keys(viewers),
  GREEN: ['author', 'colleague', 'submitterKey', 'communityPeer', 'recipientOrg'],
  AMBER: ['author', 'colleague', 'submitterKey', 'recipientOrg'],
  'AMBER+STRICT': ['author', 'colleague', 'submitterKey'],
  RED: ['author', 'namedUser'],
};

describe('TLP 2.0 visibility rule', () => {
  const cells = TLP_LEVELS.flatMap((tlp) => Object.keys(viewers).map((who) => [tlp, who] as const));

  it.each(cells)('%s seen by %s', (tlp, who) => {
    expect(canSee(viewers[who], item(tlp))).toBe(expected[tlp].includes(who));
  });

  it.each(cells)('the store filter agrees for %s / %s', (tlp, who) => {
    expect(matchesVisibilityFilter(visibilityFilter(viewers[who]), item(tlp))).toBe(canSee(viewers[who], item(tlp)));
  });

  it.each(cells)('the live audience agrees for %s / %s', (tlp, who) => {
    expect(inAudience(audienceOf(item(tlp), peersOf.S), viewers[who])).toBe(canSee(viewers[who], item(tlp)));
  });

  it('a GREEN item reaches the organizations it names, also outside the submitter’s communities', () => {
    const green: Shareable = { ...item('GREEN'), recipientOrgIds: ['O'] };
    const outsider = viewers.outsider;
    expect(outsider.communityPeers).not.toContain('S');
    expect(canSee(outsider, green)).toBe(true);
    expect(matchesVisibilityFilter(visibilityFilter(outsider), green)).toBe(true);
    expect(audienceOf(green, peersOf.S).orgIds.sort()).toEqual(['O', 'P', 'S']);
    // R is no longer named: it sees nothing.
    expect(canSee(viewers.recipientOrg, green)).toBe(false);
    expect(matchesVisibilityFilter(visibilityFilter(viewers.recipientOrg), green)).toBe(false);
  });

  it.each(TLP_LEVELS.filter((tlp) => tlp !== 'CLEAR'))(
    'at %s a named organization or person sees the incident exactly when the level takes that kind of recipient',
    (tlp) => {
      expect(canSee(viewers.recipientOrg, item(tlp))).toBe(acceptsRecipients(tlp, 'organizations'));
      expect(canSee(organizationViewer('R', []), item(tlp))).toBe(acceptsRecipients(tlp, 'organizations'));
      expect(canSee(viewers.namedUser, item(tlp))).toBe(acceptsRecipients(tlp, 'users'));
    },
  );

  it('an organization-wide view never sees RED, even its own', () => {
    expect(canSee(organizationViewer('S', peersOf.S), item('RED'))).toBe(false);
    expect(canSee(organizationViewer('S', peersOf.S), item('AMBER+STRICT'))).toBe(true);
    expect(canSee(organizationViewer('R', []), item('AMBER'))).toBe(true);
  });

  it('random items and viewers: canSee, the filter and the audience always agree', () => {
    const orgs = ['S', 'P', 'R', 'O', 'X'];
    let seed = 42;
    const pick = <T>(list: readonly T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length];
    const subset = (list: string[]) => list.filter(() => pick([true, false]));
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      // A symmetric community relation over the organizations.
      const pairs = new Set(subset(['S-P', 'S-R', 'P-X', 'R-O', 'S-X']));
      const peers = (org: string) =>
        orgs.filter((o) => o !== org && (pairs.has(`${org}-${o}`) || pairs.has(`${o}-${org}`)));
      const shared: Shareable = {
        orgId: pick(orgs),
        tlp: pick(TLP_LEVELS),
        authorId: pick(['u1', 'u2', 'k1']),
        recipientOrgIds: subset(orgs),
        recipientUserIds: subset(['u1', 'u2', 'u3']),
      };
      const orgId = pick(orgs);
      const principal = pick(['u1', 'u2', 'u3', 'k1']);
      const viewer: Viewer = {
        orgId,
        principalId: principal,
        userId: principal.startsWith('u') ? principal : undefined,
        communityPeers: peers(orgId),
      };
      const visible = canSee(viewer, shared);
      expect(matchesVisibilityFilter(visibilityFilter(viewer), shared)).toBe(visible);
      expect(inAudience(audienceOf(shared, peers(shared.orgId)), viewer)).toBe(visible);
      checked++;
    }
    expect(checked).toBe(2000);
  });
});

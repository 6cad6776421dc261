import { SharingContext, communityPeersOf, displayOrganization, isAnonymousTo } from './organization-display';

const corridor = {
  members: [
    { orgId: 'A', anonymous: true },
    { orgId: 'B', anonymous: false },
    { orgId: 'C', anonymous: false },
  ],
};
const sector = {
  members: [
    { orgId: 'A', anonymous: false },
    { orgId: 'C', anonymous: false },
  ],
};
const orgA = { id: 'A', name: 'CERT A', kind: 'cert' as const };

describe('organization display', () => {
  it('finds community peers', () => {
    expect(communityPeersOf('A', [corridor, sector]).sort()).toEqual(['B', 'C']);
    expect(communityPeersOf('B', [corridor, sector]).sort()).toEqual(['A', 'C']);
    expect(communityPeersOf('Z', [corridor, sector])).toEqual([]);
  });

  it('anonymises A to B, who meets A only where A chose anonymity', () => {
    expect(isAnonymousTo('A', 'B', [corridor, sector])).toBe(true);
    expect(displayOrganization(orgA, 'B', [corridor, sector])).toEqual({ id: null, name: 'a partner CERT' });
  });

  it('names A to C, who also meets A in a community where A is named', () => {
    expect(displayOrganization(orgA, 'C', [corridor, sector])).toEqual({ id: 'A', name: 'CERT A' });
  });

  it('names A to itself, to named recipients and to organizations outside its communities', () => {
    expect(displayOrganization(orgA, 'A', [corridor])).toEqual({ id: 'A', name: 'CERT A' });
    expect(displayOrganization(orgA, 'B', [corridor], true)).toEqual({ id: 'A', name: 'CERT A' });
    expect(displayOrganization(orgA, 'Z', [corridor])).toEqual({ id: 'A', name: 'CERT A' });
  });

  it('labels agencies as agencies', () => {
    expect(displayOrganization({ ...orgA, kind: 'agency' }, 'B', [corridor]).name).toBe('a partner agency');
  });

  it('shows the real name to organizations a GREEN or AMBER incident names, the label to the others', () => {
    const sharing = new SharingContext([corridor, sector]);
    const hidden = { id: null, name: 'a partner CERT' };
    const shown = { id: 'A', name: 'CERT A' };
    for (const tlp of ['GREEN', 'AMBER'] as const) {
      expect(sharing.display(orgA, 'B', { tlp, recipientOrgIds: ['B'] })).toEqual(shown);
      expect(sharing.display(orgA, 'B', { tlp, recipientOrgIds: ['C'] })).toEqual(hidden);
    }
    // Levels that take no organizations name nobody, even if an old record lists some.
    for (const tlp of ['CLEAR', 'AMBER+STRICT'] as const)
      expect(sharing.display(orgA, 'B', { tlp, recipientOrgIds: ['B'] })).toEqual(hidden);
    // RED names people: whoever may see it was chosen by name.
    expect(sharing.display(orgA, 'B', { tlp: 'RED', recipientOrgIds: [] })).toEqual(shown);
    expect(sharing.display(orgA, 'B')).toEqual(hidden);
  });

  it('under TLP:EX:CHR names the submitter to its own organization only, whatever else would name it', () => {
    const sharing = new SharingContext([corridor, sector]);
    const chr = { tlp: 'RED' as const, recipientOrgIds: ['C'], orgId: 'A', anonymisedSubmitter: true as const };
    // C meets A named in `sector`, and RED names people: without the rule C would see the name.
    expect(sharing.display(orgA, 'C', { ...chr, anonymisedSubmitter: undefined })).toEqual({ id: 'A', name: 'CERT A' });
    expect(sharing.display(orgA, 'C', chr)).toEqual({ id: null, name: 'a partner CERT' });
    expect(sharing.display(orgA, 'A', chr)).toEqual({ id: 'A', name: 'CERT A' });
    // The rule hides the incident's submitter, not another organization shown beside it.
    const orgC = { id: 'C', name: 'CERT C', kind: 'cert' as const };
    expect(sharing.display(orgC, 'B', chr)).toEqual({ id: 'C', name: 'CERT C' });
  });
});

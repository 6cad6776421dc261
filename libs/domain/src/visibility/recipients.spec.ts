import { DomainError } from '../errors/domain-error';
import {
  acceptedRecipientKinds,
  acceptsRecipients,
  assertRecipientsFit,
  namedOrganizations,
  refusedRecipients,
} from './recipients';
import { TLP_LEVELS, type Tlp } from './tlp';

const orgs = { recipientOrgIds: ['R'], recipientUserIds: [] };
const users = { recipientOrgIds: [], recipientUserIds: ['u1'] };
const both = { recipientOrgIds: ['R'], recipientUserIds: ['u1'] };
const none = { recipientOrgIds: [], recipientUserIds: [] };

// Written out by hand from the rule: GREEN and AMBER name organizations, RED names people.
const TAKES: Record<Tlp, string[]> = {
  CLEAR: [],
  GREEN: ['organizations'],
  AMBER: ['organizations'],
  'AMBER+STRICT': [],
  RED: ['users'],
};

describe('recipients each TLP level takes', () => {
  it.each(TLP_LEVELS)('%s takes exactly its kinds', (tlp) => {
    expect([...acceptedRecipientKinds(tlp)]).toEqual(TAKES[tlp]);
    expect(acceptsRecipients(tlp, 'organizations')).toBe(TAKES[tlp].includes('organizations'));
    expect(acceptsRecipients(tlp, 'users')).toBe(TAKES[tlp].includes('users'));
  });

  it.each(TLP_LEVELS)('%s accepts no recipients at all, and empty lists', (tlp) => {
    expect(refusedRecipients(tlp, none)).toEqual([]);
    expect(() => assertRecipientsFit(tlp, none)).not.toThrow();
  });

  it.each(TLP_LEVELS)('%s refuses, by field, every list it does not take', (tlp) => {
    const fields = refusedRecipients(tlp, both).map((f) => f.field);
    const expected = [
      ...(TAKES[tlp].includes('organizations') ? [] : ['recipients.organizations']),
      ...(TAKES[tlp].includes('users') ? [] : ['recipients.users']),
    ];
    expect(fields).toEqual(expected);
  });

  it('accepts organizations at GREEN and AMBER and people at RED', () => {
    expect(refusedRecipients('GREEN', orgs)).toEqual([]);
    expect(refusedRecipients('AMBER', orgs)).toEqual([]);
    expect(refusedRecipients('RED', users)).toEqual([]);
  });

  it('says which levels take the refused kind', () => {
    expect(refusedRecipients('AMBER+STRICT', orgs)).toEqual([
      {
        field: 'recipients.organizations',
        message: 'TLP:AMBER+STRICT takes no recipient organizations (GREEN and AMBER do)',
      },
    ]);
    expect(refusedRecipients('AMBER', users)).toEqual([
      { field: 'recipients.users', message: 'TLP:AMBER takes no recipient users (only RED does)' },
    ]);
  });

  it('explains that kept recipients count when a change would leave them under a level that refuses them', () => {
    const [refused] = refusedRecipients('RED', { recipientOrgIds: ['R', 'Q'], recipientUserIds: [] }, 'stored');
    expect(refused.field).toBe('recipients.organizations');
    expect(refused.message).toContain('TLP:RED takes no recipient organizations');
    expect(refused.message).toContain('still names 2');
    expect(refused.message).toContain('"recipients": {"organizations": []}');
  });

  it('throws validation_failed naming the fields', () => {
    let thrown: unknown;
    try {
      assertRecipientsFit('CLEAR', both);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('validation_failed');
    expect((thrown as DomainError).details?.fields?.map((f) => f.field)).toEqual([
      'recipients.organizations',
      'recipients.users',
    ]);
  });

  it('names organizations only at levels that take them', () => {
    expect(namedOrganizations({ tlp: 'GREEN', recipientOrgIds: ['R'] })).toEqual(['R']);
    expect(namedOrganizations({ tlp: 'AMBER', recipientOrgIds: ['R'] })).toEqual(['R']);
    for (const tlp of ['CLEAR', 'AMBER+STRICT', 'RED'] as const)
      expect(namedOrganizations({ tlp, recipientOrgIds: ['R'] })).toEqual([]);
  });
});

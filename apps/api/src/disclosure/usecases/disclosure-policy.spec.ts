import type { AuditEntry, DisclosurePolicy, Organization, Principal } from '@corridor/domain';
import { AuditService } from '../../audit/audit.service';
import { GetDisclosurePolicy } from './get-disclosure-policy.service';
import { UpdateDisclosurePolicy } from './update-disclosure-policy.service';

const admin: Principal = { kind: 'user', id: 'user-admin', orgId: 'org-a', scopes: ['sharing:manage'], roles: [] };
const analyst: Principal = {
  kind: 'user',
  id: 'user-analyst',
  orgId: 'org-a',
  scopes: ['incidents:read', 'incidents:write'],
  roles: [],
};

function setUp(stored?: Partial<DisclosurePolicy>) {
  const org: Organization = {
    id: 'org-a',
    name: 'CERT A',
    country: 'PK',
    kind: 'cert',
    createdAt: new Date(0),
    disclosure: stored,
  };
  const writes: Array<Partial<DisclosurePolicy>> = [];
  const organizations = {
    findFresh: (id: string) => Promise.resolve(id === org.id ? { ...org } : undefined),
    setDisclosure: (id: string, policy: Partial<DisclosurePolicy>) => {
      if (id !== org.id) return Promise.resolve(undefined);
      writes.push(policy);
      org.disclosure = policy;
      return Promise.resolve({ ...org });
    },
  };
  const appended: AuditEntry[] = [];
  const audit = new AuditService(
    {
      append: (entry: AuditEntry) => {
        appended.push(entry);
        return Promise.resolve(entry);
      },
    } as never,
    { error: () => undefined } as never,
  );
  return {
    get: new GetDisclosurePolicy(organizations as never),
    update: new UpdateDisclosurePolicy(organizations as never, audit),
    writes,
    appended,
  };
}

describe('disclosure policy use cases', () => {
  it('any member reads the policy in force, defaults filled in', async () => {
    const { get } = setUp({ RED: 'anonymous' });
    await expect(get.execute(analyst)).resolves.toEqual({
      CLEAR: 'named',
      GREEN: 'named',
      AMBER: 'anonymous',
      'AMBER+STRICT': 'nothing',
      RED: 'anonymous',
    });
    await expect(get.execute({ orgId: 'org-gone' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an org-admin replaces it: only the levels given are stored, the change is audited', async () => {
    const { update, get, writes, appended } = setUp({ RED: 'anonymous', GREEN: 'nothing' });
    const now = await update.execute(admin, { AMBER: 'nothing', 'AMBER+STRICT': 'named', CLEAR: undefined });
    const expected = { CLEAR: 'named', GREEN: 'named', AMBER: 'nothing', 'AMBER+STRICT': 'named', RED: 'nothing' };
    expect(now).toEqual(expected);
    expect(writes).toEqual([{ AMBER: 'nothing', 'AMBER+STRICT': 'named' }]);
    await expect(get.execute(analyst)).resolves.toEqual(expected);
    expect(appended).toEqual([
      expect.objectContaining({
        orgId: 'org-a',
        actor: { type: 'user', id: 'user-admin', orgId: 'org-a' },
        action: 'organization.disclosure_change',
        target: { type: 'organization', id: 'org-a' },
        outcome: 'success',
        details: expected,
      }),
    ]);
  });

  it('refuses a credential without sharing:manage (403) and changes nothing', async () => {
    const { update, writes, appended } = setUp();
    await expect(update.execute(analyst, { RED: 'named' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(writes).toEqual([]);
    expect(appended).toEqual([]);
  });

  it('names each bad field (400) and changes nothing', async () => {
    const { update, writes } = setUp();
    const refused = update.execute(admin, { RED: 'everything', WHITE: 'named', GREEN: null, AMBER: 'named' });
    await expect(refused).rejects.toMatchObject({
      code: 'validation_failed',
      details: {
        fields: [
          { field: 'RED', message: 'RED must be one of nothing, anonymous, named' },
          { field: 'WHITE', message: expect.stringContaining('is not a TLP level') },
          { field: 'GREEN', message: 'GREEN must be one of nothing, anonymous, named' },
        ],
      },
    });
    expect(writes).toEqual([]);
  });
});

import { mayChange, may, statusChoices } from './workflow-access';

describe('workflow access', () => {
  const analyst = { orgId: 'org-a', roles: ['analyst' as const] };
  const admin = { orgId: 'org-a', roles: ['org-admin' as const] };
  const ours = { organization: { id: 'org-a', name: 'CERT-A' } };

  it('lets analysts of the submitting organization change, nobody else', () => {
    expect(mayChange(analyst, ours)).toBe(true);
    expect(mayChange({ ...analyst, roles: ['oncall'] }, ours)).toBe(true);
    expect(mayChange(admin, ours)).toBe(false);
    expect(mayChange(analyst, { organization: { id: 'org-b', name: 'CERT-B' } })).toBe(false);
    expect(mayChange(analyst, { organization: { id: null, name: 'a partner CERT' } })).toBe(false);
  });

  it('lists people only for org-admins', () => {
    expect(may(analyst, 'users:manage')).toBe(false);
    expect(may({ orgId: 'org-a', roles: ['org-admin', 'analyst'] }, 'users:manage')).toBe(true);
  });

  it('offers the moves the workflow allows, forward and reopening', () => {
    expect(statusChoices('new')).toEqual(['triaged', 'investigating', 'contained', 'resolved', 'closed']);
    expect(statusChoices('contained')).toEqual(['resolved', 'closed']);
    expect(statusChoices('resolved')).toEqual(['investigating', 'closed']);
    expect(statusChoices('closed')).toEqual(['investigating']);
  });

  it('offers what a 409 allowed instead, in lifecycle order, ignoring unknown values', () => {
    expect(statusChoices('new', ['closed', 'resolved', 'bogus'])).toEqual(['resolved', 'closed']);
    expect(statusChoices('new', [])).toEqual([]);
  });
});

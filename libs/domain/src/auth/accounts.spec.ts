import { DomainError } from '../errors/domain-error';
import { checkMembership, isOperatorAccount, planAccount, type AccountCreator } from './accounts';
import type { Role } from './principal';

function outcome(creator: AccountCreator, roles: Role[], passwordGiven: boolean): string {
  try {
    const plan = planAccount(creator, { roles, passwordGiven });
    return `${plan.credential}/${plan.requirement}`;
  } catch (error) {
    const e = error as DomainError;
    return `${e.code}${e.details?.fields ? `:${e.details.fields.map((f) => f.field).join(',')}` : ''}`;
  }
}

function membership(requirement: 'empty' | 'operators-only' | 'any', members: Role[][]): string {
  try {
    checkMembership(
      requirement,
      members.map((roles) => ({ roles })),
    );
    return 'ok';
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('who creates which accounts', () => {
  it('a platform-admin creates only a first org-admin, without a password, by setup token, in an empty organization', () => {
    expect(outcome('platform-admin', ['org-admin'], false)).toBe('setup-token/empty');
    expect(outcome('platform-admin', ['org-admin', 'analyst', 'oncall'], false)).toBe('setup-token/empty');
    expect(outcome('platform-admin', ['org-admin'], true)).toBe('validation_failed:password');
    for (const roles of [['analyst'], ['oncall', 'analyst'], ['platform-admin'], ['org-admin', 'platform-admin']])
      expect(outcome('platform-admin', roles as Role[], false)).toBe('forbidden');
  });

  it('an org-admin creates people of any role but platform-admin, with its password or a setup token', () => {
    expect(outcome('org-admin', ['analyst'], true)).toBe('password/any');
    expect(outcome('org-admin', ['org-admin', 'oncall'], false)).toBe('setup-token/any');
    expect(outcome('org-admin', ['platform-admin'], true)).toBe('forbidden');
    expect(outcome('org-admin', ['analyst', 'platform-admin'], false)).toBe('forbidden');
  });

  it('the operator CLI: a first org-admin by setup token, or an operator account of its own with a password', () => {
    expect(outcome('operator-cli', ['org-admin'], false)).toBe('setup-token/empty');
    expect(outcome('operator-cli', ['org-admin', 'analyst'], false)).toBe('setup-token/empty');
    expect(outcome('operator-cli', ['analyst'], false)).toBe('validation_failed:roles');
    expect(outcome('operator-cli', ['platform-admin'], false)).toBe('password/operators-only');
    expect(outcome('operator-cli', ['platform-admin', 'analyst'], false)).toBe('validation_failed:roles');
    expect(outcome('operator-cli', ['org-admin', 'platform-admin'], false)).toBe('validation_failed:roles');
  });

  it('checks the organization’s existing accounts', () => {
    expect(membership('empty', [])).toBe('ok');
    expect(membership('empty', [['analyst']])).toBe('forbidden');
    expect(membership('empty', [['platform-admin']])).toBe('forbidden');
    expect(membership('operators-only', [])).toBe('ok');
    expect(membership('operators-only', [['platform-admin'], ['platform-admin']])).toBe('ok');
    expect(membership('operators-only', [['platform-admin'], ['org-admin']])).toBe('forbidden');
    expect(membership('any', [['analyst'], ['platform-admin']])).toBe('ok');
  });

  it('knows an operator account', () => {
    expect(isOperatorAccount(['platform-admin'])).toBe(true);
    expect(isOperatorAccount([])).toBe(false);
    expect(isOperatorAccount(['platform-admin', 'analyst'])).toBe(false);
  });
});

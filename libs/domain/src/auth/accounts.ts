import { DomainError } from '../errors/domain-error';
import type { Role } from './principal';

/**
 * Who may create which accounts, and how the person gets a password. The operator (platform-admins
 * and the operator CLI) runs the platform but must never become a partner: it may start a new
 * organization by creating its first org-admin, who then sets their own password with a one-time
 * setup token the operator never sees used; everyone else in an organization is created by its
 * org-admins. The operator's own accounts (platform-admin only) live in an organization of their own,
 * never beside an organization's people.
 *
 * - platform-admin (API): a new organization's first org-admin — the organization has no users; roles
 *   org-admin, optionally with analyst and oncall; no password (setup token).
 * - org-admin (API): people of its own organization, any roles but platform-admin; with a password it
 *   gives, or without one and a setup token.
 * - operator CLI: the same first org-admin rule for organization people (setup token); an operator
 *   account (roles exactly platform-admin) gets a generated password, in an organization holding
 *   only operator accounts.
 */
export type AccountCreator = 'platform-admin' | 'org-admin' | 'operator-cli';

/** How the person gets a password: given by the creator, or set by the person with a setup token. */
export type AccountCredential = 'password' | 'setup-token';

/**
 * What the organization's existing accounts must allow, checked at the write:
 * `empty` — no users at all; `operators-only` — only operator (platform-admin) accounts; `any`.
 */
export type MembershipRequirement = 'empty' | 'operators-only' | 'any';

export interface AccountPlan {
  credential: AccountCredential;
  requirement: MembershipRequirement;
}

/** Roles an organization's first org-admin may hold. */
export const FIRST_ADMIN_ROLES = ['org-admin', 'analyst', 'oncall'] as const satisfies readonly Role[];

/** An operator account holds platform-admin and nothing else. */
export function isOperatorAccount(roles: readonly Role[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'platform-admin');
}

function isFirstAdmin(roles: readonly Role[]): boolean {
  return roles.includes('org-admin') && roles.every((role) => (FIRST_ADMIN_ROLES as readonly Role[]).includes(role));
}

const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

const FIRST_ADMIN = 'org-admin, optionally with analyst and oncall';

/** Decides credential and membership requirement, or throws (400 for a bad request, 403 for a right not held). */
export function planAccount(
  creator: AccountCreator,
  request: { roles: readonly Role[]; passwordGiven: boolean },
): AccountPlan {
  const { roles, passwordGiven } = request;
  switch (creator) {
    case 'platform-admin':
      if (passwordGiven)
        throw invalid(
          'password',
          'platform-admins do not choose passwords: the new org-admin sets one with the setup token this request returns',
        );
      if (!isFirstAdmin(roles))
        throw new DomainError(
          'forbidden',
          `platform-admins create only a new organization's first org-admin (roles: ${FIRST_ADMIN}); its org-admins create the others`,
        );
      return { credential: 'setup-token', requirement: 'empty' };
    case 'org-admin':
      if (roles.includes('platform-admin'))
        throw new DomainError('forbidden', 'platform-admin accounts are the operator’s, created with the operator CLI');
      return { credential: passwordGiven ? 'password' : 'setup-token', requirement: 'any' };
    case 'operator-cli':
      if (roles.includes('platform-admin')) {
        if (!isOperatorAccount(roles))
          throw invalid(
            'roles',
            'an operator account holds platform-admin only; organization roles are for its people',
          );
        return { credential: 'password', requirement: 'operators-only' };
      }
      if (!isFirstAdmin(roles))
        throw invalid(
          'roles',
          `the operator creates only an organization's first org-admin (${FIRST_ADMIN}); its org-admins create the others`,
        );
      return { credential: 'setup-token', requirement: 'empty' };
  }
}

/** Throws `forbidden` when the organization's existing accounts do not allow the new one. */
export function checkMembership(
  requirement: MembershipRequirement,
  members: ReadonlyArray<{ roles: readonly Role[] }>,
): void {
  switch (requirement) {
    case 'empty':
      if (members.length > 0)
        throw new DomainError(
          'forbidden',
          'the organization already has users: only a new organization’s first org-admin is created this way; its org-admins create the others',
        );
      return;
    case 'operators-only':
      if (members.some((member) => !isOperatorAccount(member.roles)))
        throw new DomainError(
          'forbidden',
          'an operator account belongs in the operator’s own organization, not beside an organization’s people',
        );
      return;
    case 'any':
      return;
  }
}

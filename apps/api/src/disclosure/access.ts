import { DomainError, hasScope, type Principal, type Scope } from '@corridor/domain';

/**
 * The access check each use case opens with. The HTTP guard checks the route's scopes too, but the
 * socket gateway calls the same use cases without it, so the use case does not rely on the guard.
 */
export function requireScope(principal: Pick<Principal, 'scopes'>, scope: Scope): void {
  if (!hasScope(principal, scope)) throw new DomainError('forbidden', `this credential lacks the scope ${scope}`);
}

/** The actor of a record written into the other side's audit trail while neither may know the other. */
export const CONTACT_BROKER = Object.freeze({ type: 'system' as const, id: 'corridor:contact-broker', orgId: null });

import { allowedNextStatuses, hasScope, INCIDENT_STATUSES, scopesOf } from '../api/domain';
import type { Incident, IncidentStatus, SessionUser } from '../api/types';

type Person = Pick<SessionUser, 'orgId' | 'roles'>;

/** What a person's roles let them do (the same role → scope table the api applies). */
export function may(person: Person, scope: 'incidents:write' | 'users:manage'): boolean {
  return hasScope({ scopes: scopesOf(person.roles) }, scope);
}

/**
 * Status, TLP and assignment are changed by the submitting organization only (with `incidents:write`),
 * as `PATCH /api/v1/incidents/:id` decides; everyone else is shown them, not offered them.
 */
export function mayChange(person: Person, incident: Pick<Incident, 'organization'>): boolean {
  return incident.organization.id === person.orgId && may(person, 'incidents:write');
}

/**
 * The statuses offered from `current`: what the workflow allows, or — after a 409 — what the api
 * answered in `details.allowed` (the incident moved meanwhile), in lifecycle order.
 */
export function statusChoices(current: IncidentStatus, allowed?: readonly string[]): IncidentStatus[] {
  if (!allowed) return allowedNextStatuses(current);
  return INCIDENT_STATUSES.filter((status) => allowed.includes(status));
}

import { DomainError } from '../errors/domain-error';
import { INCIDENT_STATUSES, type IncidentStatus } from './incident';

/**
 * The analysts' workflow: new → triaged → investigating → contained → resolved → closed.
 *
 * - Forward moves may skip steps (a trivial incident can be resolved at once; `new → investigating`
 *   is how incidents were worked before `triaged` and `contained` existed).
 * - Reopening: a resolved or closed incident goes back to `investigating` (the work resumes; it is
 *   not new any more, and triage was done).
 * - No other backward move: `contained → triaged` or `closed → resolved` are refused.
 * - Setting the status it already has is no transition (nothing changes, nothing is recorded).
 *
 * Every status stored before the lifecycle (`new`, `investigating`, `resolved`, `closed`) is a
 * status of it, so stored incidents keep their meaning.
 */
const REOPEN_TO: IncidentStatus = 'investigating';
const REOPENABLE: ReadonlySet<IncidentStatus> = new Set(['resolved', 'closed']);

/** The statuses an incident in `from` may move to, in lifecycle order. */
export function allowedNextStatuses(from: IncidentStatus): IncidentStatus[] {
  const at = INCIDENT_STATUSES.indexOf(from);
  const next = INCIDENT_STATUSES.filter((_, index) => index > at);
  if (REOPENABLE.has(from)) return INCIDENT_STATUSES.filter((s) => s === REOPEN_TO || next.includes(s));
  return [...next];
}

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return from === to || allowedNextStatuses(from).includes(to);
}

/** Refuses a move the lifecycle does not allow: 409 `conflict` with `details.allowed`. */
export function assertTransition(from: IncidentStatus, to: IncidentStatus): void {
  if (canTransition(from, to)) return;
  const allowed = allowedNextStatuses(from);
  throw new DomainError('conflict', `an incident cannot go from ${from} to ${to}`, { allowed });
}

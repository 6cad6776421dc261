import {
  BUILT_IN_DEADLINE_PROFILES,
  DomainError,
  hasScope,
  milestoneStatuses,
  type DeadlineProfile,
  type FieldError,
  type IncidentDeadlines,
  type Principal,
} from '@corridor/domain';
import type { StoredDeadlineProfile } from '@corridor/persistence';

export function invalid(fields: FieldError[]): DomainError {
  return new DomainError('validation_failed', 'request is invalid', { fields });
}

/**
 * Who may set an incident's deadlines and complete its milestones: people (not API keys) of the
 * incident's owner organization with `incidents:write` — what the set and complete routes let through.
 */
export function mayChangeDeadlines(principal: Principal, ownerOrgId: string): boolean {
  return principal.kind === 'user' && principal.orgId === ownerOrgId && hasScope(principal, 'incidents:write');
}

export const builtInProfile = (id: string): DeadlineProfile | undefined =>
  BUILT_IN_DEADLINE_PROFILES.find((profile) => profile.id === id);

const milestonesView = (profile: DeadlineProfile) =>
  profile.milestones.map((m) => ({
    key: m.key,
    label: m.label,
    due: { from: m.due.from, offset: { ...m.due.offset }, basis: m.due.basis ?? 'completion' },
  }));

export function profileView(profile: DeadlineProfile | StoredDeadlineProfile) {
  const stored = 'orgId' in profile ? profile : undefined;
  return {
    id: profile.id,
    name: profile.name,
    builtIn: !stored,
    milestones: milestonesView(profile),
    ...(stored ? { createdAt: stored.createdAt.toISOString(), updatedAt: stored.updatedAt.toISOString() } : {}),
  };
}
export type DeadlineProfileView = ReturnType<typeof profileView>;

export function deadlinesView(state: IncidentDeadlines, now: Date, soonMs: number) {
  return {
    incidentId: state.incidentId,
    profileId: state.profile.id,
    profileName: state.profile.name,
    awareAt: state.awareAt.toISOString(),
    milestones: milestoneStatuses(state, now, soonMs).map((m) => ({
      key: m.key,
      label: m.label,
      due: m.due.toISOString(),
      status: m.status,
      completedAt: m.completed ? m.completed.at.toISOString() : null,
    })),
    updatedAt: state.updatedAt.toISOString(),
  };
}
export type IncidentDeadlinesView = ReturnType<typeof deadlinesView>;

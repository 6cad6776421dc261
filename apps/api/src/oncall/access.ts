import { DomainError, hasScope, type FieldError, type Principal } from '@corridor/domain';
import type { StoredPolicy, StoredSchedule, UsersRepository } from '@corridor/persistence';

/** Changing schedules and policies: people holding `oncall:manage` (org-admins). */
export function requireOnCallManager(principal: Principal): void {
  if (principal.kind !== 'user' || !hasScope(principal, 'oncall:manage')) {
    throw new DomainError('forbidden', 'this credential lacks the scope oncall:manage');
  }
}

/**
 * Reading schedules, policies and who is on call: any person of the organization, whatever their
 * roles (the answers name colleagues); API keys are machine clients and read none of it.
 */
export function requireMember(principal: Principal): void {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'on-call rotas are for people of the organization');
}

export function invalid(fields: FieldError[]): DomainError {
  return new DomainError('validation_failed', 'request is invalid', { fields });
}

/**
 * The fields (of `named`: field → user ids) naming someone who is not an active person of `orgId`,
 * one error per field; an unknown id and a person of another organization read the same.
 */
export async function unknownPeople(
  users: UsersRepository,
  orgId: string,
  named: ReadonlyArray<{ field: string; userIds: readonly string[] }>,
): Promise<FieldError[]> {
  const found = await users.findByIds([...new Set(named.flatMap((n) => n.userIds))]);
  const members = new Set(found.filter((u) => u.orgId === orgId && !u.disabledAt).map((u) => u.id));
  return named.flatMap(({ field, userIds }) => {
    const missing = userIds.filter((id) => !members.has(id));
    return missing.length > 0 ? [{ field, message: `not a person of the organization: ${missing.join(', ')}` }] : [];
  });
}

export function scheduleView(schedule: StoredSchedule) {
  return {
    id: schedule.id,
    orgId: schedule.orgId,
    name: schedule.name,
    timeZone: schedule.timeZone,
    rotations: schedule.rotations.map((r) => ({ ...r, users: [...r.users] })),
    overrides: schedule.overrides.map(overrideView),
    version: schedule.version,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}
export type ScheduleView = ReturnType<typeof scheduleView>;

export function overrideView(override: StoredSchedule['overrides'][number]) {
  return {
    id: override.id,
    userId: override.userId,
    from: override.from.toISOString(),
    to: override.to.toISOString(),
  };
}
export type OverrideView = ReturnType<typeof overrideView>;

export function policyView(policy: StoredPolicy) {
  return {
    id: policy.id,
    orgId: policy.orgId,
    name: policy.name,
    levels: policy.levels.map((level) => ({
      targets: level.targets.map((t) => ({ ...t })),
      delayMinutes: level.delayMinutes,
    })),
    repeat: policy.repeat,
    version: policy.version,
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
export type PolicyView = ReturnType<typeof policyView>;

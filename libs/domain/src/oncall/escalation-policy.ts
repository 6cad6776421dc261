import type { FieldError } from '../errors/domain-error';

/** Whom one level pages: everyone on call in a schedule at that moment, or one person. */
export type EscalationTarget = { kind: 'schedule'; scheduleId: string } | { kind: 'user'; userId: string };

/** What a step pages: a level's targets, or (last of all) the organization's org-admins. */
export type EscalationStepTarget = EscalationTarget | { kind: 'org-admins' };

export interface EscalationLevel {
  targets: EscalationTarget[];
  /** Minutes to wait, unacknowledged, before the next step; fractions allowed (0.5 = 30 s). */
  delayMinutes: number;
}

/**
 * An organization's escalation policy: levels paged in order, the whole list run `repeat` more
 * times, then the organization's org-admins.
 */
export interface EscalationPolicy {
  id: string;
  orgId: string;
  name: string;
  levels: EscalationLevel[];
  /** How many times the levels are run again after the first pass (0 = once in all). */
  repeat: number;
}

/** One step of running a policy. */
export interface EscalationStep {
  /** The step number asked for (0 is the first page). */
  step: number;
  /** Index of the level paged, or null for the final org-admins step. */
  level: number | null;
  /** The pass over the levels: 0 for the first, up to `repeat`; null for the final step. */
  pass: number | null;
  targets: EscalationStepTarget[];
  /** Milliseconds to wait, unacknowledged, before step `step + 1`; null on the final step. */
  delayMs: number | null;
  /** True on the org-admins step: there is no step after it. */
  final: boolean;
}

export const MAX_ESCALATION_LEVELS = 10;
export const MAX_LEVEL_TARGETS = 50;
export const MAX_ESCALATION_REPEAT = 10;
/** One week: longer waits are not escalation. */
export const MAX_DELAY_MINUTES = 7 * 24 * 60;
export const MAX_POLICY_NAME_LENGTH = 200;

/** How many steps running `policy` takes, the final org-admins step included. */
export function escalationStepCount(policy: Pick<EscalationPolicy, 'levels' | 'repeat'>): number {
  return policy.levels.length * (policy.repeat + 1) + 1;
}

/**
 * Step `step` of running `policy`: steps 0..n-1 page levels 0..n-1 (n = number of levels), steps
 * n..2n-1 page them again, and so on for `repeat` more passes; the step after the last pass pages the
 * organization's org-admins and is `final`. The delay after a level step is that level's
 * `delayMinutes` (so the org-admins are paged the last level's delay after the last level step).
 *
 * Returns null for a step after the final one. Throws RangeError for a step that is not a whole
 * number ≥ 0. Pure.
 */
export function escalationStep(
  policy: Pick<EscalationPolicy, 'levels' | 'repeat'>,
  step: number,
): EscalationStep | null {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`escalation step must be a whole number ≥ 0: ${step}`);
  const levelSteps = policy.levels.length * (policy.repeat + 1);
  if (step > levelSteps) return null;
  if (step === levelSteps) {
    return { step, level: null, pass: null, targets: [{ kind: 'org-admins' }], delayMs: null, final: true };
  }
  const level = step % policy.levels.length;
  const { targets, delayMinutes } = policy.levels[level];
  return {
    step,
    level,
    pass: Math.floor(step / policy.levels.length),
    targets: targets.map((target) => ({ ...target })),
    delayMs: Math.round(delayMinutes * 60_000),
    final: false,
  };
}

/** The policy as a client writes it (no ids). */
export interface EscalationPolicyInput {
  name: string;
  levels: EscalationLevel[];
  repeat: number;
}

/**
 * Problems of a policy's fields, named as the API reports them (`levels.0.targets.1.scheduleId`,
 * `repeat`, …); empty when valid. Checks: a non-blank name; 1..`MAX_ESCALATION_LEVELS` levels, each
 * with 1..`MAX_LEVEL_TARGETS` targets of a known kind with a non-empty id and a `delayMinutes` in
 * (0, `MAX_DELAY_MINUTES`]; a whole `repeat` in 0..`MAX_ESCALATION_REPEAT`. Whether the schedules and
 * users exist is the caller's question.
 */
export function validateEscalationPolicy(input: EscalationPolicyInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (typeof input.name !== 'string' || input.name.trim().length === 0) add('name', 'must not be blank');
  else if (input.name.length > MAX_POLICY_NAME_LENGTH)
    add('name', `must be at most ${MAX_POLICY_NAME_LENGTH} characters`);
  if (
    typeof input.repeat !== 'number' ||
    !Number.isInteger(input.repeat) ||
    input.repeat < 0 ||
    input.repeat > MAX_ESCALATION_REPEAT
  ) {
    add('repeat', `must be a whole number from 0 to ${MAX_ESCALATION_REPEAT}`);
  }
  if (!Array.isArray(input.levels) || input.levels.length === 0) {
    add('levels', 'must name at least one level');
    return errors;
  }
  if (input.levels.length > MAX_ESCALATION_LEVELS) add('levels', `must be at most ${MAX_ESCALATION_LEVELS} levels`);
  input.levels.forEach((level, i) => {
    const at = `levels.${i}`;
    if (
      typeof level.delayMinutes !== 'number' ||
      !Number.isFinite(level.delayMinutes) ||
      level.delayMinutes <= 0 ||
      level.delayMinutes > MAX_DELAY_MINUTES
    ) {
      add(`${at}.delayMinutes`, `must be a number of minutes above 0 and at most ${MAX_DELAY_MINUTES}`);
    }
    if (!Array.isArray(level.targets) || level.targets.length === 0) {
      add(`${at}.targets`, 'must name at least one target');
      return;
    }
    if (level.targets.length > MAX_LEVEL_TARGETS) add(`${at}.targets`, `must be at most ${MAX_LEVEL_TARGETS} targets`);
    level.targets.forEach((target, j) => {
      const field = `${at}.targets.${j}`;
      const { kind, scheduleId, userId } = target as { kind?: unknown; scheduleId?: unknown; userId?: unknown };
      if (kind === 'schedule') {
        if (typeof scheduleId !== 'string' || scheduleId.length === 0) {
          add(`${field}.scheduleId`, 'must be a schedule id');
        }
      } else if (kind === 'user') {
        if (typeof userId !== 'string' || userId.length === 0) add(`${field}.userId`, 'must be a user id');
      } else {
        add(`${field}.kind`, 'must be schedule or user');
      }
    });
  });
  return errors;
}

/** The schedule ids and user ids a policy names, each once. */
export function policyReferences(policy: Pick<EscalationPolicy, 'levels'>): {
  scheduleIds: string[];
  userIds: string[];
} {
  const targets = policy.levels.flatMap((level) => level.targets);
  return {
    scheduleIds: [...new Set(targets.flatMap((t) => (t.kind === 'schedule' ? [t.scheduleId] : [])))],
    userIds: [...new Set(targets.flatMap((t) => (t.kind === 'user' ? [t.userId] : [])))],
  };
}

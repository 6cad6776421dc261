import {
  escalationStep,
  escalationStepCount,
  policyReferences,
  validateEscalationPolicy,
  type EscalationPolicy,
} from './escalation-policy';

const policy: EscalationPolicy = {
  id: 'p1',
  orgId: 'o1',
  name: 'critical',
  levels: [
    { targets: [{ kind: 'schedule', scheduleId: 's1' }], delayMinutes: 5 },
    { targets: [{ kind: 'user', userId: 'u9' }], delayMinutes: 10 },
  ],
  repeat: 1,
};

describe('escalationStep', () => {
  it('pages L1, then L2 after L1’s delay, runs them once more, then the org-admins', () => {
    expect(escalationStepCount(policy)).toBe(5);
    expect(escalationStep(policy, 0)).toEqual({
      step: 0,
      level: 0,
      pass: 0,
      targets: [{ kind: 'schedule', scheduleId: 's1' }],
      delayMs: 300_000,
      final: false,
    });
    expect(escalationStep(policy, 1)).toEqual({
      step: 1,
      level: 1,
      pass: 0,
      targets: [{ kind: 'user', userId: 'u9' }],
      delayMs: 600_000,
      final: false,
    });
    expect(escalationStep(policy, 2)).toMatchObject({ level: 0, pass: 1, delayMs: 300_000, final: false });
    expect(escalationStep(policy, 3)).toMatchObject({ level: 1, pass: 1, delayMs: 600_000, final: false });
    expect(escalationStep(policy, 4)).toEqual({
      step: 4,
      level: null,
      pass: null,
      targets: [{ kind: 'org-admins' }],
      delayMs: null,
      final: true,
    });
    expect(escalationStep(policy, 5)).toBeNull();
  });

  it('goes straight from one pass to the org-admins when repeat is 0', () => {
    const once = { ...policy, levels: [policy.levels[0]], repeat: 0 };
    expect(escalationStep(once, 0)).toMatchObject({ level: 0, final: false, delayMs: 300_000 });
    expect(escalationStep(once, 1)).toMatchObject({ targets: [{ kind: 'org-admins' }], final: true });
  });

  it('turns fractional minutes into whole milliseconds (2 s = 1/30 min)', () => {
    const fast = { ...policy, levels: [{ ...policy.levels[0], delayMinutes: 2 / 60 }] };
    expect(escalationStep(fast, 0)?.delayMs).toBe(2000);
  });

  it('does not let a caller change the policy through a step', () => {
    const step = escalationStep(policy, 0)!;
    (step.targets[0] as { scheduleId: string }).scheduleId = 'other';
    expect(policy.levels[0].targets[0]).toEqual({ kind: 'schedule', scheduleId: 's1' });
  });

  it('refuses negative and fractional step numbers', () => {
    expect(() => escalationStep(policy, -1)).toThrow(RangeError);
    expect(() => escalationStep(policy, 0.5)).toThrow(RangeError);
  });
});

describe('validateEscalationPolicy', () => {
  it('accepts a valid policy', () => {
    expect(validateEscalationPolicy(policy)).toEqual([]);
  });

  it('names each bad field', () => {
    const errors = validateEscalationPolicy({
      name: '',
      repeat: -1,
      levels: [
        { targets: [], delayMinutes: 0 },
        {
          targets: [{ kind: 'schedule', scheduleId: '' }, { kind: 'user', userId: '' }, { kind: 'team' } as never],
          delayMinutes: 5,
        },
      ],
    });
    expect(errors.map((e) => e.field)).toEqual([
      'name',
      'repeat',
      'levels.0.delayMinutes',
      'levels.0.targets',
      'levels.1.targets.0.scheduleId',
      'levels.1.targets.1.userId',
      'levels.1.targets.2.kind',
    ]);
    expect(validateEscalationPolicy({ ...policy, levels: [] }).map((e) => e.field)).toEqual(['levels']);
    expect(validateEscalationPolicy({ ...policy, repeat: 1.5 }).map((e) => e.field)).toEqual(['repeat']);
  });
});

describe('policyReferences', () => {
  it('lists the schedules and users named, each once', () => {
    const twice = { levels: [...policy.levels, ...policy.levels] };
    expect(policyReferences(twice)).toEqual({ scheduleIds: ['s1'], userIds: ['u9'] });
  });
});

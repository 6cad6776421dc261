import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  notFound,
  validateEscalationPolicy,
  type EscalationPolicyInput,
  type EscalationTarget,
  type FieldError,
  type Principal,
} from '@corridor/domain';
import {
  DocumentLocks,
  EscalationPoliciesRepository,
  OnCallSchedulesRepository,
  UsersRepository,
  type StoredPolicy,
} from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import { invalid, policyView, requireMember, requireOnCallManager, unknownPeople, type PolicyView } from '../access';
import type { PolicyInputDto } from '../dto/oncall.dto';

const conflict = () =>
  new DomainError('conflict', 'the policy was changed meanwhile; read it again and retry with its version');

/**
 * Escalation policies of the caller's organization: org-admins change them, every person of the
 * organization reads them. Schedules and people named must be the organization's (400 naming the
 * target's field otherwise). Audited as `oncall.policy.*`.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly policies: EscalationPoliciesRepository,
    private readonly schedules: OnCallSchedulesRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly locks: DocumentLocks,
  ) {}

  async list(principal: Principal): Promise<PolicyView[]> {
    requireMember(principal);
    return (await this.policies.listByOrg(principal.orgId)).map(policyView);
  }

  async get(principal: Principal, id: string): Promise<PolicyView> {
    requireMember(principal);
    return policyView(await this.find(principal.orgId, id));
  }

  async create(principal: Principal, body: PolicyInputDto): Promise<PolicyView> {
    requireOnCallManager(principal);
    const input = await this.checked(principal.orgId, body);
    const now = new Date();
    const policy = await this.policies.insert({
      id: uuidv7(),
      orgId: principal.orgId,
      ...input,
      version: 1,
      createdBy: principal.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.audit.record(principal, {
      action: 'oncall.policy.create',
      target: { type: 'escalation-policy', id: policy.id },
      details: { name: policy.name },
    });
    return policyView(policy);
  }

  /** Replaces the policy; with `version`, only if it is still at it (409 otherwise). */
  async update(principal: Principal, id: string, body: PolicyInputDto): Promise<PolicyView> {
    requireOnCallManager(principal);
    await this.find(principal.orgId, id);
    const input = await this.checked(principal.orgId, body);
    // Under the policy's document lock: FerretDB does not make a conditional update atomic by itself.
    const updated = await this.locks.withLock('escalation-policies', id, async () => {
      const current = await this.find(principal.orgId, id);
      if (body.version !== undefined && current.version !== body.version) throw conflict();
      return this.policies.update(principal.orgId, id, current.version, input, new Date());
    });
    if (!updated) throw conflict();
    await this.audit.record(principal, {
      action: 'oncall.policy.update',
      target: { type: 'escalation-policy', id },
      details: { version: updated.version },
    });
    return policyView(updated);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireOnCallManager(principal);
    const removed = await this.locks.withLock('escalation-policies', id, () =>
      this.policies.remove(principal.orgId, id),
    );
    if (!removed) throw notFound('escalation policy');
    await this.audit.record(principal, { action: 'oncall.policy.delete', target: { type: 'escalation-policy', id } });
  }

  private async find(orgId: string, id: string): Promise<StoredPolicy> {
    const policy = await this.policies.findById(orgId, id);
    if (!policy) throw notFound('escalation policy');
    return policy;
  }

  private async checked(orgId: string, body: PolicyInputDto): Promise<EscalationPolicyInput> {
    const input: EscalationPolicyInput = {
      name: body.name.trim(),
      repeat: body.repeat,
      levels: body.levels.map((level) => ({
        delayMinutes: level.delayMinutes,
        targets: level.targets.map((t): EscalationTarget =>
          t.kind === 'schedule'
            ? { kind: 'schedule', scheduleId: t.scheduleId ?? '' }
            : { kind: 'user', userId: t.userId ?? '' },
        ),
      })),
    };
    const errors = validateEscalationPolicy(input);
    if (errors.length > 0) throw invalid(errors);
    const scheduleIds = input.levels.flatMap((l) =>
      l.targets.flatMap((t) => (t.kind === 'schedule' ? [t.scheduleId] : [])),
    );
    const existing = await this.schedules.existing(orgId, scheduleIds);
    const problems: FieldError[] = [];
    const people: Array<{ field: string; userIds: string[] }> = [];
    input.levels.forEach((level, i) =>
      level.targets.forEach((target, j) => {
        const field = `levels.${i}.targets.${j}`;
        if (target.kind === 'schedule' && !existing.has(target.scheduleId)) {
          problems.push({ field: `${field}.scheduleId`, message: 'no such schedule in the organization' });
        }
        if (target.kind === 'user') people.push({ field: `${field}.userId`, userIds: [target.userId] });
      }),
    );
    problems.push(...(await unknownPeople(this.users, orgId, people)));
    if (problems.length > 0) throw invalid(problems);
    return input;
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DEFAULT_RULE_MAX_TLP,
  DomainError,
  checkRule,
  notFound,
  type NotificationRule,
  type Principal,
  type RuleTrigger,
} from '@corridor/domain';
import {
  EscalationPoliciesRepository,
  NotificationRulesRepository,
  WebhookEndpointsRepository,
} from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import type { RuleInputDto } from '../dto/alerting.dto';

/** A rule as the api shows it. */
export interface RuleView {
  id: string;
  name: string;
  enabled: boolean;
  trigger: RuleTrigger;
  targets: NotificationRule['targets'];
  maxTlp: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

function viewOf(rule: NotificationRule): RuleView {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    trigger: rule.trigger,
    targets: rule.targets,
    maxTlp: rule.maxTlp,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

const RULE_ID = /^nr-[0-9a-f-]{36}$/;

/**
 * An organization's notification rules (org-admins: `oncall:manage`). Names are unique per
 * organization; every change is audited and reaches the workers' rule caches through Redis.
 */
@Injectable()
export class ManageNotificationRules {
  constructor(
    private readonly rules: NotificationRulesRepository,
    private readonly policies: EscalationPoliciesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal): Promise<{ items: RuleView[] }> {
    return { items: (await this.rules.listByOrg(principal.orgId)).map(viewOf) };
  }

  async get(principal: Principal, id: string): Promise<RuleView> {
    return viewOf(await this.find(principal, id));
  }

  async create(principal: Principal, input: RuleInputDto): Promise<RuleView> {
    const now = new Date();
    const rule = this.build(principal, `nr-${randomUUID()}`, input, now, now);
    await this.checkReferences(rule);
    if ((await this.rules.insert(rule)) === 'duplicate') throw nameTaken();
    await this.audit.record(principal, { action: 'rule.create', target: { type: 'notification-rule', id: rule.id } });
    return viewOf(rule);
  }

  async replace(principal: Principal, id: string, input: RuleInputDto): Promise<RuleView> {
    const existing = await this.find(principal, id);
    const rule = this.build(principal, id, input, existing.createdAt, new Date(), existing.createdBy);
    await this.checkReferences(rule);
    const outcome = await this.rules.replace(rule);
    if (outcome === 'missing') throw notFound('notification rule');
    if (outcome === 'duplicate') throw nameTaken();
    await this.audit.record(principal, { action: 'rule.update', target: { type: 'notification-rule', id } });
    return viewOf(rule);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!RULE_ID.test(id) || !(await this.rules.remove(principal.orgId, id))) throw notFound('notification rule');
    await this.audit.record(principal, { action: 'rule.delete', target: { type: 'notification-rule', id } });
  }

  /** The policy and webhook endpoints a rule names must be the organization's own. */
  private async checkReferences(rule: NotificationRule): Promise<void> {
    const fields: Array<{ field: string; message: string }> = [];
    const { policyId, webhookEndpointIds } = rule.targets;
    if (policyId && !(await this.policies.findById(rule.orgId, policyId)))
      fields.push({ field: 'targets.policyId', message: 'no such escalation policy in the organization' });
    for (const [i, id] of webhookEndpointIds.entries()) {
      if (!(await this.endpoints.find(rule.orgId, id)))
        fields.push({
          field: `targets.webhookEndpointIds.${i}`,
          message: 'no such webhook endpoint in the organization',
        });
    }
    if (fields.length > 0)
      throw new DomainError('validation_failed', `${fields[0].field}: ${fields[0].message}`, { fields });
  }

  private async find(principal: Principal, id: string): Promise<NotificationRule> {
    const rule = RULE_ID.test(id) ? await this.rules.find(principal.orgId, id) : undefined;
    if (!rule) throw notFound('notification rule');
    return rule;
  }

  private build(
    principal: Principal,
    id: string,
    input: RuleInputDto,
    createdAt: Date,
    updatedAt: Date,
    createdBy = principal.id,
  ): NotificationRule {
    const trigger: RuleTrigger =
      input.trigger.kind === 'incident'
        ? {
            kind: 'incident',
            minSeverity: input.trigger.minSeverity ?? 'high',
            ...(input.trigger.classes?.length ? { classes: [...new Set(input.trigger.classes)] } : {}),
          }
        : input.trigger.kind === 'deadline'
          ? { kind: 'deadline', when: [...new Set(input.trigger.when ?? [])] }
          : { kind: input.trigger.kind };
    const rule: NotificationRule = {
      id,
      orgId: principal.orgId,
      name: input.name.trim(),
      enabled: input.enabled ?? true,
      trigger,
      targets: {
        room: input.targets.room ?? false,
        emails: (input.targets.emails ?? []).map((e) => ({ address: e.address, language: e.language })),
        webhookEndpointIds: [...new Set(input.targets.webhookEndpointIds ?? [])],
        policyId: input.targets.policyId ?? null,
      },
      maxTlp: input.maxTlp ?? DEFAULT_RULE_MAX_TLP,
      createdBy,
      createdAt,
      updatedAt,
    };
    const check = checkRule(rule);
    if (!check.ok)
      throw new DomainError('validation_failed', `${check.field}: ${check.message}`, {
        fields: [{ field: check.field, message: check.message }],
      });
    return rule;
  }
}

const nameTaken = () =>
  new DomainError('conflict', 'the organization already has a rule of that name', {
    fields: [{ field: 'name', message: 'already used by another rule of the organization' }],
  });

import { Injectable } from '@nestjs/common';
import {
  DISCLOSURE_LEVELS,
  DomainError,
  TLP_LEVELS,
  completePolicy,
  explicitPolicy,
  isDisclosure,
  isTlp,
  notFound,
  type DisclosurePolicy,
  type FieldError,
  type Principal,
} from '@corridor/domain';
import { OrganizationsRepository } from '@corridor/persistence';
import { AuditService } from '../../audit/audit.service';
import { requireScope } from '../access';

/**
 * An org-admin replaces the organization's disclosure policy; levels left out fall back to the
 * defaults. Takes effect for every match announced or read after it, not for alerts already sent.
 */
@Injectable()
export class UpdateDisclosurePolicy {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditService,
  ) {}

  async execute(
    principal: Pick<Principal, 'kind' | 'id' | 'orgId' | 'scopes'>,
    policy: Record<string, unknown>,
  ): Promise<DisclosurePolicy> {
    requireScope(principal, 'sharing:manage');
    const fields = problems(policy);
    if (fields.length > 0) throw new DomainError('validation_failed', 'request is invalid', { fields });
    const organization = await this.organizations.setDisclosure(principal.orgId, explicitPolicy(policy));
    if (!organization) throw notFound('organization');
    const complete = completePolicy(organization.disclosure);
    await this.audit.record(principal, {
      action: 'organization.disclosure_change',
      target: { type: 'organization', id: principal.orgId },
      details: { ...complete },
    });
    return complete;
  }
}

/** Each key a TLP level, each value present a disclosure level (the HTTP DTO checks the same). */
function problems(policy: Record<string, unknown>): FieldError[] {
  const fields: FieldError[] = [];
  for (const [key, value] of Object.entries(policy)) {
    if (!isTlp(key)) fields.push({ field: key, message: `is not a TLP level (${TLP_LEVELS.join(', ')})` });
    else if (value !== undefined && !isDisclosure(value))
      fields.push({ field: key, message: `${key} must be one of ${DISCLOSURE_LEVELS.join(', ')}` });
  }
  return fields;
}

import { Injectable } from '@nestjs/common';
import { completePolicy, notFound, type DisclosurePolicy, type Principal } from '@corridor/domain';
import { OrganizationsRepository } from '@corridor/persistence';

/** What the caller's organization discloses of matches, per TLP level (any member may read it). */
@Injectable()
export class GetDisclosurePolicy {
  constructor(private readonly organizations: OrganizationsRepository) {}

  async execute(principal: Pick<Principal, 'orgId'>): Promise<DisclosurePolicy> {
    // Access: a principal reads its own organization's policy only, so membership is the whole check.
    const organization = await this.organizations.findFresh(principal.orgId);
    if (!organization) throw notFound('organization');
    return completePolicy(organization.disclosure);
  }
}

import { Injectable } from '@nestjs/common';
import { OrganizationsRepository, UsersRepository } from '@corridor/persistence';
import type { RecipientsDto } from './dto/recipients.dto';
import { invalid } from './incident-filters';

/** Recipients named in a request must exist: 400 naming the field and the unknown id otherwise. */
@Injectable()
export class RecipientsCheck {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersRepository,
  ) {}

  async check(
    recipients: RecipientsDto | undefined,
  ): Promise<{ recipientOrgIds: string[]; recipientUserIds: string[] }> {
    const recipientOrgIds = [...new Set(recipients?.organizations ?? [])];
    const recipientUserIds = [...new Set(recipients?.users ?? [])];
    const orgs = await this.organizations.findByIds(recipientOrgIds);
    const unknownOrg = recipientOrgIds.find((id) => !orgs.has(id));
    if (unknownOrg) throw invalid('recipients.organizations', `no organization ${unknownOrg}`);
    const users = new Set((await this.users.findByIds(recipientUserIds)).map((u) => u.id));
    const unknownUser = recipientUserIds.find((id) => !users.has(id));
    if (unknownUser) throw invalid('recipients.users', `no user ${unknownUser}`);
    return { recipientOrgIds, recipientUserIds };
  }
}

import { Injectable } from '@nestjs/common';
import type { Incident } from '@corridor/domain';
import { UsersRepository } from '@corridor/persistence';
import { principalsOf, type PrincipalDirectory } from '@corridor/realtime';

/**
 * The people the planners need to know for RED incidents (their author and named recipients, who
 * read RED events one by one): which organization each belongs to. Ids that are no user are API keys
 * of the submitting organization, which the planners assume when an id is missing.
 */
@Injectable()
export class PrincipalDirectoryService {
  constructor(private readonly users: UsersRepository) {}

  async of(...incidents: Array<Pick<Incident, 'tlp' | 'authorId' | 'recipientUserIds'>>): Promise<PrincipalDirectory> {
    const ids = [...new Set(incidents.flatMap(principalsOf))];
    if (ids.length === 0) return new Map();
    const users = await this.users.findByIds(ids);
    return new Map(users.map((user) => [user.id, { orgId: user.orgId, isUser: true }]));
  }
}

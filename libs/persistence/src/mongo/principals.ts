import { Injectable } from '@nestjs/common';
import { principalsOf, type Incident } from '@corridor/domain';
import { UsersRepository } from './users.repository';

export type PrincipalEntries = ReadonlyMap<string, { orgId: string; isUser: boolean }>;

/**
 * Which organization each of some principals belongs to, for wording live events about RED
 * incidents (their readers are people, possibly of other organizations). Ids that are not people
 * are left out: they are API keys, of the organization that submitted the incident.
 */
@Injectable()
export class Principals {
  constructor(private readonly users: UsersRepository) {}

  /** The principals the given incidents involve one by one (RED authors and named people). */
  of(...incidents: Array<Pick<Incident, 'tlp' | 'authorId' | 'recipientUserIds'>>): Promise<PrincipalEntries> {
    return this.resolve([...new Set(incidents.flatMap(principalsOf))]);
  }

  async resolve(ids: readonly string[]): Promise<PrincipalEntries> {
    if (ids.length === 0) return new Map();
    const users = await this.users.findByIds(ids);
    return new Map(users.map((user) => [user.id, { orgId: user.orgId, isUser: true }]));
  }
}

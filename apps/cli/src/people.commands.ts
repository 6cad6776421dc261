import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { DomainError, generatePassword, hashPassword, isRole, notFound } from '@corridor/domain';
import {
  AuditRepository,
  CommunitiesRepository,
  OrganizationsRepository,
  UsersRepository,
} from '@corridor/persistence';

const usage = (message: string) => new DomainError('validation_failed', message);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CLI_ACTOR = { type: 'system' as const, id: 'cli', orgId: null };

/** Bootstrap commands for people and communities (the api does the same for signed-in admins). */
@Injectable()
export class PeopleCommands {
  constructor(
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly communities: CommunitiesRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** The generated password is printed once; only its argon2id hash is stored. */
  async createUser(input: { org?: string; email?: string; name?: string; roles?: string }) {
    const email = input.email?.trim().toLowerCase() ?? '';
    if (!EMAIL.test(email)) throw usage('--email must be an email address');
    const name = input.name?.trim() || email;
    const roles = (input.roles ?? 'analyst').split(',').map((r) => r.trim());
    if (roles.length === 0 || !roles.every(isRole))
      throw usage('--roles takes analyst, oncall, org-admin, platform-admin (comma-separated)');
    if (!input.org || !(await this.organizations.findById(input.org)))
      throw usage('--org must name an existing organization id');
    const password = generatePassword();
    const user = await this.users.create({
      id: uuidv7(),
      orgId: input.org,
      email,
      name,
      roles: [...new Set(roles)],
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
      disabledAt: null,
    });
    await this.audit.append({
      orgId: user.orgId,
      actor: CLI_ACTOR,
      action: 'user.create',
      target: { type: 'user', id: user.id },
      outcome: 'success',
      details: { roles: user.roles.join(',') },
      at: new Date(),
    });
    return { user, password };
  }

  async createCommunity(input: { name?: string }) {
    const name = input.name?.trim() ?? '';
    if (name.length < 1 || name.length > 200) throw usage('--name is required (1 to 200 characters)');
    return { community: await this.communities.create({ id: uuidv7(), name, members: [], createdAt: new Date() }) };
  }

  async addMember(input: { community?: string; org?: string; anonymous?: boolean }) {
    if (!input.org || !(await this.organizations.findById(input.org)))
      throw usage('--org must name an existing organization id');
    if (!input.community || !(await this.communities.setMember(input.community, input.org, input.anonymous ?? false))) {
      throw notFound('community');
    }
    return { community: await this.communities.findById(input.community) };
  }
}

import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_LANGUAGE,
  DomainError,
  checkMembership,
  generatePassword,
  hashPassword,
  isRole,
  issueSetupToken,
  notFound,
  planAccount,
  type Role,
} from '@corridor/domain';
import {
  AuditRepository,
  CommunitiesRepository,
  OrganizationsRepository,
  UsersRepository,
} from '@corridor/persistence';
import { RealtimePublisher } from '@corridor/realtime';

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
    private readonly publisher: RealtimePublisher,
  ) {}

  /**
   * The operator's own account (roles exactly platform-admin, in an organization holding only
   * operator accounts) gets a generated password, printed once. An organization's people get a
   * one-time setup token instead, and only its first org-admin is created here (the organization has
   * no users yet): that person sets their own password with the token, so the operator never knows
   * it; the organization's org-admins create everyone else. Same rule as the api (`planAccount`).
   */
  async createUser(input: { org?: string; email?: string; name?: string; roles?: string }) {
    const email = input.email?.trim().toLowerCase() ?? '';
    if (!EMAIL.test(email)) throw usage('--email must be an email address');
    const name = input.name?.trim() || email;
    const roles = (input.roles ?? 'org-admin').split(',').map((r) => r.trim());
    if (roles.length === 0 || !roles.every(isRole))
      throw usage('--roles takes analyst, oncall, org-admin, platform-admin (comma-separated)');
    const plan = this.plan(roles);
    if (!input.org || !(await this.organizations.findById(input.org)))
      throw usage('--org must name an existing organization id');
    const id = uuidv7();
    const now = new Date();
    const password = plan.credential === 'password' ? generatePassword() : undefined;
    const issued = plan.credential === 'setup-token' ? issueSetupToken(id, now) : undefined;
    const user = await this.users.createInOrganization(
      {
        id,
        orgId: input.org,
        email,
        name,
        roles: [...new Set(roles)],
        language: DEFAULT_LANGUAGE,
        passwordHash: password ? await hashPassword(password) : null,
        setup: issued?.setup ?? null,
        createdAt: now,
        disabledAt: null,
      },
      (members) => checkMembership(plan.requirement, members),
    );
    await this.audit.append({
      orgId: user.orgId,
      actor: CLI_ACTOR,
      action: 'user.create',
      target: { type: 'user', id: user.id },
      outcome: 'success',
      details: { roles: user.roles.join(','), credential: plan.credential },
      at: new Date(),
    });
    return issued
      ? { user, setupToken: issued.token, setupTokenExpiresAt: issued.setup.expiresAt }
      : { user, password };
  }

  /** The api's rule, with its refusals worded for the command line. */
  private plan(roles: Role[]) {
    try {
      return planAccount('operator-cli', { roles, passwordGiven: false });
    } catch (error) {
      if (error instanceof DomainError && error.details?.fields?.[0])
        throw usage(`--roles: ${error.details.fields[0].message}`);
      throw error;
    }
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
    // Live subscriptions are re-checked on every api instance, as after a change through the api.
    await this.publisher.control({ type: 'revalidate' });
    return { community: await this.communities.findById(input.community) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { LOGGER } from '@corridor/config';
import {
  DEFAULT_LANGUAGE,
  DomainError,
  checkMembership,
  hasScope,
  hashPassword,
  issueSetupToken,
  notFound,
  planAccount,
  type AccountCreator,
  type Language,
  type Principal,
  type Role,
  type User,
} from '@corridor/domain';
import { OrganizationsRepository, UsersRepository, type StoredUser } from '@corridor/persistence';
import { RealtimePublisher, planUserCreated } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';

export interface NewUser {
  email: string;
  name: string;
  roles: Role[];
  /** Org-admins only; without it the person sets their own with the setup token returned. */
  password?: string;
  /** Platform-admins: the new organization; others: their own (the default). */
  orgId?: string;
  /** The language Corridor writes to the person in (default `en`). */
  language?: Language;
}

export interface CreatedUser {
  user: User;
  /** Shown once; only its SHA-256 is stored. */
  setup?: { token: string; expiresAt: Date };
}

const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

/**
 * People's accounts, as the api creates them. `create` is the one way an account comes into being
 * through the api (the operator CLI applies the same rule, `planAccount`, on its own path): hook what
 * must follow every creation (e.g. telling the organization's org-admins) there.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly audit: AuditService,
    private readonly publisher: RealtimePublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async create(principal: Principal, input: NewUser): Promise<CreatedUser> {
    const creator = this.creatorOf(principal, input.orgId);
    const plan = planAccount(creator, { roles: input.roles, passwordGiven: input.password !== undefined });
    const orgId = input.orgId ?? principal.orgId;
    if (!(await this.organizations.findById(orgId))) throw invalid('orgId', 'no such organization');

    const id = uuidv7();
    const now = new Date();
    const issued = plan.credential === 'setup-token' ? issueSetupToken(id, now) : undefined;
    const account: StoredUser = {
      id,
      orgId,
      email: input.email.toLowerCase(),
      name: input.name,
      roles: [...new Set(input.roles)],
      language: input.language ?? DEFAULT_LANGUAGE,
      passwordHash: plan.credential === 'password' && input.password ? await hashPassword(input.password) : null,
      setup: issued?.setup ?? null,
      createdAt: now,
      disabledAt: null,
    };
    const user = await this.users.createInOrganization(account, (members) =>
      checkMembership(plan.requirement, members),
    );
    // Into the trail of the organization the account belongs to, by whoever created it.
    await this.audit.record(principal, {
      action: 'user.create',
      orgId,
      target: { type: 'user', id: user.id },
      details: { roles: user.roles.join(','), credential: plan.credential },
    });
    await this.announce(user, principal.id);
    return { user, setup: issued && { token: issued.token, expiresAt: issued.setup.expiresAt } };
  }

  /** Tells the organization's org-admins, live, that an account was created in it (the account is stored either way). */
  private async announce(user: User, by: string): Promise<void> {
    try {
      const admins = (await this.users.listByOrganization(user.orgId)).filter((u) => u.roles.includes('org-admin'));
      await this.publisher.publish(planUserCreated(user, admins, by));
    } catch (error) {
      this.logger.warn({ err: error, orgId: user.orgId }, 'could not announce a new account');
    }
  }

  /**
   * A person changes their own language. Only people (not API keys) have one; audited in their
   * organization's trail.
   */
  async setOwnLanguage(principal: Principal, language: Language): Promise<User> {
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'only a person has a language');
    const user = await this.users.setLanguage(principal.id, language);
    if (!user) throw notFound('user');
    await this.audit.record(principal, {
      action: 'user.language',
      orgId: user.orgId,
      target: { type: 'user', id: user.id },
      details: { language },
    });
    return user;
  }

  list(principal: Principal): Promise<User[]> {
    return this.users.listByOrganization(principal.orgId);
  }

  /**
   * The access check: an org-admin acts for its own organization; a platform-admin only for another
   * (new) organization it names; nobody else creates accounts.
   */
  private creatorOf(principal: Principal, orgId: string | undefined): AccountCreator {
    const ownOrganization = orgId === undefined || orgId === principal.orgId;
    if (hasScope(principal, 'users:manage') && ownOrganization) return 'org-admin';
    if (hasScope(principal, 'organizations:manage')) {
      if (orgId === undefined) throw invalid('orgId', 'platform-admins name the new organization');
      return 'platform-admin';
    }
    if (hasScope(principal, 'users:manage'))
      throw new DomainError('forbidden', 'users can only be created in your own organization');
    throw new DomainError('forbidden', 'this credential lacks the scope users:manage');
  }
}

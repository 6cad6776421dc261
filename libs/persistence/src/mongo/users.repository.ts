import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DEFAULT_LANGUAGE, DomainError, type Language, type PendingSetup, type User } from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

export interface StoredUser extends User {
  /** Null until the person sets a password with their setup token: such an account cannot log in. */
  passwordHash: string | null;
  /** The pending one-time setup token (hash and expiry); null once used or when none was issued. */
  setup: PendingSetup | null;
  disabledAt: Date | null;
}

type UserDoc = Omit<StoredUser, 'id' | 'setup' | 'language'> & {
  _id: string;
  setup?: PendingSetup | null;
  /** Absent on accounts created before people chose a language. */
  language?: Language;
};

function toStoredUser(doc: UserDoc): StoredUser {
  const { _id, setup, language, ...rest } = doc;
  return {
    id: _id,
    ...rest,
    language: language ?? DEFAULT_LANGUAGE,
    passwordHash: rest.passwordHash ?? null,
    setup: setup ?? null,
  };
}

/** What leaves the api and the CLI: never a password hash or a setup token hash. */
export function publicUser(user: StoredUser): User {
  const { id, orgId, email, name, roles, language, createdAt } = user;
  return { id, orgId, email, name, roles, language, createdAt };
}

@Injectable()
export class UsersRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  /** Every account is created through `createInOrganization`, which applies the creation rule. */
  private async insert(user: StoredUser): Promise<User> {
    const { id, ...rest } = user;
    try {
      await this.models.users.create({ _id: id, ...rest, email: user.email.toLowerCase() });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError('conflict', 'a user with this email exists');
      throw error;
    }
    return publicUser(user);
  }

  /**
   * Creates the user once `check` (which may throw) has seen the organization's accounts. Serialized
   * per organization, so two creations cannot both pass a check only one of them may (e.g. "the
   * organization has no users yet").
   */
  async createInOrganization(user: StoredUser, check: (members: StoredUser[]) => void): Promise<User> {
    return this.locks.withLock('organization-users', user.orgId, async () => {
      check(await this.findByOrganization(user.orgId));
      return this.insert(user);
    });
  }

  async findByEmail(email: string): Promise<StoredUser | undefined> {
    const doc = await this.models.users.findOne({ email: email.toLowerCase() }).lean();
    return doc ? toStoredUser(doc as never) : undefined;
  }

  async findById(id: string): Promise<StoredUser | undefined> {
    const doc = await this.models.users.findById(id).lean();
    return doc ? toStoredUser(doc as never) : undefined;
  }

  async findByIds(ids: readonly string[]): Promise<StoredUser[]> {
    if (ids.length === 0) return [];
    const docs = await this.models.users.find({ _id: { $in: [...new Set(ids)] } }).lean();
    return docs.map((doc) => toStoredUser(doc as never));
  }

  async findByOrganization(orgId: string): Promise<StoredUser[]> {
    const docs = await this.models.users.find({ orgId }).sort({ _id: 1 }).lean();
    return docs.map((doc) => toStoredUser(doc as never));
  }

  async listByOrganization(orgId: string): Promise<User[]> {
    return (await this.findByOrganization(orgId)).map(publicUser);
  }

  /** Sets a person's language; the account as now stored, or undefined when it is gone. */
  async setLanguage(id: string, language: Language): Promise<User | undefined> {
    const result = await this.models.users.updateOne({ _id: id }, { $set: { language } });
    if (result.matchedCount === 0) return undefined;
    const user = await this.findById(id);
    return user && publicUser(user);
  }

  /**
   * Sets the password of an account whose setup is pending and ends the setup, once: `accept` sees
   * the stored account under the account's lock, so of two uses of one token exactly one succeeds.
   * Undefined when `accept` refuses (or the account is gone).
   */
  async completeSetup(
    id: string,
    accept: (user: StoredUser) => boolean,
    passwordHash: string,
  ): Promise<StoredUser | undefined> {
    return this.locks.withLock('users', id, async () => {
      const user = await this.findById(id);
      if (!user || !accept(user)) return undefined;
      await this.models.users.updateOne({ _id: id }, { $set: { passwordHash, setup: null } });
      return { ...user, passwordHash, setup: null };
    });
  }
}

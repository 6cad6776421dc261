import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DomainError, type User } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

export interface StoredUser extends User {
  passwordHash: string;
  disabledAt: Date | null;
}

type UserDoc = Omit<StoredUser, 'id'> & { _id: string };

function toStoredUser(doc: UserDoc): StoredUser {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

export function publicUser(user: StoredUser): User {
  const { id, orgId, email, name, roles, createdAt } = user;
  return { id, orgId, email, name, roles, createdAt };
}

@Injectable()
export class UsersRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async create(user: StoredUser): Promise<User> {
    const { id, ...rest } = user;
    try {
      await this.models.users.create({ _id: id, ...rest, email: user.email.toLowerCase() });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError('conflict', 'a user with this email exists');
      throw error;
    }
    return publicUser(user);
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

  async listByOrganization(orgId: string): Promise<User[]> {
    const docs = await this.models.users.find({ orgId }).sort({ _id: 1 }).lean();
    return docs.map((doc) => publicUser(toStoredUser(doc as never)));
  }
}

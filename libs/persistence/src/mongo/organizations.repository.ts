import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DomainError, type Organization } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError, toOrganization } from './mappers';

export interface StoredApiKey {
  id: string;
  orgId: string;
  hash: string;
  createdAt: Date;
  revokedAt: Date | null;
}

@Injectable()
export class OrganizationsRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async create(org: Organization): Promise<Organization> {
    const { id, ...rest } = org;
    try {
      await this.models.organizations.create({ _id: id, ...rest });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError('conflict', `an organization named "${org.name}" exists`);
      throw error;
    }
    return org;
  }

  async findById(id: string): Promise<Organization | undefined> {
    const doc = await this.models.organizations.findById(id).lean();
    return doc ? toOrganization(doc as never) : undefined;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, Organization>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const docs = await this.models.organizations.find({ _id: { $in: unique } }).lean();
    return new Map(docs.map((doc) => toOrganization(doc as never)).map((org) => [org.id, org]));
  }

  async createApiKey(key: Omit<StoredApiKey, 'revokedAt'>): Promise<void> {
    const { id, ...rest } = key;
    await this.models.apiKeys.create({ _id: id, ...rest, revokedAt: null });
  }

  async findApiKey(id: string): Promise<StoredApiKey | undefined> {
    const doc = (await this.models.apiKeys.findById(id).lean()) as (Omit<StoredApiKey, 'id'> & { _id: string }) | null;
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  /** Marks the key revoked; false when no such key exists. Revoking twice keeps the first time. */
  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    const result = await this.models.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    if (result.matchedCount > 0) return true;
    return (await this.models.apiKeys.exists({ _id: id })) !== null;
  }
}

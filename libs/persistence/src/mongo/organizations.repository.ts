import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import {
  API_KEY_SCOPES,
  DomainError,
  explicitPolicy,
  generateApiKey,
  hashApiKey,
  type ApiKeyScope,
  type DisclosurePolicy,
  type Organization,
} from '@corridor/domain';
import { SharingVersion } from '../redis/sharing-version';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError, toOrganization } from './mappers';
import { DocumentLocks } from '../redis/document-locks';

export interface StoredApiKey {
  id: string;
  orgId: string;
  hash: string;
  name: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Organizations change rarely and are read on every request and alert: keep them briefly in memory. */
const ORG_CACHE_MS = 30_000;

@Injectable()
export class OrganizationsRepository {
  private readonly models: Models;
  private readonly cache = new Map<string, { org: Organization; until: number }>();

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly version: SharingVersion,
    private readonly locks: DocumentLocks,
  ) {
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
    await this.version.bump();
    return org;
  }

  async findById(id: string): Promise<Organization | undefined> {
    return (await this.findByIds([id])).get(id);
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, Organization>> {
    const now = Date.now();
    const found = new Map<string, Organization>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.get(id);
      if (hit && hit.until > now) found.set(id, hit.org);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const docs = await this.models.organizations.find({ _id: { $in: missing } }).lean();
    for (const org of docs.map((doc) => toOrganization(doc as never))) {
      found.set(org.id, org);
      this.cache.set(org.id, { org, until: now + ORG_CACHE_MS });
    }
    return found;
  }

  /** Issues a key: the token is returned once, only its hash is stored. */
  async issueApiKey(
    orgId: string,
    options: { name?: string; scopes?: ApiKeyScope[]; expiresAt?: Date | null; createdBy?: string | null } = {},
  ): Promise<{ apiKey: string; apiKeyPrefix: string; key: Omit<StoredApiKey, 'hash'> }> {
    const { id, token } = generateApiKey();
    const key: StoredApiKey = {
      id,
      orgId,
      hash: hashApiKey(token),
      name: options.name ?? '',
      scopes: options.scopes ?? [...API_KEY_SCOPES],
      expiresAt: options.expiresAt ?? null,
      createdBy: options.createdBy ?? null,
      createdAt: new Date(),
      revokedAt: null,
    };
    const { id: _id, ...rest } = key;
    await this.models.apiKeys.create({ _id: id, ...rest });
    const { hash: _hash, ...shown } = key;
    return { apiKey: token, apiKeyPrefix: `cor_${id}`, key: shown };
  }

  async listApiKeys(orgId: string): Promise<StoredApiKey[]> {
    const docs = await this.models.apiKeys.find({ orgId }).sort({ createdAt: 1 }).lean();
    return docs.map((doc) => {
      const { _id, ...rest } = doc as unknown as Omit<StoredApiKey, 'id'> & { _id: string };
      return { id: _id, ...rest };
    });
  }

  async list(): Promise<Organization[]> {
    const docs = await this.models.organizations.find({}).sort({ _id: 1 }).lean();
    return docs.map((doc) => toOrganization(doc as never));
  }

  async findApiKey(id: string): Promise<StoredApiKey | undefined> {
    const doc = (await this.models.apiKeys.findById(id).lean()) as (Omit<StoredApiKey, 'id'> & { _id: string }) | null;
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  /**
   * Replaces the organization's disclosure policy (levels left out fall back to the defaults) and
   * returns the organization as stored, or undefined when there is none. Under the document lock, as
   * every writer of an organization document.
   */
  async setDisclosure(orgId: string, policy: Partial<DisclosurePolicy>): Promise<Organization | undefined> {
    const stored = await this.locks.withLock('organizations', orgId, async () => {
      const result = await this.models.organizations.updateOne(
        { _id: orgId },
        { $set: { disclosure: explicitPolicy(policy) } },
      );
      return result.matchedCount > 0;
    });
    this.cache.delete(orgId);
    // Every process's sharing directory (which carries the policies) re-reads on its next use.
    if (stored) await this.version.bump();
    return stored ? this.findFresh(orgId) : undefined;
  }

  /** Read from the store, not the cache: for answers about a setting the caller may just have changed. */
  async findFresh(id: string): Promise<Organization | undefined> {
    this.cache.delete(id);
    return this.findById(id);
  }

  /** Marks the key revoked; revoking twice keeps the first time. */
  async revokeApiKey(id: string, at: Date): Promise<void> {
    await this.models.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
  }
}

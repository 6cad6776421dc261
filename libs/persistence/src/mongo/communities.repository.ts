import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DomainError, type Community } from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { SharingVersion } from '../redis/sharing-version';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

type CommunityDoc = Omit<Community, 'id'> & { _id: string };

function toCommunity(doc: CommunityDoc): Community {
  const { _id, members, ...rest } = doc;
  return {
    id: _id,
    ...rest,
    members: members.map(({ orgId, anonymous }) => ({ orgId, anonymous: Boolean(anonymous) })),
  };
}

/**
 * Communities are few and small, and visibility depends on them on every request: they are read
 * whole by the `SharingDirectory`, and every write bumps the sharing version so that a membership
 * change takes effect on the very next request, on every instance.
 */
@Injectable()
export class CommunitiesRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
    private readonly version: SharingVersion,
  ) {
    this.models = modelsOf(connection);
  }

  async create(community: Community): Promise<Community> {
    const { id, ...rest } = community;
    try {
      await this.models.communities.create({ _id: id, ...rest });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError('conflict', `a community named "${community.name}" exists`);
      throw error;
    }
    await this.version.bump();
    return community;
  }

  async all(): Promise<Community[]> {
    const docs = await this.models.communities.find({}).sort({ _id: 1 }).lean();
    return docs.map((doc) => toCommunity(doc as never));
  }

  async findById(id: string): Promise<Community | undefined> {
    const doc = await this.models.communities.findById(id).lean();
    return doc ? toCommunity(doc as never) : undefined;
  }

  /** Adds or updates one member; false when the community does not exist. */
  async setMember(id: string, orgId: string, anonymous: boolean): Promise<boolean> {
    return this.locks.withLock('communities', id, async () => {
      const community = await this.findById(id);
      if (!community) return false;
      const members = community.members.filter((m) => m.orgId !== orgId);
      members.push({ orgId, anonymous });
      await this.models.communities.updateOne({ _id: id }, { $set: { members } });
      await this.version.bump();
      return true;
    });
  }

  async removeMember(id: string, orgId: string): Promise<boolean> {
    // Read, filter, write under the lock, as setMember does: FerretDB 1.24's $pull matches whole
    // array elements only, so pulling by { orgId } removed nothing.
    return this.locks.withLock('communities', id, async () => {
      const community = await this.findById(id);
      if (!community) return false;
      const members = community.members.filter((m) => m.orgId !== orgId);
      await this.models.communities.updateOne({ _id: id }, { $set: { members } });
      await this.version.bump();
      return true;
    });
  }
}

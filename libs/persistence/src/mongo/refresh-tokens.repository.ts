import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DocumentLocks } from '../redis/document-locks';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';

export interface StoredRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  hash: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

@Injectable()
export class RefreshTokensRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  async create(token: StoredRefreshToken): Promise<void> {
    const { id, ...rest } = token;
    await this.models.refreshTokens.create({ _id: id, ...rest });
  }

  async findById(id: string): Promise<StoredRefreshToken | undefined> {
    const doc = (await this.models.refreshTokens.findById(id).lean()) as
      (Omit<StoredRefreshToken, 'id'> & { _id: string }) | null;
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }

  /**
   * Marks the token used; false when it was already used or revoked (a replay, or a concurrent use).
   * Serialized per session: of two simultaneous uses of one token exactly one succeeds.
   */
  async markUsed(token: Pick<StoredRefreshToken, 'id' | 'familyId'>, at: Date): Promise<boolean> {
    return this.locks.withLock('refresh_tokens', token.familyId, async () => {
      const current = await this.findById(token.id);
      if (!current || current.usedAt || current.revokedAt) return false;
      await this.models.refreshTokens.updateOne({ _id: token.id }, { $set: { usedAt: at } });
      return true;
    });
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.locks.withLock('refresh_tokens', familyId, () =>
      this.models.refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } }),
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
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

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
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

  /** Marks the token used; false when it was already used or revoked (a replay, or a concurrent use). */
  async markUsed(id: string, at: Date): Promise<boolean> {
    const result = await this.models.refreshTokens.updateOne(
      { _id: id, usedAt: null, revokedAt: null },
      { $set: { usedAt: at } },
    );
    return result.modifiedCount === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.models.refreshTokens.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { falsePositiveId, type FalsePositive } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

/** Which pairs of values each organization has marked as false positives. */
@Injectable()
export class FalsePositivesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /** Records the mark; a repeat keeps the first and returns it (with `created` false). */
  async mark(mark: FalsePositive): Promise<{ mark: FalsePositive; created: boolean }> {
    const _id = falsePositiveId(mark.orgId, mark.key);
    try {
      await this.models.falsePositives.create({ _id, ...mark });
      return { mark, created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.find(mark.orgId, mark.key);
      return { mark: existing ?? mark, created: false };
    }
  }

  /** Removes the mark; false when there was none. */
  async unmark(orgId: string, key: string): Promise<boolean> {
    const result = await this.models.falsePositives.deleteOne({ _id: falsePositiveId(orgId, key) });
    return result.deletedCount > 0;
  }

  async find(orgId: string, key: string): Promise<FalsePositive | undefined> {
    const doc = await this.models.falsePositives.findById(falsePositiveId(orgId, key)).lean();
    return doc ? toFalsePositive(doc) : undefined;
  }

  /** Of `keys`, the marks of `orgId`, by key: one read. */
  async ofOrganization(orgId: string, keys: readonly string[]): Promise<Map<string, FalsePositive>> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return new Map();
    const docs = await this.models.falsePositives
      .find({ _id: { $in: unique.map((key) => falsePositiveId(orgId, key)) } })
      .lean();
    return new Map(docs.map((doc) => toFalsePositive(doc)).map((mark) => [mark.key, mark]));
  }

  /** The organizations among `orgIds` that marked `key`, per key: one read for a batch of keys. */
  async organizationsSuppressing(keys: readonly string[], orgIds: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set(keys)].flatMap((key) => [...new Set(orgIds)].map((orgId) => falsePositiveId(orgId, key)));
    if (ids.length === 0) return new Set();
    const docs = await this.models.falsePositives.find({ _id: { $in: ids } }).lean();
    return new Set(docs.map((doc) => toFalsePositive(doc)).map((mark) => `${mark.orgId}\n${mark.key}`));
  }
}

function toFalsePositive(doc: Record<string, unknown>): FalsePositive {
  return {
    orgId: doc.orgId as string,
    key: doc.key as string,
    correlationId: doc.correlationId as string,
    by: doc.by as string,
    at: doc.at as Date,
  };
}

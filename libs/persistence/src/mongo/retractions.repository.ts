import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Retraction } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

function toRetraction(doc: Record<string, unknown>): Retraction {
  const { _id, outbox: _outbox, ...rest } = doc;
  return { id: String(_id), ...(rest as Omit<Retraction, 'id'>) };
}

@Injectable()
export class RetractionsRepository {
  private readonly model: Models['retractions'];

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.model = modelsOf(connection).retractions;
  }

  /** Records a new retraction, or returns the one already recorded under its id. */
  async insertOrGetExisting(retraction: Retraction): Promise<{ created: boolean; retraction: Retraction }> {
    const { id, ...rest } = retraction;
    try {
      await this.model.collection.insertOne({ _id: id, ...rest } as never);
      return { created: true, retraction };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findById(id);
      if (!existing) throw error;
      return { created: false, retraction: existing };
    }
  }

  async findById(id: string): Promise<Retraction | undefined> {
    const doc = await this.model.findById(id).lean();
    return doc ? toRetraction(doc) : undefined;
  }

  /**
   * Writes what the worker withdrew and told, and (`outbox`) what it is about to send; `doneAt` marks
   * the retraction finished and drops the outbox.
   */
  async saveProgress(
    id: string,
    progress: Pick<Retraction, 'withdrawn' | 'told'> & { doneAt?: Date; outbox?: unknown },
  ): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      {
        $set: {
          withdrawn: progress.withdrawn,
          told: progress.told,
          ...(progress.outbox !== undefined ? { outbox: progress.outbox } : {}),
          ...(progress.doneAt ? { state: 'done', doneAt: progress.doneAt, outbox: null } : {}),
        },
      },
    );
  }

  /** What a retraction still pending had worded to send (see `saveProgress`), if any. */
  async outboxOf(id: string): Promise<unknown> {
    const doc = await this.model.findById(id, { outbox: 1 }).lean();
    return (doc as { outbox?: unknown } | null)?.outbox ?? undefined;
  }

  /** Retractions still pending that were made before `before` (the sweeper re-queues their jobs). */
  async pendingSince(before: Date, limit: number): Promise<Retraction[]> {
    const docs = await this.model
      .find({ state: 'pending', at: { $lte: before } })
      .limit(limit)
      .lean();
    return docs.map((doc) => toRetraction(doc as Record<string, unknown>));
  }
}

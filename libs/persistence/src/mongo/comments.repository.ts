import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { IncidentComment } from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';

export type { IncidentComment };

@Injectable()
export class CommentsRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  async add(comment: IncidentComment): Promise<IncidentComment> {
    const { id, ...rest } = comment;
    await this.models.comments.create({ _id: id, ...rest });
    return comment;
  }

  /** Oldest first. */
  async forIncident(incidentId: string, limit = 500): Promise<IncidentComment[]> {
    const docs = await this.models.comments.find({ incidentId }).sort({ _id: 1 }).limit(limit).lean();
    return docs.map((doc) => {
      const { _id, ...rest } = doc as unknown as Omit<IncidentComment, 'id'> & { _id: string };
      return { id: _id, ...rest };
    });
  }
}

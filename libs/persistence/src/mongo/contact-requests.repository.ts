import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { DomainError, contactRequestId, type ContactRequest } from '@corridor/domain';
import { DocumentLocks } from '../redis/document-locks';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { isDuplicateKeyError } from './mappers';

export type { ContactRequest };

/** What a requester supplies; the id, status and answer are the repository's. */
export type NewContactRequest = Omit<ContactRequest, 'id' | 'status' | 'answeredAt' | 'answeredBy'>;

export type ContactAnswer = Extract<ContactRequest['status'], 'accepted' | 'declined'>;

/** Requests per correlation and per organization listing: far more than two sides ever make. */
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

/** A request as stored, and whether its current status was announced live already. */
export interface StoredContactRequest {
  request: ContactRequest;
  announced: boolean;
}

function stored(doc: Record<string, unknown>): StoredContactRequest {
  const request = toContactRequest(doc);
  return { request, announced: doc.announced === request.status };
}

function toContactRequest(doc: Record<string, unknown>): ContactRequest {
  const { _id, ...rest } = doc as unknown as Omit<ContactRequest, 'id'> & { _id: string };
  return {
    id: _id,
    correlationId: rest.correlationId,
    requesterOrgId: rest.requesterOrgId,
    requesterIncidentId: rest.requesterIncidentId,
    requestedBy: rest.requestedBy,
    ownerOrgId: rest.ownerOrgId,
    ownerIncidentId: rest.ownerIncidentId,
    status: rest.status,
    createdAt: rest.createdAt,
    answeredAt: rest.answeredAt ?? null,
    answeredBy: rest.answeredBy ?? null,
  };
}

/**
 * Brokered contact requests. One per correlation and requesting side, by a deterministic `_id`:
 * concurrent or repeated requests are collapsed by the primary key, never by a read before the write.
 * The only later change, the owner's answer, goes through the document lock (FerretDB loses one of
 * two concurrent updates of a document) and happens once.
 */
@Injectable()
export class ContactRequestsRepository {
  private readonly models: Models;

  constructor(
    @Inject(MONGO_CONNECTION) connection: Connection,
    private readonly locks: DocumentLocks,
  ) {
    this.models = modelsOf(connection);
  }

  /**
   * Stores a pending request, or returns the one already stored for the same correlation and side.
   * `announced` tells whether its status was announced live (`markAnnounced`) yet.
   */
  async request(candidate: NewContactRequest): Promise<{ created: boolean } & StoredContactRequest> {
    const request: ContactRequest = {
      ...candidate,
      id: contactRequestId(candidate),
      status: 'pending',
      answeredAt: null,
      answeredBy: null,
    };
    const { id, ...rest } = request;
    try {
      await this.models.contactRequests.create({ _id: id, ...rest, announced: null });
      return { created: true, request, announced: false };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.findStored(id);
    if (!existing) throw new DomainError('conflict', 'a concurrent contact request is still being stored');
    return { created: false, ...existing };
  }

  async findById(id: string): Promise<ContactRequest | undefined> {
    return (await this.findStored(id))?.request;
  }

  private async findStored(id: string): Promise<StoredContactRequest | undefined> {
    const doc = await this.models.contactRequests.findById(id).lean();
    return doc ? stored(doc) : undefined;
  }

  /**
   * Records that `status` was announced live, unless the request has moved on since (then its new
   * status still waits for its announcement).
   */
  async markAnnounced(id: string, status: ContactRequest['status']): Promise<void> {
    await this.locks.withLock('contact_requests', id, () =>
      this.models.contactRequests.updateOne({ _id: id, status }, { $set: { announced: status } }),
    );
  }

  /** The requests about these correlations (either direction), oldest first. */
  async forCorrelations(correlationIds: readonly string[], limit = MAX_LIMIT): Promise<ContactRequest[]> {
    const ids = [...new Set(correlationIds)];
    if (ids.length === 0) return [];
    const docs = await this.models.contactRequests
      .find({ correlationId: { $in: ids } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(Math.min(limit, MAX_LIMIT))
      .lean();
    return docs.map((doc) => toContactRequest(doc));
  }

  /** The organization's requests, made and received, newest first. */
  async forOrganization(orgId: string, limit = DEFAULT_LIMIT): Promise<ContactRequest[]> {
    const docs = await this.models.contactRequests
      .find({ $or: [{ requesterOrgId: orgId }, { ownerOrgId: orgId }] })
      .sort({ createdAt: -1, _id: -1 })
      .limit(Math.min(limit, MAX_LIMIT))
      .lean();
    return docs.map((doc) => toContactRequest(doc));
  }

  /**
   * The owner's answer: moves a pending request to `accepted` or `declined`, once. A later answer
   * (the same or the other) changes nothing and returns the request as first answered, with
   * `changed: false`. Undefined when there is no such request of `ownerOrgId`. `announced` as for
   * `request`.
   */
  async answer(
    id: string,
    ownerOrgId: string,
    status: ContactAnswer,
    by: string,
    at: Date,
  ): Promise<({ changed: boolean } & StoredContactRequest) | undefined> {
    return this.locks.withLock('contact_requests', id, async () => {
      const result = await this.models.contactRequests.updateOne(
        { _id: id, ownerOrgId, status: 'pending' },
        { $set: { status, answeredAt: at, answeredBy: by } },
      );
      const found = await this.findStored(id);
      if (!found || found.request.ownerOrgId !== ownerOrgId) return undefined;
      return { changed: result.matchedCount > 0, ...found };
    });
  }
}

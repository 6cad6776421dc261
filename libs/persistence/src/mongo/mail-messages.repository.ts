import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import {
  strictestTlp,
  type ChannelView,
  type Language,
  type MailAttempt,
  type MailMessage,
  type MailRecipient,
  type MailStatus,
  type Tlp,
} from '@corridor/domain';
import { MONGO_CONNECTION } from '../tokens';
import { modelsOf, type Models } from './connection';
import { escapeRegExp, isDuplicateKeyError } from './mappers';

interface StoredMessage {
  _id: string;
  notificationId: string;
  orgId: string;
  address: string;
  language: Language;
  view: ChannelView;
  status: MailStatus;
  attempts?: MailAttempt[];
  createdAt: Date;
  sentAt?: Date | null;
  failedAt?: Date | null;
  lastError?: string | null;
}

function toMessage(doc: StoredMessage): MailMessage {
  return {
    id: doc._id,
    notificationId: doc.notificationId,
    orgId: doc.orgId,
    address: doc.address,
    language: doc.language,
    view: doc.view,
    status: doc.status,
    attempts: (doc.attempts ?? []).map((a) => ({
      at: new Date(a.at),
      ok: a.ok,
      ...(typeof a.responseCode === 'number' ? { responseCode: a.responseCode } : {}),
      ...(typeof a.error === 'string' ? { error: a.error } : {}),
    })),
    createdAt: new Date(doc.createdAt),
    sentAt: doc.sentAt ? new Date(doc.sentAt) : null,
    failedAt: doc.failedAt ? new Date(doc.failedAt) : null,
    lastError: doc.lastError ?? null,
  };
}

/** The longest error text kept per attempt (characters). */
const MAX_ERROR = 500;

/** Mail messages (the `mail_messages` collection): one per notification and address, with every attempt. */
@Injectable()
export class MailMessagesRepository {
  private readonly models: Models;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.models = modelsOf(connection);
  }

  /**
   * Records each message unless one with its id exists (the unique `_id` decides, so two dispatches of
   * one notification record it once), then returns the ids of the given messages still `pending` —
   * new or recorded earlier but not yet sent (a dispatch retried after a lost enqueue sends it).
   */
  async recordPending(messages: readonly MailMessage[]): Promise<string[]> {
    for (const { id, ...rest } of messages) {
      try {
        await this.models.mailMessages.collection.insertOne({ _id: id, ...rest } as never);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (messages.length === 0) return [];
    const docs = await this.models.mailMessages
      .find({ _id: { $in: messages.map((m) => m.id) }, status: 'pending' }, { _id: 1 })
      .lean();
    return docs.map((doc) => String(doc._id));
  }

  async findById(id: string): Promise<MailMessage | undefined> {
    const doc = await this.models.mailMessages.findById(id).lean();
    return doc ? toMessage(doc as never) : undefined;
  }

  /**
   * The addresses (with organization and language) that were sent a notification of one of these
   * alerts: the e-mail part of the ledger of who was told. `maxTlp`: the highest label whose content
   * they were sent (their cap is at least that), CLEAR when every one was held back.
   */
  async recipientsToldOf(alertIds: readonly string[]): Promise<Array<MailRecipient & { orgId: string; maxTlp: Tlp }>> {
    if (alertIds.length === 0) return [];
    const docs = await this.models.mailMessages
      .find(
        { $or: alertIds.map((id) => ({ notificationId: { $regex: `^${escapeRegExp(id)}` } })) },
        { orgId: 1, address: 1, language: 1, view: 1 },
      )
      .lean();
    const seen = new Map<string, MailRecipient & { orgId: string; maxTlp: Tlp }>();
    type Told = Pick<MailMessage, 'orgId' | 'address' | 'language' | 'view'>;
    for (const doc of docs as unknown as Told[]) {
      const key = `${doc.orgId}\n${doc.address.toLowerCase()}`;
      const carried: Tlp = doc.view.withheld ? 'CLEAR' : doc.view.tlp;
      const maxTlp = strictestTlp([carried, seen.get(key)?.maxTlp ?? 'CLEAR']);
      seen.set(key, { orgId: doc.orgId, address: doc.address, language: doc.language, maxTlp });
    }
    return [...seen.values()];
  }

  async findByNotification(notificationId: string): Promise<MailMessage[]> {
    const docs = await this.models.mailMessages.find({ notificationId }).sort({ _id: 1 }).lean();
    return docs.map((doc) => toMessage(doc as never));
  }

  /**
   * Appends one attempt to a message still `pending`; a successful one makes it `sent`. A conditional
   * update (filter on `pending`): false when the message was already sent or failed (or is gone).
   */
  async recordAttempt(id: string, attempt: MailAttempt): Promise<boolean> {
    const stored: MailAttempt = {
      ...attempt,
      ...(attempt.error === undefined ? {} : { error: attempt.error.slice(0, MAX_ERROR) }),
    };
    const result = await this.models.mailMessages.updateOne(
      { _id: id, status: 'pending' },
      {
        $push: { attempts: stored },
        $set: attempt.ok
          ? { status: 'sent', sentAt: attempt.at, lastError: null }
          : { lastError: stored.error ?? 'failed' },
      },
    );
    return result.matchedCount === 1;
  }

  /** Marks a still-`pending` message `failed` (after its last attempt or a permanent refusal); false when it was not pending. */
  async markFailed(id: string, reason: string, at: Date): Promise<boolean> {
    const result = await this.models.mailMessages.updateOne(
      { _id: id, status: 'pending' },
      { $set: { status: 'failed', failedAt: at, lastError: reason.slice(0, MAX_ERROR) } },
    );
    return result.matchedCount === 1;
  }

  /** Ids of messages still `pending` that were recorded at or before `before` (the mail sweeper's candidates). */
  async pendingSince(before: Date, limit: number): Promise<string[]> {
    const docs = await this.models.mailMessages
      .find({ status: 'pending', createdAt: { $lte: before } }, { _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => String(doc._id));
  }
}

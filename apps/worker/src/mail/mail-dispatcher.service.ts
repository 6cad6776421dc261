import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, type MailOptions } from '@corridor/config';
import {
  DEFAULT_CHANNEL_MAX_TLP,
  channelView,
  mailMessageId,
  type MailMessage,
  type MailRecipient,
  type Notification,
} from '@corridor/domain';
import { MailMessagesRepository } from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import { MAIL_OPTIONS } from './mail-transport';

export type { MailRecipient } from '@corridor/domain';

/** A plain address: no display name, no spaces or line breaks. */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/**
 * The e-mail channel, as the rules engine calls it: `dispatch(notification, recipients)` records one
 * message per address (deterministic id `mailMessageId`; the unique `_id` decides duplicates) holding
 * only `channelView(notification, recipient.maxTlp ?? 'GREEN')` — what that recipient may receive,
 * never TLP:RED content — then enqueues its `send-mail` job (job id = message id, MAIL_MAX_ATTEMPTS
 * attempts with exponential backoff from MAIL_BACKOFF_MS). Idempotent: dispatching the same
 * notification again records and sends nothing twice. When e-mail is off (no SMTP_URL) it records
 * nothing; that is logged once at start.
 */
@Injectable()
export class MailDispatcher implements OnApplicationBootstrap {
  constructor(
    private readonly messages: MailMessagesRepository,
    private readonly jobs: JobProducer,
    @Inject(MAIL_OPTIONS) private readonly options: MailOptions | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** True when SMTP_URL is configured. */
  get enabled(): boolean {
    return this.options !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.options) this.logger.info('e-mail is off: SMTP_URL is not set');
    else this.logger.info({ from: this.options.from, maxAttempts: this.options.maxAttempts }, 'e-mail is on');
  }

  /**
   * Rejects when the store or Redis fails (nothing is lost: calling again sends what is still
   * pending). Recipients with an address that is not a plain `name@domain` are skipped (logged).
   */
  async dispatch(notification: Notification, recipients: readonly MailRecipient[]): Promise<void> {
    if (!this.options) return;
    const now = new Date();
    const byId = new Map<string, MailMessage>();
    for (const recipient of recipients) {
      const address = recipient.address.trim();
      if (!ADDRESS.test(address)) {
        this.logger.warn(
          { notificationId: notification.id, orgId: notification.orgId },
          'mail recipient skipped: bad address',
        );
        continue;
      }
      const id = mailMessageId(notification, address);
      if (byId.has(id)) continue;
      byId.set(id, {
        id,
        notificationId: notification.id,
        orgId: notification.orgId,
        address,
        language: recipient.language,
        view: channelView(notification, recipient.maxTlp ?? DEFAULT_CHANNEL_MAX_TLP),
        status: 'pending',
        attempts: [],
        createdAt: now,
        sentAt: null,
        failedAt: null,
        lastError: null,
      });
    }
    const pending = await this.messages.recordPending([...byId.values()]);
    for (const messageId of pending)
      await this.jobs.enqueue(
        'send-mail',
        { messageId },
        { attempts: this.options.maxAttempts, backoffMs: this.options.backoffMs },
      );
  }
}

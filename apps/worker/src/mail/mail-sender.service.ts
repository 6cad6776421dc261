import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { LOGGER, type MailOptions } from '@corridor/config';
import { mailMessageIdHeader, renderMail, type ChannelView, type MailLinks } from '@corridor/domain';
import { MailMessagesRepository } from '@corridor/persistence';
import { MAIL_OPTIONS, MailTransport, MailTransportError } from './mail-transport';

/** Where a mail's links point, under the dashboard's public address (none without one). */
export function mailLinks(view: ChannelView, linkBaseUrl: string | undefined): MailLinks {
  if (!linkBaseUrl) return {};
  return {
    ...(view.incidentId ? { incidentUrl: `${linkBaseUrl}/incidents/${encodeURIComponent(view.incidentId)}` } : {}),
    ...(view.alertId ? { alertUrl: `${linkBaseUrl}/inbox` } : {}),
  };
}

/**
 * Sends one stored message: renders its channel view in its language and hands it to the SMTP server,
 * recording each attempt on the message by a conditional update (only while it is `pending`). A
 * message already sent or failed is not sent again; every attempt carries the same Message-ID.
 */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly transport?: MailTransport;

  constructor(
    private readonly messages: MailMessagesRepository,
    @Inject(MAIL_OPTIONS) private readonly options: MailOptions | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (options) this.transport = new MailTransport(options);
  }

  /**
   * Throws to be retried (a 4yz reply, a refused connection, a store error); throws
   * `UnrecoverableError` for a permanent refusal (5yz, RFC 5321 §4.2.1) or e-mail switched off.
   */
  async send(messageId: string): Promise<void> {
    if (!this.options || !this.transport) throw new UnrecoverableError('e-mail is off (SMTP_URL is not set)');
    const message = await this.messages.findById(messageId);
    if (!message) throw new UnrecoverableError('no such mail message');
    if (message.status !== 'pending') return;
    const mail = renderMail(message.view, message.language, mailLinks(message.view, this.options.linkBaseUrl));
    const fields = { messageId, orgId: message.orgId, notificationId: message.notificationId };
    let responseCode: number | undefined;
    try {
      responseCode = await this.transport.send({
        to: message.address,
        ...mail,
        messageId: mailMessageIdHeader(messageId, this.options.from),
        date: message.createdAt,
        language: message.language,
      });
    } catch (error) {
      const failure = error instanceof MailTransportError ? error : new MailTransportError(String(error), undefined);
      await this.messages.recordAttempt(messageId, {
        at: new Date(),
        ok: false,
        ...(failure.responseCode === undefined ? {} : { responseCode: failure.responseCode }),
        error: failure.message,
      });
      if (failure.permanent) throw new UnrecoverableError(`refused by the SMTP server: ${failure.message}`);
      throw failure;
    }
    await this.messages.recordAttempt(messageId, {
      at: new Date(),
      ok: true,
      ...(responseCode === undefined ? {} : { responseCode }),
    });
    this.logger.info(fields, 'mail sent');
  }

  /** After the last attempt or a permanent refusal: the message is `failed` (if still pending). */
  async fail(messageId: string, reason: string): Promise<void> {
    if (await this.messages.markFailed(messageId, reason, new Date()))
      this.logger.warn({ messageId, reason }, 'mail failed');
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}

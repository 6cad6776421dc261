import nodemailer, { type Transporter } from 'nodemailer';
import type { MailOptions } from '@corridor/config';

/** How mail is sent, or null when e-mail is off (no `SMTP_URL`). */
export const MAIL_OPTIONS = Symbol('MAIL_OPTIONS');

/** One message as handed to the SMTP server. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`: the same on every attempt, so a receiver can tell a repeat. */
  messageId: string;
  date: Date;
  language: string;
}

/** What the server answered: its reply code when it gave one (e.g. 451). */
export class MailTransportError extends Error {
  override name = 'MailTransportError';
  constructor(
    message: string,
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }

  /** A 5yz reply is a permanent refusal (RFC 5321 §4.2.1): trying again will not help. */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500 && this.responseCode < 600;
  }
}

/** Waits for the SMTP server (milliseconds): connecting, its greeting, and silence on the socket. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * The SMTP transport (nodemailer) built from `SMTP_URL`: `smtp://` (STARTTLS when the server offers
 * it) or `smtps://` (TLS from the start), credentials in the URL. One connection per message.
 */
export class MailTransport {
  private readonly transporter: Transporter;

  constructor(private readonly options: MailOptions) {
    // The URL's own settings win; the timeouts apply where it sets none.
    this.transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
  }

  /** Resolves with the server's reply code once it accepted the message; rejects with `MailTransportError`. */
  async send(mail: OutgoingMail): Promise<number | undefined> {
    try {
      const info = (await this.transporter.sendMail({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        date: mail.date,
        headers: { 'Content-Language': mail.language },
      })) as { response?: unknown };
      const code = typeof info.response === 'string' ? Number(/^\d{3}/.exec(info.response)?.[0]) : NaN;
      return Number.isNaN(code) ? undefined : code;
    } catch (error) {
      const responseCode = (error as { responseCode?: unknown }).responseCode;
      throw new MailTransportError(
        error instanceof Error ? error.message : String(error),
        typeof responseCode === 'number' ? responseCode : undefined,
      );
    }
  }

  close(): void {
    this.transporter.close();
  }
}

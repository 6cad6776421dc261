import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message the sink accepted: who it was for, the raw bytes and the parsed message. */
export interface ReceivedMail {
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A mail server the test runs on 127.0.0.1 (no TLS, authentication optional). `failures` tells it
 * to answer DATA for an address with a reply code a number of times (or always) before accepting.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  readonly dataCommands = new Map<string, number>();
  readonly failures = new Map<string, { code: number; times: number }>();
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => void this.onData(stream, session, callback),
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  private async onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    for (const address of to) this.dataCommands.set(address, (this.dataCommands.get(address) ?? 0) + 1);
    const failure = to.map((address) => this.failures.get(address)).find((f) => f && f.times > 0);
    if (failure) {
      failure.times -= 1;
      callback(Object.assign(new Error('try again later'), { responseCode: failure.code }));
      return;
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    this.received.push({ to, raw, parsed: await simpleParser(raw) });
    callback();
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((r) => r.to.includes(address.toLowerCase()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

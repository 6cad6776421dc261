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
  /** Errors of connections clients broke (resets, messages cut short); the sink survives them. */
  readonly connectionErrors: string[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        // A client killed mid-message (a worker SIGKILLed by a test) breaks the stream: that message is
        // simply not received, as with a real server, and must not fail the test process.
        this.onData(stream, session, callback).catch((error: Error) => {
          this.connectionErrors.push(error.message);
          callback(error);
        });
      },
    });
    // Connection resets by killed clients are expected in drills; a listener keeps them from becoming
    // uncaught exceptions. They are kept for tests that want to look.
    this.server.on('error', (error: Error) => this.connectionErrors.push(error.message));
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

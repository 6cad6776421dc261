import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import pino from 'pino';
import { ConfigModule, loadConfig, persistenceOptions, queueOptions, type AppConfig } from '@corridor/config';
import { channelView, mailMessageId, type MailMessage, type Notification } from '@corridor/domain';
import { MailMessagesRepository, PersistenceModule } from '@corridor/persistence';
import { MAIL_QUEUE, QueueModule, bullPrefix } from '@corridor/queue';
import {
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  logIn,
  startDeployment,
  SmtpSink,
  type ReceivedMail,
  suiteEnvironment,
  waitFor,
  type Deployment,
} from '@corridor/testing';
import { MailDispatcher } from '../apps/worker/src/mail/mail-dispatcher.service';
import { MailModule } from '../apps/worker/src/mail/mail.module';
import { MailSweeper } from '../apps/worker/src/mail/mail-sweeper.service';

@Module({})
class MailHostModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MailHostModule,
      imports: [
        ConfigModule.forRoot(config, pino({ level: 'silent' })),
        PersistenceModule.forRoot(persistenceOptions(config)),
        QueueModule.forRoot(queueOptions(config)),
        MailModule.forRoot(config),
      ],
    };
  }
}

const MAX_ATTEMPTS = 4;
const canary = () => `canary${randomBytes(8).toString('hex')}`;
const address = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@duty.example`;

/**
 * E-mail (issue #10 §4, §5) on the real stores and a real SMTP conversation: the worker's mail module
 * (dispatcher and `send-mail` worker) booted in this process against FerretDB and Redis with its own
 * prefix, sending to an SMTP sink the test runs. Driven by `MailDispatcher.dispatch`, as the rules
 * engine calls it, so every label can be sent with a canary in its content.
 */
describe('e-mail (mail module, FerretDB, Redis, SMTP sink)', () => {
  const sink = new SmtpSink();
  let app: INestApplicationContext;
  let dispatcher: MailDispatcher;
  let messages: MailMessagesRepository;
  let queue: Queue;
  let redis: Redis;

  const notification = (overrides: Partial<Notification> & { content: Record<string, unknown> }): Notification => ({
    id: `al-${randomBytes(6).toString('hex')}`,
    type: 'alert.triggered',
    orgId: 'org-mail',
    tlp: 'GREEN',
    occurredAt: new Date().toISOString(),
    incidentId: `inc-${randomBytes(6).toString('hex')}`,
    ...overrides,
  });
  const settled = async (n: Notification): Promise<MailMessage[]> => {
    let stored: MailMessage[] = [];
    await waitFor(
      async () => {
        stored = await messages.findByNotification(n.id);
        return stored.length > 0 && stored.every((m) => m.status !== 'pending');
      },
      30_000,
      `mail of ${n.id}`,
    );
    return stored;
  };
  const idle = () =>
    waitFor(
      async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((count) => count === 0);
      },
      30_000,
      'an idle mail queue',
    );
  const decoded = (r: ReceivedMail) => `${r.parsed.subject ?? ''}\n${r.parsed.text ?? ''}\n${String(r.parsed.html)}`;

  beforeAll(async () => {
    await sink.start();
    const env = suiteEnvironment('mail', {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'Corridor <alerts@cert.example>',
      MAIL_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      MAIL_BACKOFF_MS: '100',
      MAIL_LINK_BASE_URL: 'https://corridor.example',
    });
    const config = loadConfig(env);
    app = await NestFactory.createApplicationContext(MailHostModule.forRoot(config), { logger: false });
    app.enableShutdownHooks();
    dispatcher = app.get(MailDispatcher);
    messages = app.get(MailMessagesRepository);
    redis = new Redis(config.REDIS_URL);
    queue = new Queue(MAIL_QUEUE, { connection: redis, prefix: bullPrefix(config.REDIS_PREFIX) });
  }, 180_000);

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await app?.close();
    await sink.stop();
  });

  it('sends a GREEN notification in Arabic: label first in subject and text, right to left, one Message-ID', async () => {
    const secret = canary();
    const to = address('ar');
    const n = notification({ content: { title: `حملة تصيد ${secret}`, severity: 'high' } });
    await dispatcher.dispatch(n, [{ address: to, language: 'ar' }]);
    const [stored] = await settled(n);
    expect(stored.status).toBe('sent');
    const [mail] = sink.to(to);
    expect(sink.to(to)).toHaveLength(1);
    expect(mail.parsed.subject?.startsWith('TLP:GREEN ')).toBe(true);
    expect(mail.parsed.subject).toContain(secret);
    expect(String(mail.parsed.html)).toContain('dir="rtl"');
    expect(String(mail.parsed.html)).toContain('lang="ar"');
    const text = mail.parsed.text ?? '';
    expect(text.indexOf('TLP:GREEN')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('TLP:GREEN')).toBeLessThan(text.indexOf(secret));
    expect(text).toContain(`https://corridor.example/incidents/${n.incidentId}`);
    expect(mail.parsed.messageId).toBe(`<${stored.id}@cert.example>`);
    expect(mail.parsed.headers.get('content-language')).toBe('ar');
    expect(mail.parsed.from?.text).toContain('alerts@cert.example');
  });

  it('withholds AMBER content from a recipient allowed GREEN: type, ids and label only', async () => {
    const secret = canary();
    const to = address('amber');
    const n = notification({ tlp: 'AMBER', content: { title: `Ransomware ${secret}`, note: secret } });
    await dispatcher.dispatch(n, [{ address: to, language: 'en' }]);
    const [stored] = await settled(n);
    expect(stored.status).toBe('sent');
    expect(JSON.stringify(stored)).not.toContain(secret);
    const [mail] = sink.to(to);
    expect(mail.parsed.subject).toBe('TLP:AMBER Alert raised');
    expect(mail.raw).not.toContain(secret);
    expect(decoded(mail)).not.toContain(secret);
    expect(mail.parsed.text).toContain(n.incidentId);
    expect(mail.parsed.text).toContain('Read them in Corridor');
  });

  it('never sends TLP:RED content, even to a recipient allowed AMBER', async () => {
    const secret = canary();
    const to = address('red');
    const n = notification({ tlp: 'RED', content: { title: `Named source ${secret}` } });
    await dispatcher.dispatch(n, [{ address: to, language: 'ur', maxTlp: 'AMBER' }]);
    const [stored] = await settled(n);
    expect(stored.status).toBe('sent');
    const [mail] = sink.to(to);
    expect(mail.parsed.subject?.startsWith('TLP:RED ')).toBe(true);
    expect(String(mail.parsed.html)).toContain('dir="rtl"');
    expect(mail.raw).not.toContain(secret);
    expect(decoded(mail)).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('retries after 451 twice and delivers once, with one Message-ID and every attempt recorded', async () => {
    const secret = canary();
    const to = address('retry');
    sink.failures.set(to, { code: 451, times: 2 });
    const n = notification({ content: { title: `Retry ${secret}` } });
    await dispatcher.dispatch(n, [{ address: to, language: 'en' }]);
    const [stored] = await settled(n);
    await idle();
    expect(stored.status).toBe('sent');
    expect(stored.attempts.map((a) => [a.ok, a.responseCode])).toEqual([
      [false, 451],
      [false, 451],
      [true, 250],
    ]);
    expect(sink.dataCommands.get(to)).toBe(3);
    const received = sink.to(to);
    expect(received).toHaveLength(1);
    expect(received[0].parsed.messageId).toBe(`<${stored.id}@cert.example>`);
    expect(received[0].parsed.text).toContain(secret);
  });

  it('sends one mail when the same notification is dispatched twice, even at once, and dedupes addresses', async () => {
    const to = address('twice');
    const n = notification({ content: { title: 'Once' } });
    const recipients = [
      { address: to, language: 'en' as const },
      { address: to.toUpperCase(), language: 'en' as const },
    ];
    await Promise.all([dispatcher.dispatch(n, recipients), dispatcher.dispatch(n, recipients)]);
    const stored = await settled(n);
    await dispatcher.dispatch(n, recipients);
    await idle();
    expect(stored).toHaveLength(1);
    expect(stored[0].attempts).toHaveLength(1);
    expect(sink.to(to)).toHaveLength(1);
  });

  it('sends a mail whose job was lost (recorded, never queued) once the sweeper finds it', async () => {
    const n = notification({ content: { title: 'Lost in Redis' } });
    const address = `lost-${randomBytes(4).toString('hex')}@partner.example`;
    const id = mailMessageId(n, address);
    // As if the worker died between recording the message and queueing its job, two minutes ago.
    await messages.recordPending([
      {
        id,
        notificationId: n.id,
        orgId: n.orgId,
        address,
        language: 'en',
        view: channelView(n),
        status: 'pending',
        attempts: [],
        createdAt: new Date(Date.now() - 120_000),
        sentAt: null,
        failedAt: null,
        lastError: null,
      },
    ]);
    expect(await queue.getJob(id)).toBeUndefined();
    expect(await app.get(MailSweeper).sweep()).toBeGreaterThanOrEqual(1);
    const [stored] = await settled(n);
    expect(stored.status).toBe('sent');
    expect(sink.to(address)).toHaveLength(1);
    // A second sweep finds nothing pending: nothing is sent twice.
    await app.get(MailSweeper).sweep();
    await idle();
    expect(sink.to(address)).toHaveLength(1);
  });

  it('marks a message failed after a permanent refusal (550) or after MAIL_MAX_ATTEMPTS temporary ones', async () => {
    const refused = address('refused');
    const busy = address('busy');
    sink.failures.set(refused, { code: 550, times: Infinity });
    sink.failures.set(busy, { code: 451, times: Infinity });
    const n = notification({ content: { title: 'Undeliverable' } });
    await dispatcher.dispatch(n, [
      { address: refused, language: 'en' },
      { address: busy, language: 'en' },
    ]);
    const stored = await settled(n);
    await idle();
    const of = (a: string) => stored.find((m) => m.address === a);
    expect(of(refused)?.status).toBe('failed');
    expect(of(refused)?.attempts.map((a) => a.responseCode)).toEqual([550]);
    expect(of(busy)?.status).toBe('failed');
    expect(of(busy)?.attempts).toHaveLength(MAX_ATTEMPTS);
    expect(of(busy)?.lastError).toContain('451');
    expect(sink.to(refused)).toHaveLength(0);
    expect(sink.to(busy)).toHaveLength(0);
  });
});

/**
 * A person's language (for mail in it): chosen at creation, shown in the users API, changed by the
 * person at PATCH /api/v1/users/me. And a worker without SMTP_URL says once that e-mail is off.
 */
describe('people’s language (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;

  beforeAll(async () => {
    deployment = await startDeployment('maillang');
    baseUrl = deployment.baseUrl;
  }, 180_000);

  afterAll(async () => {
    await deployment?.api.stop();
    await deployment?.worker.stop();
  });

  it('is chosen at creation (default en), listed, and changed by the person only', async () => {
    const org = await createOrganization(deployment.env);
    const admin = await createOrgAdmin(deployment, org.id);
    const { accessToken: adminToken } = await logIn(baseUrl, admin);
    const created = await call(baseUrl, 'POST', '/api/v1/users', {
      token: adminToken,
      body: { email: address('lang'), name: 'Layla', roles: ['oncall'], password: `pw-${canary()}`, language: 'ar' },
    });
    expect(created.status).toBe(201);
    expect(created.body.language).toBe('ar');
    const person = await createPerson(baseUrl, adminToken, ['analyst']);
    const listed = await call(baseUrl, 'GET', '/api/v1/users', { token: adminToken });
    const languageOf = (id: string) =>
      (listed.body as Array<{ id: string; language: string }>).find((u) => u.id === id)?.language;
    expect(languageOf(created.body.id)).toBe('ar');
    expect(languageOf(person.id)).toBe('en');

    const { accessToken } = await logIn(baseUrl, person);
    const changed = await call(baseUrl, 'PATCH', '/api/v1/users/me', { token: accessToken, body: { language: 'ur' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: person.id, language: 'ur' });
    const again = await call(baseUrl, 'GET', '/api/v1/users', { token: adminToken });
    expect((again.body as Array<{ id: string; language: string }>).find((u) => u.id === person.id)?.language).toBe(
      'ur',
    );

    const trail = await call(baseUrl, 'GET', '/api/v1/audit?limit=500', { token: adminToken });
    const records = trail.body.items as Array<{ action: string; target: { id: string } }>;
    expect(records.find((r) => r.action === 'user.language' && r.target.id === person.id)).toMatchObject({
      actor: { type: 'user', id: person.id },
      details: { language: 'ur' },
    });

    const bad = await call(baseUrl, 'PATCH', '/api/v1/users/me', { token: accessToken, body: { language: 'fr' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('language');
    const badCreate = await call(baseUrl, 'POST', '/api/v1/users', {
      token: adminToken,
      body: { email: address('lang'), name: 'X', roles: ['analyst'], password: `pw-${canary()}`, language: 'xx' },
    });
    expect(badCreate.status).toBe(400);
    expect(JSON.stringify(badCreate.body)).toContain('language');
    const byKey = await call(baseUrl, 'PATCH', '/api/v1/users/me', { token: org.key, body: { language: 'ar' } });
    expect(byKey.status).toBe(403);
  });

  it('a worker without SMTP_URL logs once that e-mail is off', () => {
    expect(deployment.worker.logs.split('e-mail is off').length - 1).toBe(1);
  });
});

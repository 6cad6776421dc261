import {
  AppProcess,
  RecordingClient,
  SmtpSink,
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  incidentBody,
  logIn,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Paged = { alert: { id: string; incident: { id: string } | null }; step: number; level: number | 'org-admins' };
type AlertView = {
  id: string;
  state: string;
  incident: { id: string } | null;
  escalation: { step: number; nextAt: string | null };
};

/** Two seconds, as a policy's level delay (fractions of a minute are allowed). */
const TWO_SECONDS = 2 / 60;

/**
 * Escalation on the real stores, with delays in seconds: L1 → L2 after 2 s, the levels once more,
 * then the org-admins. An acknowledgement stops it; a worker SIGKILLed while a step is pending, or a
 * second worker beside the first, still pages each step exactly once.
 */
describe('escalation (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let org: { id: string; key: string };
  let adminToken: string;
  const people: Record<'l1' | 'l2' | 'admin', { id: string; email: string; token: string; socket: RecordingClient }> =
    {} as never;
  const sink = new SmtpSink();
  let policyId: string;
  const extraWorkers: AppProcess[] = [];

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const pagedSteps = (who: 'l1' | 'l2' | 'admin', alertId: string) =>
    people[who].socket
      .received('alert.paged')
      .filter((p) => (p as unknown as Paged).alert.id === alertId)
      .map((p) => (p as unknown as Paged).step);
  const alertOf = async (incidentId: string): Promise<AlertView> => {
    let found: AlertView | undefined;
    await waitFor(
      async () => {
        const items = (await http(people.l1.token, 'GET', '/api/v1/oncall/alerts')).body.items as AlertView[];
        found = items.find((alert) => alert.incident?.id === incidentId);
        return found !== undefined;
      },
      20_000,
      `alert of ${incidentId}`,
    );
    return found!;
  };
  const raise = async () => {
    const created = await http(org.key, 'POST', '/api/v1/incidents', incidentBody({ severity: 'critical' }));
    expect(created.status).toBe(201);
    return alertOf(created.body.id as string);
  };
  const finished = (alertId: string) =>
    waitFor(
      async () => {
        const alert = (await http(people.l1.token, 'GET', `/api/v1/oncall/alerts/${alertId}`)).body as AlertView;
        return alert.escalation?.nextAt === null;
      },
      80_000,
      `escalation of ${alertId} finished`,
    );

  beforeAll(async () => {
    await sink.start();
    deployment = await startDeployment('escalation', {
      SWEEP_INTERVAL_MS: '500',
      SWEEP_PENDING_AFTER_MS: '1000',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'alerts@corridor.example',
    });
    baseUrl = deployment.baseUrl;
    org = await createOrganization(deployment.env, { name: uniqueName('CERT E '), kind: 'cert' });
    const admin = await createOrgAdmin(deployment, org.id, { roles: ['org-admin', 'oncall'] });
    adminToken = (await logIn(baseUrl, admin)).accessToken;
    for (const who of ['l1', 'l2'] as const) {
      const person = await createPerson(baseUrl, adminToken, ['oncall']);
      const token = (await logIn(baseUrl, person)).accessToken;
      people[who] = { id: person.id, email: person.email, token, socket: new RecordingClient(baseUrl, token) };
    }
    people.admin = {
      id: admin.id,
      email: admin.email,
      token: adminToken,
      socket: new RecordingClient(baseUrl, adminToken),
    };
    // L2 reads Arabic: their pages are mailed in Arabic.
    expect((await http(people.l2.token, 'PATCH', '/api/v1/users/me', { language: 'ar' })).status).toBe(200);
    for (const who of ['l1', 'l2', 'admin'] as const) {
      await people[who].socket.connected();
      await people[who].socket.resumed();
    }
    const policy = await http(adminToken, 'POST', '/api/v1/oncall/policies', {
      name: 'Night desk',
      levels: [
        { targets: [{ kind: 'user', userId: people.l1.id }], delayMinutes: TWO_SECONDS },
        { targets: [{ kind: 'user', userId: people.l2.id }], delayMinutes: TWO_SECONDS },
      ],
      repeat: 1,
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.id;
    const rule = await http(adminToken, 'POST', '/api/v1/notification-rules', {
      name: 'Critical pages the night desk',
      trigger: { kind: 'incident', minSeverity: 'critical' },
      targets: { room: true, policyId },
    });
    expect(rule.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    for (const who of ['l1', 'l2', 'admin'] as const) people[who]?.socket.close();
    await Promise.all([deployment.api.stop(), deployment.worker.stop(), ...extraWorkers.map((w) => w.stop())]);
    await sink.stop();
  }, 180_000);

  it('refuses a rule naming a policy of no such id', async () => {
    const reply = await http(adminToken, 'POST', '/api/v1/notification-rules', {
      name: 'Dangling',
      trigger: { kind: 'correlation' },
      targets: { room: true, policyId: 'no-such-policy' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields[0].field).toBe('targets.policyId');
  });

  it('unacknowledged: L1, L2, L1, L2, then the org-admins, each step once', async () => {
    const alert = await raise();
    await finished(alert.id);
    await people.admin.socket.next('alert.paged', (p) => (p as unknown as Paged).alert.id === alert.id, 10_000);
    expect(pagedSteps('l1', alert.id)).toEqual([0, 2]);
    expect(pagedSteps('l2', alert.id)).toEqual([1, 3]);
    expect(pagedSteps('admin', alert.id)).toEqual([4]);
    const last = people.admin.socket
      .received('alert.paged')
      .find((p) => (p as unknown as Paged).alert.id === alert.id) as unknown as Paged;
    expect(last.level).toBe('org-admins');
    const stored = (await http(people.l1.token, 'GET', `/api/v1/oncall/alerts/${alert.id}`)).body as AlertView;
    expect(stored).toMatchObject({ state: 'triggered', escalation: { step: 5, nextAt: null } });
    // Each page is also a mail to the person paged, in their language, the TLP label first.
    const mails = (who: 'l1' | 'l2' | 'admin') =>
      sink.to(people[who].email).filter((m) => (m.parsed.text ?? '').includes(alert.id));
    await waitFor(
      () => mails('l1').length === 2 && mails('l2').length === 2 && mails('admin').length === 1,
      20_000,
      'page mails',
    );
    for (const who of ['l1', 'l2', 'admin'] as const)
      for (const mail of mails(who)) expect(mail.parsed.subject).toMatch(/^TLP:GREEN /);
    expect(mails('l2').every((m) => String(m.parsed.html).includes('dir="rtl"'))).toBe(true);
    expect(mails('l1').every((m) => !String(m.parsed.html).includes('dir="rtl"'))).toBe(true);
  });

  it('acknowledged after L1 was paged: L2 is never paged', async () => {
    const alert = await raise();
    await people.l1.socket.next('alert.paged', (p) => (p as unknown as Paged).alert.id === alert.id, 10_000);
    const ack = await people.l1.socket.request('alert.ack', { id: alert.id });
    expect(ack).toMatchObject({ ok: true, alert: { state: 'acknowledged', escalation: { nextAt: null } } });
    // Longer than the L1 → L2 delay and the sweeper's grace together.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(pagedSteps('l1', alert.id)).toEqual([0]);
    expect(pagedSteps('l2', alert.id)).toEqual([]);
  });

  it('a worker SIGKILLed while a step is pending: after the restart each step is paged once', async () => {
    const alert = await raise();
    // Step 0 done and recorded: step 1 waits as a delayed job.
    await waitFor(
      async () =>
        ((await http(people.l1.token, 'GET', `/api/v1/oncall/alerts/${alert.id}`)).body as AlertView).escalation
          ?.step === 1,
      10_000,
      'step 0 recorded',
    );
    await deployment.worker.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // step 1 falls due while no worker runs
    await deployment.worker.start();
    await finished(alert.id);
    expect(pagedSteps('l1', alert.id)).toEqual([0, 2]);
    expect(pagedSteps('l2', alert.id)).toEqual([1, 3]);
    expect(pagedSteps('admin', alert.id)).toEqual([4]);
  });

  it('a worker SIGKILLed while a step runs: the step is taken up again and still paged once', async () => {
    const alert = await raise();
    // Killed as soon as L1 is paged: the step has not recorded itself yet, its job and lock are held.
    await people.l1.socket.next('alert.paged', (p) => (p as unknown as Paged).alert.id === alert.id, 10_000);
    await deployment.worker.stop('SIGKILL');
    await deployment.worker.start();
    await finished(alert.id);
    expect(pagedSteps('l1', alert.id)).toEqual([0, 2]);
    expect(pagedSteps('l2', alert.id)).toEqual([1, 3]);
    expect(pagedSteps('admin', alert.id)).toEqual([4]);
  }, 120_000);

  it('two workers: each step once', async () => {
    const second = new AppProcess('worker', deployment.env);
    extraWorkers.push(second);
    await second.start();
    const alert = await raise();
    await finished(alert.id);
    await people.admin.socket.next('alert.paged', (p) => (p as unknown as Paged).alert.id === alert.id, 10_000);
    expect(pagedSteps('l1', alert.id)).toEqual([0, 2]);
    expect(pagedSteps('l2', alert.id)).toEqual([1, 3]);
    expect(pagedSteps('admin', alert.id)).toEqual([4]);
  });
});

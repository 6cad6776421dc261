import {
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  incidentBody,
  logIn,
  startDeployment,
  testDomain,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type AlertView = {
  id: string;
  ruleId: string;
  state: string;
  incident: { id: string } | null;
  acknowledged: { by: string; at: string } | null;
  escalation: { step: number; nextAt: string | null } | null;
};
type InboxItem = { id: string; acknowledged: { by: string; at: string } | null };
type Paged = { alert: { id: string }; step: number };
type AuditRecord = { action: string; target?: { type: string; id: string } };

/** Three seconds, as a policy's level delay. */
const THREE_SECONDS = 3 / 60;

/**
 * A correlation's acknowledgement and the acknowledgement of the alerts B's rules raised from it are
 * one thing: acknowledging either acknowledges the other for B (escalation stops), each once — a
 * repeat, by either way, changes and announces nothing.
 */
describe('acknowledging a correlation or its rule alerts (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  const people: Record<'l1' | 'l2', { id: string; token: string; socket: RecordingClient }> = {} as never;
  let adminToken: string;
  let analystToken: string;
  let pagingRuleId: string;
  let roomRuleId: string;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const processed = async (key: string, overrides: Record<string, unknown>) => {
    const created = await http(key, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => (await http(key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      20_000,
      `incident ${id} correlated`,
    );
    return id;
  };
  /** A new correlation of B's incident with A's, and the alert each of B's two rules raised from it. */
  const correlate = async () => {
    const domain = testDomain('ack');
    const own = await processed(b.key, { title: uniqueName('B '), severity: 'low', indicators: [domain] });
    await processed(a.key, { severity: 'low', indicators: [domain] });
    const correlationId = (await http(b.key, 'GET', `/api/v1/incidents/${own}`)).body.correlations[0].id as string;
    const alerts: Record<'paging' | 'room', AlertView> = {} as never;
    await waitFor(
      async () => {
        const items = (await http(people.l1.token, 'GET', '/api/v1/oncall/alerts')).body.items as AlertView[];
        const mine = items.filter((alert) => alert.incident?.id === own);
        alerts.paging = mine.find((alert) => alert.ruleId === pagingRuleId)!;
        alerts.room = mine.find((alert) => alert.ruleId === roomRuleId)!;
        return alerts.paging !== undefined && alerts.room !== undefined;
      },
      20_000,
      `alerts of ${own}`,
    );
    // L1 is paged: the escalation is under way, L2 comes next.
    await people.l1.socket.next('alert.paged', (p) => (p as unknown as Paged).alert.id === alerts.paging.id, 10_000);
    return { own, correlationId, alerts };
  };
  const alert = async (id: string) =>
    (await http(people.l1.token, 'GET', `/api/v1/oncall/alerts/${id}`)).body as AlertView;
  const inboxItem = async (correlationId: string) => {
    const items = (await http(people.l1.token, 'GET', '/api/v1/alerts')).body.items as InboxItem[];
    return items.find((item) => item.id === correlationId);
  };
  /** An alert's changes heard live, its escalation steps left out. */
  const changes = (alertId: string) =>
    people.l1.socket
      .received('alert.changed')
      .filter((e) => e.alert.id === alertId && e.change !== 'escalated')
      .map((e) => e.change);
  const acknowledgedEvents = (correlationId: string) =>
    people.l1.socket.received('correlation.acknowledged').filter((e) => e.id === correlationId);
  const audited = async (type: string, id: string) => {
    const items = (await http(adminToken, 'GET', '/api/v1/audit?limit=200')).body.items as AuditRecord[];
    return items.filter((r) => r.target?.type === type && r.target.id === id).map((r) => r.action);
  };
  /** Longer than the L1 → L2 delay and the sweeper's grace together. */
  const pastTheNextLevel = () => new Promise((resolve) => setTimeout(resolve, 5_000));

  beforeAll(async () => {
    deployment = await startDeployment('ack-unified', { SWEEP_INTERVAL_MS: '500', SWEEP_PENDING_AFTER_MS: '1000' });
    baseUrl = deployment.baseUrl;
    a = await createOrganization(deployment.env, { name: uniqueName('Agency A '), kind: 'agency' });
    b = await createOrganization(deployment.env, { name: uniqueName('CERT B '), kind: 'cert' });
    const admin = await createOrgAdmin(deployment, b.id, { roles: ['org-admin'] });
    adminToken = (await logIn(baseUrl, admin)).accessToken;
    analystToken = (await logIn(baseUrl, await createPerson(baseUrl, adminToken, ['analyst']))).accessToken;
    for (const who of ['l1', 'l2'] as const) {
      const person = await createPerson(baseUrl, adminToken, ['oncall']);
      const token = (await logIn(baseUrl, person)).accessToken;
      people[who] = { id: person.id, token, socket: new RecordingClient(baseUrl, token) };
      await people[who].socket.connected();
      await people[who].socket.resumed();
    }
    const policy = await http(adminToken, 'POST', '/api/v1/oncall/policies', {
      name: 'Correlation desk',
      levels: [
        { targets: [{ kind: 'user', userId: people.l1.id }], delayMinutes: THREE_SECONDS },
        { targets: [{ kind: 'user', userId: people.l2.id }], delayMinutes: THREE_SECONDS },
      ],
      repeat: 0,
    });
    expect(policy.status).toBe(201);
    const paging = await http(adminToken, 'POST', '/api/v1/notification-rules', {
      name: 'Correlations page the desk',
      trigger: { kind: 'correlation' },
      targets: { room: true, policyId: policy.body.id },
    });
    const room = await http(adminToken, 'POST', '/api/v1/notification-rules', {
      name: 'Correlations to the room',
      trigger: { kind: 'correlation' },
      targets: { room: true },
    });
    expect([paging.status, room.status]).toEqual([201, 201]);
    pagingRuleId = paging.body.id;
    roomRuleId = room.body.id;
  }, 120_000);

  afterAll(async () => {
    for (const who of ['l1', 'l2'] as const) people[who]?.socket.close();
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  it('acknowledging the correlation acknowledges B’s alerts of it: escalation stops before L2; a repeat changes nothing', async () => {
    const { own, correlationId, alerts } = await correlate();

    const ack = await http(people.l1.token, 'POST', `/api/v1/correlations/${correlationId}/ack`);
    expect(ack.status).toBe(200);
    for (const raised of [alerts.paging, alerts.room]) {
      expect(await alert(raised.id)).toMatchObject({ state: 'acknowledged', acknowledged: { by: people.l1.id } });
    }
    expect((await alert(alerts.paging.id)).escalation?.nextAt).toBeNull();
    await pastTheNextLevel();
    const paged = (who: 'l1' | 'l2') =>
      people[who].socket
        .received('alert.paged')
        .filter((p) => (p as unknown as Paged).alert.id === alerts.paging.id)
        .map((p) => (p as unknown as Paged).step);
    expect(paged('l1')).toEqual([0]);
    expect(paged('l2')).toEqual([]);

    // A repeat, by socket and by the alert itself, by someone else: nothing changes, nothing is announced again.
    const again = await people.l2.socket.request('correlation.ack', { id: correlationId });
    expect(again).toMatchObject({ ok: true, acknowledged: ack.body });
    const alertAgain = await http(people.l2.token, 'POST', `/api/v1/oncall/alerts/${alerts.room.id}/ack`);
    expect(alertAgain.body.acknowledged.by).toBe(people.l1.id);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const raised of [alerts.paging, alerts.room]) {
      expect(changes(raised.id)).toEqual(['triggered', 'acknowledged']);
      expect(await audited('alert', raised.id)).toEqual(['alert.acknowledge']);
    }
    expect(acknowledgedEvents(correlationId)).toHaveLength(1);
    expect(await audited('correlation', correlationId)).toEqual(['alert.ack']);
    const timeline = (await http(b.key, 'GET', `/api/v1/incidents/${own}/timeline`)).body.items as Array<{
      kind: string;
      change?: string;
    }>;
    expect(timeline.filter((e) => e.kind === 'alert_changed').map((e) => e.change)).toEqual([
      'acknowledged',
      'acknowledged',
    ]);
    expect(timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('acknowledging a rule alert of the correlation acknowledges the correlation for B (inbox) and B’s other alert of it', async () => {
    const { correlationId, alerts } = await correlate();
    // Authorization is as before: an analyst may do neither.
    expect((await http(analystToken, 'POST', `/api/v1/oncall/alerts/${alerts.paging.id}/ack`)).status).toBe(403);
    expect((await http(analystToken, 'POST', `/api/v1/correlations/${correlationId}/ack`)).status).toBe(403);
    expect((await inboxItem(correlationId))?.acknowledged).toBeNull();

    const ack = await people.l1.socket.request('alert.ack', { id: alerts.paging.id });
    expect(ack).toMatchObject({ ok: true, alert: { state: 'acknowledged', acknowledged: { by: people.l1.id } } });
    expect((await inboxItem(correlationId))?.acknowledged).toEqual({ by: people.l1.id, at: expect.any(String) });
    await people.l1.socket.next('correlation.acknowledged', (e) => e.id === correlationId, 10_000);
    expect(await alert(alerts.room.id)).toMatchObject({ state: 'acknowledged', acknowledged: { by: people.l1.id } });

    const first = await inboxItem(correlationId);
    const repeat = await http(people.l2.token, 'POST', `/api/v1/correlations/${correlationId}/ack`);
    expect(repeat.body.acknowledged).toEqual(first?.acknowledged);
    expect(
      (await http(people.l2.token, 'POST', `/api/v1/oncall/alerts/${alerts.paging.id}/ack`)).body.acknowledged,
    ).toEqual(ack.alert.acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await inboxItem(correlationId)).toEqual(first);
    expect(acknowledgedEvents(correlationId)).toHaveLength(1);
    expect(await audited('correlation', correlationId)).toEqual(['alert.ack']);
    for (const raised of [alerts.paging, alerts.room])
      expect(changes(raised.id)).toEqual(['triggered', 'acknowledged']);
  });
});

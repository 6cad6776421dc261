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
  ruleName: string;
  trigger: string;
  state: string;
  tlp: string;
  incident: { id: string; title: string; severity: string } | null;
  detail: Record<string, string>;
  acknowledged: { by: string; at: string } | null;
  resolved: { by: string; at: string } | null;
};
type Changed = { change: string; alert: AlertView };

/**
 * Notification rules and their alerts on the real stores: an org-admin of B sets rules; the worker
 * raises one alert per (organization, rule, event) for incidents B may see, correlations with B's
 * incidents and B's watched values; B's on-call room hears `alert.changed`; on-call staff
 * acknowledge and resolve by REST or socket through one use case (first acknowledgement stands);
 * nobody else hears of B's alerts.
 */
describe('notification rules and alerts (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let c: { id: string; key: string };
  const tokens: Record<'admin' | 'oncall' | 'analyst' | 'otherAdmin', string> = {} as never;
  const people: Record<'admin' | 'oncall', { id: string }> = {} as never;
  let roomB: RecordingClient;
  let roomC: RecordingClient;
  let oncallSocket: RecordingClient;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const rule = (body: Record<string, unknown>) => http(tokens.admin, 'POST', '/api/v1/notification-rules', body);
  const submit = async (key: string, overrides: Record<string, unknown>) => {
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
  const triggered = (client: RecordingClient, match: (alert: AlertView) => boolean) =>
    client.next('alert.changed', (e) => e.change === 'triggered' && match((e as unknown as Changed).alert), 20_000);
  const alertsOfB = async (query = '') =>
    (await http(tokens.oncall, 'GET', `/api/v1/oncall/alerts${query}`)).body as { items: AlertView[] };

  beforeAll(async () => {
    deployment = await startDeployment('rules');
    baseUrl = deployment.baseUrl;
    a = await createOrganization(deployment.env, { name: uniqueName('Agency A '), kind: 'agency' });
    b = await createOrganization(deployment.env, { name: uniqueName('CERT B '), kind: 'cert' });
    c = await createOrganization(deployment.env, { name: uniqueName('CERT C '), kind: 'cert' });
    const admin = await createOrgAdmin(deployment, b.id, { roles: ['org-admin'] });
    tokens.admin = (await logIn(baseUrl, admin)).accessToken;
    people.admin = admin;
    const oncall = await createPerson(baseUrl, tokens.admin, ['oncall']);
    tokens.oncall = (await logIn(baseUrl, oncall)).accessToken;
    people.oncall = oncall;
    tokens.analyst = (await logIn(baseUrl, await createPerson(baseUrl, tokens.admin, ['analyst']))).accessToken;
    const otherAdmin = await createOrgAdmin(deployment, c.id, { roles: ['org-admin'] });
    tokens.otherAdmin = (await logIn(baseUrl, otherAdmin)).accessToken;
    roomB = new RecordingClient(baseUrl, b.key);
    roomC = new RecordingClient(baseUrl, c.key);
    oncallSocket = new RecordingClient(baseUrl, tokens.oncall);
    for (const client of [roomB, roomC, oncallSocket]) {
      await client.connected();
      await client.resumed();
    }
  }, 120_000);

  afterAll(async () => {
    for (const client of [roomB, roomC, oncallSocket]) client?.close();
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  describe('rules', () => {
    it('an org-admin adds, reads, replaces and removes a rule; names are unique per organization', async () => {
      const body = {
        name: 'Everything critical',
        trigger: { kind: 'incident', minSeverity: 'critical' },
        targets: { room: true },
      };
      const created = await rule(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Everything critical',
        enabled: true,
        trigger: { kind: 'incident', minSeverity: 'critical' },
        targets: { room: true, emails: [], webhookEndpointIds: [], policyId: null },
        maxTlp: 'GREEN',
        createdBy: people.admin.id,
      });
      const id = created.body.id as string;
      const again = await rule(body);
      expect(again.status).toBe(409);
      expect(again.body.error.details.fields[0].field).toBe('name');

      const replaced = await http(tokens.admin, 'PUT', `/api/v1/notification-rules/${id}`, {
        ...body,
        enabled: false,
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ id, enabled: false, createdAt: created.body.createdAt });
      expect((await http(tokens.admin, 'GET', `/api/v1/notification-rules/${id}`)).body.enabled).toBe(false);
      // Another organization's admin sees none of it.
      expect((await http(tokens.otherAdmin, 'GET', `/api/v1/notification-rules/${id}`)).status).toBe(404);
      expect((await http(tokens.otherAdmin, 'GET', '/api/v1/notification-rules')).body.items).toEqual([]);
      expect((await http(tokens.otherAdmin, 'DELETE', `/api/v1/notification-rules/${id}`)).status).toBe(404);
      expect((await http(tokens.admin, 'DELETE', `/api/v1/notification-rules/${id}`)).status).toBe(204);
      expect((await http(tokens.admin, 'GET', `/api/v1/notification-rules/${id}`)).status).toBe(404);
    });

    it('refuses bad rules with a 400 naming the field, and people without oncall:manage', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', trigger: { kind: 'nope' }, targets: { room: true } }, 'trigger.kind'],
        [{ name: 'x', trigger: { kind: 'incident' }, targets: { room: true } }, 'trigger.minSeverity'],
        [{ name: 'x', trigger: { kind: 'correlation' }, targets: { room: true }, maxTlp: 'RED' }, 'maxTlp'],
        [{ name: 'x', trigger: { kind: 'correlation' }, targets: { room: false } }, 'targets'],
        [
          { name: 'x', trigger: { kind: 'correlation' }, targets: { room: true, emails: [{ address: 'no' }] } },
          'targets.emails.0.address',
        ],
        [{ name: '   ', trigger: { kind: 'correlation' }, targets: { room: true } }, 'name'],
        [{ name: 'x', targets: { room: true } }, 'trigger'],
        [{ name: 'x', trigger: { kind: 'correlation' } }, 'targets'],
      ];
      for (const [body, field] of cases) {
        const reply = await rule(body);
        expect({ field, status: reply.status }).toEqual({ field, status: 400 });
        const fields = (reply.body.error.details.fields as Array<{ field: string }>).map((f) => f.field);
        expect(fields).toContain(field);
      }
      const ok = { name: 'x', trigger: { kind: 'correlation' }, targets: { room: true } };
      expect((await http(tokens.analyst, 'POST', '/api/v1/notification-rules', ok)).status).toBe(403);
      expect((await http(b.key, 'POST', '/api/v1/notification-rules', ok)).status).toBe(403);
    });
  });

  describe('alerts', () => {
    let incidentRuleId: string;
    let correlationRuleId: string;

    beforeAll(async () => {
      incidentRuleId = (
        await rule({
          name: 'High and above',
          trigger: { kind: 'incident', minSeverity: 'high' },
          targets: { room: true },
        })
      ).body.id;
      correlationRuleId = (
        await rule({ name: 'Our incidents correlate', trigger: { kind: 'correlation' }, targets: { room: true } })
      ).body.id;
      // Workers see rule changes through Redis: wait until a rule-raised alert proves it for this suite.
    });

    it('an incident B may see, of high severity, raises one alert in B’s room and inbox; nobody else hears', async () => {
      const title = uniqueName('Ransomware at the port ');
      const id = await submit(a.key, { title, severity: 'critical', tlp: 'CLEAR' });
      const event = await triggered(roomB, (alert) => alert.incident?.id === id);
      expect(event.alert).toMatchObject({
        ruleId: incidentRuleId,
        ruleName: 'High and above',
        trigger: 'incident',
        state: 'triggered',
        tlp: 'CLEAR',
        incident: { id, title, severity: 'critical' },
        acknowledged: null,
        resolved: null,
      });
      const listed = await alertsOfB();
      expect(listed.items.filter((alert) => alert.incident?.id === id)).toEqual([event.alert]);
      expect(roomC.received('alert.changed')).toEqual([]);
      expect((await http(c.key, 'GET', '/api/v1/oncall/alerts')).body.items).toEqual([]);
    });

    it('raises nothing below the severity, nor for an incident B may not see', async () => {
      const low = uniqueName('Low ');
      const hidden = uniqueName('Hidden AMBER ');
      await submit(a.key, { title: low, severity: 'low', tlp: 'CLEAR' });
      await submit(a.key, { title: hidden, severity: 'critical', tlp: 'AMBER' });
      // A later visible incident's alert arrives after both were processed (one worker, in order).
      const marker = await submit(a.key, { title: uniqueName('Marker '), severity: 'high', tlp: 'CLEAR' });
      await triggered(roomB, (alert) => alert.incident?.id === marker);
      const listed = await alertsOfB();
      const all = JSON.stringify([roomB.received('alert.changed'), listed]);
      expect(all).not.toContain(low);
      expect(all).not.toContain(hidden);
      // Not even an alert without the incident: B's incident rule fired only for incidents B may see.
      const incidentAlerts = listed.items.filter((alert) => alert.trigger === 'incident');
      expect(incidentAlerts.length).toBeGreaterThanOrEqual(2);
      expect(incidentAlerts.filter((alert) => alert.incident === null)).toEqual([]);
    });

    it('a correlation with one of B’s incidents alerts B on its own incident and value', async () => {
      const domain = testDomain('rules');
      const own = await submit(b.key, { title: uniqueName('B sees '), severity: 'low', indicators: [domain] });
      await submit(a.key, { severity: 'low', tlp: 'AMBER', indicators: [domain] });
      const event = await triggered(roomB, (alert) => alert.ruleId === correlationRuleId && alert.incident?.id === own);
      expect(event.alert.detail).toEqual({ type: 'domain', value: domain });
      expect(event.alert.tlp).toBe('GREEN');
    });

    it('a partner asking for contact on an anonymous match with B’s incident alerts B, naming nobody', async () => {
      const contactRule = await rule({
        name: 'Someone asks about our restricted incidents',
        trigger: { kind: 'contact-request' },
        targets: { room: true },
      });
      expect(contactRule.status).toBe(201);
      const domain = testDomain('contact');
      const own = await submit(b.key, {
        title: uniqueName('B restricted '),
        tlp: 'AMBER',
        disclosure: 'anonymous',
        severity: 'low',
        indicators: [domain],
      });
      const theirs = await submit(c.key, { severity: 'low', indicators: [domain] });
      const correlation = (await http(c.key, 'GET', `/api/v1/incidents/${theirs}`)).body.correlations[0] as {
        id: string;
      };
      const asked = await http(c.key, 'POST', `/api/v1/correlations/${correlation.id}/contact`, {
        yourIncidentId: theirs,
      });
      expect(asked.status).toBe(201);
      const event = await triggered(roomB, (alert) => alert.ruleId === contactRule.body.id);
      expect(event.alert).toMatchObject({
        trigger: 'contact-request',
        incident: { id: own },
        detail: { correlationId: correlation.id },
      });
      // B learns of a request, not of who asked or their incident.
      expect(JSON.stringify(event)).not.toContain(theirs);
      expect(JSON.stringify(event)).not.toContain(c.id);
    });

    it('on-call acknowledges by REST (first one stands), resolves by socket; each change is live, audited and on the timeline', async () => {
      const id = await submit(b.key, { title: uniqueName('B high '), severity: 'high' });
      const { alert } = await triggered(roomB, (x) => x.incident?.id === id);

      expect((await http(tokens.analyst, 'POST', `/api/v1/oncall/alerts/${alert.id}/ack`)).status).toBe(403);
      expect((await http(tokens.otherAdmin, 'POST', `/api/v1/oncall/alerts/${alert.id}/ack`)).status).toBe(404);
      const first = await http(tokens.oncall, 'POST', `/api/v1/oncall/alerts/${alert.id}/ack`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: alert.id, state: 'acknowledged', acknowledged: { by: people.oncall.id } });
      const second = await http(tokens.admin, 'POST', `/api/v1/oncall/alerts/${alert.id}/ack`);
      expect(second.status).toBe(200);
      expect(second.body.acknowledged).toEqual(first.body.acknowledged);
      // An org-admin has no incidents:read: the incident part is left out for them.
      expect(second.body.incident).toBeNull();
      await roomB.next('alert.changed', (e) => e.change === 'acknowledged' && e.alert.id === alert.id, 10_000);

      const resolved = await oncallSocket.request('alert.resolve', { id: alert.id });
      expect(resolved).toMatchObject({ ok: true, alert: { state: 'resolved', resolved: { by: people.oncall.id } } });
      const repeat = await oncallSocket.request('alert.resolve', { id: alert.id });
      expect(repeat.alert.resolved).toEqual(resolved.alert.resolved);
      expect(await oncallSocket.request('alert.ack', {} as never)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
      await roomB.next('alert.changed', (e) => e.change === 'resolved' && e.alert.id === alert.id, 10_000);
      expect(
        roomB
          .received('alert.changed')
          .filter((e) => e.alert.id === alert.id)
          .map((e) => e.change),
      ).toEqual(['triggered', 'acknowledged', 'resolved']);

      const timeline = (await http(b.key, 'GET', `/api/v1/incidents/${id}/timeline`)).body.items as Array<{
        kind: string;
        change?: string;
      }>;
      expect(timeline.filter((e) => e.kind === 'alert_changed').map((e) => e.change)).toEqual(
        expect.arrayContaining(['acknowledged', 'resolved']),
      );
      const audit = (await http(tokens.admin, 'GET', '/api/v1/audit?limit=200')).body.items as Array<{
        action: string;
        target: { id: string };
      }>;
      const actions = audit.filter((r) => r.target?.id === alert.id).map((r) => r.action);
      expect(actions.sort()).toEqual(['alert.acknowledge', 'alert.resolve']);

      const open = await alertsOfB('?state=triggered');
      expect(open.items.map((x) => x.id)).not.toContain(alert.id);
      expect((await http(tokens.oncall, 'GET', '/api/v1/oncall/alerts?state=nope')).status).toBe(400);
    });
  });
});

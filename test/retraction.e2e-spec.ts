import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  RecordingClient,
  SmtpSink,
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  logIn,
  startDeployment,
  testDomain,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type RetractionView = {
  retractionId: string;
  scope: string;
  incidentId?: string;
  reason?: string;
  indicator?: { type: string; value: string };
  correlationIds: string[];
  alertIds: string[];
};
type AlertChanged = {
  change: string;
  alert: { id: string; ruleId: string; state: string; incident: { id: string } | null };
};
type Paged = { alert: { id: string }; step: number };

/** Six seconds, as a policy's level delay (fractions of a minute are allowed). */
const SIX_SECONDS = 6 / 60;

/**
 * Retractions (issue #10 §7) on the real stores. A and B correlate; A retracts: B's socket and
 * webhook are told (in B's words: B may not see A's AMBER incident, so neither its id nor the reason
 * reach B), B's alert leaves its inbox and its escalation's second level is never paged, a new
 * incident of C with the same value no longer matches A's, and C — never told of A — gets nothing.
 */
describe('retractions (api, worker, FerretDB, Redis, a local webhook receiver)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let c: { id: string; key: string };
  let bAdmin: string;
  let roomA: RecordingClient;
  let roomB: RecordingClient;
  let roomC: RecordingClient;
  let l2: { id: string; socket: RecordingClient };
  let receiver: http.Server;
  const received: Array<{ headers: Record<string, string>; body: string }> = [];
  let endpoint: { id: string; secret: string };
  let correlationRuleId: string;
  let retractionRuleId: string;
  const sink = new SmtpSink();
  const desk = `desk-${uniqueName('').trim()}@cert-b.example`;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const submit = async (key: string, body: Record<string, unknown>) => {
    const reply = await api(key, 'POST', '/api/v1/incidents', {
      title: uniqueName('Incident '),
      description: 'Seen on the perimeter.',
      occurredAt: '2026-11-29T08:00:00Z',
      classification: { class: 'intrusion-attempts', type: 'brute-force' },
      severity: 'high',
      ...body,
    });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const processed = (key: string, id: string) =>
    waitFor(
      async () => (await api(key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      20_000,
      `incident ${id} processed`,
    );
  const retractionDone = async (id: string) => {
    let body: Record<string, any> = {};
    await waitFor(
      async () => {
        body = (await api(a.key, 'GET', `/api/v1/retractions/${id}`)).body;
        return body.state === 'done';
      },
      20_000,
      `retraction ${id} done`,
    );
    return body;
  };
  const webhookEvents = () =>
    received.map((r) => new Webhook(endpoint.secret).verify(r.body, r.headers) as { type: string; data: any });

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await sink.start();
    deployment = await startDeployment('retraction', {
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'alerts@corridor.example',
    });
    baseUrl = deployment.baseUrl;
    a = await createOrganization(deployment.env, { name: uniqueName('Agency A '), kind: 'agency' });
    b = await createOrganization(deployment.env, { name: uniqueName('CERT B '), kind: 'cert' });
    c = await createOrganization(deployment.env, { name: uniqueName('CERT C '), kind: 'cert' });
    const admin = await createOrgAdmin(deployment, b.id, { roles: ['org-admin', 'oncall', 'analyst'] });
    bAdmin = (await logIn(baseUrl, admin)).accessToken;
    const l1Person = await createPerson(baseUrl, bAdmin, ['oncall']);
    const l2Person = await createPerson(baseUrl, bAdmin, ['oncall']);
    l2 = { id: l2Person.id, socket: new RecordingClient(baseUrl, (await logIn(baseUrl, l2Person)).accessToken) };
    roomA = new RecordingClient(baseUrl, a.key);
    roomB = new RecordingClient(baseUrl, bAdmin);
    roomC = new RecordingClient(baseUrl, c.key);
    for (const socket of [roomA, roomB, roomC, l2.socket]) {
      await socket.connected();
      await socket.resumed();
    }

    // B's webhook is subscribed to alerts only: a retraction still reaches it, as it was told.
    const registered = await api(bAdmin, 'POST', '/api/v1/webhooks/endpoints', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/b`,
      eventTypes: ['alert.triggered'],
      maxTlp: 'AMBER',
    });
    expect(registered.status).toBe(201);
    endpoint = registered.body;
    const policy = await api(bAdmin, 'POST', '/api/v1/oncall/policies', {
      name: 'Day desk',
      levels: [
        { targets: [{ kind: 'user', userId: l1Person.id }], delayMinutes: SIX_SECONDS },
        { targets: [{ kind: 'user', userId: l2.id }], delayMinutes: SIX_SECONDS },
      ],
      repeat: 0,
    });
    expect(policy.status).toBe(201);
    const rule = await api(bAdmin, 'POST', '/api/v1/notification-rules', {
      name: 'Our incidents correlate',
      trigger: { kind: 'correlation' },
      targets: {
        room: true,
        webhookEndpointIds: [endpoint.id],
        policyId: policy.body.id,
        emails: [{ address: desk, language: 'ar' }],
      },
      maxTlp: 'AMBER',
    });
    expect(rule.status).toBe(201);
    correlationRuleId = rule.body.id;
    const retractionRule = await api(bAdmin, 'POST', '/api/v1/notification-rules', {
      name: 'Something we were told of is retracted',
      trigger: { kind: 'retraction' },
      targets: { room: true },
    });
    expect(retractionRule.status).toBe(201);
    retractionRuleId = retractionRule.body.id;
  }, 120_000);

  afterAll(async () => {
    for (const socket of [roomA, roomB, roomC, l2?.socket]) socket?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await new Promise((resolve) => receiver?.close(resolve));
    await sink.stop();
  }, 180_000);

  it('refuses bad input by name, and anyone but the submitting organization', async () => {
    const id = await submit(a.key, { tlp: 'CLEAR', indicators: [testDomain('bad')] });
    const noReason = await api(a.key, 'POST', `/api/v1/incidents/${id}/retract`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.fields[0].field).toBe('reason');
    const blank = await api(a.key, 'POST', `/api/v1/incidents/${id}/retract`, { reason: '   ' });
    expect(blank.status).toBe(400);
    // B sees the CLEAR incident but did not submit it.
    expect((await api(b.key, 'POST', `/api/v1/incidents/${id}/retract`, { reason: 'not mine' })).status).toBe(403);
    expect((await api(a.key, 'POST', '/api/v1/incidents/no-such-id/retract', { reason: 'x' })).status).toBe(404);
    await processed(a.key, id);
    const notThere = await api(a.key, 'POST', `/api/v1/incidents/${id}/indicators/retract`, {
      value: testDomain('absent'),
      reason: 'x',
    });
    expect(notThere.status).toBe(404);
    expect(notThere.body.error.details.fields[0].field).toBe('value');
    const notAnIndicator = await api(a.key, 'POST', `/api/v1/incidents/${id}/indicators/retract`, {
      value: 'not an indicator at all',
      reason: 'x',
    });
    expect(notAnIndicator.status).toBe(400);
    expect(notAnIndicator.body.error.details.fields[0].field).toBe('value');
  });

  it('A retracts: B is told in its words, B’s alert is withdrawn and L2 never paged; C matches nothing of A and hears nothing', async () => {
    const value = testDomain('retract');
    const own = await submit(b.key, { tlp: 'CLEAR', indicators: [value] });
    await processed(b.key, own);
    const secret = uniqueName('A-secret-');
    const theirs = await submit(a.key, { tlp: 'AMBER', title: secret, indicators: [value] });
    const raised = (await roomB.next(
      'alert.changed',
      (e) => (e as AlertChanged).alert.ruleId === correlationRuleId && (e as AlertChanged).alert.incident?.id === own,
      20_000,
    )) as unknown as AlertChanged;
    const correlation = (await roomB.next('correlation.alert', (e) => e.yourIncidentId === own, 20_000)) as {
      id: string;
    };
    // The alert reached B's webhook before the retraction.
    await waitFor(() => webhookEvents().some((e) => e.type === 'alert.triggered'), 20_000, 'alert webhook');

    const retracted = await api(a.key, 'POST', `/api/v1/incidents/${theirs}/retract`, {
      reason: 'Submitted in error',
    });
    expect(retracted.status).toBe(202);
    expect(retracted.body).toMatchObject({ scope: 'incident', incidentId: theirs, state: 'pending' });
    const again = await api(a.key, 'POST', `/api/v1/incidents/${theirs}/retract`, { reason: 'Once more' });
    expect([200]).toContain(again.status);
    expect(again.body.id).toBe(retracted.body.id);

    // B: told, without A's id or reason (B may not see the AMBER incident).
    const toldB = (await roomB.next('incident.retracted', () => true, 20_000)) as unknown as RetractionView;
    expect(toldB).toMatchObject({
      retractionId: retracted.body.id,
      scope: 'incident',
      correlationIds: [correlation.id],
      alertIds: [raised.alert.id],
    });
    expect(toldB.incidentId).toBeUndefined();
    expect(JSON.stringify(toldB)).not.toContain('Submitted in error');
    // A, who may see its own incident: told with its id and reason.
    const toldA = (await roomA.next('incident.retracted', () => true, 20_000)) as unknown as RetractionView;
    expect(toldA).toMatchObject({ incidentId: theirs, reason: 'Submitted in error' });

    const done = await retractionDone(retracted.body.id);
    expect(done.withdrawn).toEqual({ correlationIds: [correlation.id], alertIds: [raised.alert.id] });
    // Who was told, as counts: the readers and endpoints of partners are not named to the submitter.
    // E-mails: the desk's address (the rule's) and L1, whose page was mailed to them.
    expect(done.told).toMatchObject({ webhookEndpoints: 1, emails: 2 });
    expect(done.told.readers).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(done)).not.toContain(b.id);
    expect(JSON.stringify(done)).not.toContain(endpoint.id);

    // The alert leaves B's inbox (withdrawn), live and by REST; the correlation leaves the alerts inbox.
    await roomB.next(
      'alert.changed',
      (e) => (e as AlertChanged).change === 'withdrawn' && (e as AlertChanged).alert.id === raised.alert.id,
    );
    const inbox = (await api(bAdmin, 'GET', '/api/v1/oncall/alerts')).body.items as Array<{ id: string }>;
    expect(inbox.map((item) => item.id)).not.toContain(raised.alert.id);
    const stored = await api(bAdmin, 'GET', `/api/v1/oncall/alerts/${raised.alert.id}`);
    expect(stored.body.state).toBe('withdrawn');
    const correlations = (await api(bAdmin, 'GET', '/api/v1/alerts')).body.items as Array<{ id: string }>;
    expect(correlations.map((item) => item.id)).not.toContain(correlation.id);
    expect((await api(b.key, 'GET', `/api/v1/incidents/${own}`)).body.correlations).toEqual([]);

    // B's webhook: a signed `incident.retracted`, in B's words.
    await waitFor(() => webhookEvents().some((e) => e.type === 'incident.retracted'), 20_000, 'retraction webhook');
    const hook = webhookEvents().find((e) => e.type === 'incident.retracted')!;
    expect(hook.data).toMatchObject({ withheld: false, tlp: 'CLEAR' });
    expect(hook.data.content).toMatchObject({ correlationIds: [correlation.id], alertIds: [raised.alert.id] });
    expect(hook.data.incidentId).toBeUndefined();

    // The desk's address, mailed the alert, is mailed the retraction too: in Arabic, label first, no id of A.
    await waitFor(() => sink.to(desk).length >= 2, 20_000, 'retraction mail');
    const mail = sink.to(desk).find((m) => m.parsed.subject?.includes('تم سحب الحادث'));
    expect(mail?.parsed.subject?.startsWith('TLP:CLEAR ')).toBe(true);
    const read = `${mail?.parsed.text ?? ''}\n${String(mail?.parsed.html)}`;
    expect(read).toContain(raised.alert.id);
    expect(read).not.toContain(theirs);
    expect(read).not.toContain(secret);

    // B's `retraction` rule raised an alert that names no incident B may not see.
    const retractionAlert = (await roomB.next(
      'alert.changed',
      (e) => (e as AlertChanged).alert.ruleId === retractionRuleId,
      20_000,
    )) as unknown as AlertChanged;
    expect(retractionAlert.alert.incident).toBeNull();

    // The incident is gone: 410 to A (with the retraction), 404 to everyone else.
    const gone = await api(a.key, 'GET', `/api/v1/incidents/${theirs}`);
    expect(gone.status).toBe(410);
    expect(gone.body.error.message).toContain(retracted.body.id);
    expect((await api(b.key, 'GET', `/api/v1/incidents/${theirs}`)).status).toBe(404);

    // A new incident of C with the same value matches B's incident only.
    const fresh = await submit(c.key, { tlp: 'CLEAR', indicators: [value] });
    await processed(c.key, fresh);
    const matches = (await api(c.key, 'GET', `/api/v1/incidents/${fresh}`)).body.correlations as Array<{
      counterpart: { incident?: { id: string } };
    }>;
    expect(matches.map((m) => m.counterpart.incident?.id)).toEqual([own]);
    // What processing found, as its submitter is told: one correlation (B's), none with A's removed incident.
    const correlated = await roomC.next('incident.correlated', (e) => e.incidentId === fresh, 20_000);
    expect(correlated.correlations).toBe(1);

    // L2 would have been paged 6 s after L1: wait past that, and it never was.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(
      l2.socket.received('alert.paged').filter((p) => (p as unknown as Paged).alert.id === raised.alert.id),
    ).toEqual([]);
    // C was never told of A's incident: nothing of it, and no retraction.
    expect(
      roomC
        .received('incident.retracted')
        .filter((e) => (e as unknown as RetractionView).retractionId === retracted.body.id),
    ).toEqual([]);
    const heardByC = JSON.stringify(roomC.events);
    expect(heardByC).not.toContain(theirs);
    expect(heardByC).not.toContain(secret);
  }, 90_000);

  it('a RED incident’s retraction is read only by the people it named; to the rest of its organization it stays a 404', async () => {
    const red = await submit(a.key, { tlp: 'RED', indicators: [testDomain('red')] });
    await processed(a.key, red);
    const reply = await api(a.key, 'POST', `/api/v1/incidents/${red}/retract`, { reason: 'RED reason' });
    expect(reply.status).toBe(202);
    await retractionDone(reply.body.id);
    const colleague = await createOrgAdmin(deployment, a.id, { roles: ['org-admin', 'analyst'] });
    const token = (await logIn(baseUrl, colleague)).accessToken;
    const read = await api(token, 'GET', `/api/v1/retractions/${reply.body.id}`);
    expect(read.status).toBe(404);
    expect(JSON.stringify(read.body)).not.toContain('RED reason');
    expect((await api(token, 'GET', `/api/v1/incidents/${red}`)).status).toBe(404);
    // The author (the key that submitted it) reads it, and is told 410.
    expect((await api(a.key, 'GET', `/api/v1/retractions/${reply.body.id}`)).body.reason).toBe('RED reason');
    expect((await api(a.key, 'GET', `/api/v1/incidents/${red}`)).status).toBe(410);
  });

  it('an organization that exported the incident, and lost sight of it since, is told which incident was retracted', async () => {
    const secret = uniqueName('Exported ');
    const id = await submit(a.key, { tlp: 'AMBER', title: secret, recipients: { organizations: [c.id] } });
    await processed(a.key, id);
    const exported = await api(c.key, 'GET', `/api/v1/incidents/${id}/export`);
    expect(exported.status).toBe(200);
    expect((await api(a.key, 'PATCH', `/api/v1/incidents/${id}`, { recipients: { organizations: [] } })).status).toBe(
      200,
    );
    await roomC.next('incident.withdrawn', (e) => e.incidentId === id);
    const reply = await api(a.key, 'POST', `/api/v1/incidents/${id}/retract`, { reason: 'Wrong partner' });
    expect(reply.status).toBe(202);
    const told = (await roomC.next(
      'incident.retracted',
      (e) => (e as unknown as RetractionView).retractionId === reply.body.id,
      20_000,
    )) as unknown as RetractionView;
    expect(told.incidentId).toBe(id);
  });

  it('a retracted hash no longer matches the other hashes it was reported with', async () => {
    const hex = (n: number) => [...Array(n)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');
    const [md5, sha256] = [hex(32), hex(64)];
    const theirs = await submit(a.key, { tlp: 'CLEAR', indicators: [md5, sha256] });
    await processed(a.key, theirs);
    const reply = await api(a.key, 'POST', `/api/v1/incidents/${theirs}/indicators/retract`, {
      value: md5,
      reason: 'Not the sample',
    });
    expect(reply.status).toBe(202);
    await retractionDone(reply.body.id);
    // C reports the md5 alone: before, it matched A's sha256 as the same file; now it matches nothing.
    const fresh = await submit(c.key, { tlp: 'CLEAR', indicators: [md5] });
    const correlated = await roomC.next('incident.correlated', (e) => e.incidentId === fresh, 20_000);
    expect(correlated.correlations).toBe(0);
    // The sha256 still matches as itself.
    const again = await submit(c.key, { tlp: 'CLEAR', indicators: [sha256] });
    expect((await roomC.next('incident.correlated', (e) => e.incidentId === again, 20_000)).correlations).toBe(1);
  });

  it('A retracts one indicator: B, who may see the incident, is told which; the rest of the incident stays', async () => {
    const retracted = testDomain('one');
    const kept = testDomain('kept');
    const own = await submit(b.key, { tlp: 'CLEAR', indicators: [retracted, kept] });
    await processed(b.key, own);
    // B also watches both values: A's incident will be a hit on each.
    for (const value of [retracted, kept])
      expect((await api(bAdmin, 'POST', '/api/v1/watchlist', { value })).status).toBe(201);
    const defanged = retracted.replace(/\.(?=[^.]+$)/, '[.]');
    const theirs = await submit(a.key, {
      tlp: 'CLEAR',
      description: `Beacons to ${defanged} every minute.`,
      indicators: [retracted, kept],
    });
    await processed(a.key, theirs);
    const hitsOnA = async () =>
      (
        (await api(bAdmin, 'GET', '/api/v1/watchlist/hits')).body.items as Array<{
          watched: { value: string };
          counterpart: { incident?: { id: string } };
        }>
      )
        .filter((hit) => hit.counterpart.incident?.id === theirs)
        .map((hit) => hit.watched.value);
    await waitFor(async () => (await hitsOnA()).length === 2, 20_000, 'watch hits on A');
    const before = (await api(a.key, 'GET', `/api/v1/incidents/${theirs}`)).body.correlations as Array<{ id: string }>;
    expect(before).toHaveLength(2);

    // The value as a report would carry it, defanged: read as indicators are.
    const reply = await api(a.key, 'POST', `/api/v1/incidents/${theirs}/indicators/retract`, {
      value: defanged,
      reason: 'Our sinkhole, not the attacker',
    });
    expect(reply.status).toBe(202);
    expect(reply.body.indicator.type).toBe('domain');
    expect(JSON.stringify(reply.body)).not.toContain(retracted);
    const done = await retractionDone(reply.body.id);
    expect(done.withdrawn.correlationIds).toHaveLength(1);

    const told = (await roomB.next(
      'indicator.retracted',
      (e) => (e as unknown as RetractionView).retractionId === reply.body.id,
      20_000,
    )) as unknown as RetractionView;
    expect(told).toMatchObject({
      incidentId: theirs,
      indicator: { type: 'domain', value: retracted },
      correlationIds: done.withdrawn.correlationIds,
    });
    const incident = (await api(a.key, 'GET', `/api/v1/incidents/${theirs}`)).body;
    expect(incident.indicators.map((i: { value: string }) => i.value)).toEqual([kept]);
    // Its text in the description is withdrawn too.
    expect(incident.description).toBe('Beacons to [retracted] every minute.');
    expect(incident.correlations).toHaveLength(1);
    // The hit on the retracted value is withdrawn with it; the other stays.
    expect(await hitsOnA()).toEqual([kept]);
    // C's incident with the retracted value matches B's, no longer A's.
    const fresh = await submit(c.key, { tlp: 'CLEAR', indicators: [retracted] });
    await processed(c.key, fresh);
    const matches = (await api(c.key, 'GET', `/api/v1/incidents/${fresh}`)).body.correlations as Array<{
      counterpart: { incident?: { id: string } };
    }>;
    expect(matches.map((m) => m.counterpart.incident?.id)).toEqual([own]);
  }, 60_000);
});

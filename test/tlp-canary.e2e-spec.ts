import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  RecordingClient,
  SmtpSink,
  call,
  createCommunity,
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

type Org = 'A' | 'B' | 'P' | 'D';
type Level = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
type Listener = Org | 'userB1' | 'userB2';

/**
 * The TLP canary: each of A's incidents (one per TLP level) carries a unique string in its title and
 * description. Every live event each socket receives, every webhook body each organization's
 * endpoint receives and every mail each organization's rule address receives are captured; a canary appears exactly where the recipient may see that incident
 * (B is a named recipient, P shares a community with A, D is a stranger whose incidents correlate
 * with all of A's; the RED incident names one person of B).
 */
describe('TLP canary across sockets, webhooks and e-mail (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let receiver: http.Server;
  let receiverUrl: string;
  const hooks: Array<{ path: string; body: string }> = [];
  const sink = new SmtpSink();
  const mailbox = (org: Org) => `${org.toLowerCase()}-desk@canary.example`;
  const orgs = {} as Record<Org, { id: string; key: string; admin: string }>;
  const sockets = {} as Record<Listener, RecordingClient>;
  const canary = {} as Record<Level, string>;
  const incidents = {} as Record<Level, string>;
  let userB1: string;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });

  /** Who may see each level's incident (TLP 2.0 as the visibility rule applies it). */
  const sockets_may_see: Record<Level, Listener[]> = {
    CLEAR: ['A', 'B', 'P', 'D', 'userB1', 'userB2'],
    GREEN: ['A', 'B', 'P', 'userB1', 'userB2'],
    AMBER: ['A', 'B', 'userB1', 'userB2'],
    'AMBER+STRICT': ['A'],
    // The author (A's key) and the person it names; B as an organization sees no RED.
    RED: ['A', 'userB1'],
  };
  /**
   * Webhooks and e-mail speak for an organization as a whole: never RED. Endpoints and the rules'
   * addresses carry content up to AMBER+STRICT.
   */
  const hooks_may_see: Record<Level, Org[]> = {
    CLEAR: ['A', 'B', 'P', 'D'],
    GREEN: ['A', 'B', 'P'],
    AMBER: ['A', 'B'],
    'AMBER+STRICT': ['A'],
    RED: [],
  };

  const socketText = (who: Listener) => JSON.stringify(sockets[who].events);
  const mailText = (org: Org) =>
    sink
      .to(mailbox(org))
      .map((m) => `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}\n${String(m.parsed.html)}`)
      .join('\n');
  const hookText = (org: Org) =>
    hooks
      .filter((h) => h.path === `/${org}`)
      .map((h) => h.body)
      .join('\n');

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        hooks.push({ path: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    await sink.start();
    deployment = await startDeployment('canary', {
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'Corridor <alerts@corridor.example>',
    });
    baseUrl = deployment.baseUrl;

    for (const tag of ['A', 'B', 'P', 'D'] as const) {
      const org = await createOrganization(deployment.env, { name: uniqueName(`Org ${tag} `), kind: 'cert' });
      const admin = await createOrgAdmin(deployment, org.id, { roles: ['org-admin'] });
      orgs[tag] = { ...org, admin: (await logIn(baseUrl, admin)).accessToken };
    }
    await createCommunity(deployment.env, [{ orgId: orgs.A.id }, { orgId: orgs.P.id }]);
    const b1 = await createPerson(baseUrl, orgs.B.admin, ['analyst']);
    const b2 = await createPerson(baseUrl, orgs.B.admin, ['analyst']);
    userB1 = b1.id;

    // Every organization: an endpoint taking content up to AMBER+STRICT, and rules sending it everything.
    for (const tag of ['A', 'B', 'P', 'D'] as const) {
      const endpoint = await api(orgs[tag].admin, 'POST', '/api/v1/webhooks/endpoints', {
        url: `${receiverUrl}/${tag}`,
        eventTypes: ['alert.triggered'],
        maxTlp: 'AMBER+STRICT',
      });
      expect(endpoint.status).toBe(201);
      for (const trigger of [{ kind: 'incident', minSeverity: 'low' }, { kind: 'correlation' }]) {
        const rule = await api(orgs[tag].admin, 'POST', '/api/v1/notification-rules', {
          name: `all ${trigger.kind}`,
          trigger,
          targets: {
            room: true,
            webhookEndpointIds: [endpoint.body.id],
            emails: [{ address: mailbox(tag), language: 'en' }],
          },
          maxTlp: 'AMBER+STRICT',
        });
        expect(rule.status).toBe(201);
      }
    }

    for (const tag of ['A', 'B', 'P', 'D'] as const) sockets[tag] = new RecordingClient(baseUrl, orgs[tag].key);
    sockets.userB1 = new RecordingClient(baseUrl, (await logIn(baseUrl, b1)).accessToken);
    sockets.userB2 = new RecordingClient(baseUrl, (await logIn(baseUrl, b2)).accessToken);
    for (const client of Object.values(sockets)) {
      await client.connected();
      await client.resumed();
    }
  }, 180_000);

  afterAll(async () => {
    for (const client of Object.values(sockets)) client?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await sink.stop();
  }, 180_000);

  it('each canary reaches exactly the sockets, webhooks and mailboxes whose recipient may see its incident', async () => {
    const levels: Level[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
    for (const level of levels) {
      canary[level] = `canary-${randomBytes(8).toString('hex')}`;
      const domain = testDomain('canary');
      const created = await api(
        orgs.A.key,
        'POST',
        '/api/v1/incidents',
        incidentBody({
          title: `Report ${canary[level]}`,
          description: `Details ${canary[level]} seen at ${domain}`,
          tlp: level,
          severity: 'high',
          indicators: [domain],
          ...(level === 'GREEN' || level === 'AMBER' ? { recipients: { organizations: [orgs.B.id] } } : {}),
          ...(level === 'RED' ? { recipients: { users: [userB1] } } : {}),
        }),
      );
      expect(created.status).toBe(201);
      incidents[level] = created.body.id;
      // D reports the same domain: correlation alerts reach D, worded for what D may see.
      expect((await api(orgs.D.key, 'POST', '/api/v1/incidents', incidentBody({ indicators: [domain] }))).status).toBe(
        201,
      );
    }

    // Everything expected arrives (the positive half)...
    const missing = () =>
      levels.flatMap((level) => [
        ...sockets_may_see[level]
          .filter((who) => !socketText(who).includes(canary[level]))
          .map((who) => `${level}→socket ${who}`),
        ...hooks_may_see[level]
          .filter((org) => !hookText(org).includes(canary[level]))
          .map((org) => `${level}→webhook ${org}`),
        ...hooks_may_see[level]
          .filter((org) => !mailText(org).includes(canary[level]))
          .map((org) => `${level}→mail ${org}`),
      ]);
    await waitFor(() => missing().length === 0, 60_000, 'every canary where it may be seen').catch(() => {
      throw new Error(`never arrived: ${missing().join(', ')}; hooks received: ${hooks.length}`);
    });
    // ...and once a marker raised after them all has reached every socket and endpoint, nothing else did.
    const marker = `marker-${randomBytes(6).toString('hex')}`;
    const created = await api(orgs.A.key, 'POST', '/api/v1/incidents', incidentBody({ title: marker, tlp: 'CLEAR' }));
    expect(created.status).toBe(201);
    await waitFor(
      () =>
        (Object.keys(sockets) as Listener[]).every((who) => socketText(who).includes(marker)) &&
        (['A', 'B', 'P', 'D'] as const).every(
          (org) => hookText(org).includes(marker) && mailText(org).includes(marker),
        ),
      60_000,
      'the marker everywhere',
    );
    for (const level of levels) {
      for (const who of Object.keys(sockets) as Listener[]) {
        expect({ level, who, seen: socketText(who).includes(canary[level]) }).toEqual({
          level,
          who,
          seen: sockets_may_see[level].includes(who),
        });
      }
      for (const org of ['A', 'B', 'P', 'D'] as const) {
        expect({
          level,
          org,
          hook: hookText(org).includes(canary[level]),
          mail: mailText(org).includes(canary[level]),
        }).toEqual({
          level,
          org,
          hook: hooks_may_see[level].includes(org),
          mail: hooks_may_see[level].includes(org),
        });
      }
    }
  }, 180_000);

  it('an alert changed after its incident turned RED tells webhooks and e-mail only the label', async () => {
    const secret = `canary-${randomBytes(8).toString('hex')}`;
    const created = await api(
      orgs.A.key,
      'POST',
      '/api/v1/incidents',
      incidentBody({
        title: `Report ${secret}`,
        tlp: 'GREEN',
        severity: 'high',
        recipients: { organizations: [orgs.B.id] },
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    let alertId = '';
    await waitFor(
      async () => {
        // B's key reads incidents; its org-admin (no incidents:read) would see no incident in the alert.
        const items = (await api(orgs.B.key, 'GET', '/api/v1/oncall/alerts')).body.items as Array<{
          id: string;
          trigger: string;
          incident: { id: string } | null;
        }>;
        alertId = items.find((alert) => alert.trigger === 'incident' && alert.incident?.id === id)?.id ?? '';
        return alertId !== '' && hookText('B').includes(secret) && mailText('B').includes(secret);
      },
      30_000,
      'B alerted, by webhook and mail, while the incident is GREEN',
    );
    // B's endpoint hears of resolutions too.
    const endpoint = ((await api(orgs.B.admin, 'GET', '/api/v1/webhooks/endpoints')).body as Array<{ id: string }>)[0];
    const patched = await api(orgs.B.admin, 'PATCH', `/api/v1/webhooks/endpoints/${endpoint.id}`, {
      eventTypes: ['alert.triggered', 'alert.resolved'],
    });
    expect(patched.status).toBe(200);
    expect(
      (
        await api(orgs.A.key, 'PATCH', `/api/v1/incidents/${id}`, {
          tlp: 'RED',
          recipients: { organizations: [], users: [] },
        })
      ).status,
    ).toBe(200);
    const resolved = await api(orgs.B.admin, 'POST', `/api/v1/oncall/alerts/${alertId}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: 'resolved', tlp: 'RED', incident: null });

    const resolution = () =>
      hooks.filter((h) => h.path === '/B' && h.body.includes(alertId) && h.body.includes('"alert.resolved"'));
    const mails = () =>
      sink
        .to(mailbox('B'))
        .filter((m) => (m.parsed.text ?? '').includes(alertId) && !(m.parsed.text ?? '').includes(secret));
    await waitFor(() => resolution().length === 1 && mails().length === 1, 30_000, 'the resolution at B');
    const body = JSON.parse(resolution()[0].body) as { data: { label: string; withheld: boolean; content?: unknown } };
    expect(body.data).toMatchObject({ label: 'TLP:RED', withheld: true });
    expect(body.data.content).toBeUndefined();
    expect(resolution()[0].body).not.toContain(secret);
    expect(mails()[0].parsed.subject).toMatch(/^TLP:RED /);
    expect(mails()[0].raw).not.toContain(secret);
  }, 90_000);
});

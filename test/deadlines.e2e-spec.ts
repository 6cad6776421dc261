import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Webhook } from 'standardwebhooks';
import {
  RecordingClient,
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

type AlertView = {
  id: string;
  trigger: string;
  incident: { id: string } | null;
  detail: Record<string, string>;
};
type Changed = { change: string; alert: AlertView };
type Item = { incidentId: string; title: string; milestone: string; due: string; status: string };

/**
 * Regulatory deadlines on the real stores, with offsets in seconds: B's own profile has a notice due
 * 6 s after awareness (and a report a day after the notice); DEADLINE_SOON_HOURS is one hour, so a
 * milestone set now is at once "near". Reminders reach B's `deadline` rule as alerts; a change of
 * awareness or a completion leaves the old reminder raising nothing; the list shows what each caller
 * may see.
 */
describe('regulatory deadlines (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let b: { id: string; key: string };
  let c: { id: string; key: string };
  const tokens: Record<'admin' | 'analyst' | 'otherAnalyst', string> = {} as never;
  let roomB: RecordingClient;
  let fastProfile: string;
  let markerProfile: string;
  let redis: Redis;
  let queue: Queue;
  let receiver: http.Server;
  const hooks: Array<{ headers: Record<string, string>; body: string }> = [];
  let hookSecret: string;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  /** What B's endpoint subscribed to deadline reminders received, verified as Standard Webhooks says. */
  const deadlineHooks = () =>
    hooks.map(
      (h) =>
        new Webhook(hookSecret).verify(h.body, h.headers) as {
          type: string;
          data: { incidentId?: string; label: string; content?: Record<string, string> };
        },
    );
  const submit = async (title = uniqueName('Outage ')) => {
    const created = await api(b.key, 'POST', '/api/v1/incidents', incidentBody({ title, tlp: 'AMBER' }));
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const setDeadlines = (incidentId: string, profileId: string, awareAt: Date, token = tokens.analyst) =>
    api(token, 'PUT', `/api/v1/incidents/${incidentId}/deadlines`, { profileId, awareAt: awareAt.toISOString() });
  const reminded = (incidentId: string, when: 'near' | 'missed', due?: string) =>
    roomB.next(
      'alert.changed',
      (e) => {
        const { change, alert } = e as unknown as Changed;
        return (
          change === 'triggered' &&
          alert.trigger === 'deadline' &&
          alert.incident?.id === incidentId &&
          alert.detail.when === when &&
          (due === undefined || alert.detail.due === due)
        );
      },
      30_000,
    ) as unknown as Promise<Changed>;
  const deadlineAlerts = (incidentId: string) =>
    roomB
      .received('alert.changed')
      .map((e) => (e as unknown as Changed).alert)
      .filter((alert) => alert.trigger === 'deadline' && alert.incident?.id === incidentId);
  const list = async (token: string, status?: string) =>
    (await api(token, 'GET', `/api/v1/deadlines${status ? `?status=${status}` : ''}`)).body.items as Item[];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        hooks.push({
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    deployment = await startDeployment('deadlines', {
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      DEADLINE_SOON_HOURS: '1',
      SWEEP_INTERVAL_MS: '500',
      SWEEP_PENDING_AFTER_MS: '1000',
    });
    baseUrl = deployment.baseUrl;
    b = await createOrganization(deployment.env, { name: uniqueName('CERT B '), kind: 'cert' });
    c = await createOrganization(deployment.env, { name: uniqueName('CERT C '), kind: 'cert' });
    const admin = await createOrgAdmin(deployment, b.id, { roles: ['org-admin'] });
    tokens.admin = (await logIn(baseUrl, admin)).accessToken;
    tokens.analyst = (await logIn(baseUrl, await createPerson(baseUrl, tokens.admin, ['analyst']))).accessToken;
    const otherAdmin = await createOrgAdmin(deployment, c.id, { roles: ['org-admin'] });
    const otherAdminToken = (await logIn(baseUrl, otherAdmin)).accessToken;
    tokens.otherAnalyst = (await logIn(baseUrl, await createPerson(baseUrl, otherAdminToken, ['analyst']))).accessToken;
    redis = new Redis(deployment.env.REDIS_URL);
    queue = new Queue('deadlines', { connection: redis, prefix: `${deployment.env.REDIS_PREFIX}:bull` });
    roomB = new RecordingClient(baseUrl, b.key);
    await roomB.connected();
    await roomB.resumed();
    const fast = await api(tokens.admin, 'POST', '/api/v1/deadline-profiles', {
      name: 'National fast notice',
      milestones: [
        { key: 'notice', label: 'Notice to the authority', due: { from: 'awareness', offset: { seconds: 6 } } },
        { key: 'report', label: 'Full report', due: { from: 'notice', offset: { days: 1 } } },
      ],
    });
    expect(fast.status).toBe(201);
    fastProfile = fast.body.id as string;
    const marker = await api(tokens.admin, 'POST', '/api/v1/deadline-profiles', {
      name: 'Marker',
      milestones: [{ key: 'notice', label: 'Marker notice', due: { from: 'awareness', offset: { seconds: 12 } } }],
    });
    expect(marker.status).toBe(201);
    markerProfile = marker.body.id as string;
    const rule = await api(tokens.admin, 'POST', '/api/v1/notification-rules', {
      name: 'Deadlines near or missed',
      trigger: { kind: 'deadline', when: ['near', 'missed'] },
      targets: { room: true },
    });
    expect(rule.status).toBe(201);
    expect(rule.body.trigger).toEqual({ kind: 'deadline', when: ['near', 'missed'] });
    const endpoint = await api(tokens.admin, 'POST', '/api/v1/webhooks/endpoints', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/deadlines`,
      eventTypes: ['deadline.near', 'deadline.missed'],
      maxTlp: 'AMBER',
    });
    expect(endpoint.status).toBe(201);
    hookSecret = endpoint.body.secret as string;
  }, 120_000);

  afterAll(async () => {
    roomB?.close();
    await queue?.close();
    redis?.disconnect();
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
    await new Promise((resolve) => receiver?.close(resolve));
  }, 180_000);

  it('profiles: NIS2 built in and read-only, the organization’s own for its admins, bad input named', async () => {
    const listed = (await api(tokens.analyst, 'GET', '/api/v1/deadline-profiles')).body.items as Array<{
      id: string;
      builtIn: boolean;
      milestones: Array<{ key: string }>;
    }>;
    expect(listed[0]).toMatchObject({ id: 'nis2', builtIn: true });
    expect(listed[0].milestones.map((m) => m.key)).toEqual(['early-warning', 'incident-notification', 'final-report']);
    expect(listed.map((p) => p.id)).toEqual(['nis2', fastProfile, markerProfile]);
    // Another organization sees only the built-in one.
    const other = (await api(tokens.otherAnalyst, 'GET', '/api/v1/deadline-profiles')).body.items as Array<{
      id: string;
    }>;
    expect(other.map((p) => p.id)).toEqual(['nis2']);
    expect((await api(tokens.otherAnalyst, 'GET', `/api/v1/deadline-profiles/${fastProfile}`)).status).toBe(404);

    const sixHours = {
      name: 'National 6-hour rule',
      milestones: [{ key: 'first-notice', label: 'First notice', due: { from: 'awareness', offset: { hours: 6 } } }],
    };
    expect((await api(tokens.analyst, 'POST', '/api/v1/deadline-profiles', sixHours)).status).toBe(403);
    const created = await api(tokens.admin, 'POST', '/api/v1/deadline-profiles', sixHours);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const renamed = await api(tokens.admin, 'PUT', `/api/v1/deadline-profiles/${id}`, {
      ...sixHours,
      name: 'Six hours',
    });
    expect(renamed.status).toBe(200);
    expect((await api(tokens.admin, 'GET', `/api/v1/deadline-profiles/${id}`)).body.name).toBe('Six hours');
    expect((await api(tokens.admin, 'PUT', '/api/v1/deadline-profiles/nis2', sixHours)).status).toBe(403);
    expect((await api(tokens.admin, 'DELETE', '/api/v1/deadline-profiles/nis2')).status).toBe(403);
    expect((await api(tokens.admin, 'DELETE', `/api/v1/deadline-profiles/${id}`)).status).toBe(204);
    expect((await api(tokens.admin, 'GET', `/api/v1/deadline-profiles/${id}`)).status).toBe(404);

    const fields = async (body: unknown) => {
      const reply = await api(tokens.admin, 'POST', '/api/v1/deadline-profiles', body);
      expect(reply.status).toBe(400);
      return (reply.body.error.details.fields as Array<{ field: string }>).map((f) => f.field);
    };
    expect(
      await fields({
        name: 'Bad',
        milestones: [{ key: 'a', label: 'A', due: { from: 'awareness', offset: { hours: 1.5 } } }],
      }),
    ).toContain('milestones.0.due.offset.hours');
    expect(
      await fields({
        name: 'Bad',
        milestones: [{ key: 'a', label: 'A', due: { from: 'nowhere', offset: { hours: 1 } } }],
      }),
    ).toEqual(['milestones.0.due.from']);
    expect(
      await fields({ name: 'Bad', milestones: [{ key: 'a', label: 'A', due: { from: 'awareness', offset: {} } }] }),
    ).toEqual(['milestones.0.due.offset']);
    expect(await fields({ name: 'National fast notice', milestones: sixHours.milestones })).toEqual(['name']);
    const badRule = await api(tokens.admin, 'POST', '/api/v1/notification-rules', {
      name: 'No when',
      trigger: { kind: 'deadline' },
      targets: { room: true },
    });
    expect(badRule.status).toBe(400);
    expect(badRule.body.error.details.fields[0].field).toBe('trigger.when');
  });

  it('setting deadlines: the owner’s people only (404 for another organization), bad input named', async () => {
    const id = await submit();
    const now = new Date();
    expect((await setDeadlines(id, 'nis2', now, tokens.otherAnalyst)).status).toBe(404);
    expect((await setDeadlines(id, 'nis2', now, b.key)).status).toBe(403);
    const unknown = await setDeadlines(id, 'no-such-profile', now);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0].field).toBe('profileId');
    const future = await setDeadlines(id, 'nis2', new Date(Date.now() + 3_600_000));
    expect(future.status).toBe(400);
    expect(future.body.error.details.fields[0].field).toBe('awareAt');
    const garbled = await api(tokens.analyst, 'PUT', `/api/v1/incidents/${id}/deadlines`, {
      profileId: 'nis2',
      awareAt: 'yesterday',
    });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.details.fields[0].field).toBe('awareAt');

    const aware = new Date('2026-01-30T10:00:00.000Z');
    const set = await setDeadlines(id, 'nis2', aware);
    expect(set.status).toBe(200);
    // NIS2 Art. 23(4): 24 h, 72 h, and a month after the notification (provisionally its due time).
    expect(set.body.milestones.map((m: { key: string; due: string }) => [m.key, m.due])).toEqual([
      ['early-warning', '2026-01-31T10:00:00.000Z'],
      ['incident-notification', '2026-02-02T10:00:00.000Z'],
      ['final-report', '2026-03-02T10:00:00.000Z'],
    ]);
    const wrongMilestone = await api(tokens.analyst, 'POST', `/api/v1/incidents/${id}/deadlines/nope/complete`, {});
    expect(wrongMilestone.status).toBe(400);
    expect(wrongMilestone.body.error.details.fields[0].field).toBe('milestone');
    // Nothing is reported before anyone was aware of the incident.
    const beforeAware = await api(tokens.analyst, 'POST', `/api/v1/incidents/${id}/deadlines/early-warning/complete`, {
      at: '2000-01-01T00:00:00.000Z',
    });
    expect(beforeAware.status).toBe(400);
    expect(beforeAware.body.error.details.fields[0].field).toBe('at');
    const done = await api(tokens.analyst, 'POST', `/api/v1/incidents/${id}/deadlines/incident-notification/complete`, {
      at: '2026-02-01T12:00:00.000Z',
    });
    expect(done.status).toBe(200);
    const byKey = Object.fromEntries(
      (done.body.milestones as Array<{ key: string; status: string; due: string }>).map((m) => [m.key, m]),
    );
    expect(byKey['incident-notification'].status).toBe('done');
    expect(byKey['final-report'].due).toBe('2026-03-01T12:00:00.000Z');
    expect(
      (await api(tokens.otherAnalyst, 'POST', `/api/v1/incidents/${id}/deadlines/early-warning/complete`, {})).status,
    ).toBe(404);
    const timeline = (await api(b.key, 'GET', `/api/v1/incidents/${id}/timeline`)).body.items as Array<{
      kind: string;
      change?: string;
      profileName?: string;
      milestone?: string | null;
      awareAt?: string;
    }>;
    expect(
      timeline
        .filter((entry) => entry.kind === 'deadline_changed')
        .map((entry) => [entry.change, entry.profileName, entry.milestone, entry.awareAt]),
    ).toEqual([
      ['set', 'NIS2 (Directive (EU) 2022/2555, Art. 23(4))', null, '2026-01-30T10:00:00.000Z'],
      ['completed', 'NIS2 (Directive (EU) 2022/2555, Art. 23(4))', 'Incident notification', '2026-01-30T10:00:00.000Z'],
    ]);
    const trail = await api(tokens.admin, 'GET', '/api/v1/audit?limit=20');
    expect(trail.status).toBe(200);
    const actions = (trail.body.items as Array<{ action: string; target: { id: string } }>)
      .filter((record) => record.target.id === id)
      .map((record) => record.action);
    expect(actions).toEqual(expect.arrayContaining(['incident.deadlines.set', 'incident.deadlines.complete']));
  });

  it('a reminder near the due time, then at the miss, through the deadline rule', async () => {
    const id = await submit();
    const set = await setDeadlines(id, fastProfile, new Date());
    expect(set.status).toBe(200);
    const due = set.body.milestones[0].due as string;
    const near = await reminded(id, 'near', due);
    expect(near.alert.detail).toMatchObject({ milestone: 'notice', label: 'Notice to the authority', due });
    const missed = await reminded(id, 'missed', due);
    expect(missed.alert.id).not.toBe(near.alert.id);
    const inbox = (await api(b.key, 'GET', '/api/v1/oncall/alerts')).body.items as AlertView[];
    const mine = inbox.filter((alert) => alert.incident?.id === id);
    expect(mine.map((alert) => alert.detail.when).sort()).toEqual(['missed', 'near']);
    // The report, a day after the notice, is not near: no reminder of it.
    expect(deadlineAlerts(id).filter((alert) => alert.detail.milestone === 'report')).toEqual([]);
    // The endpoint subscribed to deadline notifications got both, signed, labelled with the incident's TLP.
    const ofIncident = () => deadlineHooks().filter((h) => h.data.incidentId === id);
    await waitFor(() => ofIncident().length >= 2, 20_000, 'deadline webhooks');
    expect(
      ofIncident()
        .map((h) => h.type)
        .sort(),
    ).toEqual(['deadline.missed', 'deadline.near']);
    for (const hook of ofIncident()) {
      expect(hook.data.label).toBe('TLP:AMBER');
      expect(hook.data.content).toMatchObject({ milestone: 'notice', label: 'Notice to the authority', due });
    }
  });

  it('a reminder lost from Redis is re-created by the sweeper from the stored deadlines', async () => {
    const id = await submit();
    const set = await setDeadlines(id, fastProfile, new Date());
    const due = set.body.milestones[0].due as string;
    const job = await queue.getJob(`deadline-${id}-notice-missed-${new Date(due).getTime()}`);
    expect(job).toBeDefined();
    expect(await job!.getState()).toBe('delayed');
    await job!.remove();
    await reminded(id, 'missed', due);
  });

  it('a change of awareness reschedules; a completed milestone is never missed', async () => {
    const moved = await submit();
    const completed = await submit();
    const first = await setDeadlines(moved, fastProfile, new Date());
    const oldDue = first.body.milestones[0].due as string;
    await reminded(moved, 'near', oldDue);
    // Aware an hour earlier: the notice is already overdue, and the miss is reported for the new due time.
    const again = await setDeadlines(moved, fastProfile, new Date(Date.now() - 3_600_000));
    const newDue = again.body.milestones[0].due as string;
    expect(newDue).not.toBe(oldDue);
    await reminded(moved, 'missed', newDue);

    const set = await setDeadlines(completed, fastProfile, new Date());
    const completedDue = set.body.milestones[0].due as string;
    // Near at once (within the hour's window); completed before the due time, it is never missed.
    await reminded(completed, 'near', completedDue);
    const done = await api(tokens.analyst, 'POST', `/api/v1/incidents/${completed}/deadlines/notice/complete`, {});
    expect(done.status).toBe(200);
    expect(done.body.milestones[0].status).toBe('done');

    // A marker due after both old due times: once its miss is in, theirs would have been too.
    const marker = await submit();
    const markerSet = await setDeadlines(marker, markerProfile, new Date());
    const markerDue = markerSet.body.milestones[0].due as string;
    expect(markerDue > oldDue && markerDue > completedDue).toBe(true);
    await reminded(marker, 'missed', markerDue);
    expect(deadlineAlerts(moved).map((alert) => [alert.detail.when, alert.detail.due])).toEqual([
      ['near', oldDue],
      ['missed', newDue],
    ]);
    expect(deadlineAlerts(completed).filter((alert) => alert.detail.when === 'missed')).toEqual([]);
    const inbox = (await api(b.key, 'GET', '/api/v1/oncall/alerts')).body.items as AlertView[];
    expect(
      inbox.filter((alert) => alert.incident?.id === moved && alert.detail.when === 'missed').map((a) => a.detail.due),
    ).toEqual([newDue]);
    expect(inbox.filter((alert) => alert.incident?.id === completed).map((a) => a.detail.when)).toEqual(['near']);
  });

  it('the list: due-soon and overdue of what the caller may see, nothing to another organization', async () => {
    const overdue = await submit(uniqueName('Overdue '));
    const soon = await submit(uniqueName('Soon '));
    await setDeadlines(overdue, 'nis2', new Date(Date.now() - 30 * 3_600_000));
    // Aware 23.5 h ago: the NIS2 early warning is due in half an hour, within the one-hour window.
    await setDeadlines(soon, 'nis2', new Date(Date.now() - 23.5 * 3_600_000));
    expect((await api(tokens.analyst, 'GET', '/api/v1/deadlines')).body.truncated).toBe(false);

    const overdueItems = await list(tokens.analyst, 'overdue');
    expect(overdueItems.filter((i) => i.incidentId === overdue).map((i) => [i.milestone, i.status])).toEqual([
      ['early-warning', 'overdue'],
    ]);
    expect(overdueItems.some((i) => i.incidentId === soon)).toBe(false);
    expect(overdueItems.every((i) => i.status === 'overdue')).toBe(true);

    const soonItems = await list(tokens.analyst, 'due-soon');
    const mine = soonItems.filter((i) => i.incidentId === soon);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ milestone: 'early-warning', status: 'due-soon' });
    expect(mine[0].title).toMatch(/^Soon /);
    expect(soonItems.every((i) => i.status === 'due-soon')).toBe(true);

    const all = await list(tokens.analyst);
    expect(all.filter((i) => i.incidentId === soon).map((i) => i.milestone)).toEqual([
      'early-warning',
      'incident-notification',
      'final-report',
    ]);
    expect(all.map((i) => i.due)).toEqual([...all.map((i) => i.due)].sort());

    // C may not see B's AMBER incidents: none of their deadlines, whatever the filter.
    for (const status of [undefined, 'due-soon', 'overdue'])
      expect(await list(tokens.otherAnalyst, status)).toEqual([]);
    expect((await api(tokens.otherAnalyst, 'GET', `/api/v1/incidents/${soon}/deadlines`)).status).toBe(404);
    const bad = await api(tokens.analyst, 'GET', '/api/v1/deadlines?status=later');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('status');
  });

  it('describes every route and its answers in the OpenAPI document', async () => {
    const doc = (await call(baseUrl, 'GET', '/docs/openapi.json')).body;
    const paths = Object.keys(doc.paths)
      .filter((p: string) => p.includes('deadline'))
      .sort();
    expect(paths).toEqual([
      '/api/v1/deadline-profiles',
      '/api/v1/deadline-profiles/{id}',
      '/api/v1/deadlines',
      '/api/v1/incidents/{id}/deadlines',
      '/api/v1/incidents/{id}/deadlines/{milestone}/complete',
    ]);
    const schema = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(schema('/api/v1/deadlines', 'get', '200').$ref).toBe('#/components/schemas/DeadlinePageDto');
    expect(schema('/api/v1/deadline-profiles', 'post', '201').$ref).toBe('#/components/schemas/DeadlineProfileDto');
    expect(schema('/api/v1/incidents/{id}/deadlines', 'put', '200').$ref).toBe(
      '#/components/schemas/IncidentDeadlinesDto',
    );
  });
});

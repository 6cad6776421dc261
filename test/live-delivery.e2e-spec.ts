import {
  AppProcess,
  RecordingClient,
  call,
  createCommunity,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  runCli,
  sleep,
  startDeployment,
  startSecondApi,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/**
 * Live delivery: every event worded for its reader as REST words it, each event once per socket,
 * changes of credentials from any entry point applied to live connections, and resume after a
 * dropped socket or a page reload — through either of two api instances — with nothing missed,
 * nothing repeated and nothing replayed that the reader may no longer see.
 */
describe('live delivery (two api instances, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let second: { api: AppProcess; baseUrl: string };
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string; keyPrefix: string }> = {} as never;
  const open: RecordingClient[] = [];
  let adminA: string; // A's org-admin, also on call
  let adminAId: string;

  const client = (url: string, token: string, resume: { lastEventId?: string | null; incidents?: string[] } = {}) => {
    const socket = new RecordingClient(url, token, resume);
    open.push(socket);
    return socket;
  };
  const submit = (key: string, body: Record<string, unknown>) =>
    call(baseUrl, 'POST', '/api/v1/incidents', { token: key, body });

  beforeAll(async () => {
    deployment = await startDeployment('live');
    baseUrl = deployment.baseUrl;
    second = await startSecondApi(deployment);
    for (const tag of ['a', 'b', 'c'] as const) orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
    const community = await runCli(deployment.env, ['community', 'create', '--name', uniqueName('corridor ')]);
    expect(community.code).toBe(0);
    for (const tag of ['a', 'b', 'c'] as const) {
      const args = ['community', 'add', '--community', community.json.community.id, '--org', orgs[tag].id];
      const added = await runCli(deployment.env, tag === 'b' ? [...args, '--anonymous'] : args);
      expect(added.code).toBe(0);
    }
    const admin = await createOrgAdmin(deployment, orgs.a.id, { roles: ['org-admin', 'oncall'] });
    adminA = (await logIn(baseUrl, admin)).accessToken;
    adminAId = admin.id;
  }, 180_000);

  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop(), second.api.stop()]);
  });

  it('words a comment by an anonymised organization for each reader, as REST does', async () => {
    const incident = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    expect(incident.status).toBe(201);
    const c = client(baseUrl, orgs.c.key);
    const a = client(second.baseUrl, orgs.a.key);
    await Promise.all([c.resumed(), a.resumed()]);
    for (const socket of [a, c]) {
      expect(await socket.request('incident.join', { incidentId: incident.body.id })).toEqual({
        ok: true,
        room: `incident:${incident.body.id}`,
      });
    }
    const text = `seen here too ${uniqueName('')}`;
    const posted = await call(baseUrl, 'POST', `/api/v1/incidents/${incident.body.id}/comments`, {
      token: orgs.b.key,
      body: { text },
    });
    expect(posted.status).toBe(201);
    // B itself sees its own name; A and C meet B only where B chose anonymity.
    expect(posted.body.organization).toEqual({ id: orgs.b.id, name: orgs.b.name });
    for (const [socket, key] of [
      [c, orgs.c.key],
      [a, orgs.a.key],
    ] as const) {
      const live = await socket.next('incident.commented', (e) => e.comment.text === text);
      const rest = await call(baseUrl, 'GET', `/api/v1/incidents/${incident.body.id}/comments`, { token: key });
      const { eventId, ...event } = live;
      expect(eventId).toEqual(expect.any(String));
      expect(event).toEqual({ incidentId: incident.body.id, comment: rest.body.find((x: any) => x.text === text) });
      expect(event.comment.organization).toEqual({ id: null, name: 'a partner CERT' });
      expect(JSON.stringify(socket.events)).not.toContain(orgs.b.name);
    }
  });

  it('never shows a person named on a RED incident the other side of its match unless they may see it', async () => {
    // A's RED incident names a person of C; B's AMBER incident names A; both carry one domain.
    const person = await createOrgAdmin(deployment, orgs.c.id, { roles: ['org-admin', 'analyst'] });
    const token = (await logIn(baseUrl, person)).accessToken;
    const named = client(baseUrl, token);
    const author = client(second.baseUrl, orgs.a.key);
    await Promise.all([named.resumed(), author.resumed()]);
    const domain = `${uniqueName('red-')}.com`;
    const secret = uniqueName('B only ');
    const red = await submit(
      orgs.a.key,
      incidentBody({ tlp: 'RED', indicators: [domain], recipients: { users: [person.id] } }),
    );
    expect(red.status).toBe(201);
    await named.next('incident.created', (e) => e.id === red.body.id);
    const amber = await submit(
      orgs.b.key,
      incidentBody({ tlp: 'AMBER', title: secret, indicators: [domain], recipients: { organizations: [orgs.a.id] } }),
    );
    expect(amber.status).toBe(201);
    const toAuthor = await author.next('correlation.alert', (e) => e.value === domain);
    expect(toAuthor.counterpart).toMatchObject({ disclosure: 'full', incident: { id: amber.body.id, title: secret } });
    await waitFor(
      async () =>
        (await call(baseUrl, 'GET', `/api/v1/incidents/${amber.body.id}`, { token: orgs.b.key })).body.state ===
        'correlated',
      10_000,
      'B processed',
    );
    await sleep(300);
    expect(named.received('correlation.alert')).toEqual([]);
    expect(JSON.stringify(named.events)).not.toContain(secret);
    expect(JSON.stringify(named.events)).not.toContain(amber.body.id);
    // By REST too, the named person reads A's RED incident without the match they may not see.
    const read = await call(baseUrl, 'GET', `/api/v1/incidents/${red.body.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.correlations).toEqual([]);
  });

  it('delivers each event once to a socket that is in its organization’s feed and joined the incident', async () => {
    const incident = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    const a = client(baseUrl, orgs.a.key);
    await a.resumed();
    expect((await a.request('incident.join', { incidentId: incident.body.id })).ok).toBe(true);
    const patched = await call(baseUrl, 'PATCH', `/api/v1/incidents/${incident.body.id}`, {
      token: orgs.a.key,
      body: { status: 'investigating' },
    });
    expect(patched.status).toBe(200);
    await a.next('incident.updated', (e) => e.incidentId === incident.body.id);
    await sleep(300); // anything doubled would be in flight now
    expect(a.received('incident.updated').filter((e) => e.incidentId === incident.body.id)).toHaveLength(1);
  });

  it('refuses a join flood without store scans and keeps serving the socket afterwards', async () => {
    const incident = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    const c = client(baseUrl, orgs.c.key);
    await c.resumed();
    const replies = await Promise.all(
      Array.from({ length: 300 }, () => c.request('incident.join', { incidentId: uniqueName('missing-') })),
    );
    const codes = replies.map((r) => (r.ok ? 'ok' : r.error.code));
    const limited = codes.filter((code) => code === 'rate_limited').length;
    const missing = codes.filter((code) => code === 'not_found').length;
    process.stderr.write(`join flood: 300 joins → ${limited} rate_limited, ${missing} not_found\n`);
    // 20 client events per second per socket, and 2 store look-ups per second per principal.
    expect(limited).toBeGreaterThanOrEqual(290);
    expect(missing).toBeLessThanOrEqual(4);
    expect(codes).not.toContain('ok');
    // Other organizations are unaffected, and the socket itself works again a second later.
    expect((await call(baseUrl, 'GET', `/api/v1/incidents/${incident.body.id}`, { token: orgs.a.key })).status).toBe(
      200,
    );
    await sleep(1100);
    expect(await c.request('incident.join', { incidentId: incident.body.id })).toMatchObject({ ok: true });
  });

  it('closes sockets opened with a key revoked through the operator CLI, on every api instance', async () => {
    const issued = await runCli(deployment.env, ['key', 'create', '--org', orgs.c.id]);
    expect(issued.code).toBe(0);
    const sockets = [client(baseUrl, issued.json.apiKey), client(second.baseUrl, issued.json.apiKey)];
    await Promise.all(sockets.map((s) => s.resumed()));
    const closed = sockets.map((s) => new Promise<void>((resolve) => s.socket.once('disconnect', () => resolve())));
    const revoked = await runCli(deployment.env, ['key', 'revoke', issued.json.apiKeyPrefix]);
    expect(revoked.code).toBe(0);
    await Promise.race([Promise.all(closed), sleep(5000).then(() => Promise.reject(new Error('sockets stayed open')))]);
    expect(sockets.every((s) => !s.socket.connected)).toBe(true);
    const again = client(baseUrl, issued.json.apiKey);
    await expect(again.connected()).rejects.toThrow('unauthorized');
  });

  it('closes a socket opened with an API key when the key expires', async () => {
    const accessToken = adminA;
    const expiresAt = new Date(Date.now() + 3000).toISOString();
    const issued = await call(baseUrl, 'POST', '/api/v1/keys', {
      token: accessToken,
      body: { name: 'short-lived', scopes: ['alerts:read'], expiresAt },
    });
    expect(issued.status).toBe(201);
    const socket = client(second.baseUrl, issued.body.apiKey);
    await socket.resumed();
    const reason = await new Promise<string>((resolve) => socket.socket.once('disconnect', (why) => resolve(why)));
    expect(reason).toBe('io server disconnect');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('gives a key without incidents:read no incident content live, as REST gives it none', async () => {
    const issued = await call(baseUrl, 'POST', '/api/v1/keys', {
      token: adminA,
      body: { name: 'alerts only', scopes: ['alerts:read'] },
    });
    expect(issued.status).toBe(201);
    const limited = client(second.baseUrl, issued.body.apiKey);
    const full = client(second.baseUrl, orgs.a.key);
    await Promise.all([limited.resumed(), full.resumed()]);
    const incident = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    expect((await limited.request('incident.join', { incidentId: incident.body.id })).error.code).toBe('forbidden');
    await full.next('incident.created', (e) => e.id === incident.body.id);
    await sleep(300);
    expect(limited.received('incident.created')).toEqual([]);
    const rest = await call(baseUrl, 'GET', `/api/v1/incidents/${incident.body.id}`, { token: issued.body.apiKey });
    expect(rest.status).toBe(403);
  });

  it('answers unknown client events and malformed resume ids instead of staying silent', async () => {
    const socket = client(baseUrl, orgs.a.key, { lastEventId: 'not-an-id' });
    expect(await socket.next('stream.gap', () => true)).toEqual({ reason: 'unknown_event', oldestEventId: null });
    await socket.resumed();
    const reply = await new Promise((resolve) => {
      (socket.socket.emit as (...args: unknown[]) => void)('no.such.event', {}, resolve);
    });
    expect(reply).toEqual({ ok: false, error: { code: 'unknown_event', message: 'no client event no.such.event' } });
  });

  it('acknowledges once: a repeated acknowledgement announces nothing new', async () => {
    const domain = `${uniqueName('ack-')}.com`;
    const a = client(baseUrl, adminA);
    await a.resumed();
    await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', indicators: [domain] }));
    await sleep(500);
    await submit(orgs.c.key, incidentBody({ tlp: 'GREEN', indicators: [domain] }));
    const alert = await a.next('correlation.alert', (e) => e.value === domain);
    const first = await a.request('correlation.ack', { id: alert.id });
    expect(first).toMatchObject({ ok: true, acknowledged: { id: alert.id } });
    await a.next('correlation.acknowledged', (e) => e.id === alert.id);
    const again = await call(baseUrl, 'POST', `/api/v1/correlations/${alert.id}/ack`, { token: adminA });
    expect(again.status).toBe(200);
    expect(again.body.acknowledged).toEqual(first.acknowledged.acknowledged);
    await sleep(400);
    expect(a.received('correlation.acknowledged').filter((e) => e.id === alert.id)).toHaveLength(1);
  });

  it('replays an alert whose other side was restricted meanwhile with only what its owner discloses now', async () => {
    const domain = `${uniqueName('later-')}.com`;
    const a = client(baseUrl, orgs.a.key);
    await a.resumed();
    const last = a.lastEventId;
    a.close();
    const secret = uniqueName('C title ');
    const theirs = await submit(orgs.c.key, incidentBody({ tlp: 'GREEN', title: secret, indicators: [domain] }));
    await sleep(500);
    const mine = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', indicators: [domain] }));
    await waitFor(
      async () =>
        (await call(baseUrl, 'GET', `/api/v1/incidents/${mine.body.id}`, { token: orgs.a.key })).body.correlations
          .length === 1,
      10_000,
      'the correlation',
    );
    const tightened = await call(baseUrl, 'PATCH', `/api/v1/incidents/${theirs.body.id}`, {
      token: orgs.c.key,
      body: { tlp: 'AMBER+STRICT' },
    });
    expect(tightened.status).toBe(200);
    const resumed = client(second.baseUrl, orgs.a.key, { lastEventId: last });
    await resumed.resumed();
    const alert = resumed.received('correlation.alert').find((e) => e.value === domain);
    const rest = await call(baseUrl, 'GET', `/api/v1/incidents/${mine.body.id}`, { token: orgs.a.key });
    expect(alert?.counterpart).toEqual({ disclosure: 'nothing' });
    expect(rest.body.correlations[0].counterpart).toEqual({ disclosure: 'nothing' });
    expect(JSON.stringify(resumed.events)).not.toContain(secret);
  });

  it('resumes a dropped socket through the other api instance: 50 missed events, once each, in order', async () => {
    const first = client(baseUrl, orgs.a.key);
    await first.resumed();
    const from = first.lastEventId;
    expect(from).toEqual(expect.stringMatching(/^\d+-\d+$/));
    first.close();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const created = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', title: `missed ${i}` }));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const resumed = client(second.baseUrl, orgs.a.key, { lastEventId: from });
    const done = await resumed.resumed();
    expect(done.replayed).toBeGreaterThanOrEqual(50);
    const created = resumed.received('incident.created').map((e) => e.id);
    expect(created.filter((id) => ids.includes(id))).toEqual(ids);
    // Then the live stream, without repeating anything.
    const live = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', title: 'after the resume' }));
    await resumed.next('incident.created', (e) => e.id === live.body.id);
    await sleep(300);
    const all = resumed.events.map((e) => (e.payload as { eventId?: string }).eventId).filter(Boolean);
    expect(new Set(all).size).toBe(all.length);
    expect(resumed.received('incident.created').filter((e) => e.id === live.body.id)).toHaveLength(1);
  });

  it('resumes after a page reload (a new socket with the last id of the previous one) and re-joins incidents', async () => {
    const watched = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    const before = client(baseUrl, orgs.c.key);
    await before.resumed();
    expect((await before.request('incident.join', { incidentId: watched.body.id })).ok).toBe(true);
    const comment = await call(baseUrl, 'POST', `/api/v1/incidents/${watched.body.id}/comments`, {
      token: orgs.a.key,
      body: { text: 'first note' },
    });
    expect(comment.status).toBe(201);
    await before.next('incident.commented', (e) => e.comment.text === 'first note');
    const last = before.lastEventId;
    before.close();

    const missed: string[] = [];
    for (let i = 0; i < 50; i++) missed.push((await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }))).body.id);
    await call(baseUrl, 'POST', `/api/v1/incidents/${watched.body.id}/comments`, {
      token: orgs.a.key,
      body: { text: 'second note' },
    });

    const reloaded = client(baseUrl, orgs.c.key, { lastEventId: last, incidents: [watched.body.id] });
    await reloaded.resumed();
    expect(
      reloaded
        .received('incident.created')
        .map((e) => e.id)
        .filter((id) => missed.includes(id)),
    ).toEqual(missed);
    expect(reloaded.received('incident.commented').map((e) => e.comment.text)).toEqual(['second note']);
    // C sees A by name (A is not anonymous), exactly as a REST read by C does.
    const rest = await call(baseUrl, 'GET', `/api/v1/incidents/${missed[0]}`, { token: orgs.c.key });
    const { eventId: _eventId, ...summary } = reloaded.received('incident.created').find((e) => e.id === missed[0])!;
    expect(summary).toEqual({
      id: rest.body.id,
      organization: rest.body.organization,
      title: rest.body.title,
      severity: rest.body.severity,
      tlp: rest.body.tlp,
      classification: rest.body.classification,
      state: 'pending',
      status: rest.body.status,
      createdAt: rest.body.createdAt,
    });
  });

  it('does not replay an event about an incident the reader may no longer see', async () => {
    const b = client(second.baseUrl, orgs.b.key);
    await b.resumed();
    const last = b.lastEventId;
    b.close();
    const tightened = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', title: uniqueName('tightened ') }));
    const kept = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN', title: uniqueName('kept ') }));
    const patch = await call(baseUrl, 'PATCH', `/api/v1/incidents/${tightened.body.id}`, {
      token: orgs.a.key,
      body: { tlp: 'AMBER+STRICT' },
    });
    expect(patch.status).toBe(200);
    expect((await call(baseUrl, 'GET', `/api/v1/incidents/${tightened.body.id}`, { token: orgs.b.key })).status).toBe(
      404,
    );
    const resumed = client(baseUrl, orgs.b.key, { lastEventId: last });
    await resumed.resumed();
    expect(resumed.received('incident.created').map((e) => e.id)).toContain(kept.body.id);
    // Only that it was withdrawn: the id the reader had, nothing else of it.
    const mentioning = resumed.events.filter((e) => JSON.stringify(e.payload).includes(tightened.body.id));
    expect(mentioning.map((e) => e.event)).toEqual(['incident.withdrawn']);
    expect(JSON.stringify(resumed.events)).not.toContain(tightened.body.title);
  });

  it('tells a client resuming from beyond the window, or from an id never issued, to re-read by REST', async () => {
    const old = client(baseUrl, orgs.a.key, { lastEventId: '1-0' });
    expect(await old.next('stream.gap', () => true)).toEqual({
      reason: 'beyond_window',
      oldestEventId: expect.any(String),
    });
    const done = await old.resumed();
    expect(done).toEqual({ replayed: 0, lastEventId: expect.stringMatching(/^\d+-\d+$/) });
    const future = client(baseUrl, orgs.a.key, { lastEventId: `${Date.now() + 86_400_000}-0` });
    expect(await future.next('stream.gap', () => true)).toEqual({ reason: 'unknown_event', oldestEventId: null });
    await waitFor(() => future.received('stream.resumed').length === 1, 5000, 'resumed after the gap');
  });

  it('shows assignments to the owning organization only, and a member that leaves a community stops seeing its GREEN', async () => {
    const d = await createOrganization(deployment.env);
    const community = await createCommunity(deployment.env, [{ orgId: orgs.a.id }, { orgId: d.id }]);
    const mine = await submit(orgs.a.key, incidentBody({ tlp: 'GREEN' }));
    const assigned = await call(baseUrl, 'PATCH', `/api/v1/incidents/${mine.body.id}`, {
      token: adminA,
      body: { assigneeId: adminAId },
    });
    expect(assigned.status).toBe(200);
    const asked = (token: string) =>
      call(baseUrl, 'GET', `/api/v1/incidents?assignee=${adminAId}&limit=200`, { token }).then((r) =>
        r.body.items.map((i: { id: string }) => i.id),
      );
    expect(await asked(orgs.a.key)).toContain(mine.body.id);
    expect(await asked(d.key)).toEqual([]);

    const theirs = await submit(d.key, incidentBody({ tlp: 'GREEN' }));
    const read = () => call(baseUrl, 'GET', `/api/v1/incidents/${theirs.body.id}`, { token: orgs.a.key });
    expect((await read()).status).toBe(200);
    const admin = await createOrgAdmin(deployment, d.id);
    const { accessToken } = await logIn(baseUrl, admin);
    const left = await call(baseUrl, 'DELETE', `/api/v1/communities/${community.id}/members/${d.id}`, {
      token: accessToken,
    });
    expect(left.status).toBe(204);
    expect((await read()).status).toBe(404);
    const listed = await call(baseUrl, 'GET', '/api/v1/communities', { token: accessToken });
    expect(listed.body.map((c: { id: string }) => c.id)).not.toContain(community.id);
  });
});

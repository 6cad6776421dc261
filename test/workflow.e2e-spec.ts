import { stixIncidentId } from '@corridor/domain';
import {
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  incidentBody,
  logIn,
  runCli,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';
import { TimelineRepository, connectMongo } from '@corridor/persistence';

/**
 * The analysts' workspace: the status workflow (who moved it, when, and which moves exist), assignment
 * within the submitting organization ("my incidents"), and free-text search over what the reader may see.
 */
describe('analysts’ workspace (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c', { id: string; name: string; key: string }> = {} as never;
  let admin: { id: string; token: string };
  let analyst: { id: string; token: string };
  let outsider: { id: string; token: string };

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const submit = async (key: string, overrides: Record<string, unknown> = {}) => {
    const created = await http(key, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    return created.body as { id: string; status: string };
  };

  beforeAll(async () => {
    deployment = await startDeployment('workflow');
    baseUrl = deployment.baseUrl;
    for (const tag of ['a', 'b', 'c'] as const) orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
    const community = await runCli(deployment.env, ['community', 'create', '--name', uniqueName('corridor ')]);
    expect(community.code).toBe(0);
    for (const tag of ['a', 'b'] as const) {
      const added = await runCli(deployment.env, [
        'community',
        'add',
        '--community',
        community.json.community.id,
        '--org',
        orgs[tag].id,
      ]);
      expect(added.code).toBe(0);
    }
    const adminPerson = await createOrgAdmin(deployment, orgs.a.id, { roles: ['org-admin', 'analyst'] });
    admin = { id: adminPerson.id, token: (await logIn(baseUrl, adminPerson)).accessToken };
    const analystPerson = await createPerson(baseUrl, admin.token, ['analyst']);
    analyst = { id: analystPerson.id, token: (await logIn(baseUrl, analystPerson)).accessToken };
    const outsiderPerson = await createOrgAdmin(deployment, orgs.b.id, { roles: ['org-admin', 'analyst'] });
    outsider = { id: outsiderPerson.id, token: (await logIn(baseUrl, outsiderPerson)).accessToken };
  }, 240_000);

  const open: RecordingClient[] = [];
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  });

  it('describes what clients receive in the OpenAPI document', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    expect(docs.status).toBe(200);
    const ok = (path: string, method = 'get', status = '200') =>
      docs.body.paths[path][method].responses[status].content['application/json'].schema;
    expect(ok('/api/v1/incidents/{id}')).toEqual({ $ref: '#/components/schemas/IncidentDetailDto' });
    expect(ok('/api/v1/incidents')).toEqual({ $ref: '#/components/schemas/IncidentPageDto' });
    expect(ok('/api/v1/incidents/{id}/timeline')).toEqual({ $ref: '#/components/schemas/TimelinePageDto' });
    expect(ok('/api/v1/incidents/{id}/comments')).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/CommentViewDto' },
    });
    const schemas = docs.body.components.schemas;
    expect(schemas.IncidentListItemDto.properties.organization).toEqual({
      $ref: '#/components/schemas/OrganizationRefDto',
    });
    expect(schemas.IncidentDetailDto.properties.correlations.items).toEqual({
      $ref: '#/components/schemas/CorrelationViewDto',
    });
    expect(schemas.CorrelationViewDto.required).toEqual(
      expect.arrayContaining(['id', 'type', 'value', 'yourIncidentId', 'counterpart', 'createdAt']),
    );
    expect(schemas.TimelineEntryDto.properties.kind.enum).toEqual(
      expect.arrayContaining(['submitted', 'correlated', 'status_changed', 'assigned', 'commented']),
    );
    expect(schemas.UpdateIncidentDto.properties.status.enum).toEqual([
      'new',
      'triaged',
      'investigating',
      'contained',
      'resolved',
      'closed',
    ]);
  });

  describe('status workflow', () => {
    it('walks the lifecycle, recording who moved it and when', async () => {
      const incident = await submit(orgs.a.key);
      expect(incident.status).toBe('new');
      let last = '';
      for (const status of ['triaged', 'investigating', 'contained', 'resolved', 'closed']) {
        const before = Date.now();
        const moved = await http(analyst.token, 'PATCH', `/api/v1/incidents/${incident.id}`, { status });
        expect(moved.status).toBe(200);
        expect(moved.body.status).toBe(status);
        expect(moved.body.statusChangedBy).toBe(analyst.id);
        const at = Date.parse(moved.body.statusChangedAt);
        expect(at).toBeGreaterThanOrEqual(before - 1000);
        expect(moved.body.statusChangedAt > last).toBe(true);
        last = moved.body.statusChangedAt;
      }
    });

    it('refuses a move the lifecycle does not allow with 409 and the allowed next statuses', async () => {
      const incident = await submit(orgs.a.key);
      expect(
        (await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'contained' })).status,
      ).toBe(200);
      const back = await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'triaged' });
      expect(back.status).toBe(409);
      expect(back.body.error.code).toBe('conflict');
      expect(back.body.error.details).toEqual({ allowed: ['resolved', 'closed'] });
      const read = await http(orgs.a.key, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(read.body.status).toBe('contained');
    });

    it('reopens a closed incident to investigating, and only there', async () => {
      const incident = await submit(orgs.a.key);
      expect((await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'closed' })).status).toBe(
        200,
      );
      const resolvedAgain = await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'resolved' });
      expect(resolvedAgain.status).toBe(409);
      expect(resolvedAgain.body.error.details.allowed).toEqual(['investigating']);
      const reopened = await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'investigating' });
      expect(reopened.status).toBe(200);
      expect(reopened.body.status).toBe('investigating');
    });

    it('filters lists, counts and exports by workflow status (`status`) and processing state (`state`)', async () => {
      const title = uniqueName('filtered-');
      const triaged = await submit(orgs.a.key, { title: `${title} one` });
      const fresh = await submit(orgs.a.key, { title: `${title} two` });
      expect((await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${triaged.id}`, { status: 'triaged' })).status).toBe(
        200,
      );
      for (const id of [triaged.id, fresh.id]) {
        await waitFor(
          async () => (await http(orgs.a.key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
          15_000,
          'processed',
        );
      }
      const q = `q=${encodeURIComponent(title)}`;
      const listed = async (filter: string) =>
        ((await http(orgs.a.key, 'GET', `/api/v1/incidents?${q}&${filter}`)).body.items as Array<{ id: string }>).map(
          (i) => i.id,
        );
      expect(await listed('status=triaged')).toEqual([triaged.id]);
      expect(await listed('status=new')).toEqual([fresh.id]);
      expect(await listed('state=correlated')).toEqual([fresh.id, triaged.id]);
      expect(await listed('state=pending')).toEqual([]);
      expect(await listed('status=triaged&state=correlated')).toEqual([triaged.id]);

      const stats = await http(orgs.a.key, 'GET', `/api/v1/stats?${q}&status=new`);
      expect(stats.body).toMatchObject({ total: 1, state: { correlated: 1 } });
      const exported = await http(orgs.a.key, 'GET', `/api/v1/export?${q}&status=triaged`);
      expect(exported.status).toBe(200);
      const stixIds = (exported.body.objects as Array<{ type: string; id: string }>)
        .filter((o) => o.type === 'incident')
        .map((o) => o.id);
      expect(stixIds).toEqual([stixIncidentId(triaged.id)]);

      // `status` is the workflow status everywhere; a processing state there, or the old `workflow`, is refused.
      for (const [path, field] of [
        [`/api/v1/incidents?status=correlated`, 'status'],
        [`/api/v1/stats?state=new`, 'state'],
        [`/api/v1/export?workflow=new`, 'workflow'],
        [`/api/v1/incidents?workflow=triaged`, 'workflow'],
      ]) {
        const refused = await http(orgs.a.key, 'GET', path);
        expect({ path, status: refused.status }).toEqual({ path, status: 400 });
        expect(refused.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      }
    });

    it('shows partners when the status changed but not who changed it', async () => {
      const incident = await submit(orgs.a.key, { tlp: 'GREEN' });
      const moved = await http(analyst.token, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'triaged' });
      const partner = await http(orgs.b.key, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(partner.status).toBe(200);
      expect(partner.body).toMatchObject({ status: 'triaged', statusChangedAt: moved.body.statusChangedAt });
      expect(partner.body.statusChangedBy).toBeNull();
      expect(partner.body.assigneeId).toBeNull();
    });
  });

  describe('assignment', () => {
    it('assigns to a person of the owning organization, lists "my incidents", and unassigns', async () => {
      const mine = await submit(orgs.a.key, { title: uniqueName('assigned ') });
      const other = await submit(orgs.a.key);
      const assigned = await http(admin.token, 'PATCH', `/api/v1/incidents/${mine.id}`, { assigneeId: analyst.id });
      expect(assigned.status).toBe(200);
      expect(assigned.body.assigneeId).toBe(analyst.id);

      const my = await http(analyst.token, 'GET', '/api/v1/incidents?assignee=me');
      expect(my.status).toBe(200);
      expect(my.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
      expect(my.body.items[0].assigneeId).toBe(analyst.id);
      const byId = await http(admin.token, 'GET', `/api/v1/incidents?assignee=${analyst.id}`);
      expect(byId.body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
      expect((await http(admin.token, 'GET', '/api/v1/incidents?assignee=me')).body.items).toEqual([]);
      expect(other.id).not.toBe(mine.id);

      const unassigned = await http(admin.token, 'PATCH', `/api/v1/incidents/${mine.id}`, { assigneeId: null });
      expect(unassigned.status).toBe(200);
      expect(unassigned.body.assigneeId).toBeNull();
      expect((await http(analyst.token, 'GET', '/api/v1/incidents?assignee=me')).body.items).toEqual([]);
    });

    it('refuses an assignee outside the owning organization with 400 naming the field', async () => {
      const incident = await submit(orgs.a.key);
      for (const assigneeId of [outsider.id, 'no-such-user']) {
        const refused = await http(admin.token, 'PATCH', `/api/v1/incidents/${incident.id}`, { assigneeId });
        expect(refused.status).toBe(400);
        expect(refused.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['assigneeId']);
      }
      const read = await http(admin.token, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(read.body.assigneeId).toBeNull();
    });

    it('lets only the submitting organization assign', async () => {
      const incident = await submit(orgs.a.key, { tlp: 'GREEN' });
      const partner = await http(outsider.token, 'PATCH', `/api/v1/incidents/${incident.id}`, {
        assigneeId: outsider.id,
      });
      expect(partner.status).toBe(403);
    });
  });

  describe('timeline', () => {
    const processed = (key: string, id: string) =>
      waitFor(
        async () => (await http(key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
        30_000,
        `incident ${id} processed`,
      );
    const timelineOf = async (token: string, id: string, query = '') => {
      const read = await http(token, 'GET', `/api/v1/incidents/${id}/timeline${query}`);
      expect(read.status).toBe(200);
      return read.body as { items: Array<Record<string, any>>; nextCursor: string | null };
    };

    it('orders status changes made at the same moment as they were applied: each starts where the last ended', async () => {
      for (let round = 0; round < 3; round++) {
        const { id } = await submit(orgs.a.key);
        const moves = ['triaged', 'investigating', 'contained', 'resolved', 'closed'].map((status) =>
          http(analyst.token, 'PATCH', `/api/v1/incidents/${id}`, { status }),
        );
        const replies = await Promise.all(moves);
        expect(replies.every((reply) => reply.status === 200 || reply.status === 409)).toBe(true);
        const applied = replies.filter((reply) => reply.status === 200).length;
        const changes = (await timelineOf(analyst.token, id)).items.filter((entry) => entry.kind === 'status_changed');
        const final = (await http(analyst.token, 'GET', `/api/v1/incidents/${id}`)).body.status;
        // A 200 that found the status already set records nothing; every recorded change chains.
        expect(changes.length).toBeGreaterThan(0);
        expect(changes.length).toBeLessThanOrEqual(applied);
        expect(changes[0].from).toBe('new');
        for (let i = 1; i < changes.length; i++) expect(changes[i].from).toBe(changes[i - 1].to);
        expect(changes.at(-1)!.to).toBe(final);
      }
    });

    it('records what happened, worded per reader, and sends each new entry live as REST reads it', async () => {
      const domain = `${uniqueName('tl-')}.com`;
      const own = await submit(orgs.a.key, { tlp: 'GREEN', indicators: [domain] });
      await processed(orgs.a.key, own.id);
      const mine = new RecordingClient(baseUrl, analyst.token);
      const partner = new RecordingClient(baseUrl, orgs.b.key);
      open.push(mine, partner);
      await Promise.all([mine.resumed(), partner.resumed()]);
      for (const socket of [mine, partner]) {
        expect((await socket.request('incident.join', { incidentId: own.id })).ok).toBe(true);
      }
      // B's matching incident correlates with A's: both timelines get the correlation.
      const theirs = await submit(orgs.b.key, { tlp: 'GREEN', indicators: [domain.toUpperCase()] });
      await processed(orgs.b.key, theirs.id);
      expect((await http(analyst.token, 'PATCH', `/api/v1/incidents/${own.id}`, { status: 'triaged' })).status).toBe(
        200,
      );
      expect(
        (await http(admin.token, 'PATCH', `/api/v1/incidents/${own.id}`, { assigneeId: analyst.id, tlp: 'AMBER' }))
          .status,
      ).toBe(200);
      expect((await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${own.id}`, { tlp: 'GREEN' })).status).toBe(200);
      const text = uniqueName('looking at it ');
      expect((await http(orgs.b.key, 'POST', `/api/v1/incidents/${own.id}/comments`, { text })).status).toBe(201);

      const owner = await timelineOf(analyst.token, own.id);
      // Entries of one change share its time and are ordered by id (`assigned-…` before `tlp_changed-…`).
      expect(owner.items.map((e) => e.kind)).toEqual([
        'submitted',
        'processed',
        'correlated',
        'status_changed',
        'assigned',
        'tlp_changed',
        'tlp_changed',
        'commented',
      ]);
      const [submitted, done, correlated, status, assigned, amber, green, comment] = owner.items;
      expect(submitted.by).toEqual({
        organization: { id: orgs.a.id, name: orgs.a.name },
        principalId: expect.any(String),
      });
      expect(done).toMatchObject({ by: null, indicators: 1, rejected: 0 });
      expect(correlated.correlation).toMatchObject({
        type: 'domain',
        value: domain,
        yourIncidentId: own.id,
        counterpart: { disclosure: 'full', incident: { id: theirs.id } },
      });
      expect(status).toMatchObject({
        from: 'new',
        to: 'triaged',
        by: { organization: { id: orgs.a.id, name: orgs.a.name }, principalId: analyst.id },
      });
      expect(amber).toMatchObject({ from: 'GREEN', to: 'AMBER', by: { principalId: admin.id } });
      expect(assigned).toMatchObject({ from: null, to: analyst.id, by: { principalId: admin.id } });
      expect(green).toMatchObject({ from: 'AMBER', to: 'GREEN' });
      expect(comment.comment).toMatchObject({ organization: { id: orgs.b.id, name: orgs.b.name }, text });
      expect(owner.nextCursor).toBeNull();

      // The partner: no assignment (the submitter's business), nobody of A named, and the same correlation.
      const seenByPartner = await timelineOf(orgs.b.key, own.id);
      expect(seenByPartner.items.map((e) => e.kind)).toEqual([
        'submitted',
        'processed',
        'correlated',
        'status_changed',
        'tlp_changed',
        'tlp_changed',
        'commented',
      ]);
      expect(seenByPartner.items[3].by).toEqual({
        organization: { id: orgs.a.id, name: orgs.a.name },
        principalId: null,
      });
      expect(JSON.stringify(seenByPartner)).not.toContain(analyst.id);
      expect((await http(orgs.c.key, 'GET', `/api/v1/incidents/${own.id}/timeline`)).status).toBe(404);

      // Live: every entry after the join, equal to that reader's REST entry. B was put out of the room
      // while the incident was AMBER: it got what happened before, nothing after.
      const liveOf = (socket: RecordingClient) =>
        socket
          .received('incident.timeline')
          .filter((e) => e.incidentId === own.id)
          .map(({ eventId: _eventId, ...entry }) => entry);
      await mine.next('incident.timeline', (e) => e.id === comment.id);
      const expectedMine = owner.items.slice(2);
      expect(liveOf(mine)).toHaveLength(expectedMine.length);
      expect(liveOf(mine)).toEqual(expect.arrayContaining(expectedMine));
      expect(liveOf(partner)).toEqual(seenByPartner.items.slice(2, 4));
    });

    it('records an acknowledgement on the acknowledging side, for its organization only', async () => {
      const oncallPerson = await createPerson(baseUrl, admin.token, ['oncall']);
      const oncall = { id: oncallPerson.id, token: (await logIn(baseUrl, oncallPerson)).accessToken };
      const domain = `${uniqueName('ack-')}.com`;
      const own = await submit(orgs.a.key, { tlp: 'GREEN', indicators: [domain] });
      await processed(orgs.a.key, own.id);
      const theirs = await submit(orgs.b.key, { tlp: 'GREEN', indicators: [domain] });
      await processed(orgs.b.key, theirs.id);
      const [correlation] = (await http(orgs.a.key, 'GET', `/api/v1/incidents/${own.id}`)).body.correlations;
      const ack = await http(oncall.token, 'POST', `/api/v1/correlations/${correlation.id}/ack`);
      expect(ack.status).toBe(200);
      const owner = await timelineOf(analyst.token, own.id);
      expect(owner.items.at(-1)).toEqual({
        id: `acknowledged-${own.id}-${correlation.id}`,
        incidentId: own.id,
        at: ack.body.acknowledged.at,
        by: { organization: { id: orgs.a.id, name: orgs.a.name }, principalId: oncall.id },
        kind: 'acknowledged',
        correlationId: correlation.id,
      });
      // A second acknowledgement stands as the first: no second entry.
      expect((await http(oncall.token, 'POST', `/api/v1/correlations/${correlation.id}/ack`)).status).toBe(200);
      expect((await timelineOf(analyst.token, own.id)).items).toEqual(owner.items);
      const partner = await timelineOf(orgs.b.key, own.id);
      expect(partner.items.map((e) => e.kind)).not.toContain('acknowledged');
      expect((await timelineOf(orgs.b.key, theirs.id)).items.map((e) => e.kind)).toEqual([
        'submitted',
        'correlated',
        'processed',
      ]);
    });

    it('stores each entry once: a retried job finds the first one as it was', async () => {
      const connection = await connectMongo(deployment.env.MONGODB_URI, 5000);
      try {
        const timeline = new TimelineRepository(connection);
        const incidentId = uniqueName('incident-');
        const first = {
          id: `processed-${incidentId}`,
          incidentId,
          at: new Date('2026-11-29T10:00:00.000Z'),
          actor: null,
          kind: 'processed' as const,
          indicators: 3,
          rejected: 1,
        };
        expect(await timeline.add(first)).toBe(true);
        expect(await timeline.add({ ...first, at: new Date('2026-11-29T10:05:00.000Z'), indicators: 4 })).toBe(false);
        expect(await timeline.get(incidentId, first.id)).toEqual(first);
        expect((await timeline.page(incidentId, undefined, 10)).items).toEqual([first]);
      } finally {
        await connection.close();
      }
    });

    it('pages oldest first without gaps or repeats', async () => {
      const incident = await submit(orgs.a.key);
      for (const status of ['triaged', 'investigating', 'contained', 'resolved']) {
        expect((await http(orgs.a.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status })).status).toBe(200);
      }
      await processed(orgs.a.key, incident.id);
      const all = await timelineOf(orgs.a.key, incident.id);
      expect(all.items).toHaveLength(6);
      const paged: Array<Record<string, any>> = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await timelineOf(orgs.a.key, incident.id, query);
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.items);
      const bad = await http(orgs.a.key, 'GET', `/api/v1/incidents/${incident.id}/timeline?cursor=bm9wZQ`);
      expect(bad.status).toBe(400);
    });
  });

  describe('free-text search', () => {
    it('finds by title, description and indicator value, case-insensitively, among visible incidents', async () => {
      const word = uniqueName('zebra').replace(/[^a-z0-9]/gi, '');
      const domain = `${word.toLowerCase()}-c2.com`;
      const byTitle = await submit(orgs.a.key, { tlp: 'GREEN', title: `Phish wave ${word}` });
      const byDescription = await submit(orgs.a.key, { tlp: 'GREEN', description: `Seen: ${word.toUpperCase()} kit` });
      const byIndicator = await submit(orgs.a.key, { tlp: 'GREEN', indicators: [domain.replace('.', '[.]')] });
      const hidden = await submit(orgs.a.key, { tlp: 'AMBER+STRICT', title: `Internal ${word}` });
      // The indicator is searchable once normalized.
      for (let i = 0; i < 50; i += 1) {
        const read = await http(orgs.a.key, 'GET', `/api/v1/incidents/${byIndicator.id}`);
        if (read.body.state === 'correlated') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const q = encodeURIComponent(word.toLowerCase());
      const owner = await http(orgs.a.key, 'GET', `/api/v1/incidents?q=${q}`);
      expect(owner.status).toBe(200);
      expect(new Set(owner.body.items.map((i: { id: string }) => i.id))).toEqual(
        new Set([byTitle.id, byDescription.id, byIndicator.id, hidden.id]),
      );
      const partner = await http(orgs.b.key, 'GET', `/api/v1/incidents?q=${q}`);
      expect(new Set(partner.body.items.map((i: { id: string }) => i.id))).toEqual(
        new Set([byTitle.id, byDescription.id, byIndicator.id]),
      );
      const stranger = await http(orgs.c.key, 'GET', `/api/v1/incidents?q=${q}`);
      expect(stranger.body.items).toEqual([]);
    });

    it('treats the text literally and bounds it', async () => {
      const incident = await submit(orgs.a.key, { tlp: 'GREEN', title: uniqueName('a+b (x) ') });
      const literal = await http(orgs.a.key, 'GET', `/api/v1/incidents?q=${encodeURIComponent('a+b (x)')}`);
      expect(literal.body.items.map((i: { id: string }) => i.id)).toContain(incident.id);
      const regex = await http(orgs.a.key, 'GET', `/api/v1/incidents?q=${encodeURIComponent('.*')}`);
      expect(regex.body.items).toEqual([]);
      const long = await http(orgs.a.key, 'GET', `/api/v1/incidents?q=${'x'.repeat(201)}`);
      expect(long.status).toBe(400);
      expect(long.body.error.details.fields[0].field).toBe('q');
    });
  });
});

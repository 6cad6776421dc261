import { stixIncidentId } from '@corridor/domain';
import {
  AppProcess,
  RecordingClient,
  call,
  createFirstOrgAdminByApi,
  createOperator,
  createPerson,
  incidentBody,
  logIn,
  sleep,
  uniqueName,
  waitFor,
  createOrganization,
  startDeployment,
} from '@corridor/testing';

/**
 * TLP 2.0 on every path. Organizations: S submits; P shares a community with S; R is named as a
 * recipient organization of the GREEN and AMBER incidents (it shares no community with S); O is an
 * outsider (one of its people is named as a RED recipient). Every viewer
 * (role × relationship) looks at one incident per TLP level through every path; each cell asserts
 * visible or invisible against the table below, written by hand from TLP 2.0.
 */
type Relationship = 'author' | 'same-org' | 'community' | 'recipient-org' | 'named-user' | 'outsider';
type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
const LEVELS: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
const MAY_SEE: Record<Tlp, Relationship[]> = {
  CLEAR: ['author', 'same-org', 'community', 'recipient-org', 'named-user', 'outsider'],
  GREEN: ['author', 'same-org', 'community', 'recipient-org'],
  AMBER: ['author', 'same-org', 'recipient-org'],
  'AMBER+STRICT': ['author', 'same-org'],
  RED: ['author', 'named-user'],
};
// Each incident gets its own RSIT classification so counts can be asked per incident.
// Each level names the recipients it takes (others would be refused).
const NAMES: Record<Tlp, Array<'organizations' | 'users'>> = {
  CLEAR: [],
  GREEN: ['organizations'],
  AMBER: ['organizations'],
  'AMBER+STRICT': [],
  RED: ['users'],
};
const CLASSIFICATION: Record<Tlp, { class: string; type: string }> = {
  CLEAR: { class: 'abusive-content', type: 'spam' },
  GREEN: { class: 'abusive-content', type: 'harmful-speech' },
  AMBER: { class: 'abusive-content', type: 'violence' },
  'AMBER+STRICT': { class: 'test', type: 'test' },
  RED: { class: 'other', type: 'undetermined' },
};

interface ViewerSpec {
  name: string;
  org: 'S' | 'P' | 'R' | 'O' | 'Operator';
  relationship: Relationship;
  /** A person's roles, or an API key. */
  roles: string[] | 'key';
}

const VIEWERS: ViewerSpec[] = [
  { name: 'author (S analyst)', org: 'S', relationship: 'author', roles: ['analyst'] },
  { name: 'S analyst', org: 'S', relationship: 'same-org', roles: ['analyst'] },
  { name: 'S oncall', org: 'S', relationship: 'same-org', roles: ['oncall'] },
  { name: 'S org-admin', org: 'S', relationship: 'same-org', roles: ['org-admin'] },
  { name: 'S API key', org: 'S', relationship: 'same-org', roles: 'key' },
  { name: 'P analyst', org: 'P', relationship: 'community', roles: ['analyst'] },
  { name: 'P oncall', org: 'P', relationship: 'community', roles: ['oncall'] },
  { name: 'P org-admin', org: 'P', relationship: 'community', roles: ['org-admin'] },
  { name: 'P API key', org: 'P', relationship: 'community', roles: 'key' },
  { name: 'R analyst', org: 'R', relationship: 'recipient-org', roles: ['analyst'] },
  { name: 'R API key', org: 'R', relationship: 'recipient-org', roles: 'key' },
  { name: 'O named analyst', org: 'O', relationship: 'named-user', roles: ['analyst'] },
  { name: 'O analyst', org: 'O', relationship: 'outsider', roles: ['analyst'] },
  { name: 'O oncall', org: 'O', relationship: 'outsider', roles: ['oncall'] },
  { name: 'O API key', org: 'O', relationship: 'outsider', roles: 'key' },
  // The operator's own account, in the operator's own organization (never beside an organization's people).
  { name: 'operator platform-admin', org: 'Operator', relationship: 'outsider', roles: ['platform-admin'] },
];

const reads = (v: ViewerSpec) => v.roles === 'key' || v.roles.some((r) => r === 'analyst' || r === 'oncall');
const expectedVisible = (v: ViewerSpec, tlp: Tlp) => reads(v) && MAY_SEE[tlp].includes(v.relationship);

describe('authorization matrix: roles × TLP × paths × relationship', () => {
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let worker: AppProcess;
  const orgIds: Record<string, string> = {};
  const orgKeys: Record<string, string> = {};
  const tokens = new Map<string, string>(); // viewer name → credential
  const userIds = new Map<string, string>();
  const sockets = new Map<string, RecordingClient>();
  const incidents = new Map<Tlp, { id: string; title: string; indicator: string }>();
  /** Each other organization's probe incident (AMBER+STRICT, carrying every indicator of S's incidents). */
  const probes: Record<string, string> = {};
  let adminToken: string;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });

  beforeAll(async () => {
    ({ env, baseUrl, api, worker } = await startDeployment('matrix'));
    for (const org of ['S', 'P', 'R', 'O']) {
      const created = await createOrganization(env, { name: uniqueName(`${org} `) });
      orgIds[org] = created.id;
      orgKeys[org] = created.key;
    }
    const operator = await createOperator(env);
    orgIds.Operator = operator.orgId;
    adminToken = (await logIn(baseUrl, operator)).accessToken;

    const community = await http(adminToken, 'POST', '/api/v1/communities', { name: uniqueName('corridor ') });
    expect(community.status).toBe(201);
    for (const org of ['S', 'P']) {
      expect(
        (await http(adminToken, 'PUT', `/api/v1/communities/${community.body.id}/members/${orgIds[org]}`, {})).status,
      ).toBe(200);
    }

    // Each organization's first org-admin, created by the platform-admin and set up by the person
    // (the org-admin viewer where there is one); it then creates the organization's other viewers.
    const orgAdminTokens: Record<string, string> = {};
    for (const org of ['S', 'P', 'R', 'O']) {
      const viewer = VIEWERS.find((v) => v.org === org && v.roles !== 'key' && v.roles.join() === 'org-admin');
      const admin = await createFirstOrgAdminByApi(baseUrl, adminToken, orgIds[org], { name: viewer?.name });
      orgAdminTokens[org] = (await logIn(baseUrl, admin)).accessToken;
      if (viewer) {
        userIds.set(viewer.name, admin.id);
        tokens.set(viewer.name, orgAdminTokens[org]);
      }
    }
    for (const viewer of VIEWERS) {
      if (tokens.has(viewer.name)) continue;
      if (viewer.roles === 'key') {
        tokens.set(viewer.name, orgKeys[viewer.org]);
        continue;
      }
      if (viewer.org === 'Operator') {
        userIds.set(viewer.name, operator.id);
        tokens.set(viewer.name, adminToken);
        continue;
      }
      const person = await createPerson(baseUrl, orgAdminTokens[viewer.org], viewer.roles, { name: viewer.name });
      userIds.set(viewer.name, person.id);
      tokens.set(viewer.name, (await logIn(baseUrl, person)).accessToken);
    }
    // Sockets first, so creation events are observed.
    for (const viewer of VIEWERS) {
      const client = new RecordingClient(baseUrl, tokens.get(viewer.name));
      try {
        await client.connected();
        sockets.set(viewer.name, client);
      } catch {
        client.close(); // no alerts:read: refused at the handshake
      }
    }
    const author = tokens.get('author (S analyst)')!;
    for (const tlp of LEVELS) {
      const indicator = `${uniqueName('m-')}.com`;
      const title = `matrix ${tlp} ${uniqueName('')}`;
      const created = await http(author, 'POST', '/api/v1/incidents', {
        ...incidentBody({ tlp, title, indicators: [indicator], classification: CLASSIFICATION[tlp] }),
        recipients: {
          organizations: NAMES[tlp].includes('organizations') ? [orgIds.R] : [],
          users: NAMES[tlp].includes('users') ? [userIds.get('O named analyst')!] : [],
        },
      });
      expect(created.status).toBe(201);
      incidents.set(tlp, { id: created.body.id, title, indicator });
      const comment = await http(author, 'POST', `/api/v1/incidents/${created.body.id}/comments`, {
        text: `note on ${title}`,
      });
      expect(comment.status).toBe(201);
    }
    for (const { id } of incidents.values()) {
      await waitFor(
        async () => (await http(author, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
        15_000,
        'correlated',
      );
    }
    // Every other organization reports all the indicators, so every side gets correlation alerts.
    const probeIndicators = [...incidents.values()].map((i) => i.indicator);
    for (const org of ['P', 'R', 'O']) {
      const probe = await http(
        orgKeys[org],
        'POST',
        '/api/v1/incidents',
        incidentBody({
          tlp: 'AMBER+STRICT',
          indicators: probeIndicators,
          classification: { class: 'vulnerable', type: 'weak-crypto' },
        }),
      );
      expect(probe.status).toBe(201);
      probes[org] = probe.body.id;
      await waitFor(
        async () => (await http(orgKeys[org], 'GET', `/api/v1/incidents/${probe.body.id}`)).body.state === 'correlated',
        15_000,
        'probe correlated',
      );
    }
    await sleep(500); // deliveries in flight
  }, 180_000);

  afterAll(async () => {
    for (const client of sockets.values()) client.close();
    await Promise.all([api?.stop(), worker?.stop()]);
  }, 180_000);

  it('shows each incident exactly to those TLP 2.0 allows, on every path', async () => {
    const cells: string[] = [];
    const failures: string[] = [];
    const check = (viewer: ViewerSpec, tlp: Tlp, path: string, visible: boolean) => {
      cells.push(`${viewer.name}|${tlp}|${path}`);
      const expected = expectedVisible(viewer, tlp);
      if (visible !== expected)
        failures.push(
          `${viewer.name} / ${tlp} / ${path}: expected ${expected ? 'visible' : 'invisible'}, was ${visible ? 'visible' : 'invisible'}`,
        );
    };
    for (const viewer of VIEWERS) {
      const token = tokens.get(viewer.name)!;
      const list = await http(token, 'GET', '/api/v1/incidents?limit=200');
      const exported = await http(token, 'GET', '/api/v1/export');
      const alertList = await http(token, 'GET', '/api/v1/alerts?limit=200');
      const overview = await http(token, 'GET', '/api/v1/overview?days=1');
      // The cluster around the viewer's own organization's probe, which shares every indicator.
      const probeCluster = probes[viewer.org]
        ? await http(token, 'GET', `/api/v1/incidents/${probes[viewer.org]}/cluster?hops=2`)
        : undefined;
      const socket = sockets.get(viewer.name);
      for (const tlp of LEVELS) {
        const incident = incidents.get(tlp)!;
        const read = await http(token, 'GET', `/api/v1/incidents/${incident.id}`);
        check(viewer, tlp, 'REST read', read.status === 200);
        if (read.status !== 200) expect([403, 404]).toContain(read.status);
        check(
          viewer,
          tlp,
          'list',
          list.status === 200 && list.body.items.some((i: { id: string }) => i.id === incident.id),
        );
        const search = await http(
          token,
          'GET',
          `/api/v1/search?value=${encodeURIComponent(incident.indicator.replace('.', '[.]'))}`,
        );
        check(
          viewer,
          tlp,
          'search',
          search.status === 200 && search.body.items.some((i: { id: string }) => i.id === incident.id),
        );
        const one = await http(token, 'GET', `/api/v1/incidents/${incident.id}/export`);
        const inBundle = exported.status === 200 && JSON.stringify(exported.body).includes(stixIncidentId(incident.id));
        check(viewer, tlp, 'export', one.status === 200 && inBundle);
        const cls = CLASSIFICATION[tlp];
        const stats = await http(token, 'GET', `/api/v1/stats?classification=${cls.class}/${cls.type}`);
        check(viewer, tlp, 'count', stats.status === 200 && stats.body.total === 1);
        const join = socket
          ? await socket.socket.emitWithAck('incident.join', { incidentId: incident.id })
          : { ok: false };
        check(viewer, tlp, 'socket room join', join.ok);
        const events = JSON.stringify(socket?.events.filter((e) => e.event !== 'correlation.alert') ?? []);
        check(viewer, tlp, 'socket events', events.includes(incident.id) || events.includes(incident.title));
        const comments = await http(token, 'GET', `/api/v1/incidents/${incident.id}/comments`);
        check(
          viewer,
          tlp,
          'comments',
          comments.status === 200 && JSON.stringify(comments.body).includes(`note on ${incident.title}`),
        );
        const cluster = await http(token, 'GET', `/api/v1/incidents/${incident.id}/cluster?hops=2`);
        const nodes = [
          ...(cluster.status === 200 ? cluster.body.nodes : []),
          ...(probeCluster?.status === 200 ? probeCluster.body.nodes : []),
        ];
        if (cluster.status !== 200) expect([403, 404]).toContain(cluster.status);
        check(
          viewer,
          tlp,
          'cluster',
          nodes.some((node: { id: string }) => node.id === incident.id),
        );
        check(
          viewer,
          tlp,
          'alerts list',
          alertList.status === 200 &&
            (JSON.stringify(alertList.body).includes(incident.id) ||
              JSON.stringify(alertList.body).includes(incident.title)),
        );
        // The overview counts an indicator over visible incidents only (and lists it from two up):
        // this incident if the viewer may see it, and the viewer's own probe.
        const carrying = (expectedVisible(viewer, tlp) ? 1 : 0) + (reads(viewer) && probes[viewer.org] ? 1 : 0);
        const top = overview.status === 200 ? overview.body.topIndicators : [];
        const listed = top.find((entry: { value: string }) => entry.value === incident.indicator);
        if (carrying >= 2) expect(listed?.incidents).toBe(carrying);
        else if (listed) failures.push(`${viewer.name} / ${tlp} / overview: counted ${listed.incidents}`);
        // An indicator's history counts the same incidents, and nothing for a caller that may not read.
        const history = await http(
          token,
          'GET',
          `/api/v1/indicators/history?value=${encodeURIComponent(incident.indicator)}`,
        );
        const counted = history.status === 200 ? history.body.incidents : 0;
        if (counted !== carrying)
          failures.push(`${viewer.name} / ${tlp} / indicator history: counted ${counted}, expected ${carrying}`);
        const alerts = JSON.stringify(socket?.received('correlation.alert') ?? []);
        check(
          viewer,
          tlp,
          'correlation alert content',
          alerts.includes(incident.id) || alerts.includes(incident.title),
        );
      }
    }
    process.stderr.write(
      `authorization matrix: ${VIEWERS.length} viewers × ${LEVELS.length} TLP levels × 11 paths = ${cells.length} cells, ${failures.length} leaks or misses\n`,
    );
    expect(cells).toHaveLength(VIEWERS.length * LEVELS.length * 11);
    expect(failures).toEqual([]);
  });

  it('on-call staff of a side acknowledge an alert once; others cannot', async () => {
    const clear = incidents.get('CLEAR')!;
    const alert = sockets
      .get('P oncall')!
      .received('correlation.alert')
      .find((a) => a.counterpart.disclosure === 'full' && a.counterpart.incident.id === clear.id);
    expect(alert).toBeDefined();
    const ack = (viewer: string) => http(tokens.get(viewer)!, 'POST', `/api/v1/correlations/${alert!.id}/ack`);
    expect((await ack('P analyst')).status).toBe(403);
    expect((await ack('O oncall')).status).toBe(404);
    const first = await ack('P oncall');
    expect(first.status).toBe(200);
    expect(first.body.acknowledged.by).toBe(userIds.get('P oncall'));
    await sockets.get('P analyst')!.next('correlation.acknowledged', (e) => e.id === alert!.id, 5000);
    const again = await ack('P oncall');
    expect(again.body.acknowledged).toEqual(first.body.acknowledged);
    // The other side acknowledges for itself.
    const otherSide = await ack('S oncall');
    expect(otherSide.status).toBe(200);
    expect(otherSide.body.acknowledged.by).toBe(userIds.get('S oncall'));
    expect(sockets.get('O analyst')!.received('correlation.acknowledged')).toEqual([]);
  });

  it('platform-admins see every organization’s key usage, but no incident data', async () => {
    const keys = await http(adminToken, 'GET', `/api/v1/organizations/${orgIds.S}/keys`);
    expect(keys.status).toBe(200);
    expect(keys.body).toEqual([
      expect.objectContaining({ orgId: orgIds.S, requests: expect.any(Number), lastUsedAt: expect.any(String) }),
    ]);
    expect(keys.body[0].requests).toBeGreaterThan(0);
    expect(JSON.stringify(keys.body)).not.toContain(orgKeys.S);
    expect((await http(tokens.get('S org-admin')!, 'GET', `/api/v1/organizations/${orgIds.S}/keys`)).status).toBe(403);
    // Running the platform is no right to read: the platform-admin has no incidents:read at all.
    expect((await http(adminToken, 'GET', `/api/v1/incidents/${incidents.get('AMBER')!.id}`)).status).toBe(403);
  });

  it('on-call rotas: org-admins write, every person of the organization reads, keys and other organizations nothing', async () => {
    const schedule = (userId: string) => ({
      name: 'matrix rota',
      timeZone: 'Asia/Riyadh',
      rotations: [{ users: [userId], handover: '09:00', lengthDays: 1, startDate: '2026-03-01' }],
    });
    const own = await http(
      tokens.get('S org-admin')!,
      'POST',
      '/api/v1/oncall/schedules',
      schedule(userIds.get('S oncall')!),
    );
    expect(own.status).toBe(201);
    for (const viewer of VIEWERS) {
      const token = tokens.get(viewer.name)!;
      const isKey = viewer.roles === 'key';
      // A schedule of the viewer's own organization (a person of it; keys name the S on-call person).
      const write = await http(
        token,
        'POST',
        '/api/v1/oncall/schedules',
        schedule(userIds.get(isKey ? 'S oncall' : viewer.name)!),
      );
      const writes = !isKey && viewer.roles.includes('org-admin');
      expect([viewer.name, write.status]).toEqual([viewer.name, writes ? 201 : 403]);
      const read = await http(token, 'GET', `/api/v1/oncall/schedules/${own.body.id}`);
      const expected = isKey ? 403 : viewer.org === 'S' ? 200 : 404;
      expect([viewer.name, read.status]).toEqual([viewer.name, expected]);
      const now = await http(token, 'GET', '/api/v1/oncall/now');
      expect([viewer.name, now.status]).toEqual([viewer.name, isKey ? 403 : 200]);
      if (!isKey) {
        const seen = (now.body.schedules as Array<{ scheduleId: string }>).map((entry) => entry.scheduleId);
        expect([viewer.name, seen.includes(own.body.id)]).toEqual([viewer.name, viewer.org === 'S']);
      }
    }
  });

  it('a TLP change takes effect at once: the room is left, reads and events stop', async () => {
    const author = tokens.get('author (S analyst)')!;
    const peer = sockets.get('P analyst')!;
    const created = await http(
      author,
      'POST',
      '/api/v1/incidents',
      incidentBody({ tlp: 'GREEN', title: uniqueName('shift ') }),
    );
    expect((await peer.socket.emitWithAck('incident.join', { incidentId: created.body.id })).ok).toBe(true);
    const changed = await http(author, 'PATCH', `/api/v1/incidents/${created.body.id}`, {
      tlp: 'AMBER+STRICT',
      status: 'investigating',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.tlp).toBe('AMBER+STRICT');
    expect((await http(author, 'PATCH', `/api/v1/incidents/${created.body.id}`, {})).status).toBe(400);
    expect((await http(tokens.get('P analyst')!, 'GET', `/api/v1/incidents/${created.body.id}`)).status).toBe(404);
    await http(author, 'PATCH', `/api/v1/incidents/${created.body.id}`, { status: 'resolved' });
    const own = sockets.get('S analyst')!;
    await own.next('incident.updated', (e) => e.incidentId === created.body.id && e.status === 'resolved', 5000);
    await sleep(300);
    const seen = peer.received('incident.updated').filter((e) => e.incidentId === created.body.id);
    expect(seen).toEqual([]); // nothing after the change, neither through the room nor the audience
    // The peer is told only that it may no longer see it (the id it had), once; the outsider nothing.
    const withdrawn = peer.received('incident.withdrawn').filter((e) => e.incidentId === created.body.id);
    expect(withdrawn.map(({ eventId: _eventId, ...rest }) => rest)).toEqual([{ incidentId: created.body.id }]);
    expect(JSON.stringify(sockets.get('O analyst')!.events)).not.toContain(created.body.id);
    expect(own.received('incident.withdrawn').filter((e) => e.incidentId === created.body.id)).toEqual([]);
    // Only the submitting organization may change it; others cannot even tell it exists.
    expect(
      (await http(tokens.get('P analyst')!, 'PATCH', `/api/v1/incidents/${created.body.id}`, { status: 'closed' }))
        .status,
    ).toBe(404);
    // Widened again: the peer is told its summary, as REST now shows it.
    await http(author, 'PATCH', `/api/v1/incidents/${created.body.id}`, { tlp: 'GREEN' });
    const shared = await peer.next('incident.shared', (e) => e.id === created.body.id, 5000);
    const read = await http(tokens.get('P analyst')!, 'GET', `/api/v1/incidents/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(shared).toEqual(
      expect.objectContaining({
        id: read.body.id,
        title: read.body.title,
        tlp: 'GREEN',
        organization: read.body.organization,
      }),
    );
    await sleep(300);
    expect(JSON.stringify(sockets.get('O analyst')!.events)).not.toContain(created.body.id);
  });

  it('an anonymised member appears without its name or id to the other members', async () => {
    const communities = await http(adminToken, 'GET', '/api/v1/communities');
    const community = communities.body.find((c: { members: Array<{ organization: { id: string } }> }) =>
      c.members.some((m) => m.organization.id === orgIds.S),
    );
    const orgAdmin = tokens.get('S org-admin')!;
    const set = await http(orgAdmin, 'PUT', `/api/v1/communities/${community.id}/members/${orgIds.S}`, {
      anonymous: true,
    });
    expect(set.status).toBe(200);
    const green = incidents.get('GREEN')!;
    const seenByPeer = await http(tokens.get('P analyst')!, 'GET', `/api/v1/incidents/${green.id}`);
    expect(seenByPeer.body.organization).toEqual({ id: null, name: 'a partner CERT' });
    expect(JSON.stringify(seenByPeer.body)).not.toContain(orgIds.S);
    const bundle = await http(tokens.get('P analyst')!, 'GET', `/api/v1/incidents/${green.id}/export`);
    expect(JSON.stringify(bundle.body)).toContain('a partner CERT');
    // The organization itself, and an outsider reading CLEAR, still see the name.
    expect((await http(tokens.get('S analyst')!, 'GET', `/api/v1/incidents/${green.id}`)).body.organization.id).toBe(
      orgIds.S,
    );
    // An org-admin cannot add other organizations; that is the platform-admins' job.
    expect((await http(orgAdmin, 'PUT', `/api/v1/communities/${community.id}/members/${orgIds.O}`, {})).status).toBe(
      403,
    );
    await http(orgAdmin, 'PUT', `/api/v1/communities/${community.id}/members/${orgIds.S}`, { anonymous: false });
  });
});

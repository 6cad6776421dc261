import fc from 'fast-check';
import {
  RecordingClient,
  call,
  createOperator,
  createOrgAdmin,
  createOrganization,
  createPerson,
  logIn,
  incidentBody,
  sleep,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/**
 * The live-delivery invariant, as a property over random worlds (organizations, communities with and
 * without anonymity, TLP levels, named recipient organizations, shared indicators, comments, status
 * changes), on the real api, worker and stores:
 *
 *   every live payload a socket receives equals, field for field, what that socket's principal reads
 *   by REST for the same object — `incident.created` the summary fields of the incident (its `state`
 *   as of the event), `incident.updated` the incident's status/TLP/updatedAt, `correlation.alert` the
 *   entry of the incident's `correlations`, `incident.commented` the entry of its comments,
 *   `incident.timeline` the entry of its timeline — and no socket receives anything about an incident
 *   its principal cannot read.
 *
 * Also: every correlation an organization reads on its own incident was alerted to it live.
 */
const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
const WORLDS = Number(process.env.LIVE_PROPERTY_WORLDS ?? 4);
const SEED = Number(process.env.LIVE_PROPERTY_SEED ?? Date.now() % 1_000_000);

interface World {
  orgs: number;
  communities: Array<Array<{ org: number; anonymous: boolean }>>;
  incidents: Array<{ org: number; tlp: (typeof TLPS)[number]; indicators: number[]; recipients: number[] }>;
  comments: Array<{ by: number; incident: number }>;
  updates: Array<{ incident: number; status: 'investigating' | 'resolved' }>;
}

const worldArbitrary: fc.Arbitrary<World> = fc.integer({ min: 3, max: 4 }).chain((orgs) =>
  fc.record({
    orgs: fc.constant(orgs),
    communities: fc.array(
      fc.uniqueArray(fc.record({ org: fc.nat(orgs - 1), anonymous: fc.boolean() }), {
        minLength: 2,
        maxLength: orgs,
        selector: (m) => m.org,
      }),
      { minLength: 1, maxLength: 2 },
    ),
    incidents: fc.array(
      fc.record({
        org: fc.nat(orgs - 1),
        tlp: fc.constantFrom(...TLPS),
        indicators: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 2 }),
        recipients: fc.uniqueArray(fc.nat(orgs - 1), { maxLength: 2 }),
      }),
      { minLength: 4, maxLength: 7 },
    ),
    comments: fc.array(fc.record({ by: fc.nat(orgs - 1), incident: fc.nat(6) }), { maxLength: 5 }),
    updates: fc.array(
      fc.record({ incident: fc.nat(6), status: fc.constantFrom('investigating' as const, 'resolved' as const) }),
      {
        maxLength: 3,
      },
    ),
  }),
);

type Org = { id: string; name: string; key: string };
/** A credential that reads and listens: an organization's API key, or one of its people (an access token). */
type Reader = { org: number; token: string; personId?: string; socket?: RecordingClient };
type Received = { event: string; payload: any };

const worlds = fc.sample(worldArbitrary, { seed: SEED, numRuns: WORLDS });

describe('live payloads equal REST, over random worlds', () => {
  let deployment: Deployment;
  let adminToken: string;
  let eventsChecked = 0;
  let alertsChecked = 0;

  beforeAll(async () => {
    deployment = await startDeployment('property');
    adminToken = await platformAdminToken(deployment);
  }, 180_000);

  afterAll(async () => {
    process.stderr.write(
      `live property: ${worlds.length} worlds (seed ${SEED}), ${eventsChecked} live events compared with REST, ` +
        `${alertsChecked} correlations checked as alerted to their owners\n`,
    );
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  });

  it.each(worlds.map((world, i) => [i, world] as const))(
    `world %i of ${WORLDS} (seed ${SEED})`,
    async (i, world) => {
      const result = await runWorld(deployment, adminToken, world, `w${i}-${uniqueName('')}`);
      eventsChecked += result.events;
      alertsChecked += result.alerts;
      expect(result.events).toBeGreaterThan(world.incidents.length);
    },
    180_000,
  );

  it('compared correlations too, not only incidents', () => {
    expect(alertsChecked).toBeGreaterThan(0);
  });
});

/** The operator's platform-admin (bootstrapped through the CLI), logged in. */
async function platformAdminToken(deployment: Deployment): Promise<string> {
  return (await logIn(deployment.baseUrl, await createOperator(deployment.env))).accessToken;
}

async function runWorld(
  deployment: Deployment,
  adminToken: string,
  world: World,
  tag: string,
): Promise<{ events: number; alerts: number }> {
  const { env, baseUrl } = deployment;
  const http = (key: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token: key, body });
  const orgs: Org[] = [];
  for (let i = 0; i < world.orgs; i++) {
    orgs.push(await createOrganization(env, { kind: i % 2 === 0 ? 'cert' : 'agency' }));
  }
  for (const members of world.communities) {
    const community = await http(adminToken, 'POST', '/api/v1/communities', { name: uniqueName(`${tag} `) });
    for (const member of members) {
      const path = `/api/v1/communities/${community.body.id}/members/${orgs[member.org].id}`;
      const added = await http(adminToken, 'PUT', path, { anonymous: member.anonymous });
      if (added.status !== 200) throw new Error(`member: ${added.status}`);
    }
  }
  // Each organization listens with its API key and with a person (its org-admin, also an analyst).
  const readers: Reader[] = [];
  for (const [o, org] of orgs.entries()) {
    const person = await createOrgAdmin(deployment, org.id, { roles: ['org-admin', 'analyst'] });
    readers.push({ org: o, token: org.key });
    readers.push({ org: o, token: (await logIn(baseUrl, person)).accessToken, personId: person.id });
  }
  const people = readers.filter((r) => r.personId !== undefined);
  for (const reader of readers) reader.socket = new RecordingClient(baseUrl, reader.token);
  const sockets = readers.map((r) => r.socket!);
  try {
    await Promise.all(sockets.map((s) => s.resumed()));
    const incidentIds: string[] = [];
    const owner = new Map<string, number>();
    for (const spec of world.incidents) {
      const others = spec.recipients.filter((r) => r !== spec.org);
      const recipients =
        spec.tlp === 'AMBER' || spec.tlp === 'GREEN'
          ? { organizations: others.map((r) => orgs[r].id) }
          : spec.tlp === 'RED'
            ? { users: others.map((r) => people[r].personId!) }
            : undefined;
      const created = await http(
        orgs[spec.org].key,
        'POST',
        '/api/v1/incidents',
        incidentBody({
          tlp: spec.tlp,
          title: `${tag} ${spec.tlp} by ${spec.org}`,
          indicators: spec.indicators.map((i) => `ioc-${i}.${tag}.com`),
          ...(recipients ? { recipients } : {}),
        }),
      );
      if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
      incidentIds.push(created.body.id);
      owner.set(created.body.id, spec.org);
    }
    // Every socket subscribes to the detail events of every incident it may see.
    for (const socket of sockets) {
      for (const id of incidentIds) await socket.request('incident.join', { incidentId: id });
    }
    for (const comment of world.comments) {
      const id = incidentIds[comment.incident % incidentIds.length];
      await http(orgs[comment.by].key, 'POST', `/api/v1/incidents/${id}/comments`, { text: `${tag} note` });
    }
    for (const update of world.updates) {
      const id = incidentIds[update.incident % incidentIds.length];
      await http(orgs[owner.get(id)!].key, 'PATCH', `/api/v1/incidents/${id}`, { status: update.status });
    }
    // An org-admin adds a colleague: the organization's org-admins are told.
    await createPerson(baseUrl, people[0].token, ['oncall'], { name: `${tag} colleague` });
    await waitFor(
      async () => {
        for (const id of incidentIds) {
          const read = await http(orgs[owner.get(id)!].key, 'GET', `/api/v1/incidents/${id}`);
          if (read.body.state !== 'correlated') return false;
        }
        return true;
      },
      30_000,
      'every incident processed',
    );
    await sleep(500); // the last events in flight
    if (!people[0].socket!.received('user.created').some((e) => e.user.name === `${tag} colleague`)) {
      throw new Error('the org-admin was not told of the new account');
    }

    let events = 0;
    let alerts = 0;
    for (const reader of readers) {
      const received = reader.socket!.events as Received[];
      const ours = received.filter((r) => JSON.stringify(r.payload).includes(tag) || mentionsAny(r, incidentIds));
      for (const [i, item] of ours.entries()) {
        // Status changes arrive in order: the last one about an incident matches what REST reads now.
        const superseded =
          item.event === 'incident.updated' &&
          ours
            .slice(i + 1)
            .some(
              (later) => later.event === 'incident.updated' && later.payload.incidentId === item.payload.incidentId,
            );
        if (superseded) continue;
        await expectMatchesRest(http, reader.token, item);
        events++;
      }
      if (reader.personId !== undefined) continue;
      // Every correlation the organization reads on its own incidents reached its key live.
      for (const id of incidentIds.filter((i) => owner.get(i) === reader.org)) {
        const detail = await http(reader.token, 'GET', `/api/v1/incidents/${id}`);
        for (const correlation of detail.body.correlations) {
          const alert = received.find(
            (r) =>
              r.event === 'correlation.alert' && r.payload.id === correlation.id && r.payload.yourIncidentId === id,
          );
          if (!alert) throw new Error(`correlation ${correlation.id} on ${id} was never alerted to its owner`);
          alerts++;
        }
      }
    }
    return { events, alerts };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

function mentionsAny(item: Received, ids: string[]): boolean {
  const text = JSON.stringify(item.payload);
  return ids.some((id) => text.includes(id));
}

async function expectMatchesRest(
  http: (key: string, method: string, path: string) => Promise<{ status: number; body: any }>,
  key: string,
  item: Received,
): Promise<void> {
  const { eventId, ...payload } = item.payload as Record<string, any>;
  const fail = (why: string, rest: unknown) => {
    throw new Error(`${item.event} ${why}\nlive: ${JSON.stringify(payload)}\nrest: ${JSON.stringify(rest)}`);
  };
  if (item.event === 'stream.resumed' || item.event === 'stream.gap') return;
  if (typeof eventId !== 'string') fail('has no eventId', null);
  if (item.event === 'user.created') {
    const users = await http(key, 'GET', '/api/v1/users');
    const entry = (users.body as Array<Record<string, unknown>>).find((u) => u.id === payload.user.id);
    if (!entry || JSON.stringify(sortKeys(entry)) !== JSON.stringify(sortKeys(payload.user))) {
      fail('differs from REST', entry);
    }
    return;
  }
  const summary = item.event === 'incident.created' || item.event === 'incident.shared';
  const incidentId: string = payload.id && summary ? payload.id : (payload.yourIncidentId ?? payload.incidentId);
  if (item.event === 'incident.withdrawn') {
    // Told only to a reader that may no longer see it (these worlds never widen an incident again).
    const read = await http(key, 'GET', `/api/v1/incidents/${incidentId}`);
    if (read.status !== 404) fail('withdraws an incident the reader still reads', read.body);
    return;
  }
  const read = await http(key, 'GET', `/api/v1/incidents/${incidentId}`);
  if (read.status !== 200) fail(`is about an incident the reader cannot read (${read.status})`, read.body);
  const detail = read.body;
  switch (item.event) {
    case 'incident.created':
    case 'incident.shared': {
      const { state: _state, ...rest } = payload;
      const expected = {
        id: detail.id,
        organization: detail.organization,
        title: detail.title,
        severity: detail.severity,
        tlp: detail.tlp,
        classification: detail.classification,
        createdAt: detail.createdAt,
      };
      const { status: _status, ...restNoStatus } = rest;
      if (JSON.stringify(sortKeys(restNoStatus)) !== JSON.stringify(sortKeys(expected)))
        fail('differs from REST', expected);
      return;
    }
    case 'incident.updated': {
      const expected = { incidentId: detail.id, status: detail.status, tlp: detail.tlp, updatedAt: detail.updatedAt };
      if (JSON.stringify(sortKeys(payload)) !== JSON.stringify(sortKeys(expected))) fail('differs from REST', expected);
      return;
    }
    case 'incident.correlated':
    case 'incident.failed':
      if (payload.incidentId !== detail.id) fail('names another incident', detail);
      if ('correlations' in payload && detail.recipients === null) fail('tells a count to a non-owner', detail);
      return;
    case 'correlation.alert': {
      const entry = detail.correlations.find((c: { id: string }) => c.id === payload.id);
      if (!entry || JSON.stringify(sortKeys(entry)) !== JSON.stringify(sortKeys(payload)))
        fail('differs from REST', entry);
      return;
    }
    case 'incident.commented': {
      const comments = await http(key, 'GET', `/api/v1/incidents/${incidentId}/comments`);
      const entry = (comments.body as Array<{ id: string }>).find((c) => c.id === payload.comment.id);
      if (!entry || JSON.stringify(sortKeys(entry)) !== JSON.stringify(sortKeys(payload.comment))) {
        fail('differs from REST', entry);
      }
      return;
    }
    case 'incident.timeline': {
      const timeline = await http(key, 'GET', `/api/v1/incidents/${incidentId}/timeline?limit=200`);
      const entry = (timeline.body.items as Array<{ id: string }>).find((e) => e.id === payload.id);
      if (!entry || JSON.stringify(sortKeys(entry)) !== JSON.stringify(sortKeys(payload))) {
        fail('differs from REST', entry);
      }
      return;
    }
    default:
      return;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

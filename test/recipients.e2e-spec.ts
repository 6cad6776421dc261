import { connectMongo } from '@corridor/persistence';
import {
  RecordingClient,
  call,
  createCommunity,
  createOrganization,
  incidentBody,
  runCli,
  startDeployment,
  uniqueName,
  type Deployment,
} from '@corridor/testing';

type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
type Kind = 'organizations' | 'users';
const LEVELS: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
// Written by hand from the rule: GREEN and AMBER name organizations, RED names people, nothing else.
const TAKES: Record<Tlp, Kind[]> = {
  CLEAR: [],
  GREEN: ['organizations'],
  AMBER: ['organizations'],
  'AMBER+STRICT': [],
  RED: ['users'],
};
const REFUSED = LEVELS.flatMap((tlp) =>
  (['organizations', 'users'] as const)
    .filter((kind) => !TAKES[tlp].includes(kind))
    .map((kind) => [tlp, kind] as const),
);

/**
 * Each TLP level takes only the recipients it uses; anything else is refused with 400 naming the
 * field, on create and on update (where the TLP and recipients the change leaves must fit). GREEN
 * incidents reach the organizations they name, also outside the submitter's communities.
 */
describe('recipients by TLP level', () => {
  let deployment: Deployment;
  let baseUrl: string;
  // S submits; P shares a community with S (where S is anonymous); O and X share nothing with S.
  const orgs: Record<'S' | 'P' | 'O' | 'X', { id: string; key: string; name: string }> = {} as never;
  let personId: string;

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const recipientsOf = (kind: Kind): Record<string, string[]> =>
    kind === 'organizations' ? { organizations: [orgs.O.id] } : { users: [personId] };
  const submit = (tlp: Tlp, recipients?: Record<string, string[]>, title = uniqueName(`${tlp} `)) =>
    http(orgs.S.key, 'POST', '/api/v1/incidents', { ...incidentBody({ tlp, title }), recipients });
  const created = async (tlp: Tlp, recipients?: Record<string, string[]>) => {
    const reply = await submit(tlp, recipients);
    expect(reply.status).toBe(201);
    return reply.body as { id: string; title: string; tlp: Tlp };
  };
  const listed = async (token: string, id: string) =>
    ((await http(token, 'GET', '/api/v1/incidents?limit=200')).body.items as Array<{ id: string }>).some(
      (i) => i.id === id,
    );

  beforeAll(async () => {
    deployment = await startDeployment('recipients', {}, { worker: false });
    baseUrl = deployment.baseUrl;
    for (const name of ['S', 'P', 'O', 'X'] as const) orgs[name] = await createOrganization(deployment.env);
    await createCommunity(deployment.env, [{ orgId: orgs.S.id, anonymous: true }, { orgId: orgs.P.id }]);
    // A person to name on RED incidents: the first account of O.
    const person = await runCli(deployment.env, [
      'user',
      'create',
      '--org',
      orgs.O.id,
      '--email',
      `${uniqueName('named')}@corridor.example.com`,
      '--roles',
      'org-admin',
    ]);
    expect(person.code).toBe(0);
    personId = person.json.user.id;
  }, 180_000);

  afterAll(async () => {
    await deployment?.api.stop();
  });

  it.each(REFUSED)('create: %s refuses recipients.%s, and nothing is stored', async (tlp, kind) => {
    const title = uniqueName('refused ');
    const reply = await submit(tlp, recipientsOf(kind), title);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({
      code: 'validation_failed',
      message: 'request is invalid',
      details: { fields: [{ field: `recipients.${kind}`, message: expect.stringContaining(`TLP:${tlp} takes no`) }] },
    });
    const mine = await http(orgs.S.key, 'GET', '/api/v1/incidents?limit=200');
    expect(JSON.stringify(mine.body)).not.toContain(title);
  });

  it('create: every refused list is named at once', async () => {
    const reply = await submit('CLEAR', { organizations: [orgs.O.id], users: [personId] });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'recipients.organizations',
      'recipients.users',
    ]);
  });

  it.each(LEVELS)('create: %s accepts the recipients it uses (if any), and empty lists', async (tlp) => {
    for (const kind of TAKES[tlp]) {
      const incident = await created(tlp, recipientsOf(kind));
      const own = await http(orgs.S.key, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(own.body.recipients).toEqual({
        organizations: kind === 'organizations' ? [orgs.O.id] : [],
        users: kind === 'users' ? [personId] : [],
      });
    }
    expect((await submit(tlp, { organizations: [], users: [] })).status).toBe(201);
  });

  it.each(REFUSED)('update: changing to %s with recipients.%s is refused, and nothing changes', async (tlp, kind) => {
    const incident = await created('AMBER+STRICT');
    const reply = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, {
      tlp,
      status: 'investigating',
      recipients: recipientsOf(kind),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields).toEqual([
      { field: `recipients.${kind}`, message: expect.stringContaining(`TLP:${tlp} takes no`) },
    ]);
    const stored = await http(orgs.S.key, 'GET', `/api/v1/incidents/${incident.id}`);
    expect(stored.body).toMatchObject({
      tlp: 'AMBER+STRICT',
      status: 'new',
      recipients: { organizations: [], users: [] },
    });
  });

  it.each(REFUSED)(
    'update: on an incident at %s, recipients.%s alone (the TLP stays) is refused',
    async (tlp, kind) => {
      const incident = await created(tlp);
      const reply = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, {
        recipients: recipientsOf(kind),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details.fields[0].field).toBe(`recipients.${kind}`);
    },
  );

  // The recipients an incident keeps count too: a TLP change alone must not leave a list the new level refuses.
  const KEPT = LEVELS.flatMap((from) =>
    TAKES[from].flatMap((kind) =>
      LEVELS.filter((to) => !TAKES[to].includes(kind)).map((to) => [from, kind, to] as const),
    ),
  );

  it.each(KEPT)(
    'update: %s naming %s, changed to %s without clearing them, is refused and says so',
    async (from, kind, to) => {
      const incident = await created(from, recipientsOf(kind));
      const reply = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { tlp: to });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      const [field] = reply.body.error.details.fields;
      expect(field.field).toBe(`recipients.${kind}`);
      expect(field.message).toContain(`TLP:${to} takes no`);
      expect(field.message).toContain('still names 1');
      expect(field.message).toContain(`"recipients": {"${kind}": []}`);
      expect((await http(orgs.S.key, 'GET', `/api/v1/incidents/${incident.id}`)).body.tlp).toBe(from);

      // Clearing them in the same request makes the change fit.
      const cleared = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, {
        tlp: to,
        recipients: { [kind]: [] },
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ tlp: to, recipients: { organizations: [], users: [] } });
    },
  );

  it('update: a change whose combination fits goes through', async () => {
    const incident = await created('AMBER', { organizations: [orgs.O.id] });
    const green = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { tlp: 'GREEN' });
    expect(green.status).toBe(200);
    expect(green.body).toMatchObject({ tlp: 'GREEN', recipients: { organizations: [orgs.O.id], users: [] } });
    expect((await http(orgs.O.key, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(200);
    const red = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, {
      tlp: 'RED',
      recipients: { users: [personId] },
    });
    expect(red.status).toBe(200);
    expect(red.body.recipients).toEqual({ organizations: [], users: [personId] });
    expect((await http(orgs.O.key, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(404);
    const status = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'resolved' });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ tlp: 'RED', status: 'resolved' });
  });

  it('update: a status change alone is not judged on recipients stored before the rule; a TLP change is', async () => {
    const incident = await created('AMBER+STRICT');
    // An incident stored before levels refused what they do not use, written as it may be in the store.
    const connection = await connectMongo(deployment.env.MONGODB_URI, 5000);
    try {
      const changed = await connection
        .collection<{ _id: string }>('incidents')
        .updateOne({ _id: incident.id }, { $set: { recipientOrgIds: [orgs.O.id] } });
      expect(changed.modifiedCount).toBe(1);
    } finally {
      await connection.close();
    }
    // The level ignores the list: O does not see it.
    expect((await http(orgs.O.key, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(404);
    const status = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { status: 'resolved' });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'resolved', recipients: { organizations: [orgs.O.id] } });
    const same = await http(orgs.S.key, 'PATCH', `/api/v1/incidents/${incident.id}`, { tlp: 'AMBER+STRICT' });
    expect(same.status).toBe(400);
    expect(same.body.error.details.fields[0].field).toBe('recipients.organizations');
  });

  it('GREEN naming an organization outside the submitter’s communities: it reads the incident and lists it', async () => {
    const listener = new RecordingClient(baseUrl, orgs.O.key);
    await listener.connected();
    try {
      const incident = await created('GREEN', { organizations: [orgs.O.id] });
      const read = await http(orgs.O.key, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: incident.id, tlp: 'GREEN', title: incident.title, recipients: null });
      // Outside every community of S, so it is shown S's name.
      expect(read.body.organization).toEqual({ id: orgs.S.id, name: orgs.S.name });
      expect(await listed(orgs.O.key, incident.id)).toBe(true);
      const announced = await listener.next('incident.created', (e) => e.id === incident.id, 5000);
      expect(announced.tlp).toBe('GREEN');
      // The community still sees it; an organization neither in a community with S nor named does not.
      expect((await http(orgs.P.key, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(200);
      expect((await http(orgs.X.key, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(404);
      expect(await listed(orgs.X.key, incident.id)).toBe(false);

      // Without the name, O no longer sees it.
      const unnamed = await created('GREEN');
      expect((await http(orgs.O.key, 'GET', `/api/v1/incidents/${unnamed.id}`)).status).toBe(404);
      expect(await listed(orgs.O.key, unnamed.id)).toBe(false);
    } finally {
      listener.close();
    }
  });

  it('GREEN naming a community member where the submitter is anonymous shows it the real name', async () => {
    const named = await created('GREEN', { organizations: [orgs.P.id] });
    const unnamed = await created('GREEN');
    const seenNamed = await http(orgs.P.key, 'GET', `/api/v1/incidents/${named.id}`);
    expect(seenNamed.body.organization).toEqual({ id: orgs.S.id, name: orgs.S.name });
    const seenUnnamed = await http(orgs.P.key, 'GET', `/api/v1/incidents/${unnamed.id}`);
    expect(seenUnnamed.body.organization).toEqual({ id: null, name: 'a partner CERT' });
  });
});

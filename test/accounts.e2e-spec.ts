import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongo } from '@corridor/persistence';
import {
  call,
  completeSetup,
  createOperator,
  createOrgAdmin,
  createOrganization,
  logIn,
  runCli,
  sleep,
  startDeployment,
  uniqueName,
  type Deployment,
  type Person,
} from '@corridor/testing';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const email = (tag = 'p') => `${uniqueName(tag)}@corridor.example.com`;

/**
 * The operator must not be able to become a partner: a platform-admin creates only a new
 * organization's first org-admin, without a password; that person sets their own with a one-time
 * setup token. Org-admins create everyone else. Every creation lands in the organization's audit trail.
 */
describe('accounts: first org-admins, setup tokens and the operator', () => {
  let deployment: Deployment;
  let baseUrl: string;
  let operator: Person;
  let operatorToken: string;
  let connection: Connection;

  const http = (token: string | undefined, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const setup = (token: string, password: string) => http(undefined, 'POST', '/api/v1/auth/setup', { token, password });
  const firstAdmin = (orgId: string, extra: Record<string, unknown> = {}) =>
    http(operatorToken, 'POST', '/api/v1/users', {
      email: email('first'),
      name: 'First admin',
      roles: ['org-admin'],
      orgId,
      ...extra,
    });
  const users = () => connection.collection<{ _id: string; passwordHash?: string | null; setup?: unknown }>('users');

  beforeAll(async () => {
    deployment = await startDeployment(
      'accounts',
      { LOGIN_MAX_FAILURES: '6', LOGIN_LOCKOUT_SECONDS: '4' },
      { worker: false },
    );
    baseUrl = deployment.baseUrl;
    operator = await createOperator(deployment.env);
    operatorToken = (await logIn(baseUrl, operator)).accessToken;
    connection = await connectMongo(deployment.env.MONGODB_URI, 5000);
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    await deployment?.api.stop();
  });

  it('a platform-admin creates a new organization’s first org-admin, who sets their own password', async () => {
    const org = await createOrganization(deployment.env);
    const created = await firstAdmin(org.id, { roles: ['org-admin', 'analyst'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ orgId: org.id, roles: ['org-admin', 'analyst'] });
    const token: string = created.body.setupToken;
    expect(token).toMatch(/^cst_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    const expiresIn = Date.parse(created.body.setupTokenExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(72 * 3600_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(72 * 3600_000);

    // Stored as a SHA-256 only, and no hash ever leaves the api.
    const stored = await users().findOne({ _id: created.body.id });
    expect(stored).toMatchObject({ passwordHash: null, setup: { hash: sha256(token) } });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(created.body)).not.toMatch(/hash/i);
    expect(JSON.stringify(created.body)).not.toContain(sha256(token));

    // Nobody can log in before the person sets a password.
    const before = await http(undefined, 'POST', '/api/v1/auth/login', {
      email: created.body.email,
      password: 'anything-long-enough',
    });
    expect(before.status).toBe(401);

    const password = `pw-${uniqueName('')}-chosen`;
    const done = await setup(token, password);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      user: {
        id: created.body.id,
        orgId: org.id,
        email: created.body.email,
        name: 'First admin',
        roles: ['org-admin', 'analyst'],
        language: 'en',
        createdAt: expect.any(String),
      },
    });
    const session = await logIn(baseUrl, { email: created.body.email, password });
    const me = await http(session.accessToken, 'GET', '/api/v1/auth/me');
    expect(me.body).toMatchObject({ id: created.body.id, orgId: org.id, roles: ['org-admin', 'analyst'] });
    expect((await users().findOne({ _id: created.body.id }))?.setup).toBeNull();
    const listed = await http(session.accessToken, 'GET', '/api/v1/users');
    expect(listed.body.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);
  });

  it('a platform-admin cannot create anyone in an organization that already has users (403)', async () => {
    const org = await createOrganization(deployment.env);
    expect((await firstAdmin(org.id)).status).toBe(201); // pending setup: the organization has a user already
    const again = await firstAdmin(org.id);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('forbidden');
    expect(again.body.error.message).toContain('already has users');

    // Also not in an organization whose people exist already, and not in its own (operator) organization.
    const partner = await createOrganization(deployment.env);
    await createOrgAdmin(deployment, partner.id);
    expect((await firstAdmin(partner.id, { roles: ['org-admin', 'analyst'] })).status).toBe(403);
    expect((await firstAdmin(operator.orgId)).status).toBe(403);
    const people = await users().countDocuments({ orgId: { $in: [org.id, partner.id, operator.orgId] } });
    expect(people).toBe(3);
  });

  it('of two simultaneous first org-admins for one organization, exactly one is created', async () => {
    const org = await createOrganization(deployment.env);
    const replies = await Promise.all([firstAdmin(org.id), firstAdmin(org.id), firstAdmin(org.id)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403, 403]);
    expect(await users().countDocuments({ orgId: org.id })).toBe(1);
  });

  it('a platform-admin cannot give a password (400), nor other roles (403), nor leave out the organization (400)', async () => {
    const org = await createOrganization(deployment.env);
    const withPassword = await firstAdmin(org.id, { password: 'the-operator-would-know-this' });
    expect(withPassword.status).toBe(400);
    expect(withPassword.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: [{ field: 'password', message: expect.stringContaining('setup token') }] },
    });
    for (const roles of [['analyst'], ['oncall'], ['platform-admin'], ['org-admin', 'platform-admin']]) {
      const refused = await firstAdmin(org.id, { roles });
      expect(refused.status).toBe(403);
    }
    const noOrg = await http(operatorToken, 'POST', '/api/v1/users', {
      email: email(),
      name: 'x',
      roles: ['org-admin'],
    });
    expect(noOrg.status).toBe(400);
    expect(noOrg.body.error.details.fields[0].field).toBe('orgId');
    expect(await users().countDocuments({ orgId: org.id })).toBe(0);
    // The organization is still new: its first org-admin can be created.
    expect((await firstAdmin(org.id)).status).toBe(201);
  });

  it('a setup token works once: used or expired, it is refused with the same answer as a made-up one', async () => {
    const org = await createOrganization(deployment.env);
    const used = await firstAdmin(org.id);
    const first = `pw-${uniqueName('')}-first`;
    expect((await setup(used.body.setupToken, first)).status).toBe(200);
    const reused = await setup(used.body.setupToken, `pw-${uniqueName('')}-second`);
    expect(reused.status).toBe(400);
    // The first password stands; the second never took.
    await logIn(baseUrl, { email: used.body.email, password: first });

    const other = await createOrganization(deployment.env);
    const expiring = await firstAdmin(other.id);
    const moved = await users().updateOne(
      { _id: expiring.body.id },
      { $set: { 'setup.expiresAt': new Date(Date.now() - 1000) } },
    );
    expect(moved.modifiedCount).toBe(1);
    const expired = await setup(expiring.body.setupToken, `pw-${uniqueName('')}-late`);
    expect(expired.status).toBe(400);
    expect((await users().findOne({ _id: expiring.body.id }))?.passwordHash).toBeNull();

    const madeUp = await setup(`cst_${expiring.body.id}_${'A'.repeat(43)}`, `pw-${uniqueName('')}-guess`);
    const malformed = await setup('not-a-token', `pw-${uniqueName('')}-guess`);
    for (const refused of [expired, madeUp, malformed]) {
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual(reused.body);
    }
    expect(reused.body.error).toEqual({
      code: 'validation_failed',
      message: 'request is invalid',
      details: { fields: [{ field: 'token', message: expect.any(String) }] },
    });
  });

  it('org-admins create their people with a password they give, or with a setup token', async () => {
    const org = await createOrganization(deployment.env);
    const admin = await createOrgAdmin(deployment, org.id);
    const token = (await logIn(baseUrl, admin)).accessToken;
    const password = `pw-${uniqueName('')}-given`;
    const withPassword = await http(token, 'POST', '/api/v1/users', {
      email: email('analyst'),
      name: 'Analyst',
      roles: ['analyst'],
      password,
    });
    expect(withPassword.status).toBe(201);
    expect(withPassword.body.setupToken).toBeUndefined();
    expect(JSON.stringify(withPassword.body)).not.toMatch(/hash/i);
    await logIn(baseUrl, { email: withPassword.body.email, password });

    const withToken = await http(token, 'POST', '/api/v1/users', {
      email: email('oncall'),
      name: 'On call',
      roles: ['oncall'],
    });
    expect(withToken.status).toBe(201);
    const chosen = await completeSetup(baseUrl, withToken.body.setupToken);
    await logIn(baseUrl, { email: withToken.body.email, password: chosen });

    // Not a platform-admin, and not in another organization.
    const platform = await http(token, 'POST', '/api/v1/users', {
      email: email(),
      name: 'x',
      roles: ['platform-admin'],
      password,
    });
    expect(platform.status).toBe(403);
    const elsewhere = await http(token, 'POST', '/api/v1/users', {
      email: email(),
      name: 'x',
      roles: ['analyst'],
      password,
      orgId: operator.orgId,
    });
    expect(elsewhere.status).toBe(403);
  });

  it('every account created in an organization is in that organization’s audit trail, by its creator', async () => {
    // Through the api: the platform-admin creates the first org-admin, who creates an analyst.
    const org = await createOrganization(deployment.env);
    const created = await firstAdmin(org.id);
    const password = await completeSetup(baseUrl, created.body.setupToken);
    const adminToken = (await logIn(baseUrl, { email: created.body.email, password })).accessToken;
    const analyst = await http(adminToken, 'POST', '/api/v1/users', {
      email: email('analyst'),
      name: 'Analyst',
      roles: ['analyst'],
      password: `pw-${uniqueName('')}-given`,
    });
    const trail = await http(adminToken, 'GET', '/api/v1/audit?limit=500');
    expect(trail.status).toBe(200);
    const records = trail.body.items as Array<{ action: string; target: { id: string } }>;
    expect(records.find((r) => r.action === 'user.create' && r.target.id === created.body.id)).toMatchObject({
      orgId: org.id,
      actor: { type: 'user', id: operator.id, orgId: operator.orgId },
      target: { type: 'user', id: created.body.id },
      outcome: 'success',
      details: { roles: 'org-admin', credential: 'setup-token' },
    });
    expect(records.find((r) => r.action === 'user.setup' && r.target.id === created.body.id)).toMatchObject({
      actor: { type: 'user', id: created.body.id },
      outcome: 'success',
    });
    expect(records.find((r) => r.action === 'user.create' && r.target.id === analyst.body.id)).toMatchObject({
      orgId: org.id,
      actor: { type: 'user', id: created.body.id, orgId: org.id },
      details: { roles: 'analyst', credential: 'password' },
    });

    // Through the operator CLI: recorded as the CLI.
    const viaCli = await createOrganization(deployment.env);
    const cliAdmin = await createOrgAdmin(deployment, viaCli.id);
    const cliTrail = await http((await logIn(baseUrl, cliAdmin)).accessToken, 'GET', '/api/v1/audit?limit=500');
    expect(
      cliTrail.body.items.find((r: { action: string; target: { id: string } }) => r.action === 'user.create'),
    ).toMatchObject({
      orgId: viaCli.id,
      actor: { type: 'system', id: 'cli', orgId: null },
      target: { type: 'user', id: cliAdmin.id },
      details: { roles: 'org-admin', credential: 'setup-token' },
    });
    expect((await runCli(deployment.env, ['audit', 'verify'])).json).toMatchObject({ ok: true });
  });

  it('the operator CLI follows the same rule: setup tokens for organizations, passwords only for its own accounts', async () => {
    const org = await createOrganization(deployment.env);
    const cli = (args: string[]) =>
      runCli(deployment.env, ['user', 'create', '--org', org.id, '--email', email(), ...args]);

    expect((await cli(['--roles', 'analyst'])).code).toBe(2); // only a first org-admin
    expect((await cli(['--roles', 'org-admin,platform-admin'])).code).toBe(2); // operator accounts hold nothing else
    const first = await cli(['--roles', 'org-admin,oncall']);
    expect(first.code).toBe(0);
    expect(first.json).toEqual({
      user: expect.objectContaining({ orgId: org.id, roles: ['org-admin', 'oncall'] }),
      setupToken: expect.stringMatching(/^cst_/),
      setupTokenExpiresAt: expect.any(String),
    });
    const second = await cli(['--roles', 'org-admin']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('already has users');
    // An operator account may not sit beside the organization's people.
    const beside = await cli(['--roles', 'platform-admin']);
    expect(beside.code).toBe(1);
    expect(beside.stderr).toContain('operator');
    expect(await users().countDocuments({ orgId: org.id })).toBe(1);

    // In the operator's own organization: a second operator account, with a generated password.
    const own = await runCli(deployment.env, [
      'user',
      'create',
      '--org',
      operator.orgId,
      '--email',
      email('operator'),
      '--roles',
      'platform-admin',
    ]);
    expect(own.code).toBe(0);
    expect(own.json.setupToken).toBeUndefined();
    await logIn(baseUrl, { email: own.json.user.email, password: own.json.password });
  });

  it('the OpenAPI document declares the setup route and what a created account answers', async () => {
    const docs = await call(baseUrl, 'GET', '/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/setup', '/api/v1/users']));
    expect(Object.keys(docs.body.components.schemas.CreatedUserDto.properties)).toEqual(
      expect.arrayContaining(['id', 'orgId', 'email', 'roles', 'setupToken', 'setupTokenExpiresAt']),
    );
    expect(JSON.stringify(docs.body.components.schemas.CreatedUserDto)).not.toMatch(/hash/i);
    expect(docs.body.components.schemas.SetupDto.required).toEqual(['token', 'password']);
  });

  it('refused setup tokens lock the address out for a while, even for a good token', async () => {
    const org = await createOrganization(deployment.env);
    const created = await firstAdmin(org.id);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await setup(`cst_${created.body.id}_${'B'.repeat(43)}`, 'pw-guess-guess-guess')).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429]);
    const locked = await setup(created.body.setupToken, `pw-${uniqueName('')}-real`);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await sleep(4200);
    expect((await setup(created.body.setupToken, `pw-${uniqueName('')}-real`)).status).toBe(200);
    // Refusals naming the account are in its organization's trail.
    const records = await connection
      .collection('audit_records')
      .countDocuments({ orgId: org.id, action: 'user.setup', outcome: 'failure' });
    expect(records).toBe(6);
  });
});

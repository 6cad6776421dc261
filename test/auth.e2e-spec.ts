import {
  AppProcess,
  RecordingClient,
  call,
  completeSetup,
  createPerson,
  incidentBody,
  logIn,
  runCli,
  sleep,
  uniqueName,
  createOrganization,
  startDeployment,
} from '@corridor/testing';

/** People, sessions, keys and the hardening around them, against the real stores. */
describe('authentication, keys and hardening', () => {
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let orgId: string;
  let orgKey: string;
  const secrets: string[] = [];

  const login = (email: string, password: string) =>
    call(baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password } });
  // People are created by the organization's first org-admin, with the password it gives them.
  let adminToken: string;
  const createUser = async (roles: string) => {
    const person = await createPerson(baseUrl, adminToken, roles.split(','));
    secrets.push(person.password);
    return person;
  };

  beforeAll(async () => {
    ({ env, baseUrl, api } = await startDeployment(
      'auth',
      {
        LOGIN_MAX_FAILURES: '3',
        LOGIN_LOCKOUT_SECONDS: '6', // long enough for three slow argon2 failures on a busy machine
        KEY_RATE_LIMIT_PER_MINUTE: '8',
        CORS_ORIGINS: 'https://dashboard.corridor.example',
        LOG_LEVEL: 'debug',
      },
      { worker: false },
    ));
    const org = await createOrganization(env, { country: 'SA' });
    orgId = org.id;
    orgKey = org.key;
    secrets.push(orgKey);
    // The first org-admin: created by the operator CLI, password set by the person with the setup token.
    const first = await runCli(env, [
      'user',
      'create',
      '--org',
      orgId,
      '--email',
      `${uniqueName('admin')}@corridor.example.com`,
    ]);
    expect(first.code).toBe(0);
    expect(first.json.password).toBeUndefined();
    const password = await completeSetup(baseUrl, first.json.setupToken);
    secrets.push(first.json.setupToken, password);
    adminToken = (await logIn(baseUrl, { email: first.json.user.email, password })).accessToken;
    secrets.push(adminToken);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('logs in, rotates refresh tokens, detects their reuse and revokes on logout', async () => {
    const user = await createUser('analyst');
    const first = await login(user.email, user.password);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { id: user.id, orgId, roles: ['analyst'] },
    });
    expect(JSON.stringify(first.body)).not.toContain('passwordHash');
    secrets.push(first.body.accessToken, first.body.refreshToken);
    const me = await call(baseUrl, 'GET', '/api/v1/auth/me', { token: first.body.accessToken });
    expect(me.body).toMatchObject({
      kind: 'user',
      id: user.id,
      orgId,
      scopes: ['incidents:read', 'incidents:write', 'alerts:read'],
    });

    const second = await call(baseUrl, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    // The old refresh token again: a stolen copy. The whole session dies, the new token too.
    const replay = await call(baseUrl, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(replay.status).toBe(401);
    expect(
      (await call(baseUrl, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } }))
        .status,
    ).toBe(401);
    expect((await call(baseUrl, 'GET', '/api/v1/auth/me', { token: second.body.accessToken })).status).toBe(401);

    const session = await login(user.email, user.password);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: session.body.accessToken })).status).toBe(200);
    expect(
      (await call(baseUrl, 'POST', '/api/v1/auth/logout', { body: { refreshToken: session.body.refreshToken } }))
        .status,
    ).toBe(204);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: session.body.accessToken })).status).toBe(401);
    expect(
      (await call(baseUrl, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.body.refreshToken } }))
        .status,
    ).toBe(401);
  });

  it('closes live connections when their session ends or their key is revoked', async () => {
    const user = await createUser('analyst');
    const session = await login(user.email, user.password);
    const person = new RecordingClient(baseUrl, session.body.accessToken);
    await person.connected();
    const closed = new Promise<string>((resolve) => person.socket.once('disconnect', (reason) => resolve(reason)));
    expect(
      (await call(baseUrl, 'POST', '/api/v1/auth/logout', { body: { refreshToken: session.body.refreshToken } }))
        .status,
    ).toBe(204);
    expect(await closed).toBe('io server disconnect');
    const again = new RecordingClient(baseUrl, session.body.accessToken);
    await expect(again.connected()).rejects.toThrow('unauthorized');
    again.close();

    const admin = await createUser('org-admin');
    const adminToken = (await login(admin.email, admin.password)).body.accessToken as string;
    const issued = await call(baseUrl, 'POST', '/api/v1/keys', { token: adminToken, body: { name: 'listener' } });
    secrets.push(issued.body.apiKey);
    const machine = new RecordingClient(baseUrl, issued.body.apiKey);
    await machine.connected();
    const machineClosed = new Promise<string>((resolve) =>
      machine.socket.once('disconnect', (reason) => resolve(reason)),
    );
    expect(
      (await call(baseUrl, 'DELETE', `/api/v1/keys/${issued.body.apiKeyPrefix}`, { token: adminToken })).status,
    ).toBe(204);
    expect(await machineClosed).toBe('io server disconnect');
  });

  it('locks an account out after repeated failures, even for the right password, until the lockout ends', async () => {
    const user = await createUser('analyst');
    for (let i = 0; i < 3; i++) {
      const wrong = await login(user.email, `wrong-password-${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toEqual({ code: 'unauthorized', message: 'email or password is wrong' });
    }
    const locked = await login(user.email, user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(locked.body.error.code).toBe('rate_limited');
    // An unknown email answers exactly like a wrong password.
    const unknown = await login(`${uniqueName('nobody')}@corridor.example.com`, 'whatever-password');
    expect(unknown.body.error).toEqual({ code: 'unauthorized', message: 'email or password is wrong' });
    await sleep(6200);
    expect((await login(user.email, user.password)).status).toBe(200);
  });

  it('enforces key scopes, expiry, revocation and per-key rate limits, and counts use', async () => {
    const admin = await createUser('org-admin');
    const token = (await login(admin.email, admin.password)).body.accessToken as string;
    const readOnly = await call(baseUrl, 'POST', '/api/v1/keys', {
      token,
      body: { name: 'reader', scopes: ['incidents:read'] },
    });
    expect(readOnly.status).toBe(201);
    secrets.push(readOnly.body.apiKey);
    const submit = await call(baseUrl, 'POST', '/api/v1/incidents', {
      token: readOnly.body.apiKey,
      body: incidentBody(),
    });
    expect(submit.status).toBe(403);
    expect(submit.body.error).toEqual({
      code: 'forbidden',
      message: 'this credential lacks the scope incidents:write',
    });
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: readOnly.body.apiKey })).status).toBe(200);

    const past = await call(baseUrl, 'POST', '/api/v1/keys', { token, body: { expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    const shortLived = await call(baseUrl, 'POST', '/api/v1/keys', {
      token,
      body: { expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: shortLived.body.apiKey })).status).toBe(200);
    await sleep(1600);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: shortLived.body.apiKey })).status).toBe(401);

    const limited = await call(baseUrl, 'POST', '/api/v1/keys', { token, body: { name: 'busy' } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await call(baseUrl, 'GET', '/api/v1/incidents', { token: limited.body.apiKey })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await call(baseUrl, 'GET', '/api/v1/incidents', { token: limited.body.apiKey });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const keys = await call(baseUrl, 'GET', '/api/v1/keys', { token });
    const busy = keys.body.find((k: { name: string }) => k.name === 'busy');
    expect(busy).toMatchObject({
      requests: 8,
      scopes: ['incidents:read', 'incidents:write', 'alerts:read'],
      revokedAt: null,
    });
    expect(Date.parse(busy.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(keys.body)).not.toContain(limited.body.apiKey);
    expect(JSON.stringify(keys.body)).not.toContain('hash');

    expect((await call(baseUrl, 'DELETE', `/api/v1/keys/${readOnly.body.apiKeyPrefix}`, { token })).status).toBe(204);
    expect((await call(baseUrl, 'GET', '/api/v1/incidents', { token: readOnly.body.apiKey })).status).toBe(401);
    // An analyst may not manage keys; the audit trail is the org-admins'.
    const analyst = await createUser('analyst');
    const analystToken = (await login(analyst.email, analyst.password)).body.accessToken as string;
    expect((await call(baseUrl, 'POST', '/api/v1/keys', { token: analystToken, body: {} })).status).toBe(403);
    expect((await call(baseUrl, 'GET', '/api/v1/audit', { token: analystToken })).status).toBe(403);
    const trail = await call(baseUrl, 'GET', '/api/v1/audit?limit=500', { token });
    expect(trail.status).toBe(200);
    const actions = trail.body.items.map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'key.create', 'key.revoke']));
    const revoke = trail.body.items.find((r: { action: string }) => r.action === 'key.revoke');
    expect(revoke).toMatchObject({
      orgId,
      actor: { type: 'user', id: admin.id },
      target: { type: 'api_key' },
      outcome: 'success',
    });
  });

  it('refuses operator keys and prototype keys anywhere in a body, naming the field', async () => {
    const operator = await call(baseUrl, 'POST', '/api/v1/incidents', {
      token: orgKey,
      rawBody: JSON.stringify({
        ...incidentBody(),
        classification: { class: 'test', type: 'test', $where: 'sleep(1000)' },
      }),
    });
    expect(operator.status).toBe(400);
    expect(operator.body.error.details.fields).toEqual([
      { field: 'classification.$where', message: expect.any(String) },
    ]);
    const proto = await call(baseUrl, 'POST', '/api/v1/incidents', {
      token: orgKey,
      rawBody: `{"title":"x","indicators":[{"__proto__":{"admin":true},"value":"203.0.113.9"}]}`,
    });
    expect(proto.status).toBe(400);
    expect(proto.body.error.details.fields[0].field).toBe('indicators.0.__proto__');
    const login = await call(baseUrl, 'POST', '/api/v1/auth/login', {
      rawBody: '{"email":{"$ne":null},"password":{"$ne":null}}',
    });
    expect(login.status).toBe(400);
  });

  it('sends security headers, allows only the configured origin, and keeps secrets out of the logs', async () => {
    const health = await call(baseUrl, 'GET', '/health');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-powered-by')).toBeNull();
    const allowed = await call(baseUrl, 'OPTIONS', '/api/v1/incidents', {
      headers: { origin: 'https://dashboard.corridor.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.corridor.example');
    const foreign = await call(baseUrl, 'OPTIONS', '/api/v1/incidents', {
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(api.logs).not.toContain(secret);
  });
});

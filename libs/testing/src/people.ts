import { randomBytes } from 'node:crypto';
import { call } from './clients';
import { createOrganization } from './deployment';
import { runCli, uniqueName } from './processes';

/** A person who can log in: their account and the password they chose. */
export interface Person {
  id: string;
  orgId: string;
  email: string;
  password: string;
  roles: string[];
}

const newEmail = (tag: string) => `${uniqueName(tag)}@corridor.example.com`;
const newPassword = () => `pw-${randomBytes(12).toString('base64url')}`;

/** Sets a password with a one-time setup token, as the new person does. */
export async function completeSetup(baseUrl: string, setupToken: string, password = newPassword()): Promise<string> {
  const reply = await call(baseUrl, 'POST', '/api/v1/auth/setup', { body: { token: setupToken, password } });
  if (reply.status !== 200) throw new Error(`setup failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return password;
}

/**
 * An organization's first org-admin, as in production: the operator CLI creates the account and
 * prints a setup token; the person sets their own password with it. The organization must have no users.
 */
export async function createOrgAdmin(
  deployment: { env: Record<string, string>; baseUrl: string },
  orgId: string,
  options: { email?: string; name?: string; roles?: string[] } = {},
): Promise<Person> {
  const email = options.email ?? newEmail('admin');
  const roles = options.roles ?? ['org-admin'];
  const args = ['user', 'create', '--org', orgId, '--email', email, '--roles', roles.join(',')];
  const created = await runCli(deployment.env, options.name ? [...args, '--name', options.name] : args);
  if (created.code !== 0) throw new Error(`user create failed: ${created.stderr}`);
  const password = await completeSetup(deployment.baseUrl, created.json.setupToken);
  return { id: created.json.user.id, orgId, email, password, roles };
}

/** The same through the api: a platform-admin creates the first org-admin, who completes setup. */
export async function createFirstOrgAdminByApi(
  baseUrl: string,
  platformAdminToken: string,
  orgId: string,
  options: { email?: string; name?: string; roles?: string[] } = {},
): Promise<Person> {
  const email = options.email ?? newEmail('admin');
  const roles = options.roles ?? ['org-admin'];
  const reply = await call(baseUrl, 'POST', '/api/v1/users', {
    token: platformAdminToken,
    body: { email, name: options.name ?? 'First org-admin', roles, orgId },
  });
  if (reply.status !== 201) throw new Error(`user create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  const password = await completeSetup(baseUrl, reply.body.setupToken);
  return { id: reply.body.id, orgId, email, password, roles };
}

/**
 * The operator's own platform-admin, in an organization of the operator's own (created unless given):
 * the one account the CLI gives a generated password.
 */
export async function createOperator(env: Record<string, string>, orgId?: string): Promise<Person> {
  const operatorOrg = orgId ?? (await createOrganization(env, { name: uniqueName('Operator '), kind: 'agency' })).id;
  const email = newEmail('operator');
  const created = await runCli(env, [
    'user',
    'create',
    '--org',
    operatorOrg,
    '--email',
    email,
    '--name',
    'Platform operator',
    '--roles',
    'platform-admin',
  ]);
  if (created.code !== 0) throw new Error(`operator create failed: ${created.stderr}`);
  return {
    id: created.json.user.id,
    orgId: operatorOrg,
    email,
    password: created.json.password,
    roles: ['platform-admin'],
  };
}

/** A person created by an org-admin of their organization, with a password the org-admin gives. */
export async function createPerson(
  baseUrl: string,
  orgAdminToken: string,
  roles: string[],
  options: { email?: string; name?: string } = {},
): Promise<Person> {
  const email = options.email ?? newEmail('person');
  const password = newPassword();
  const reply = await call(baseUrl, 'POST', '/api/v1/users', {
    token: orgAdminToken,
    body: { email, name: options.name ?? 'Test person', roles, password },
  });
  if (reply.status !== 201) throw new Error(`user create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { id: reply.body.id, orgId: reply.body.orgId, email, password, roles };
}

/** Logs in and returns the access token (and the refresh token). */
export async function logIn(
  baseUrl: string,
  person: Pick<Person, 'email' | 'password'>,
): Promise<{ accessToken: string; refreshToken: string }> {
  const reply = await call(baseUrl, 'POST', '/api/v1/auth/login', {
    body: { email: person.email, password: person.password },
  });
  if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { accessToken: reply.body.accessToken, refreshToken: reply.body.refreshToken };
}

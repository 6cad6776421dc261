import { AppProcess, freePort, runCli, suiteEnvironment, uniqueName } from './processes';

export interface Deployment {
  env: Record<string, string>;
  baseUrl: string;
  api: AppProcess;
  worker: AppProcess;
}

/**
 * One suite's own Corridor: api and (unless told otherwise) worker as separate processes, on a
 * free port, a database and a Redis prefix of their own.
 */
export async function startDeployment(
  tag: string,
  overrides: Record<string, string> = {},
  options: { worker?: boolean } = {},
): Promise<Deployment> {
  const port = await freePort();
  const env = suiteEnvironment(tag, { PORT: String(port), HOST: '127.0.0.1', ...overrides });
  const api = new AppProcess('api', env);
  const worker = new AppProcess('worker', env);
  await Promise.all([api.start(), options.worker === false ? undefined : worker.start()]);
  return { env, baseUrl: `http://127.0.0.1:${port}`, api, worker };
}

/** An organization and its first API key, through the operator CLI. */
export async function createOrganization(
  env: Record<string, string>,
  options: { name?: string; country?: string; kind?: 'cert' | 'agency' } = {},
): Promise<{ id: string; name: string; key: string; keyPrefix: string }> {
  const name = options.name ?? uniqueName('CERT ');
  const created = await runCli(env, [
    'org',
    'create',
    '--name',
    name,
    '--country',
    options.country ?? 'PK',
    '--kind',
    options.kind ?? 'cert',
  ]);
  if (created.code !== 0) throw new Error(`org create failed: ${created.stderr}`);
  return { id: created.json.organization.id, name, key: created.json.apiKey, keyPrefix: created.json.apiKeyPrefix };
}

/** Another api instance of the same deployment (same stores and Redis prefix) on a port of its own. */
export async function startSecondApi(deployment: Deployment): Promise<{ api: AppProcess; baseUrl: string }> {
  const port = await freePort();
  const api = new AppProcess('api', { ...deployment.env, PORT: String(port) });
  await api.start();
  return { api, baseUrl: `http://127.0.0.1:${port}` };
}

/** A community with these members, through the operator CLI. */
export async function createCommunity(
  env: Record<string, string>,
  members: Array<{ orgId: string; anonymous?: boolean }>,
): Promise<{ id: string }> {
  const created = await runCli(env, ['community', 'create', '--name', uniqueName('community ')]);
  if (created.code !== 0) throw new Error(`community create failed: ${created.stderr}`);
  const id: string = created.json.community.id;
  for (const member of members) {
    const args = ['community', 'add', '--community', id, '--org', member.orgId];
    const added = await runCli(env, member.anonymous ? [...args, '--anonymous'] : args);
    if (added.code !== 0) throw new Error(`community add failed: ${added.stderr}`);
  }
  return { id };
}

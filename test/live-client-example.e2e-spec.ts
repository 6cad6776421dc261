import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT,
  call,
  createOrganization,
  incidentBody,
  startDeployment,
  waitFor,
  type Deployment,
} from '@corridor/testing';

/** The README's live client runs as written, and resumes across a restart with nothing missed or repeated. */
describe('README live client example', () => {
  let deployment: Deployment;
  let org: { id: string; key: string };
  const script = path.join(ROOT, 'docs', 'live-client.cjs');
  const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'corridor-live-')), 'state.json');
  const children: ChildProcess[] = [];

  const start = () => {
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        CORRIDOR_URL: deployment.baseUrl,
        CORRIDOR_TOKEN: org.key,
        CORRIDOR_STATE: stateFile,
        NODE_PATH: path.join(ROOT, 'node_modules'),
      },
    });
    children.push(child);
    const output = { text: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    return { child, output };
  };
  const stop = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const submit = async (title: string) =>
    (await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: org.key, body: incidentBody({ title }) }))
      .body.id as string;

  beforeAll(async () => {
    deployment = await startDeployment('example', {}, { worker: false });
    org = await createOrganization(deployment.env);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await deployment.api.stop();
  });

  it('is printed in the README verbatim', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(script, 'utf8').trim());
  });

  it('prints live events, and after a restart replays exactly what it missed', async () => {
    const first = start();
    await waitFor(() => first.output.text.includes('live (0 replayed)'), 10_000, 'the client to go live');
    const seen = await submit('seen live');
    await waitFor(() => first.output.text.includes(seen), 5000, 'the live event');
    expect(first.output.text).toMatch(new RegExp(`^incident\\.created \\{.*"id":"${seen}"`, 'm'));
    await stop(first.child);

    const missed = [await submit('missed 1'), await submit('missed 2'), await submit('missed 3')];
    const second = start();
    await waitFor(() => /live \(\d+ replayed\)/.test(second.output.text), 10_000, 'the client to resume');
    expect(second.output.text).toContain('live (3 replayed)');
    const created = [...second.output.text.matchAll(/^incident\.created (.*)$/gm)].map((m) => JSON.parse(m[1]).id);
    expect(created).toEqual(missed);
    expect(second.output.text).not.toContain(seen);
    await stop(second.child);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).lastEventId).toMatch(/^\d+-\d+$/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** The repository root: the nearest folder with a package.json (works from sources and from dist/). */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const ROOT = findRoot(__dirname);

export function entry(app: 'api' | 'worker' | 'cli'): string {
  return path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

export function uniqueName(tag: string): string {
  return `${tag}${randomBytes(5).toString('hex')}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The environment of one suite's own deployment: a database and Redis key prefix nobody else uses,
 * on the stores `npm test` started (MONGODB_URI / REDIS_URL).
 */
export function suiteEnvironment(tag: string, overrides: Record<string, string> = {}): Record<string, string> {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: run the suites with `npm test`');
  const name = uniqueName(tag);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    MONGODB_URI: url.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: name,
    LOG_LEVEL: 'info',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...overrides,
  };
}

/** A built app running as its own process, as in production. */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(
    readonly app: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  get logs(): string {
    return this.output;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--enable-source-maps', entry(this.app)], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const ready = this.app === 'api' ? `"api listening"` : `"worker listening"`;
    await waitFor(() => this.output.includes(ready) || child.exitCode !== null, 30_000, `${this.app} start`);
    if (child.exitCode !== null) throw new Error(`${this.app} exited at start:\n${this.output}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs the operator CLI and parses the JSON it prints. */
export async function runCli(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; json: any; stderr: string }> {
  const child = spawn(process.execPath, [entry('cli'), ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number>((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
  let json: unknown;
  try {
    json = stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { code, json, stderr };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT, waitFor } from './processes';

interface StoresScript {
  ensureFerretdb(root: string, log: (line: string) => void): Promise<string>;
}

/**
 * A store only one suite uses, so that suite may stop and restart it (outage tests) without touching
 * the stores other suites share. Restarting keeps the port and the data.
 */
abstract class PrivateStore {
  protected child?: ChildProcess;
  port = 0;

  protected abstract command(): Promise<[string, string[]]>;

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const [file, args] = await this.command();
    const child = spawn(file, args, { stdio: 'ignore' });
    this.child = child;
    await waitFor(async () => child.exitCode !== null || (await this.answers()), 30_000, `${file} on ${this.port}`);
    if (child.exitCode !== null) throw new Error(`${file} exited with ${child.exitCode}`);
  }

  /** Kills the server abruptly, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  protected answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}

/** FerretDB 1.24 on SQLite files in a temporary folder. */
export class PrivateFerretDb extends PrivateStore {
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'corridor-ferretdb-'));

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}/outage`;
  }

  protected async command(): Promise<[string, string[]]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stores = require(path.join(ROOT, 'scripts', 'stores.cjs')) as StoresScript;
    const binary = await stores.ensureFerretdb(ROOT, () => undefined);
    mkdirSync(path.join(this.dir, 'data'), { recursive: true });
    mkdirSync(path.join(this.dir, 'state'), { recursive: true });
    return [
      binary,
      [
        '--telemetry=disable',
        `--listen-addr=127.0.0.1:${this.port}`,
        '--handler=sqlite',
        `--sqlite-url=file:${path.join(this.dir, 'data')}/`,
        `--state-dir=${path.join(this.dir, 'state')}`,
        '--debug-addr=127.0.0.1:0',
        '--log-level=error',
      ],
    ];
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** redis-server without persistence: a restart comes back empty, as after a crash. */
export class PrivateRedis extends PrivateStore {
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected command(): Promise<[string, string[]]> {
    return Promise.resolve([
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'],
    ]);
  }
}

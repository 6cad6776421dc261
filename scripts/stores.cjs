'use strict';

/**
 * Local data stores for development and tests: a MongoDB-compatible server and Redis.
 *
 *   const { startStores } = require('./stores.cjs');
 *   const { mongoUri, redisUrl, backend, stop } = await startStores({ root, database: 'corridor' });
 *
 * MongoDB-compatible store
 *   - MONGODB_URI set: used as is, nothing is started (backend 'external').
 *   - otherwise FerretDB 1.24 is built from source with Go on first use (into <root>/.tools/ferretdb/)
 *     and started on a free port of 127.0.0.1, on top of the local PostgreSQL (127.0.0.1:5432, user
 *     postgres, database <database>) when that is usable, else on SQLite files in
 *     <root>/.data/ferretdb-<database>/sqlite/.
 * Redis
 *   - REDIS_URL set: used as is.
 *   - otherwise redis://127.0.0.1:6379; if nothing answers PING there, redis-server is started there as a
 *     child process (no persistence) and stopped again by stop().
 *
 * Environment (besides MONGODB_URI and REDIS_URL):
 *   CORRIDOR_STORES_FORCE_SQLITE=1   testing aid: skip PostgreSQL detection and use the sqlite handler.
 *
 * stop() stops only what this call started. Children are also SIGKILLed when this process exits, and a
 * FerretDB left running by a process that died without exiting (SIGKILL, crash) is killed on the next start.
 *
 * Run directly: `node scripts/stores.cjs [database]` prints {"mongoUri","redisUrl","backend"} as one JSON
 * line on stdout and keeps the stores up until SIGINT/SIGTERM. Diagnostics go to stderr as "[stores] ...".
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.0';
const FERRETDB_LABEL = 'FerretDB 1.24';
const PG_HOST = '127.0.0.1';
const PG_PORT = 5432;
const PG_USER = 'postgres';
const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = 6379;
const READY_TIMEOUT_MS = 30_000;
const REDIS_READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const BUILD_LOCK_WAIT_MS = 20 * 60_000;
const BUILD_TIMEOUT_MS = 20 * 60_000;
const BUILD_HINT = 'set MONGODB_URI to use an existing MongoDB';

// ---------------------------------------------------------------------------------------------------------
// process-wide bookkeeping: children and temporary files to clean up synchronously when the process exits.
//
// The stores run in their own process group (spawned detached), so a Ctrl-C in the terminal reaches only
// the parent, which can then shut its apps down before the stores (see stop()). That makes the parent
// responsible for them: they are SIGKILLed on 'exit', and SIGINT/SIGTERM/SIGHUP are passed on to them when
// nobody else handles the signal (the process then dies by it as usual, and 'exit' does not run).

/** @type {Set<import('node:child_process').ChildProcess>} */
const liveChildren = new Set();
/** @type {Set<() => void>} */
const exitCleanups = new Set();
let exitHookInstalled = false;

function killLiveChildren(signal) {
  for (const child of liveChildren) {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function runExitCleanups() {
  for (const cleanup of exitCleanups) {
    try {
      cleanup();
    } catch {
      /* best effort */
    }
  }
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    killLiveChildren('SIGKILL');
    runExitCleanups();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return; // the host handles it (and should call stop())
      killLiveChildren('SIGTERM');
      runExitCleanups();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal); // default behaviour: die by the signal
    };
    process.on(signal, onSignal);
  }
}

function trackChild(child) {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

function onExitCleanup(fn) {
  installExitHook();
  exitCleanups.add(fn);
  return () => exitCleanups.delete(fn);
}

// ---------------------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** For races against a child's exit: must not keep the event loop alive once the child is gone. */
const unrefSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function lastLine(text) {
  const lines = String(text || '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length ? lines[lines.length - 1] : '';
}

/** The last `count` non-empty lines of `file` written after byte `from`, joined into one line. */
function logTail(file, from = 0, count = 6) {
  let text = '';
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(from, size - 64 * 1024);
      const buf = Buffer.alloc(Math.max(0, size - start));
      fs.readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no log output)';
  }
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(-count)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}...` : line));
  return lines.length ? lines.join(' | ') : '(no log output)';
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Keeps append-only logs bounded: moves a big one aside to <file>.1 (replacing the previous one). */
function rotateLog(file, maxBytes = 20 * 1024 * 1024) {
  if (fileSize(file) > maxBytes) {
    try {
      fs.renameSync(file, `${file}.1`);
    } catch {
      /* best effort */
    }
  }
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    // a zombie (killed, not reaped yet) still accepts signal 0
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** Linux process start time (clock ticks since boot), used with the pid to identify a process; null elsewhere. */
function processStartTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses; fields after it are space separated
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] || null; // field 22 overall
  } catch {
    return null;
  }
}

function redactUri(uri) {
  return String(uri).replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Runs a command to completion, collecting its output. Never rejects; a spawn failure is reported in `error`. */
function run(command, args, { cwd, env, timeoutMs, logFd } = {}) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, stdout, stderr, error });
      return;
    }
    child.once('spawn', () => trackChild(child));
    let timer = null;
    if (timeoutMs) {
      timer = setTimeout(() => {
        stderr += `\n${command} timed out after ${Math.round(timeoutMs / 1000)} s`;
        child.kill('SIGKILL');
      }, timeoutMs);
    }
    const collect = (chunk, which) => {
      if (logFd !== undefined) fs.writeSync(logFd, chunk);
      if (which === 'out') stdout += chunk;
      else stderr += chunk;
    };
    child.stdout.on('data', (chunk) => collect(chunk, 'out'));
    child.stderr.on('data', (chunk) => collect(chunk, 'err'));
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, stdout, stderr, error });
    });
    child.once('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, error: null });
    });
  });
}

/** Spawns a long-running child; resolves once it is running, rejects if it cannot be started (e.g. ENOENT). */
function spawnChild(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      child.on('error', () => {
        /* reported through 'exit' */
      });
      trackChild(child);
      resolve(child);
    });
  });
}

function tcpProbe(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Sends an inline PING; resolves to the first reply line ('+PONG', '-NOAUTH ...', ...) or null if nobody answers. */
function redisPing(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const done = (reply) => {
      socket.destroy();
      resolve(reply);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end !== -1) done(data.slice(0, end));
    });
    socket.once('error', () => done(null));
    socket.once('end', () => done(null));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function makeWritable(dir) {
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop();
    const stat = fs.lstatSync(current);
    if (stat.isSymbolicLink()) continue;
    fs.chmodSync(current, stat.mode | 0o200);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(current)) stack.push(path.join(current, name));
    }
  }
}

function removeTree(dir) {
  if (!fs.existsSync(dir)) return;
  makeWritable(dir); // the Go module cache is read-only, and so is a copy of it
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------
// children bookkeeping on disk: lets a later run kill a FerretDB whose parent died without running exit hooks

function runDir(root) {
  return path.join(root, '.data', 'run');
}

function recordChild(root, info) {
  const dir = runDir(root);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${info.name}-${process.pid}-${info.pid}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...info, owner: process.pid, startTime: processStartTime(info.pid) })}\n`);
  const forget = () => fs.rmSync(file, { force: true });
  const unregister = onExitCleanup(forget);
  return () => {
    unregister();
    forget();
  };
}

/** Kills FerretDB processes recorded by runs whose owner is gone; returns live records of other runs. */
function reapOrphans(root, log) {
  const dir = runDir(root);
  let names = [];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const others = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let info;
    try {
      info = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue; // being written right now, or garbage; leave it
    }
    if (info.owner === process.pid) continue;
    if (isAlive(info.owner)) {
      others.push(info);
      continue;
    }
    const sameProcess = info.startTime && isAlive(info.pid) && processStartTime(info.pid) === info.startTime;
    if (sameProcess && info.name === 'ferretdb') {
      try {
        process.kill(info.pid, 'SIGKILL');
        log(`killed FerretDB (pid ${info.pid}) left running by an earlier run (pid ${info.owner}) that died`);
      } catch {
        /* gone meanwhile */
      }
    }
    fs.rmSync(file, { force: true });
  }
  return others;
}

// ---------------------------------------------------------------------------------------------------------
// stopping children

function watchChild(child) {
  const entry = { child, exited: false, exitInfo: null };
  entry.whenExited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      entry.exited = true;
      entry.exitInfo = { code, signal };
      resolve(entry.exitInfo);
    });
  });
  return entry;
}

async function stopChild(entry) {
  if (entry.exited) return;
  try {
    entry.child.kill('SIGTERM');
  } catch {
    /* already gone */
  }
  const exitedInTime = await Promise.race([
    entry.whenExited.then(() => true),
    unrefSleep(STOP_GRACE_MS).then(() => false),
  ]);
  if (exitedInTime) return;
  try {
    entry.child.kill('SIGKILL');
  } catch {
    /* already gone */
  }
  await Promise.race([entry.whenExited, unrefSleep(2_000)]);
}

function describeExit(info) {
  if (!info) return 'exited';
  return info.signal ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}

// ---------------------------------------------------------------------------------------------------------
// FerretDB binary

/** Waits for and takes the build lock; returns a release function, or null if `isDone()` became true meanwhile. */
async function acquireBuildLock(lockDir, isDone, log) {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(
        path.join(lockDir, 'owner.json'),
        `${JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() })}\n`,
      );
      const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
      const unregister = onExitCleanup(release);
      return () => {
        unregister();
        release();
      };
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (isDone()) return null;

    let owner = null;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
    } catch {
      /* just created, owner not written yet (or crashed right then: see the age check) */
    }
    let lockAgeMs = 0;
    try {
      lockAgeMs = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    const stale = owner ? owner.host === os.hostname() && !isAlive(owner.pid) : lockAgeMs > 60_000;
    if (stale) {
      log(`removing stale FerretDB build lock ${lockDir}${owner ? ` (pid ${owner.pid} is gone)` : ''}`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      announced = true;
      log(`waiting for another process${owner ? ` (pid ${owner.pid})` : ''} to finish building ${FERRETDB_LABEL}`);
    }
    if (Date.now() - started > BUILD_LOCK_WAIT_MS) {
      throw new Error(
        `${FERRETDB_LABEL} build failed: gave up waiting for the build lock ${lockDir}` +
          `${owner ? ` held by pid ${owner.pid}` : ''}; remove it or ${BUILD_HINT}`,
      );
    }
    await sleep(1_000);
  }
}

async function buildFerretdb(toolsDir, binary, log) {
  const fail = (why) => new Error(`${FERRETDB_LABEL} build failed: ${why}; ${BUILD_HINT}`);
  const buildLog = path.join(toolsDir, 'build.log');
  const logFd = fs.openSync(buildLog, 'w');
  // a binary for this machine (ignore any cross-compilation settings), pure Go (no C compiler needed)
  const env = { ...process.env, GOWORK: 'off', CGO_ENABLED: '0' };
  delete env.GOOS;
  delete env.GOARCH;
  const started = Date.now();
  const tmpBinary = `${binary}.tmp-${process.pid}`;
  const removeTmp = () => fs.rmSync(tmpBinary, { force: true });
  const unregister = onExitCleanup(removeTmp);
  try {
    const goVersion = await run('go', ['version'], { env });
    if (goVersion.error) {
      throw fail(goVersion.error.code === 'ENOENT' ? 'go is not on PATH' : `cannot run go: ${goVersion.error.message}`);
    }
    log(
      `building ${FERRETDB_LABEL} from source with ${lastLine(goVersion.stdout) || 'go'} (first run only, about a minute); output in ${buildLog}`,
    );

    // 1. fetch the module source (read-only, in the Go module cache)
    const download = await run('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
      cwd: toolsDir,
      env,
      timeoutMs: BUILD_TIMEOUT_MS,
      logFd,
    });
    let info = null;
    try {
      info = JSON.parse(download.stdout);
    } catch {
      /* reported below */
    }
    if (download.code !== 0 || !info || info.Error || !info.Dir) {
      throw fail(
        (info && info.Error) ||
          lastLine(download.stderr) ||
          lastLine(download.stdout) ||
          `go mod download exited with ${download.code}`,
      );
    }

    // 2. writable copy, with the version file FerretDB's build normally generates (it panics at start-up without it)
    const srcDir = path.join(toolsDir, 'src');
    removeTree(srcDir);
    fs.cpSync(info.Dir, srcDir, { recursive: true });
    makeWritable(srcDir);
    fs.writeFileSync(path.join(srcDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

    // 3. build to a temporary name, check it starts, then rename into place atomically
    const build = await run('go', ['build', '-trimpath', '-buildvcs=false', '-o', tmpBinary, './cmd/ferretdb'], {
      cwd: srcDir,
      env,
      timeoutMs: BUILD_TIMEOUT_MS,
      logFd,
    });
    if (build.error) throw fail(`cannot run go: ${build.error.message}`);
    if (build.code !== 0)
      throw fail(lastLine(build.stderr) || lastLine(build.stdout) || `go build exited with ${build.code}`);

    const check = await run(tmpBinary, ['--version'], { timeoutMs: 30_000, logFd });
    if (check.code !== 0 || !check.stdout.includes(FERRETDB_VERSION)) {
      throw fail(
        `the built binary does not start: ${lastLine(check.stderr) || lastLine(check.stdout) || (check.error && check.error.message)}`,
      );
    }
    fs.chmodSync(tmpBinary, 0o755);
    fs.renameSync(tmpBinary, binary);
    log(`built ${FERRETDB_LABEL} in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
  } finally {
    fs.closeSync(logFd);
    removeTmp();
    unregister();
  }
}

async function ensureFerretdb(root, log) {
  const toolsDir = path.join(root, '.tools', 'ferretdb');
  const binary = path.join(toolsDir, `ferretdb-${FERRETDB_VERSION}`);
  if (isExecutable(binary)) return binary;
  fs.mkdirSync(toolsDir, { recursive: true });
  const release = await acquireBuildLock(path.join(toolsDir, 'build.lock'), () => isExecutable(binary), log);
  if (!release) return binary; // another process built it while we waited
  try {
    if (!isExecutable(binary)) await buildFerretdb(toolsDir, binary, log);
    return binary;
  } finally {
    release();
  }
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL

function psql(args, database = 'postgres') {
  return run(
    'psql',
    ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, '-d', database, '-X', '-w', '-v', 'ON_ERROR_STOP=1', ...args],
    { env: { ...process.env, PGCONNECT_TIMEOUT: '5' }, timeoutMs: 30_000 },
  );
}

/** Resolves to null when PostgreSQL is usable, else to the reason it is not. */
async function postgresUnavailableReason() {
  if (process.env.CORRIDOR_STORES_FORCE_SQLITE === '1') return 'CORRIDOR_STORES_FORCE_SQLITE=1';
  if (!(await tcpProbe(PG_HOST, PG_PORT, 1_000))) return `nothing answers on ${PG_HOST}:${PG_PORT}`;
  const probe = await psql(['-tAc', 'select 1']);
  if (probe.error)
    return probe.error.code === 'ENOENT' ? 'psql is not on PATH' : `cannot run psql: ${probe.error.message}`;
  if (probe.code !== 0 || probe.stdout.trim() !== '1') {
    return `psql as ${PG_USER} failed: ${lastLine(probe.stderr) || `exit code ${probe.code}`}`;
  }
  return null;
}

/**
 * Drops a disposable database (the test and bench stores: every suite makes databases of its own in
 * it, and those of earlier runs would pile up and slow FerretDB's catalog). A database another run
 * is connected to is kept (DROP DATABASE refuses it), with a line in the log.
 */
async function dropPostgresDatabase(database, log) {
  const drop = await psql(['-c', `drop database if exists "${database}"`]);
  if (drop.code !== 0) log(`kept database ${database}: ${lastLine(drop.stderr) || `psql exit code ${drop.code}`}`);
}

async function ensurePostgresDatabase(database) {
  const exists = await psql(['-tAc', `select 1 from pg_database where datname = '${database}'`]);
  if (exists.code === 0 && exists.stdout.trim() === '1') return;
  const create = await psql(['-c', `create database "${database}"`]);
  if (create.code === 0 || /already exists/i.test(create.stderr)) return;
  throw new Error(
    `cannot create PostgreSQL database "${database}" on ${PG_HOST}:${PG_PORT}: ` +
      `${lastLine(create.stderr) || (create.error && create.error.message) || `psql exit code ${create.code}`}; ${BUILD_HINT}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// FerretDB process

function loadMongoClient(root) {
  const requireFromRoot = createRequire(path.join(root, 'package.json'));
  try {
    return requireFromRoot('mongodb').MongoClient;
  } catch {
    // not hoisted: take the driver mongoose depends on
    const fromMongoose = createRequire(requireFromRoot.resolve('mongoose'));
    return fromMongoose('mongodb').MongoClient;
  }
}

async function mongoPing(MongoClient, uri, timeoutMs) {
  const client = new MongoClient(uri, {
    directConnection: true,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    if (!reply || reply.ok !== 1) throw new Error(`ping replied ${JSON.stringify(reply)}`);
  } finally {
    await client.close().catch(() => {});
  }
}

async function startFerretdb({ root, binary, database, backend, log }) {
  const dataDir = path.join(root, '.data', `ferretdb-${database}`);
  const stateDir = path.join(dataDir, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  let handlerArgs;
  let where;
  if (backend === 'postgresql') {
    handlerArgs = ['--handler=postgresql', `--postgresql-url=postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}`];
    where = `database ${database}`;
  } else {
    const sqliteDir = path.join(dataDir, 'sqlite');
    fs.mkdirSync(sqliteDir, { recursive: true });
    // FerretDB parses this as a URL; use the relative form (cwd is dataDir) if the path would need escaping
    const sqliteUrl = /^[A-Za-z0-9/._~+,=@:-]+$/.test(sqliteDir) ? `file:${sqliteDir}/` : 'file:./sqlite/';
    handlerArgs = ['--handler=sqlite', `--sqlite-url=${sqliteUrl}`];
    where = `database ${database}, files in ${sqliteDir}`;
  }
  const logFile = path.join(dataDir, 'ferretdb.log');
  rotateLog(logFile);
  const MongoClient = loadMongoClient(root);

  // the free port may be taken between probing and FerretDB binding it: retry a couple of times
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const mongoUri = `mongodb://127.0.0.1:${port}/${database}`;
    const args = [
      '--telemetry=disable',
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${stateDir}`,
      '--debug-addr=127.0.0.1:0',
      // at 'warn' FerretDB dumps every error reply (even the endSessions it does not support) into the log
      '--log-level=error',
      ...handlerArgs,
    ];
    const logFd = fs.openSync(logFile, 'a');
    fs.writeSync(logFd, `--- ${new Date().toISOString()} pid ${process.pid}: ${binary} ${args.join(' ')}\n`);
    const logFrom = fileSize(logFile); // error messages quote FerretDB's own output only
    let child;
    try {
      child = await spawnChild(binary, args, { cwd: dataDir, stdio: ['ignore', logFd, logFd], detached: true });
    } catch (err) {
      throw new Error(`cannot start ${FERRETDB_LABEL} (${binary}): ${err.message}; ${BUILD_HINT}`);
    } finally {
      fs.closeSync(logFd);
    }
    const entry = watchChild(child);
    entry.name = 'FerretDB';
    entry.logFile = logFile;
    entry.forget = recordChild(root, { name: 'ferretdb', pid: child.pid, dataDir, backend });

    const deadline = Date.now() + READY_TIMEOUT_MS;
    let lastError = 'not accepting connections yet';
    let ready = false;
    while (!entry.exited && Date.now() < deadline) {
      if (await tcpProbe('127.0.0.1', port, 1_000)) {
        try {
          await mongoPing(MongoClient, mongoUri, Math.max(500, Math.min(3_000, deadline - Date.now())));
          ready = true;
          break;
        } catch (err) {
          lastError = String(err.message || err).split('\n')[0];
        }
      }
      if (!entry.exited) await sleep(200);
    }
    if (ready) {
      log(`${FERRETDB_LABEL} (${backend} backend, ${where}) on ${mongoUri}`);
      return { mongoUri, entry };
    }

    if (!entry.exited) {
      await stopChild(entry);
      entry.forget();
      throw new Error(
        `${FERRETDB_LABEL} did not answer ping on ${mongoUri} within ${READY_TIMEOUT_MS / 1000} s ` +
          `(${lastError}); log ${logFile}: ${logTail(logFile, logFrom)}`,
      );
    }
    entry.forget();
    const tail = logTail(logFile, logFrom);
    if (/address already in use/i.test(tail) && attempt < 3) continue;
    throw new Error(`${FERRETDB_LABEL} ${describeExit(entry.exitInfo)} during start-up; log ${logFile}: ${tail}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Redis

async function startRedis({ root, log }) {
  const redisUrl = `redis://${REDIS_HOST}:${REDIS_PORT}`;
  const reply = await redisPing(REDIS_HOST, REDIS_PORT, 1_000);
  if (reply !== null) {
    if (reply.startsWith('+PONG')) log(`Redis already running on ${redisUrl}`);
    else log(`warning: Redis on ${redisUrl} answered PING with "${reply}"; set REDIS_URL if it needs credentials`);
    return { redisUrl, entry: null };
  }

  const dataDir = path.join(root, '.data');
  fs.mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, `redis-${REDIS_PORT}.log`);
  rotateLog(logFile);
  const args = [
    '--bind',
    REDIS_HOST,
    '--port',
    String(REDIS_PORT),
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ];
  const logFrom = fileSize(logFile);
  const logFd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = await spawnChild('redis-server', args, { cwd: dataDir, stdio: ['ignore', logFd, logFd], detached: true });
  } catch (err) {
    throw new Error(
      err.code === 'ENOENT'
        ? `nothing answers on ${redisUrl} and redis-server is not on PATH; start Redis or set REDIS_URL`
        : `cannot start redis-server: ${err.message}; start Redis or set REDIS_URL`,
    );
  } finally {
    fs.closeSync(logFd);
  }
  const entry = watchChild(child);
  entry.name = 'redis-server';
  entry.logFile = logFile;
  entry.forget = recordChild(root, { name: 'redis-server', pid: child.pid });

  const deadline = Date.now() + REDIS_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await redisPing(REDIS_HOST, REDIS_PORT, 1_000);
    if (entry.exited) break;
    if (answer && answer.startsWith('+PONG')) {
      log(
        `no Redis was answering on ${redisUrl}: started redis-server (pid ${child.pid}, no persistence, log ${logFile})`,
      );
      return { redisUrl, entry };
    }
    await sleep(100);
  }
  if (entry.exited) {
    entry.forget();
    // lost a race with another process starting Redis at the same time? then use that one
    const answer = await redisPing(REDIS_HOST, REDIS_PORT, 1_000);
    if (answer && answer.startsWith('+PONG')) {
      log(`Redis was started meanwhile by another process on ${redisUrl}; using it`);
      return { redisUrl, entry: null };
    }
    throw new Error(
      `redis-server ${describeExit(entry.exitInfo)} during start-up; log ${logFile}: ${logTail(logFile, logFrom)}`,
    );
  }
  await stopChild(entry);
  entry.forget();
  throw new Error(
    `redis-server did not answer PING within ${REDIS_READY_TIMEOUT_MS / 1000} s; log ${logFile}: ${logTail(logFile, logFrom)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// public API

/**
 * @param {{ root: string, database?: string, fresh?: boolean, log?: (line: string) => void,
 *           onUnexpectedExit?: (name: string, info: { code: number | null, signal: string | null }) => void }} options
 *   onUnexpectedExit (optional) is called if a store started here dies before stop(); by default that is logged.
 *   fresh (optional): the database is disposable; drop what an earlier run left in it first.
 * @returns {Promise<{ mongoUri: string, redisUrl: string, backend: 'external' | 'postgresql' | 'sqlite', stop: () => Promise<void> }>}
 */
async function startStores(options = {}) {
  const root = path.resolve(options.root || path.join(__dirname, '..'));
  const database = options.database || 'corridor';
  const log = options.log || ((line) => process.stderr.write(`[stores] ${line}\n`));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) {
    throw new Error(`invalid database name "${database}": use 1-63 letters, digits, _ or -`);
  }

  /** @type {Array<ReturnType<typeof watchChild> & { name: string, logFile: string, forget: () => void }>} */
  const started = [];
  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        for (const entry of started.slice().reverse()) {
          await stopChild(entry);
          entry.forget();
        }
      })();
    }
    return stopping;
  };
  const adopt = (entry) => {
    started.push(entry);
    entry.whenExited.then((info) => {
      if (stopping) return;
      entry.forget();
      if (options.onUnexpectedExit) options.onUnexpectedExit(entry.name, info);
      else
        log(`${entry.name} ${describeExit(info)} unexpectedly; log ${entry.logFile}: ${logTail(entry.logFile, 0, 3)}`);
    });
  };

  try {
    let mongoUri;
    let backend;
    if (process.env.MONGODB_URI) {
      mongoUri = process.env.MONGODB_URI;
      backend = 'external';
      log(`using MONGODB_URI from the environment: ${redactUri(mongoUri)}`);
    } else {
      const others = reapOrphans(root, log);
      const binary = await ensureFerretdb(root, log);
      const whyNotPostgres = await postgresUnavailableReason();
      if (whyNotPostgres === null) {
        backend = 'postgresql';
        if (options.fresh) await dropPostgresDatabase(database, log);
        await ensurePostgresDatabase(database);
      } else {
        backend = 'sqlite';
        log(`PostgreSQL not used (${whyNotPostgres}): FerretDB will keep data in SQLite files`);
        const dataDir = path.join(root, '.data', `ferretdb-${database}`);
        const sharing = others.filter((o) => o.name === 'ferretdb' && o.backend === 'sqlite' && o.dataDir === dataDir);
        if (sharing.length) {
          log(
            `warning: process ${sharing.map((o) => o.owner).join(', ')} already runs FerretDB on the same SQLite files`,
          );
        } else if (options.fresh) {
          fs.rmSync(path.join(dataDir, 'sqlite'), { recursive: true, force: true });
        }
      }
      const ferret = await startFerretdb({ root, binary, database, backend, log });
      mongoUri = ferret.mongoUri;
      adopt(ferret.entry);
    }

    let redisUrl;
    if (process.env.REDIS_URL) {
      redisUrl = process.env.REDIS_URL;
      log(`using REDIS_URL from the environment: ${redactUri(redisUrl)}`);
    } else {
      const redis = await startRedis({ root, log });
      redisUrl = redis.redisUrl;
      if (redis.entry) adopt(redis.entry);
    }

    return { mongoUri, redisUrl, backend, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

module.exports = { startStores, ensureFerretdb };

// ---------------------------------------------------------------------------------------------------------
// command line

async function main() {
  const database = process.argv[2] || 'corridor';
  let stores = null;
  let shuttingDown = false;
  const shutdown = async (code) => {
    shuttingDown = true;
    try {
      if (stores) await stores.stop();
    } finally {
      process.exit(code);
    }
  };
  const onSignal = (signal) => {
    if (shuttingDown) {
      process.stderr.write(`[stores] ${signal} again: killing the stores\n`);
      process.exit(1); // the exit hook SIGKILLs the children
    }
    void shutdown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    stores = await startStores({
      root: path.resolve(__dirname, '..'),
      database,
      onUnexpectedExit: (name, info) => {
        if (shuttingDown) return;
        process.stderr.write(`[stores] ${name} ${describeExit(info)} unexpectedly; stopping\n`);
        void shutdown(1);
      },
    });
  } catch (err) {
    process.stderr.write(`[stores] ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  }
  if (shuttingDown) return; // a signal arrived during start-up; shutdown() is under way
  const { mongoUri, redisUrl, backend } = stores;
  process.stdout.write(`${JSON.stringify({ mongoUri, redisUrl, backend })}\n`);
  setInterval(() => {}, 1 << 30); // keep running (nothing else may hold the event loop when both are external)
}

if (require.main === module) void main();

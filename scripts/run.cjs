'use strict';
// Small process helpers shared by start.cjs, test.cjs, cli.cjs and bench.cjs.
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const storesFile = path.join(root, '.data', 'stores.json');

function log(line) {
  process.stderr.write(`[corridor] ${line}\n`);
}

/** Compiles apps and libs to dist/ (tsc + path aliases rewritten). Exits the process on failure. */
function build() {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    log('build failed');
    process.exit(result.status ?? 1);
  }
}

/**
 * This checkout's own name, `corridor_<hash of its path>`: the database and Redis prefix of `npm start`
 * and `npm run cli` when none is configured, so two checkouts on one machine share stores, not data.
 */
const checkoutName = `corridor_${crypto.createHash('sha256').update(root).digest('hex').slice(0, 8)}`;

/**
 * The store settings of this checkout, given the MongoDB URI in use: a URI that names no database gets
 * the checkout's; the Redis prefix is REDIS_PREFIX, else the checkout's when the database is the
 * checkout's own, else unset (the configured default, `corridor`, as for the apps run directly).
 */
function checkoutStores(mongoUri, { ownDatabase = false } = {}) {
  const [, server, database, rest] = /^(mongodb(?:\+srv)?:\/\/[^/?#]*)(?:\/([^?#]*))?(.*)$/.exec(mongoUri) ?? [];
  const unnamed = server !== undefined && !database;
  return {
    mongoUri: unnamed ? `${server}/${checkoutName}${rest}` : mongoUri,
    redisPrefix: process.env.REDIS_PREFIX || (ownDatabase || unnamed ? checkoutName : undefined),
  };
}

function entry(app) {
  return path.join(root, 'dist', 'apps', app, 'src', 'main.js');
}

/** Runs a built app as its own process, as in production. */
function startApp(app, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry(app)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return child;
}

/** Remembers the stores `npm start` brought up, so `npm run cli` can reach them. */
function saveStores(stores) {
  fs.mkdirSync(path.dirname(storesFile), { recursive: true });
  fs.writeFileSync(
    storesFile,
    JSON.stringify({
      mongoUri: stores.mongoUri,
      redisUrl: stores.redisUrl,
      redisPrefix: stores.redisPrefix,
      pid: process.pid,
    }),
  );
}

function loadStores() {
  try {
    const saved = JSON.parse(fs.readFileSync(storesFile, 'utf8'));
    process.kill(saved.pid, 0); // still running?
    return saved;
  } catch {
    return undefined;
  }
}

function forgetStores() {
  try {
    const saved = JSON.parse(fs.readFileSync(storesFile, 'utf8'));
    if (saved.pid === process.pid) fs.unlinkSync(storesFile);
  } catch {
    // nothing saved
  }
}

/**
 * Starts the stores (unless MONGODB_URI/REDIS_URL are set), builds (unless CORRIDOR_SKIP_BUILD=1),
 * runs one Node script against them, stops the stores, and exits with the script's code. Used by
 * `npm test` and `npm run bench`.
 */
function runWithStores(database, script, args = []) {
  const { startStores } = require('./stores.cjs');
  const main = async () => {
    // The test and bench databases are disposable: each run starts from empty ones.
    const stores = await startStores({ root, database, fresh: true });
    let code = 1;
    try {
      // CI's bench step follows `npm test`, which built this very tree.
      if (process.env.CORRIDOR_SKIP_BUILD !== '1') build();
      const child = spawn(process.execPath, [script, ...args], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, MONGODB_URI: stores.mongoUri, REDIS_URL: stores.redisUrl },
      });
      code = await new Promise((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
    } finally {
      await stores.stop();
    }
    process.exit(code);
  };
  main().catch((error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

module.exports = {
  root,
  checkoutName,
  checkoutStores,
  log,
  build,
  entry,
  startApp,
  saveStores,
  loadStores,
  forgetStores,
  runWithStores,
};

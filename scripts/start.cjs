'use strict';
// `npm start`: local stores when none are configured, a fresh build, then api + worker.
// Ctrl-C stops everything this script started.
const { startStores } = require('./stores.cjs');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { root, checkoutName, checkoutStores, log, build, startApp, saveStores, forgetStores } = require('./run.cjs');

/** JWT_SECRET from the environment, else one generated once and kept in .data/ for this machine. */
function jwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = path.join(root, '.data', 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * Refuses a port something else listens on (another checkout's `npm start`, say): its /health would
 * otherwise answer for an api of ours that cannot listen.
 */
async function ensurePortFree(port, host) {
  await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use (another \`npm start\`?): set PORT to a free one`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(Number(port), host, () => probe.close(resolve));
  });
}

/** Resolves once the api answers /health, or rejects when it exits first. */
async function apiAnswers(child, port) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('the api exited');
    try {
      const reply = await fetch(`http://127.0.0.1:${port}/health`);
      if (reply.status === 200 || reply.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main() {
  const port = process.env.PORT || 3000;
  await ensurePortFree(port, process.env.HOST || '0.0.0.0');
  // This checkout's own database and Redis prefix, unless configured (see checkoutStores).
  const stores = await startStores({ root, database: checkoutName });
  const { mongoUri, redisPrefix } = checkoutStores(stores.mongoUri, { ownDatabase: stores.backend !== 'external' });
  saveStores({ mongoUri, redisUrl: stores.redisUrl, redisPrefix });
  build();
  const env = {
    MONGODB_URI: mongoUri,
    REDIS_URL: stores.redisUrl,
    ...(redisPrefix ? { REDIS_PREFIX: redisPrefix } : {}),
    JWT_SECRET: jwtSecret(),
  };
  const children = ['api', 'worker'].map((app) => ({ app, process: startApp(app, env) }));
  let stopping = false;

  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const { process: child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map(({ process: child }) =>
        child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null,
      ),
    );
    forgetStores();
    await stores.stop();
    process.exit(code);
  };

  for (const { app, process: child } of children) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`${app} exited (${signal ?? code}); stopping`);
      void stop(code || 1);
    });
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // Announced only once the api has validated its configuration and answers.
  await apiAnswers(children[0].process, port).then(
    () => log(`dashboard and api on http://localhost:${port} (OpenAPI at /docs); Ctrl-C stops everything`),
    () => undefined,
  );
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

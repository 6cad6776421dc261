'use strict';
// `npm start`: local stores when none are configured, a fresh build, then api + worker.
// Ctrl-C stops everything this script started.
const { startStores } = require('./stores.cjs');
const { root, log, build, startApp, saveStores, forgetStores } = require('./run.cjs');

async function main() {
  const stores = await startStores({ root, database: 'corridor' });
  saveStores(stores);
  build();
  const env = { MONGODB_URI: stores.mongoUri, REDIS_URL: stores.redisUrl };
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
  log(`api on http://localhost:${process.env.PORT || 3000} (OpenAPI at /docs); Ctrl-C stops everything`);
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

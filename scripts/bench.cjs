'use strict';
// `npm run bench`: the stores (as for tests), a fresh build, then dist/bench/run.js.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startStores } = require('./stores.cjs');
const { root, log, build } = require('./run.cjs');

async function main() {
  const stores = await startStores({ root, database: 'corridor_bench' });
  let code = 1;
  try {
    build();
    const child = spawn(process.execPath, [path.join(root, 'dist', 'bench', 'run.js')], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, MONGODB_URI: stores.mongoUri, REDIS_URL: stores.redisUrl },
    });
    code = await new Promise((resolve) => child.once('exit', (status) => resolve(status ?? 1)));
  } finally {
    await stores.stop();
  }
  process.exit(code);
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

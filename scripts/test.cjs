'use strict';
// `npm test`: starts the stores the suites need (unless MONGODB_URI/REDIS_URL are set), builds the
// apps the end-to-end suites boot, runs every jest project, and writes jest's JSON results.
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startStores } = require('./stores.cjs');
const { root, log, build } = require('./run.cjs');

async function main() {
  const stores = await startStores({ root, database: 'corridor_test' });
  let code = 1;
  try {
    build();
    const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
    const args = [jest, '--json', '--outputFile=.jest-results.json', ...process.argv.slice(2)];
    const child = spawn(process.execPath, args, {
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

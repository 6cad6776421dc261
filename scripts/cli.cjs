'use strict';
// `npm run cli -- <command>`: the operator CLI against the configured stores, or those `npm start` runs.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { root, checkoutStores, log, build, entry, loadStores } = require('./run.cjs');

const env = { ...process.env };
const help = process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h' || arg === 'help');
if (env.MONGODB_URI) {
  // The same database and Redis prefix as `npm start` with this MONGODB_URI.
  const { mongoUri, redisPrefix } = checkoutStores(env.MONGODB_URI);
  env.MONGODB_URI = mongoUri;
  if (redisPrefix) env.REDIS_PREFIX = redisPrefix;
} else if (!help) {
  const saved = loadStores();
  if (!saved) {
    log('no store configured: start the platform with `npm start` (or set MONGODB_URI and REDIS_URL)');
    process.exit(1);
  }
  env.MONGODB_URI = saved.mongoUri;
  env.REDIS_URL = env.REDIS_URL || saved.redisUrl;
  if (saved.redisPrefix) env.REDIS_PREFIX = env.REDIS_PREFIX || saved.redisPrefix;
}
if (!fs.existsSync(entry('cli'))) build();
const result = spawnSync(process.execPath, [entry('cli'), ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

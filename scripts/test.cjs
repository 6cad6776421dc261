'use strict';
// `npm test`: starts the stores the suites need (unless MONGODB_URI/REDIS_URL are set), builds the
// apps the end-to-end suites boot, runs every jest project, and writes jest's JSON results.
const path = require('node:path');
const { root, runWithStores } = require('./run.cjs');

const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
// Two suites at a time: most of a suite's time is spent waiting on its own api and worker
// processes, so two workers on two cores keep the run to about half of one worker's.
const workers = process.argv.slice(2).some((arg) => arg.startsWith('--maxWorkers') || arg === '--runInBand')
  ? []
  : ['--maxWorkers=2'];
runWithStores('corridor_test', jest, [
  '--json',
  '--outputFile=.jest-results.json',
  ...workers,
  ...process.argv.slice(2),
]);

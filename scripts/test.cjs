'use strict';
// `npm test`: starts the stores the suites need (unless MONGODB_URI/REDIS_URL are set), builds the
// apps the end-to-end suites boot, runs every jest project, and writes jest's JSON results.
const path = require('node:path');
const { root, runWithStores } = require('./run.cjs');

const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
runWithStores('corridor_test', jest, ['--json', '--outputFile=.jest-results.json', ...process.argv.slice(2)]);

'use strict';
// `npm run bench [-- --quick]`: the stores (as for tests), a fresh build, then dist/bench/run.js.
const path = require('node:path');
const { root, runWithStores } = require('./run.cjs');

runWithStores('corridor_bench', path.join(root, 'dist', 'bench', 'run.js'), process.argv.slice(2));

'use strict';
// Prints one field of the JSON read on stdin (objects and lists as JSON), for shell variables:
//   ID=$(curl -s … | node scripts/pick.cjs id)        # `items.0.id` reaches into lists
// When the input is not JSON or has no such field (an error answer, say), prints the input on stderr
// and exits 1, so a script stops at the step that went wrong instead of carrying an empty value on.
const fs = require('node:fs');

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: … | node scripts/pick.cjs <field>[.<field>…]\n');
  process.exit(2);
}
const input = fs.readFileSync(0, 'utf8');
let value;
try {
  value = path.split('.').reduce((object, key) => (object == null ? undefined : object[key]), JSON.parse(input));
} catch {
  value = undefined;
}
if (value === undefined || value === null) {
  process.stderr.write(`pick: no value at "${path}" in: ${input.trim() || '(nothing)'}\n`);
  process.exit(1);
}
process.stdout.write(`${typeof value === 'object' ? JSON.stringify(value) : value}\n`);

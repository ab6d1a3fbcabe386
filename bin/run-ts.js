#!/usr/bin/env node
// Runs a TypeScript entry point without a build step: ts-node in transpile-only
// mode (types are checked by `npm test`, not on every run).
'use strict';
const path = require('path');
require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
});
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts.js FILE.ts [args...]');
  process.exit(2);
}
process.argv.splice(1, 1); // the entry sees itself as argv[1]
require(path.resolve(entry));

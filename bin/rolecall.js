#!/usr/bin/env node
// `npx rolecall <command>`: the compiled CLI (dist/, built by `npm run build`,
// which `npm ci` runs through the `prepare` script).
'use strict';
const path = require('path');

let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(path.join('dist', 'src', 'cli', 'main.js'))) {
    console.error('rolecall: not built yet (dist/ is missing). Run `npm run build` (npm ci runs it for you), then retry.');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A bug, not a user error: one line, and the stack only when asked for.
    console.error(`rolecall: internal error: ${err && err.message ? err.message : String(err)}`);
    if (process.env.ROLECALL_DEBUG) console.error(err && err.stack);
    process.exitCode = 1;
  },
);

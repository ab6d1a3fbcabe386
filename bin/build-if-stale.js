#!/usr/bin/env node
/**
 * `npm run synth`, `validate` and `cdktf` rebuild dist/ only when a source
 * changed: tsc spends about 2 s even with nothing to do (incremental or
 * not), several times what the command itself costs. The build writes
 * dist/.build-stamp last (`--stamp`); a source, tsconfig or the lock file
 * newer than it means a rebuild. Deleting dist/ is always safe.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const STAMP = path.join('dist', '.build-stamp');
/** What the build reads (tsconfig.build.json's include, its configs, and the locked dependencies). */
const INPUTS = ['main.ts', 'src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/** The inputs under `root` modified after the stamp (all of them when there is no stamp). */
function staleInputs(root) {
  let built;
  try {
    built = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return ['(no build yet)'];
  }
  const stale = [];
  const visit = (rel) => {
    let st;
    try {
      st = fs.statSync(path.join(root, rel));
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(path.join(root, rel))) visit(path.join(rel, name));
    else if (st.mtimeMs > built) stale.push(rel);
  };
  for (const input of INPUTS) visit(input);
  return stale;
}

function stamp(root) {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP), `${new Date().toISOString()}\n`);
}

module.exports = { staleInputs, stamp, STAMP, INPUTS };

if (require.main === module) {
  if (process.argv.includes('--stamp')) stamp(ROOT);
  else if (staleInputs(ROOT).length > 0) {
    const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
}

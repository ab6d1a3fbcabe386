/**
 * `npm run synth` / `validate` / `cdktf` rebuild dist/ only when a source is
 * newer than the last build (issue 19, item 9: tsc cost ~2.3 s with nothing
 * to do, while the README promised a rebuild "if a source changed").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const stale = require('../../bin/build-if-stale.js') as {
  staleInputs(root: string): string[];
  stamp(root: string): void;
};

const ROOT = path.join(__dirname, '..', '..');
let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-stale-'));
  fs.mkdirSync(path.join(root, 'src', 'model'), { recursive: true });
  for (const f of ['main.ts', 'src/model/a.ts', 'tsconfig.json', 'package-lock.json']) fs.writeFileSync(path.join(root, f), '');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const age = (file: string, seconds: number) => {
  const t = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(path.join(root, file), t, t);
};

test('no build yet: stale', () => {
  expect(stale.staleInputs(root)).toEqual(['(no build yet)']);
});

test('built after every source: nothing to do; one source edited since: that file', () => {
  stale.stamp(root);
  for (const f of ['main.ts', 'src/model/a.ts', 'tsconfig.json', 'package-lock.json']) age(f, -60);
  expect(stale.staleInputs(root)).toEqual([]);
  age('src/model/a.ts', 60);
  expect(stale.staleInputs(root)).toEqual([path.join('src', 'model', 'a.ts')]);
});

test('a changed lock file (new dependencies) is a rebuild too', () => {
  stale.stamp(root);
  for (const f of ['main.ts', 'src/model/a.ts', 'tsconfig.json']) age(f, -60);
  age('package-lock.json', 60);
  expect(stale.staleInputs(root)).toEqual(['package-lock.json']);
});

test('the npm scripts go through it, and the build writes the stamp last', () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const name of ['synth', 'validate', 'cdktf'])
    expect([name, scripts[name].startsWith('node bin/build-if-stale.js && ')]).toEqual([name, true]);
  expect(scripts.build.endsWith('&& node bin/build-if-stale.js --stamp')).toBe(true);
});

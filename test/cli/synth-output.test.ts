/**
 * Issue 18, item 2: `synth --output DIR` owns DIR. After sharding is turned
 * off, the people-<i> directories are gone (a CI that plans every directory
 * would plan them); a directory that is not a synth's output is refused
 * before anything is written or removed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';

const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'org.yaml'), 'utf8');
const KEYS = { alice: 'AKIAAAAAAAAAAAAAAAAA', dave: 'AKIADDDDDDDDDDDDDDDD', frank: 'AKIAFFFFFFFFFFFFFFFF' };

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-synth-output-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** config/org.yaml with peopleShards as given (and the moving people's key ids). */
function orgFile(name: string, peopleShards?: string): string {
  let text = EXAMPLE;
  if (peopleShards) text = text.replace(/^organization:\n/m, `organization:\n  peopleShards: ${peopleShards}\n`);
  for (const [person, id] of Object.entries(KEYS))
    text = text.replace(new RegExp(`^  ${person}:\\n`, 'm'), `  ${person}:\n    accessKeyId: ${id}\n`);
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

const stackDirs = (out: string) => fs.readdirSync(path.join(out, 'stacks')).sort();

test('stack directories the file no longer has are removed, and named; files beside them stay', async () => {
  const out = path.join(tmp, 'out');
  const steps: Array<[string | undefined, string[]]> = [
    ['{ count: 3, previousCount: 1 }', ['people-0', 'people-1', 'people-2']],
    ['3', ['people-0', 'people-1', 'people-2']],
    ['{ count: 1, previousCount: 3 }', ['people-0', 'people-1', 'people-2']],
    [undefined, []],
  ];
  const accounts = ['account-development', 'account-production', 'account-sandbox', 'account-storage', 'master'];
  let i = 0;
  for (const [shards, people] of steps) {
    const run = await runCli(['synth', '--config', orgFile(`step${i++}`, shards), '--output', out]);
    expect([shards, run.code, run.err]).toEqual([shards, 0, '']);
    expect(stackDirs(out)).toEqual([...accounts, ...people].sort());
    if (shards === undefined) {
      expect(run.out).toContain('Removed 3 stack directories the file no longer has: people-0, people-1, people-2.');
      // The manifest lists exactly the directories left.
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks).sort()).toEqual(stackDirs(out));
    } else {
      expect(run.out).not.toContain('Removed');
    }
    // Terraform's own files in a stack that stays are left alone.
    fs.mkdirSync(path.join(out, 'stacks', 'master', '.terraform'), { recursive: true });
  }
  expect(fs.existsSync(path.join(out, 'stacks', 'master', '.terraform'))).toBe(true);
});

test('a directory that is not a synth output is refused, and nothing in it is touched', async () => {
  const out = path.join(tmp, 'not-ours');
  fs.mkdirSync(path.join(out, 'stacks', 'mine'), { recursive: true });
  fs.writeFileSync(path.join(out, 'notes.txt'), 'keep me');
  const run = await runCli(['synth', '--config', orgFile('plain'), '--output', out]);
  expect(run.code).toBe(1);
  expect(run.err).toBe(
    `rolecall synth: ${out} is not empty and is not the output of an earlier synth (no ${out}/manifest.json): ` +
      'synth removes the stack directories it does not write, so it writes only to a new or empty directory or to its own. ' +
      `Give another --output, or empty ${out} first.\n`,
  );
  expect(fs.readdirSync(out).sort()).toEqual(['notes.txt', 'stacks']);
  expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['mine']);

  // An empty directory is fine.
  const empty = path.join(tmp, 'empty');
  fs.mkdirSync(empty);
  expect((await runCli(['synth', '--config', orgFile('plain'), '--output', empty])).code).toBe(0);
});

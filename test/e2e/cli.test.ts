/**
 * The compiled CLI and main.ts as users run them: `node bin/rolecall.js`
 * (what `npx --no-install rolecall` runs) and `cdktf synth` with cdktf.json's app
 * (`node dist/main.js`). Builds dist/ first (incremental: cheap when current).
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'config', 'org.yaml');
const BIN = path.join(ROOT, 'bin', 'rolecall.js');

let tmp: string;
beforeAll(() => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'rolecall-e2e-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rolecall(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

function stackFiles(dir: string): Record<string, string> {
  const stacks = path.join(dir, 'stacks');
  return Object.fromEntries(readdirSync(stacks).map((id) => [id, readFileSync(path.join(stacks, id, 'cdk.tf.json'), 'utf8')]));
}

test('help, from the compiled build', () => {
  const { code, out, err } = rolecall(['help']);
  expect(code).toBe(0);
  expect(err).toBe('');
  expect(out).toContain('USAGE\n  npx --no-install rolecall <command>');
});

test('a typo is exit 2 with a suggestion, and no stack trace', () => {
  const { code, out, err } = rolecall(['validate', '--confg', 'other.yaml']);
  expect(code).toBe(2);
  expect(out).toBe('');
  expect(err).toBe(
    'rolecall validate: unknown option --confg; did you mean --config?\nRun `npx --no-install rolecall help` for the command sheet.\n',
  );
});

test('validate of the example', () => {
  const { code, out } = rolecall(['validate', '--config', EXAMPLE]);
  expect(code).toBe(0);
  expect(out).toContain('valid. 5 stacks');
});

test('access --out into a missing directory: one line, exit 2', () => {
  const { code, err } = rolecall(['access', '--out', 'missing/dir/x.md']);
  expect(code).toBe(2);
  expect(err.split('\n')[0]).toBe('rolecall access: --out missing/dir/x.md: the directory missing/dir does not exist; create it first');
  expect(err).not.toMatch(/\n\s+at /);
});

test('a large report piped to stdout arrives whole (the process does not exit before stdout drains)', () => {
  const { code, out } = rolecall(['access', '--format', 'json', '--config', EXAMPLE]);
  expect(code).toBe(0);
  expect(JSON.parse(out).schemaVersion).toBeDefined();
});

describe('main.ts under `cdktf synth` (the compiled app of cdktf.json)', () => {
  const cdktf = (out: string, config: string) =>
    spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ROLECALL_CONFIG: config, CI: '1', FORCE_COLOR: '0' },
    });

  test('the same stacks, byte for byte, as rolecall synth; no checkpoint call', () => {
    const viaCli = path.join(tmp, 'cli');
    const viaCdktf = path.join(tmp, 'cdktf');
    expect(rolecall(['synth', '--output', viaCli, '--config', EXAMPLE]).code).toBe(0);
    const run = cdktf(viaCdktf, EXAMPLE);
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/ENOTFOUND|checkpoint/i);
    expect(JSON.parse(readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app).toBe('node dist/main.js');
    const a = stackFiles(viaCli);
    expect(Object.keys(a).sort()).toEqual(['account-development', 'account-production', 'account-sandbox', 'account-storage', 'master']);
    expect(stackFiles(viaCdktf)).toEqual(a);
  });

  test('a file with errors: cdktf synth fails with the diagnostics, nothing synthesized', () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'version: 1\n');
    const run = cdktf(path.join(tmp, 'bad-out'), bad);
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(`${bad}: errors above; nothing synthesized.`);
    expect(`${run.stdout}${run.stderr}`).toContain('missing key "accounts"');
  });
});

test('the permission-set analyses kept across runs (dist/cache) change no answer', () => {
  for (const file of ['org.yaml', 'org-large-company.yaml', 'org-managed.yaml']) {
    const config = path.join(ROOT, 'config', file);
    const args = ['access', '--format', 'json', '--config', config];
    const computed = rolecall(args, { ROLECALL_ANALYSIS_CACHE: '0' });
    expect(computed.code).toBe(0);
    rolecall(args); // fills the store, if it was not already
    const stored = rolecall(args);
    expect({ file, code: stored.code, out: stored.out }).toEqual({ file, code: 0, out: computed.out });
    expect(rolecall(['validate', '--config', config]).out).toBe(
      rolecall(['validate', '--config', config], { ROLECALL_ANALYSIS_CACHE: '0' }).out,
    );
  }
  expect(readdirSync(path.join(ROOT, 'dist', 'cache'))).toContain('set-analyses-v1.json');
});

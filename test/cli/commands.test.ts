/** `validate`, `aws-config` and `diff` through main(), in process. diff runs against a throwaway git repository. */
import { execFileSync } from 'child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');

test('validate: a valid file, its stacks and roles, exit 0', async () => {
  const { code, out, err } = await runCli(['validate', '--config', EXAMPLE]);
  expect(code).toBe(0);
  expect(err).toBe('');
  expect(out).toContain(
    `${EXAMPLE}: valid. 5 stacks (master, account-development, account-production, account-sandbox, account-storage), 16 roles.`,
  );
});

test('aws-config PERSON: the config on stdout, exit 0', async () => {
  const { code, out, err } = await runCli(['aws-config', 'dave', '--config', EXAMPLE]);
  expect(code).toBe(0);
  expect(err).toBe('');
  expect(out).toContain('[profile acme-development-developers]\nrole_arn = arn:aws:iam::444444444444:role/developers');
  expect(out).toContain('duration_seconds = 14400');
});

describe('diff --base', () => {
  let repo: string;
  let file: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, stdio: 'pipe', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });

  beforeAll(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'rolecall-diff-'));
    file = path.join(repo, 'org.yaml');
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 'test');
    writeFileSync(path.join(repo, 'README'), 'x');
    git('add', 'README');
    git('commit', '-qm', 'before the org file');
    git('tag', 'empty');
    copyFileSync(EXAMPLE, file);
    git('add', 'org.yaml');
    git('commit', '-qm', 'org file');
    // The working copy: frank leaves.
    writeFileSync(file, readFileSync(EXAMPLE, 'utf8').replace(/\n {2}frank:\n( {4}.*\n)+/, '\n'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('a change between HEAD and the working copy', async () => {
    const { code, out, err } = await runCli(['diff', '--base', 'HEAD', '--config', file]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/frank/);
    expect(out).not.toMatch(/alice/);
  });

  test('the file did not exist at the ref: everyone gains (the only case that counts as absent)', async () => {
    const { code, out } = await runCli(['diff', '--base', 'empty', '--config', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/alice/);
  });

  test('a bad ref is an error (exit 2), not "absent"', async () => {
    const { code, out, err } = await runCli(['diff', '--base', 'no-such-branch', '--config', file]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('rolecall diff: --base "no-such-branch" is not a commit of the repository at');
  });

  test('a ref that looks like an option is refused before git sees it', async () => {
    const { code, err } = await runCli(['diff', '--base=--output=/tmp/x', '--config', file]);
    expect(code).toBe(2);
    expect(err).toContain('is not a git ref (a ref cannot start with "-")');
  });

  test('not a git repository is an error (exit 1)', async () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'rolecall-nogit-'));
    try {
      const copy = path.join(outside, 'org.yaml');
      copyFileSync(EXAMPLE, copy);
      const { code, out, err } = await runCli(['diff', '--base', 'HEAD', '--config', copy]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(`rolecall diff: ${copy} is not in a git repository, so there is no base to compare with\n`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('git missing is an error (exit 1)', async () => {
    const before = process.env.PATH;
    process.env.PATH = path.join(repo, 'no-bin');
    try {
      const { code, err } = await runCli(['diff', '--base', 'HEAD', '--config', file]);
      expect(code).toBe(1);
      expect(err).toBe('rolecall diff: git is not installed (or not on PATH); it is needed to read the base\n');
    } finally {
      process.env.PATH = before;
    }
  });

  test('a base that does not validate is an error naming the ref', async () => {
    writeFileSync(file, 'version: 1\n');
    git('add', 'org.yaml');
    git('commit', '-qm', 'broken');
    copyFileSync(EXAMPLE, file);
    const { code, err } = await runCli(['diff', '--base', 'HEAD', '--config', file]);
    expect(code).toBe(1);
    expect(err).toContain('rolecall diff: the file at HEAD does not validate:');
    expect(err).toContain(`HEAD:${file}:1:1: error RC102:`);
  });
});

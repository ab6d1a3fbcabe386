/**
 * `rolecall plan`: which stacks a change touches, the offline copy, and the
 * refusals that come before any terraform run (issue 19, item 2). The
 * terraform runs themselves are in test/e2e/review-flow.test.ts.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgBytes } from '../../src/plan/compile';
import { prepareOffline, planSummary, touchedStacks } from '../../src/cli/plan';
import { runCli } from '../helpers/cli';

const ROOT = path.join(__dirname, '..', '..');
const ORG = path.join(ROOT, 'config', 'org.yaml');
const text = fs.readFileSync(ORG, 'utf8');

const planOf = (yaml: string) => {
  const r = compileOrgBytes(Buffer.from(yaml), 'org.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.plan;
};

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-plan-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the stacks a change touches', () => {
  test('an alias on one account touches that account stack only', () => {
    const after = text.replace(/^ {2}sandbox:\n/m, '$&    alias: acme-sandbox-1\n');
    expect(after).not.toBe(text);
    expect(touchedStacks(planOf(text), planOf(after))).toEqual({ plan: ['account-sandbox'], removed: [] });
  });

  test('no change: nothing; a new file: every stack', () => {
    const plan = planOf(text);
    expect(touchedStacks(plan, plan)).toEqual({ plan: [], removed: [] });
    expect(touchedStacks(undefined, plan).plan).toEqual([
      'master',
      'account-development',
      'account-production',
      'account-sandbox',
      'account-storage',
    ]);
  });
});

describe('refused before terraform runs', () => {
  test('an unknown stack: exit 2 with a suggestion and the list', async () => {
    const r = await runCli(['plan', 'account-sandbx', '--config', ORG, '--output', path.join(tmp, 'out')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('rolecall plan: no stack "account-sandbx"; did you mean "account-sandbox"?');
    expect(fs.existsSync(path.join(tmp, 'out'))).toBe(false);
  });

  test('stack names and --base together: exit 2', async () => {
    const r = await runCli(['plan', 'master', '--base', 'HEAD', '--config', ORG]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give STACK names or --base, not both');
  });

  test('the usage line names the variadic STACK', async () => {
    const r = await runCli(['plan', '--bogus']);
    expect(r.code).toBe(2);
  });
});

test('the offline copy: no backend, no assume_role, no allowed_account_ids, placeholder keys; the original untouched', async () => {
  const out = path.join(tmp, 'synth');
  expect((await runCli(['synth', '--config', ORG, '--output', out])).code).toBe(0);
  const stackDir = path.join(out, 'stacks', 'account-production');
  const original = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
  const copy = path.join(tmp, 'offline', 'account-production');
  prepareOffline(stackDir, copy);
  const json = JSON.parse(fs.readFileSync(path.join(copy, 'cdk.tf.json'), 'utf8'));
  expect(json.terraform.backend).toBeUndefined();
  const provider = json.provider.aws[0];
  expect(provider.assume_role).toBeUndefined();
  expect(provider.allowed_account_ids).toBeUndefined();
  expect(provider.access_key).toBe('AKIAIOSFODNN7EXAMPLE');
  expect(provider.skip_requesting_account_id).toBe(true);
  expect(JSON.parse(original).provider.aws[0].assume_role).toBeDefined();
  expect(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')).toBe(original);
  expect(Object.keys(json.resource)).toEqual(Object.keys(JSON.parse(original).resource));
});

test("terraform's summary line", () => {
  expect(planSummary('x\nPlan: 3 to add, 0 to change, 0 to destroy.\n')).toBe('Plan: 3 to add, 0 to change, 0 to destroy.');
  expect(planSummary('No changes. Your infrastructure matches the configuration.')).toBe('No changes.');
});

describe('synth --check on a git-ignored output directory (issue 19, item 1)', () => {
  test('exit 2, and it says why instead of asking to commit an ignored directory', async () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    fs.copyFileSync(path.join(ROOT, '.gitignore'), path.join(repo, '.gitignore'));
    const r = await runCli(['synth', '--check', '--config', ORG, '--output', path.join(repo, 'cdktf.out')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is ignored by git (.gitignore), so there are no committed stacks to compare');
    expect(r.err).toContain('remove the cdktf.out/ line from .gitignore');
    expect(r.err).not.toContain('and commit ' + path.join(repo, 'cdktf.out'));
  });
});

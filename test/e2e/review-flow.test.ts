/**
 * The review flow as a new user's repository runs it (issue 19): a fresh
 * clone of a sample repository per backend, a change on a branch, then the
 * shell steps of docs/ci/github-actions.yml's `check` and `plan-offline`
 * jobs, read from the file itself (so the example cannot drift from what
 * works), with `npx --no-install rolecall` resolving to this build and
 * Terraform's providers from the filesystem mirror, as a CI would
 * configure them. The local run also writes docs/worked-review.md's
 * output sections: the doc is real output (ROLECALL_WRITE_DOCS=1 rewrites it).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { PLUGIN_MIRROR, terraformOrSkip } from '../helpers/terraform';

const ROOT = path.join(__dirname, '..', '..');
const run = terraformOrSkip('review flow e2e');
const WORKED = path.join(ROOT, 'docs', 'worked-review.md');

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
const workflow = parse(fs.readFileSync(path.join(ROOT, 'docs', 'ci', 'github-actions.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>;
};
/** The job's shell steps a fresh clone runs: not `npm ci` (node_modules is linked), not the ones that talk to GitHub. */
const shellSteps = (job: string): Step[] =>
  workflow.jobs[job].steps.filter((s) => s.run !== undefined && s.run.trim() !== 'npm ci' && !s.env?.GH_TOKEN);

let tmp: string;
beforeAll(() => {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-review-flow-'));
  fs.writeFileSync(
    path.join(tmp, 'terraform.tfrc'),
    `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(PLUGIN_MIRROR)}\n  }\n}\n`,
  );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Reviewer', '-c', 'user.email=r@example.com', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });

/** The change under review: the network function leaves sandbox. */
const change = (yaml: string) => {
  const after = yaml.replace(
    '      - accounts: [production, development, sandbox]\n        permissions: [network-admin]',
    '      - accounts: [production, development]\n        permissions: [network-admin]',
  );
  expect(after).not.toBe(yaml);
  return after;
};

/**
 * An upstream repository holding what a user's holds (the org file, .gitignore, package.json, help),
 * cloned fresh, with the change on a branch; node_modules/.bin/rolecall is this build, as `npm ci` would link it.
 */
function freshClone(name: string, orgFile: string, commitStacks: boolean): string {
  const upstream = path.join(tmp, `${name}-upstream`);
  fs.mkdirSync(path.join(upstream, 'config'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'config', orgFile), path.join(upstream, 'config', 'org.yaml'));
  for (const f of ['package.json', 'help']) fs.copyFileSync(path.join(ROOT, f), path.join(upstream, f));
  let ignore = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8');
  // The VCS-driven HCP Terraform flow commits the stacks (docs/ci/README.md).
  if (commitStacks) ignore = ignore.replace(/^cdktf\.out\/\n/m, '');
  fs.writeFileSync(path.join(upstream, '.gitignore'), ignore);
  git(upstream, 'init', '-q', '-b', 'main');
  const link = (dir: string) => {
    fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'bin', 'rolecall.js'), path.join(dir, 'node_modules', '.bin', 'rolecall'));
  };
  const synth = (dir: string) => rolecallIn(dir, ['synth']);
  if (commitStacks) {
    link(upstream);
    expect(synth(upstream).code).toBe(0);
    fs.rmSync(path.join(upstream, 'node_modules'), { recursive: true });
  }
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-qm', 'the organisation');
  const clone = path.join(tmp, name);
  git(tmp, 'clone', '-q', upstream, clone);
  link(clone);
  git(clone, 'checkout', '-q', '-b', 'network-leaves-sandbox');
  const file = path.join(clone, 'config', 'org.yaml');
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
  if (commitStacks) expect(synth(clone).code).toBe(0);
  git(clone, 'commit', '-qam', 'network leaves sandbox');
  return clone;
}

const env = (): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('TF_')) e[k] = v;
  return { ...e, ROLECALL_CONFIG: 'config/org.yaml', TF_CLI_CONFIG_FILE: path.join(tmp, 'terraform.tfrc'), CHECKPOINT_DISABLE: '1' };
};

function rolecallIn(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rolecall.js'), ...args], { cwd, env: env(), encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** One CI step's script, as the runner would: bash -e, GitHub's expressions filled in. */
function runStep(cwd: string, step: Step) {
  const script = step.run!.replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, 'main');
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, env: env(), encoding: 'utf8', maxBuffer: 256 << 20 });
  return { name: step.name ?? script.split('\n')[0], code: r.status, out: r.stdout, err: r.stderr };
}

function runJob(cwd: string, job: string) {
  const results = shellSteps(job).map((step) => runStep(cwd, step));
  // every step green; on failure the message names the step and shows its output
  expect(results.filter((r) => r.code !== 0).map((r) => `${r.name}: exit ${r.code}\n${r.out}\n${r.err}`)).toEqual([]);
  return results;
}

const maybe = run ? describe : describe.skip;

maybe('each backend runs its CI example on a fresh clone', () => {
  test('the jobs read from the example have the steps the flow needs', () => {
    expect(shellSteps('check').map((s) => s.run!.trim().split('\n').pop())).toEqual(
      expect.arrayContaining([expect.stringContaining('rolecall validate'), expect.stringContaining('rolecall synth --check')]),
    );
    expect(shellSteps('plan-offline').map((s) => s.run)).toEqual([expect.stringContaining('rolecall plan --base')]);
  });

  test.each([
    ['local', 'org.yaml'],
    ['s3', 'org-s3.yaml'],
    ['cloud, CLI-driven', 'org-cloud.yaml'],
  ])('%s: check and plan-offline pass; exactly the touched stacks are planned', (name, orgFile) => {
    const clone = freshClone(name.replace(/\W+/g, '-'), orgFile, false);
    const check = runJob(clone, 'check');
    expect(check.map((r) => r.out).join('')).toContain('cdktf.out/ is not committed');
    const [plan] = runJob(clone, 'plan-offline');
    expect(plan.out).toContain('Planning 2 of');
    expect(plan.out).toMatch(/Summary\n {2}master: Plan: \d+ to add, 0 to change, 0 to destroy\.\n {2}account-sandbox: Plan: \d+ to add/);
    if (name === 'local') writeWorkedReview(clone, check, plan.out);
  });

  test('cloud, VCS-driven: the stacks are committed, and synth --check holds the branch to them', () => {
    const clone = freshClone('cloud-vcs', 'org-cloud.yaml', true);
    const check = runJob(clone, 'check');
    expect(check.map((r) => r.out).join('')).toContain('cdktf.out is up to date with the org file.');
    // The same change without its stacks: the check job fails, naming the stack.
    git(clone, 'checkout', '-q', 'main', '--', 'cdktf.out');
    const guard = shellSteps('check').find((s) => s.run!.includes('synth --check'))!;
    const r = runStep(clone, guard);
    expect(r.code).toBe(1);
    expect(r.err).toContain('changed: cdktf.out/stacks/account-sandbox/cdk.tf.json');
  });
});

/** docs/worked-review.md: the prose is the doc's; the fenced blocks after each marker are this run's output. */
function writeWorkedReview(clone: string, check: Array<{ name: string; out: string }>, planOut: string) {
  const yamlDiff = git(clone, 'diff', 'main', '--', 'config/org.yaml')
    .split('\n')
    .filter((l) => !l.startsWith('index '))
    .join('\n')
    .trim();
  const diff = check.find((r) => r.name === 'Access diff')!;
  const access = fs.readFileSync(path.join(clone, 'access-diff.md'), 'utf8').trim();
  expect(diff).toBeDefined();
  const summary =
    planOut.slice(planOut.indexOf('Planning')).split('\n')[0] + '\n...\n' + planOut.slice(planOut.lastIndexOf('Summary')).trim();
  const blocks: Record<string, string> = {
    'yaml-change': '```diff\n' + yamlDiff + '\n```',
    'access-diff': access,
    'plan-summary': '```\n' + summary + '\n```',
  };
  const doc = fs.readFileSync(WORKED, 'utf8');
  const regenerated = doc.replace(/<!-- generated: ([\w-]+) -->\n[\s\S]*?<!-- end -->/g, (_, id: string) => {
    expect(blocks[id]).toBeDefined();
    return `<!-- generated: ${id} -->\n${blocks[id]}\n<!-- end -->`;
  });
  if (process.env.ROLECALL_WRITE_DOCS === '1') fs.writeFileSync(WORKED, regenerated);
  expect(doc).toBe(regenerated);
}

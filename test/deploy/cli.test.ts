/**
 * `rolecall workspaces` and `rolecall synth --check`, in process.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';
import { CONFIG_DIR } from '../fixtures/deploy';

const CLOUD = path.join(CONFIG_DIR, 'org-cloud.yaml');
const S3 = path.join(CONFIG_DIR, 'org-s3.yaml');
const ORG = path.join(CONFIG_DIR, 'org.yaml');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-deploy-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('rolecall workspaces', () => {
  test('--format json: every stack with workspace, project, working directory, execution mode, variables and trigger patterns', async () => {
    const { code, out, err } = await runCli(['workspaces', '--config', CLOUD, '--format', 'json']);
    expect([code, err]).toEqual([0, '']);
    const report = JSON.parse(out);
    expect(report.backend).toBe('cloud');
    expect(report.bootstrap).toEqual({ stack: 'bootstrap', workingDirectory: 'cdktf.out/stacks/bootstrap' });
    expect(report.workspaces.map((w: { workspace: string }) => w.workspace)).toEqual([
      'rolecall-master',
      'rolecall-account-development',
      'rolecall-account-production',
      'rolecall-account-sandbox',
      'rolecall-account-storage',
    ]);
    expect(report.workspaces[2]).toEqual({
      stack: 'account-production',
      account: { name: 'production', id: '222222222222' },
      workingDirectory: 'cdktf.out/stacks/account-production',
      state: 'HCP Terraform workspace acme/rolecall-account-production',
      organization: 'acme',
      project: 'aws-iam',
      workspace: 'rolecall-account-production',
      executionMode: 'remote',
      env: [
        {
          key: 'TFC_AWS_APPLY_ROLE_ARN',
          value: 'arn:aws:iam::222222222222:role/rolecall-deploy/rolecall-account-production-apply',
          category: 'env',
        },
        {
          key: 'TFC_AWS_PLAN_ROLE_ARN',
          value: 'arn:aws:iam::222222222222:role/rolecall-deploy/rolecall-account-production-plan',
          category: 'env',
        },
        { key: 'TFC_AWS_PROVIDER_AUTH', value: 'true', category: 'env' },
      ],
      triggerPatterns: ['/cdktf.out/stacks/account-production/**/*'],
    });
  });

  test('text: one block per workspace, then how to bootstrap', async () => {
    const { code, out } = await runCli(['workspaces', '--config', CLOUD]);
    expect(code).toBe(0);
    expect(out).toContain(
      'rolecall-master\n  stack:             master (account master, 111111111111)\n  project:           aws-iam\n  working directory: cdktf.out/stacks/master\n  execution mode:    remote',
    );
    expect(out).toContain('    TFC_AWS_PLAN_ROLE_ARN=arn:aws:iam::111111111111:role/rolecall-deploy/rolecall-master-plan');
    expect(out).toContain('cd cdktf.out/stacks/bootstrap && terraform init && terraform apply');
  });

  test("other backends: no workspaces, where each stack's state lives", async () => {
    const { code, out } = await runCli(['workspaces', '--config', S3]);
    expect(code).toBe(0);
    expect(out).toContain('deploy.backend is s3: no HCP Terraform workspaces');
    expect(out).toMatch(/account-storage\s+s3:\/\/acme-tfstate\/rolecall\/account-storage\.tfstate/);
    const local = await runCli(['workspaces', '--config', ORG]);
    expect(local.out).toMatch(/master\s+local file terraform-state\/master\.tfstate/);
    expect(local.out).not.toContain('bootstrap');
  });

  test('a bad --format is a usage error', async () => {
    const { code, err } = await runCli(['workspaces', '--config', CLOUD, '--format', 'yaml']);
    expect(code).toBe(2);
    expect(err).toContain('--format must be one of text, json');
  });
});

describe('rolecall synth --check', () => {
  test('up to date: exit 0; any change, missing or stale stack: exit 1 naming each file; nothing is written', async () => {
    const out = path.join(tmp, 'cdktf.out');
    expect((await runCli(['synth', '--config', ORG, '--output', out])).code).toBe(0);
    const snapshot = () =>
      fs.readdirSync(path.join(out, 'stacks')).map((d) => [d, fs.readFileSync(path.join(out, 'stacks', d, 'cdk.tf.json'), 'utf8')]);
    const before = snapshot();

    const ok = await runCli(['synth', '--config', ORG, '--output', out, '--check']);
    expect([ok.code, ok.out.trim()]).toEqual([0, `${out} is up to date with the org file.`]);

    // The org file moved on (S3 backend, one more stack): the committed output is behind.
    const behind = await runCli(['synth', '--config', S3, '--output', out, '--check']);
    expect(behind.code).toBe(1);
    expect(behind.err).toContain(`changed: ${out}/stacks/master/cdk.tf.json differs from what the org file gives`);
    expect(behind.err).toContain(`missing: ${out}/stacks/bootstrap/cdk.tf.json is missing`);
    expect(behind.err).toContain('run `npx --no-install rolecall synth` and commit');
    expect(snapshot()).toEqual(before);

    // A stack the file no longer has is still in the repository: stale.
    fs.mkdirSync(path.join(out, 'stacks', 'account-gone'));
    fs.writeFileSync(path.join(out, 'stacks', 'account-gone', 'cdk.tf.json'), '{}');
    const stale = await runCli(['synth', '--config', ORG, '--output', out, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain(`stale: ${out}/stacks/account-gone/cdk.tf.json belongs to a stack the org file no longer has`);
  });

  test('lock files and .terraform directories beside the stacks are not differences', async () => {
    const out = path.join(tmp, 'with-locks');
    await runCli(['synth', '--config', ORG, '--output', out]);
    fs.writeFileSync(path.join(out, 'stacks', 'master', '.terraform.lock.hcl'), '# lock');
    fs.mkdirSync(path.join(out, 'stacks', 'master', '.terraform'));
    expect((await runCli(['synth', '--config', ORG, '--output', out, '--check'])).code).toBe(0);
  });

  test('an org file with errors: exit 1 before comparing', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(ORG, 'utf8').replace('credentials: assume-role  ', 'credentials: tfc-dynamic  '));
    const r = await runCli(['synth', '--config', bad, '--output', path.join(tmp, 'nothing'), '--check']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('deploy.credentials tfc-dynamic needs backend cloud, but backend is local');
    expect(fs.existsSync(path.join(tmp, 'nothing'))).toBe(false);
  });
});

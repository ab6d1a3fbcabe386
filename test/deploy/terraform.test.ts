/**
 * Real Terraform on the deploy variants, offline: `terraform init
 * -backend=false` (the cloud block and the S3 backend need no network then)
 * and `terraform validate` for every backend/credentials combination, and an
 * offline plan of the bootstrap stack with its local state.
 *
 * Which stacks: per combination master, organization, one member
 * (account-storage) and bootstrap. The member stacks of one combination
 * differ only in their roles, whose rendering test/e2e/terraform.test.ts
 * validates and plans; the terraform and provider blocks, which is what a
 * combination changes, are asserted for every stack in synth.test.ts.
 * Identical files are validated once, and files that differ only in their
 * terraform and provider blocks (one stack across combinations) in one
 * validate run (validatePristine: the first whole, the others' provider
 * blocks beside it; a finding is then looked up stack by stack).
 * ROLECALL_DEPLOY_EVERY_STACK=1
 * validates every stack of every combination (about twice the time: each
 * validate loads the 700 MB AWS provider). Skipped loudly without
 * terraform; fails in CI.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeApp } from '../../src/stacks/app';
import {
  mapLimit,
  terraform,
  terraformOrSkip,
  validatePristine,
  writeCliConfig,
  type CommandResult,
  type PlanJson,
  type ValidateResult,
} from '../helpers/terraform';
import { COMBINATIONS, MANAGED_TEXT, compiled, deployVariant } from '../fixtures/deploy';

const available = terraformOrSkip('deploy terraform tests (test/deploy/terraform.test.ts)');
const describeTerraform = available ? describe : describe.skip;
const EVERY_STACK = process.env.ROLECALL_DEPLOY_EVERY_STACK === '1';
const STACKS = EVERY_STACK
  ? ['master', 'organization', 'account-development', 'account-production', 'account-sandbox', 'account-storage', 'bootstrap']
  : ['master', 'organization', 'account-storage', 'bootstrap'];

interface Checked {
  init: CommandResult;
  validate?: ValidateResult;
  raw?: CommandResult;
}

describeTerraform('terraform init -backend=false + validate, every backend/credentials combination', () => {
  let tmp: string;
  /** `<backend>+<credentials>/<stack>` -> the directory validated for it (identical files share one). */
  const dirOf = new Map<string, string>();
  const results = new Map<string, Checked>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-deploy-tf-'));
    writeCliConfig(tmp);
    const byHash = new Map<string, string>();
    for (const { backend, credentials } of COMBINATIONS) {
      const out = path.join(tmp, `${backend}+${credentials}`);
      synthesizeApp(compiled(deployVariant(backend, credentials, MANAGED_TEXT)), out);
      for (const stack of STACKS) {
        const dir = path.join(out, 'stacks', stack);
        if (!fs.existsSync(dir)) continue;
        const hash = createHash('sha256')
          .update(fs.readFileSync(path.join(dir, 'cdk.tf.json')))
          .digest('hex');
        if (!byHash.has(hash)) byHash.set(hash, dir);
        dirOf.set(`${backend}+${credentials}/${stack}`, byHash.get(hash)!);
      }
    }
    const dirs = [...byHash.values()];
    await mapLimit(dirs, 2, async (dir) => {
      results.set(dir, { init: await terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']) });
    });
    // Validated together: the files whose resources (everything but the terraform and provider blocks) are the same.
    const groups = new Map<string, string[]>();
    for (const dir of dirs.filter((d) => results.get(d)!.init.code === 0)) {
      const { terraform: _t, provider: _p, '//': _m, ...rest } = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
      const key = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
      groups.set(key, [...(groups.get(key) ?? []), dir]);
    }
    for (const group of groups.values()) {
      for (const [dir, { validate, failure }] of await validatePristine(group)) {
        Object.assign(results.get(dir)!, { validate, raw: failure });
      }
    }
  });

  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test.each(COMBINATIONS)(
    '$backend + $credentials: every stack inits and validates with no error or warning',
    ({ backend, credentials }) => {
      const combo = `${backend}+${credentials}`;
      const stacks = STACKS.filter((s) => dirOf.has(`${combo}/${s}`));
      expect(stacks).toEqual(backend === 's3' || credentials === 'tfc-dynamic' ? STACKS : STACKS.filter((s) => s !== 'bootstrap'));
      for (const stack of stacks) {
        const r = results.get(dirOf.get(`${combo}/${stack}`)!)!;
        expect([stack, 'init', r.init.code, r.init.code === 0 ? '' : r.init.stderr]).toEqual([stack, 'init', 0, '']);
        expect([stack, r.validate?.valid, r.validate?.error_count, r.validate?.warning_count, r.validate?.diagnostics]).toEqual([
          stack,
          true,
          0,
          0,
          [],
        ]);
      }
    },
  );
});

/**
 * The bootstrap stack planned offline, with its local state: every provider
 * alias gets fake static credentials and skip flags, and loses assume_role
 * (it needs STS) and allowed_account_ids (unknown without STS).
 */
function prepareOfflineBootstrap(dir: string): void {
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const provider of json.provider.aws as Array<Record<string, unknown>>) {
    delete provider.assume_role;
    delete provider.allowed_account_ids;
    Object.assign(provider, {
      access_key: 'AKIAIOSFODNN7EXAMPLE',
      secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: 'true',
    });
  }
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

describeTerraform('offline plan of the bootstrap stack (local state)', () => {
  let tmp: string;
  const plans = new Map<string, PlanJson>();
  const failures: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-bootstrap-plan-'));
    writeCliConfig(tmp);
    const variants = { cloud: deployVariant('cloud', 'tfc-dynamic', MANAGED_TEXT), s3: deployVariant('s3', 'assume-role', MANAGED_TEXT) };
    await mapLimit(Object.entries(variants), 2, async ([name, text]) => {
      const out = path.join(tmp, name);
      synthesizeApp(compiled(text), out);
      const dir = path.join(out, 'stacks', 'bootstrap');
      prepareOfflineBootstrap(dir);
      for (const args of [
        ['init', '-input=false', '-no-color'],
        ['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', '-out=plan.bin'],
      ]) {
        const r = await terraform(dir, args);
        if (r.code !== 0) {
          failures.push(`${name}: terraform ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
          return;
        }
      }
      const show = await terraform(dir, ['show', '-json', 'plan.bin']);
      plans.set(name, JSON.parse(show.stdout));
      // The state the plan would write is the local file beside cdktf.out, not the bucket it creates.
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform.backend).toEqual({
        local: { path: '../../../terraform-state/bootstrap.tfstate' },
      });
    });
  });

  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('both plans succeed', () => {
    expect(failures).toEqual([]);
    expect([...plans.keys()].sort()).toEqual(['cloud', 's3']);
  });

  test('tfc-dynamic: creates an OIDC provider per account and two roles per stack, trusting the exact subjects', () => {
    const changes = plans.get('cloud')!.resource_changes ?? [];
    expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);
    const oidc = changes.filter((c) => c.type === 'aws_iam_openid_connect_provider');
    expect(oidc).toHaveLength(5);
    for (const o of oidc)
      expect([o.change.after.url, o.change.after.client_id_list]).toEqual(['https://app.terraform.io', ['aws.workload.identity']]);
    const roles = changes.filter((c) => c.type === 'aws_iam_role');
    expect(roles).toHaveLength(12);
    const subjects = roles
      .map((r) => JSON.parse(r.change.after.assume_role_policy).Statement[0].Condition.StringEquals['app.terraform.io:sub'])
      .sort();
    expect(subjects).toContain('organization:acme:project:aws-iam:workspace:rolecall-organization:run_phase:apply');
    expect(subjects).toContain('organization:acme:project:aws-iam:workspace:rolecall-account-storage:run_phase:plan');
    expect(new Set(subjects).size).toBe(12);
    expect(changes.filter((c) => c.type === 'aws_iam_role_policy')).toHaveLength(12);
  });

  test('s3: creates the versioned, encrypted, public-access-blocked bucket', () => {
    const changes = plans.get('s3')!.resource_changes ?? [];
    expect(changes.map((c) => c.type).sort()).toEqual([
      'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_ownership_controls',
      'aws_s3_bucket_policy',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
    ]);
    const after = (type: string) => changes.find((c) => c.type === type)!.change.after;
    expect(after('aws_s3_bucket').bucket).toBe('acme-tfstate');
    expect(after('aws_s3_bucket_versioning').versioning_configuration).toEqual([expect.objectContaining({ status: 'Enabled' })]);
    expect(after('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });
});

/**
 * config/org.yaml -> plan -> cdktf -> real `terraform validate` and offline
 * `terraform plan` of every stack. Skipped loudly without terraform (a
 * laptop); fails in CI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import type { OrgPlan, StackPlan } from '../../src/plan/types';
import { synthesizeApp } from '../../src/stacks/app';
import { ROLECALL_USER_PATH } from '../../src/plan/names';
import {
  describeFailure,
  expectValidAndCreateOnly,
  planStacks,
  terraformOrSkip,
  writeCliConfig,
  type StackRun,
} from '../helpers/terraform';

// ROLECALL_CONFIG as in main.ts, so a config can be checked the same way.
const CONFIG = process.env.ROLECALL_CONFIG || path.join(__dirname, '..', '..', 'config', 'org.yaml');
const USERNAME = '${aws:username}';

/** The real front half (load, plan, quota checks), as `rolecall synth` runs it. */
function compileConfig(): OrgPlan {
  // Required lazily: a broken front half fails these tests, not the whole file's collection.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileOrgFile } = require('../../src/plan/compile') as typeof import('../../src/plan/compile');
  const result = compileOrgFile(CONFIG);
  if (!result.plan) throw new Error(`${CONFIG} does not compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.plan;
}

const available = terraformOrSkip('terraform e2e tests (test/e2e/terraform.test.ts)');
const describeTerraform = available ? describe : describe.skip;

describeTerraform('terraform validate + plan of config/org.yaml', () => {
  let tmp: string;
  let plan: OrgPlan;
  const runs = new Map<string, StackRun>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-e2e-'));
    writeCliConfig(tmp);
    plan = compileConfig();
    synthesizeApp(plan, path.join(tmp, 'cdktf.out'));
    const dirs = plan.stacks.map((s) => path.join(tmp, 'cdktf.out', 'stacks', s.id));
    // Two cores: terraform itself is multi-threaded, more would only contend.
    for (const run of await planStacks(dirs)) runs.set(run.stack, run);
  });

  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const stackPlan = (id: string): StackPlan => plan.stacks.find((s) => s.id === id)!;
  const run = (id: string): StackRun => {
    const r = runs.get(id);
    if (!r) throw new Error(`stack ${id} was not run`);
    if (r.failure) throw new Error(describeFailure(r));
    return r;
  };

  it('synthesizes the master stack and one stack per member account with an id', () => {
    const ids = plan.stacks.map((s) => s.id);
    expect(ids[0]).toBe('master');
    expect(ids).toEqual(expect.arrayContaining(['account-production', 'account-storage', 'account-development', 'account-sandbox']));
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
  });

  it('every stack validates with no errors or warnings and plans', () => {
    expectValidAndCreateOnly(runs.values());
  });

  it('synthesizes each provider as the plan says', () => {
    for (const s of plan.stacks) {
      const p = run(s.id).provider;
      expect(p.region).toBe(s.provider.region);
      expect(p.allowed_account_ids).toEqual([s.account.id]);
      expect(p.assume_role).toEqual(
        s.provider.assumeRoleArn ? [{ role_arn: s.provider.assumeRoleArn, session_name: 'rolecall' }] : undefined,
      );
      expect(p.default_tags).toEqual([{ tags: s.provider.defaultTags }]);
    }
  });

  it('plans every role of the plan, each trusting only the master account with fresh MFA and the user name as session name', () => {
    const masterRoot = `arn:aws:iam::${stackPlan('master').account.id}:root`;
    let checked = 0;
    for (const s of plan.stacks) {
      const roles = (run(s.id).plan!.resource_changes ?? []).filter((rc) => rc.type === 'aws_iam_role');
      expect(roles.map((r) => r.change.after.name).sort()).toEqual(s.roles.map((r) => r.name).sort());
      for (const role of roles) {
        const trust = JSON.parse(role.change.after.assume_role_policy);
        expect(trust.Statement).toHaveLength(1);
        const st = trust.Statement[0];
        expect({ role: role.address, effect: st.Effect, principal: st.Principal, action: st.Action }).toEqual({
          role: role.address,
          effect: 'Allow',
          principal: { AWS: masterRoot },
          action: 'sts:AssumeRole',
        });
        expect(st.Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
        expect(Number(st.Condition.NumericLessThan['aws:MultiFactorAuthAge'])).toBeGreaterThan(0);
        // Terraform received `$${aws:username}` and planned the IAM variable itself.
        expect(st.Condition.StringEquals).toEqual({ 'sts:RoleSessionName': USERNAME });
        // Same document as the plan, after Terraform's own JSON normalisation.
        const planned = s.roles.find((r) => r.name === role.change.after.name)!;
        expect(trust).toEqual(planned.trustPolicy);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it('plans the MFA self-service policy with the literal ${aws:username}', () => {
    const policies = (run('master').plan!.resource_changes ?? []).filter((rc) => rc.type === 'aws_iam_policy');
    // rolecall's users live under /rolecall/ (issue 16, finding 8): the person's own ARN carries the path.
    const selfService = policies
      .map((p) => String(p.change.after.policy))
      .filter((p) => p.includes(`user${ROLECALL_USER_PATH}${USERNAME}`));
    expect(selfService.length).toBeGreaterThan(0);
    expect(policies.every((p) => !String(p.change.after.policy).includes('$${'))).toBe(true);
  });

  it('master: users, exclusive group memberships and policies, encrypted credentials, no plain secret in outputs', () => {
    const changes = run('master').plan!.resource_changes ?? [];
    const types = new Set(changes.map((c) => c.type));
    expect(types).toEqual(
      new Set([
        'aws_iam_access_key',
        'aws_iam_account_password_policy',
        'aws_iam_group',
        'aws_iam_group_membership',
        'aws_iam_group_policies_exclusive',
        'aws_iam_group_policy_attachment',
        'aws_iam_group_policy_attachments_exclusive',
        'aws_iam_policy',
        'aws_iam_role',
        'aws_iam_role_policies_exclusive',
        'aws_iam_role_policy_attachment',
        'aws_iam_role_policy_attachments_exclusive',
        'aws_iam_user',
        'aws_iam_user_login_profile',
        'aws_iam_user_policies_exclusive',
        'aws_iam_user_policy_attachments_exclusive',
      ]),
    );
    for (const c of changes.filter((c) => c.type === 'aws_iam_user_login_profile' || c.type === 'aws_iam_access_key')) {
      expect(c.change.after.pgp_key).toMatch(/^keybase:/);
    }
    const outputs = run('master').plan!.output_changes ?? {};
    expect(Object.keys(outputs).length).toBeGreaterThan(0);
    for (const name of Object.keys(outputs)) {
      expect(name).toMatch(/_(access_key_id|password_encrypted|password_key_fingerprint|secret_encrypted|secret_key_fingerprint)$/);
    }
  });
});

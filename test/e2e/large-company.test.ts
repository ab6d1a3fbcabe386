/**
 * config/org-large-company.yaml (identity account apart from the management
 * account, shared roles, machine principals, identity permissions, aliases,
 * custom SCPs, a custom password policy) -> real `terraform validate` and
 * offline `terraform plan` of every stack, the organization stack included
 * (without import blocks: an import reads AWS even with -refresh=false).
 * Skipped loudly without terraform; fails in CI.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { compileOrgFile } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import type { OrgPlan } from '../../src/plan/types';
import { AccountStack } from '../../src/stacks/account-stack';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import {
  describeFailure,
  expectValidAndCreateOnly,
  planStacks,
  terraformOrSkip,
  writeCliConfig,
  type PlannedResource,
  type StackRun,
} from '../helpers/terraform';

const CONFIG = path.join(__dirname, '..', '..', 'config', 'org-large-company.yaml');
const describeTerraform = terraformOrSkip('terraform e2e tests of the large-company example (test/e2e/large-company.test.ts)')
  ? describe
  : describe.skip;

describeTerraform('terraform validate + plan of config/org-large-company.yaml', () => {
  let tmp: string;
  let plan: OrgPlan;
  const runs = new Map<string, StackRun>();

  beforeAll(async () => {
    const result = compileOrgFile(CONFIG);
    if (!result.plan) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    plan = result.plan;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-e2e-large-'));
    writeCliConfig(tmp);
    const outdir = path.join(tmp, 'cdktf.out');
    const app = new App({ outdir, skipValidation: false, hclOutput: false });
    for (const stack of plan.stacks) new AccountStack(app, stack.id, { plan: stack });
    new OrganizationStack(app, 'organization', { plan: plan.organizationStack!, importExisting: false });
    app.synth();
    const ids = [...plan.stacks.map((s) => s.id), 'organization'];
    for (const run of await planStacks(ids.map((id) => path.join(outdir, 'stacks', id)))) {
      runs.set(run.stack, run);
    }
  }, 900_000);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const changes = (id: string): PlannedResource[] => {
    const r = runs.get(id);
    if (!r || r.failure || !r.plan) throw new Error(r ? describeFailure(r) : `stack ${id} was not run`);
    return r.plan.resource_changes ?? [];
  };

  it('every stack validates without errors or warnings and plans only creations', () => {
    expect([...runs.keys()].sort()).toEqual([...plan.stacks.map((s) => s.id), 'organization'].sort());
    expectValidAndCreateOnly(runs.values());
  });

  it('identity: people, groups (identity permissions attached), the configured password policy and the alias; assumes the deploy role', () => {
    const c = changes('identity');
    expect(
      c
        .filter((r) => r.type === 'aws_iam_user')
        .map((r) => r.change.after.name)
        .sort(),
    ).toEqual(['ada', 'ben', 'bo', 'fay', 'fin', 'sam']);
    expect(c.find((r) => r.type === 'aws_iam_account_password_policy')!.change.after).toMatchObject({
      minimum_password_length: 16,
      max_password_age: 180,
      password_reuse_prevention: 12,
    });
    expect(c.find((r) => r.type === 'aws_iam_account_alias')!.change.after.account_alias).toBe('globex-identity');
    const attached = c.filter((r) => r.type === 'aws_iam_group_policy_attachment').map((r) => r.change.after.policy_arn);
    expect(attached).toContain('arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess');
    expect(runs.get('identity')!.provider.assume_role).toEqual([
      { role_arn: 'arn:aws:iam::100000000002:role/OrganizationAccountAccessRole', session_name: 'rolecall' },
    ]);
  });

  it('management: only its alias, on ambient credentials', () => {
    expect(changes('account-management').map((r) => r.type)).toEqual(['aws_iam_account_alias']);
    expect(runs.get('account-management')!.provider.assume_role).toBeUndefined();
  });

  it('roles: shared ones by role name; each trusts the identity account with MFA, terraform also its two named principals', () => {
    const roles = changes('account-staging').filter((r) => r.type === 'aws_iam_role');
    expect(roles.map((r) => r.address).sort()).toEqual([
      'aws_iam_role.role-admin',
      'aws_iam_role.role-auditor',
      'aws_iam_role.role-terraform',
    ]);
    for (const role of roles) {
      const trust = JSON.parse(role.change.after.assume_role_policy);
      expect(trust.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::100000000002:root' });
      expect(trust.Statement[0].Condition.Bool).toEqual({ 'aws:MultiFactorAuthPresent': 'true' });
    }
    const terraform = JSON.parse(roles.find((r) => r.address === 'aws_iam_role.role-terraform')!.change.after.assume_role_policy);
    expect(terraform.Statement[1].Principal.AWS).toEqual([
      'arn:aws:iam::100000000004:role/github-actions/deploy',
      'arn:aws:iam::200000000001:role/partner-deployer',
    ]);
    const sessions = changes('identity').filter((r) => r.type === 'aws_iam_role');
    expect(Object.fromEntries(sessions.map((r) => [r.change.after.name, r.change.after.max_session_duration]))).toEqual({
      auditor: 3600,
      readonly: 7200,
    });
  });

  it('organization: the custom SCPs beside the built-in ones and the RCP, nothing attached to the management account', () => {
    const c = changes('organization');
    const names = c
      .filter((r) => r.type === 'aws_organizations_policy')
      .map((r) => r.change.after.name)
      .sort();
    expect(names).toEqual([
      'rolecall-custom-no-large-instances',
      'rolecall-custom-region-lock',
      'rolecall-identity-baseline',
      'rolecall-member-baseline',
      'rolecall-member-perimeter', // the RCP, exempting the partner's deployer (outside the organisation)
      'rolecall-services-logs',
    ]);
    const rcp = c.find((r) => r.type === 'aws_organizations_policy' && r.change.after.name === 'rolecall-member-perimeter')!;
    expect(String(rcp.change.after.content)).toContain('arn:aws:iam::200000000001:role/partner-deployer');
    const accounts = c.filter((r) => r.type === 'aws_organizations_account').map((r) => r.change.after.name);
    expect(accounts).not.toContain('management');
    expect(accounts).toContain('identity');
  });
});

/**
 * config/org-identity-center.yaml (the example organisation on IAM Identity
 * Center, docs/identity-center.md): every stack validates and plans offline
 * (create only), with exactly the plan's groups, users, memberships,
 * permission sets, policies and assignments, and nothing of IAM.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import type { OrgPlan } from '../../src/plan/types';
import { synthesizeApp } from '../../src/stacks/app';
import { expectValidAndCreateOnly, planStacks, terraformOrSkip, writeCliConfig, type StackRun } from '../helpers/terraform';

const CONFIG = path.join(__dirname, '..', '..', 'config', 'org-identity-center.yaml');

function compileConfig(): OrgPlan {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileOrgFile } = require('../../src/plan/compile') as typeof import('../../src/plan/compile');
  const result = compileOrgFile(CONFIG);
  if (!result.plan) throw new Error(`${CONFIG} does not compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  return result.plan;
}

const describeTerraform = terraformOrSkip('Identity Center offline plan (test/e2e/identity-center.test.ts)') ? describe : describe.skip;

describeTerraform('config/org-identity-center.yaml: terraform validate + offline plan', () => {
  let tmp: string;
  let plan: OrgPlan;
  let runs: StackRun[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-idc-'));
    writeCliConfig(tmp);
    plan = compileConfig();
    synthesizeApp(plan, path.join(tmp, 'cdktf.out'));
    runs = await planStacks(plan.stacks.map((s) => path.join(tmp, 'cdktf.out', 'stacks', s.id)));
  });
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('validates and plans every stack, creating only', () => {
    expect(runs.map((r) => r.stack)).toEqual(['master']);
    expectValidAndCreateOnly(runs);
  });

  it('plans exactly the plan: groups, users, memberships, permission sets, policies and assignments, nothing of IAM', () => {
    const changes = runs[0].plan!.resource_changes ?? [];
    const count = (type: string) => changes.filter((c) => c.type === type).length;
    const idc = plan.stacks[0].identityCenter!;
    expect({
      groups: count('aws_identitystore_group'),
      users: count('aws_identitystore_user'),
      memberships: count('aws_identitystore_group_membership'),
      permissionSets: count('aws_ssoadmin_permission_set'),
      managed: count('aws_ssoadmin_managed_policy_attachment'),
      inline: count('aws_ssoadmin_permission_set_inline_policy'),
      assignments: count('aws_ssoadmin_account_assignment'),
      iam: changes.filter((c) => c.type.startsWith('aws_iam_')).length,
    }).toEqual({
      groups: 4,
      users: 6,
      memberships: 7,
      permissionSets: idc.permissionSets.length,
      managed: idc.permissionSets.reduce((n, p) => n + p.managedPolicyArns.length, 0),
      inline: idc.permissionSets.filter((p) => p.inlinePolicy).length,
      assignments: idc.assignments.length,
      iam: 0,
    });
    const sets = changes
      .filter((c) => c.type === 'aws_ssoadmin_permission_set')
      .map((c) => [c.change.after.name, c.change.after.session_duration]);
    expect(sets).toEqual(
      expect.arrayContaining([
        ['operations.admin', 'PT1H'],
        ['developers.admin+logs-read', 'PT4H'],
      ]),
    );
  });
});

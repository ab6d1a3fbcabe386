/**
 * Issue 7, finding 5: memberships moved from one aws_iam_user_group_membership
 * per person to one aws_iam_group_membership per group. Terraform cannot move
 * state across resource types, so the old resources are forgotten (a
 * `removed` block, destroy = false), never destroyed: a destroy would call
 * RemoveUserFromGroup, perhaps after the new resource added the person.
 * Planned offline against a state as the previous release left it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { AccountStack } from '../../src/stacks/account-stack';
import { masterStack } from '../fixtures/plan';
import { describeFailure, planStack, terraformOrSkip, writeCliConfig } from '../helpers/terraform';

const run = terraformOrSkip('membership migration e2e test') ? describe : describe.skip;

/* eslint-disable @typescript-eslint/no-explicit-any */
run('membership migration', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-migration-'));
    writeCliConfig(tmp);
  });
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('forgets the per-user memberships of the previous release and destroys nothing', async () => {
    const app = new App({ outdir: tmp, skipValidation: false, hclOutput: false });
    new AccountStack(app, 'master', { plan: masterStack() });
    app.synth();
    const dir = path.join(tmp, 'stacks', 'master');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    json.terraform.backend.local.path = 'terraform.tfstate';
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    // The state the previous release left: alice's membership at its old address (from its snapshot).
    const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
    const state = {
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '00000000-0000-0000-0000-000000000000',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'aws_iam_user_group_membership',
          name: 'user-alice_groups_4EAA27E7',
          provider,
          instances: [{ schema_version: 0, attributes: { id: 'terraform-0001', user: 'alice', groups: ['RequireMFA', 'operations'] } }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));

    const result = await planStack(dir);
    if (!result.plan) throw new Error(describeFailure(result));
    const changes = result.plan.resource_changes ?? [];
    const old = changes.find((c) => c.address === 'aws_iam_user_group_membership.user-alice_groups_4EAA27E7');
    expect(old?.change.actions).toEqual(['forget']);
    expect(changes.filter((c) => c.change.actions.includes('delete'))).toEqual([]);
    const created = changes.filter((c) => c.type === 'aws_iam_group_membership').map((c) => c.change.after as any);
    expect(created.find((m) => m.group === 'operations')?.users).toEqual(['alice']);
    expect(created.find((m) => m.group === 'RequireMFA')?.users).toEqual(['alice', 'bob', 'dave']);
  }, 240000);
});

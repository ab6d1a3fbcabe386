/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized Terraform JSON is untyped data */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import type { StackPlan } from '../../src/plan/types';
import { AccountStack } from '../../src/stacks/account-stack';
import { synthesizeApp } from '../../src/stacks/app';
import { masterStack, orgPlan, productionStack } from '../fixtures/plan';

function synthStack(plan: StackPlan): Record<string, any> {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new AccountStack(app, plan.id, { plan })));
}

/** `type.name` of every resource and `output.name` of every output, sorted. */
function addresses(plan: StackPlan): string[] {
  const json = synthStack(plan);
  const out: string[] = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  for (const name of Object.keys(json.output ?? {})) out.push(`output.${name}`);
  return out.sort();
}

describe('AccountStack', () => {
  it('master: addresses', () => {
    expect(addresses(masterStack())).toMatchSnapshot();
  });

  it('account: addresses', () => {
    expect(addresses(productionStack())).toMatchSnapshot();
  });

  it('configures the provider and the local backend from the plan', () => {
    const json = synthStack(productionStack());
    expect(json.provider.aws).toEqual([
      {
        region: 'eu-west-1',
        allowed_account_ids: ['222222222222'],
        assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', session_name: 'rolecall' }],
        default_tags: [{ tags: { 'cost-center': 'platform', ManagedBy: 'rolecall', Organization: 'acme' } }],
      },
    ]);
    expect(json.terraform.backend).toEqual({ local: { path: 'terraform.account-production.tfstate' } });
  });

  it('uses ambient credentials when the plan names no role to assume', () => {
    const json = synthStack(masterStack());
    expect(json.provider.aws[0]).not.toHaveProperty('assume_role');
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['111111111111']);
  });

  it('gives each group its exact member list, referencing the users (so users exist first)', () => {
    const json = synthStack(masterStack());
    expect(json.resource.aws_iam_user_group_membership).toBeUndefined();
    const members = Object.fromEntries(Object.values<any>(json.resource.aws_iam_group_membership).map((m) => [m.group, m.users]));
    expect(members['${aws_iam_group.group-auditors.name}']).toEqual(['${aws_iam_user.user-bob.name}']);
    expect(members['${aws_iam_group.group-RequireMFA.name}']).toEqual([
      '${aws_iam_user.user-alice.name}',
      '${aws_iam_user.user-bob.name}',
      '${aws_iam_user.user-dave.name}',
    ]);
  });

  it('forgets (never destroys) the per-user memberships of earlier releases, at their exact old addresses', () => {
    const json = synthStack(masterStack());
    // The addresses the previous release synthesized (its snapshot) for config/org.yaml's fixture people.
    expect(json.removed).toEqual([
      { from: 'aws_iam_user_group_membership.user-alice_groups_4EAA27E7', lifecycle: { destroy: false } },
      { from: 'aws_iam_user_group_membership.user-bob_groups_0E1C9A20', lifecycle: { destroy: false } },
      { from: 'aws_iam_user_group_membership.user-dave_groups_C0F37DFF', lifecycle: { destroy: false } },
    ]);
    expect(synthStack(productionStack()).removed).toBeUndefined();
  });

  it('renders nothing for empty lists', () => {
    const plan = productionStack();
    plan.roles = [];
    expect(synthStack(plan).resource).toBeUndefined();
  });

  describe('removing one entry moves no other address', () => {
    const cases: Array<[string, () => StackPlan, (p: StackPlan) => void]> = [
      ['a role', productionStack, (p) => (p.roles = p.roles.filter((r) => r.key !== 'developers'))],
      ['a managed policy of a role', productionStack, (p) => (p.roles[2].managedPolicyArns = p.roles[2].managedPolicyArns.slice(1))],
      ['a user', masterStack, (p) => (p.users = p.users.filter((u) => u.key !== 'alice'))],
      ['a group', masterStack, (p) => (p.groups = p.groups.filter((g) => g.key !== 'auditors'))],
      ['the master role', masterStack, (p) => (p.roles = [])],
    ];
    it.each(cases)('%s', (_name, make, remove) => {
      const before = addresses(make());
      const plan = make();
      remove(plan);
      const after = addresses(plan);
      expect(after.length).toBeLessThan(before.length);
      // Every remaining address existed before, under the same name.
      for (const a of after) expect(before).toContain(a);
    });
  });

  it('same plan, byte-identical synthesized JSON', () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-synth-')));
    try {
      for (const dir of dirs) synthesizeApp(orgPlan(), dir);
      for (const id of ['master', 'account-production']) {
        const [a, b] = dirs.map((dir) => fs.readFileSync(path.join(dir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
        expect(a).toBe(b);
        expect(a.length).toBeGreaterThan(100);
      }
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

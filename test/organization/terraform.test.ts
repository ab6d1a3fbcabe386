/**
 * The organization stack through real Terraform, offline (test/helpers/terraform.ts):
 *
 * - validate: the stack exactly as rolecall writes it, import blocks included.
 *
 * The four directories are synthesized first and planned together
 * (planStacks: one validate for the batch, two plans at a time).
 * - plan of a first apply: WITHOUT import blocks. An import block makes
 *   Terraform read the account from AWS during plan even with
 *   -refresh=false (verified: "Preparing import..." then DescribeAccount), so
 *   a first plan that adopts accounts cannot run offline.
 * - plans against a state as after that first apply (fixtures/organization/state.ts):
 *   WITH import blocks, which Terraform skips for resources already in state,
 *   so they run offline: no change; an account moved to another OU is an
 *   in-place update; a new account and OU add resources and change nothing else.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import {
  describeFailure,
  planStacks,
  terraformOrSkip,
  writeCliConfig,
  type PlanJson,
  type PlannedResource,
  type StackRun,
} from '../helpers/terraform';
import { MANAGED_TEXT, planOf, variant } from '../fixtures/organization';
import { stateFor } from '../fixtures/organization/state';

const run = terraformOrSkip('organization stack terraform tests') ? describe : describe.skip;

/* eslint-disable @typescript-eslint/no-explicit-any */
let workdir: string;

/** Synthesizes the organization stack of `text` into a directory of its own (stack-<name>). */
function synthesize(name: string, text: string, importExisting: boolean): { dir: string; json: any } {
  const outdir = path.join(workdir, `synth-${name}`);
  const app = new App({ outdir, skipValidation: false, hclOutput: false });
  const { org } = planOf(text);
  new OrganizationStack(app, 'organization', { plan: org, importExisting });
  app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'organization', 'cdk.tf.json'), 'utf8'));
  // The stack runs from a directory of its own here: keep its state inside it.
  json.terraform.backend.local.path = 'terraform.organization.tfstate';
  const dir = path.join(workdir, `stack-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  return { dir, json };
}

function writeState(dir: string, json: any): void {
  const backend = json.terraform.backend.local.path;
  fs.writeFileSync(path.join(dir, backend), JSON.stringify(stateFor(json, 'o-abc123defg', 'r-ab12'), null, 2));
}

/** The runs of beforeAll, by directory. */
const runs = new Map<string, StackRun>();

function plan(dir: string): PlanJson {
  const result = runs.get(dir)!;
  if (!result.plan) throw new Error(describeFailure(result));
  return result.plan;
}

function changes(p: PlanJson): PlannedResource[] {
  return p.resource_changes ?? [];
}

function actionsByAddress(p: PlanJson): Record<string, string> {
  return Object.fromEntries(changes(p).map((r) => [r.address, r.change.actions.join(',')]));
}

run('organization stack in terraform', () => {
  /** The state after a first apply of config/org-managed.yaml, from its synthesized JSON. */
  let steadyJson: any;
  const dirs: Record<'steady' | 'fresh' | 'move' | 'grow', string> = { steady: '', fresh: '', move: '', grow: '' };

  beforeAll(async () => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-org-tf-'));
    writeCliConfig(workdir);
    const steady = synthesize('steady', MANAGED_TEXT, true);
    steadyJson = steady.json;
    expect(steadyJson.import).toHaveLength(4);
    writeState(steady.dir, steadyJson);
    dirs.steady = steady.dir;
    dirs.fresh = synthesize('fresh', MANAGED_TEXT, false).dir;
    dirs.move = synthesize(
      'move',
      variant((org) => {
        org.accounts.storage.ou = 'Sandbox';
      }),
      true,
    ).dir;
    writeState(dirs.move, steadyJson);
    dirs.grow = synthesize(
      'grow',
      variant((org) => {
        org.accounts.research = { email: 'aws+research@acme.example', ou: 'Research/Lab', services: ['sagemaker'] };
      }),
      true,
    ).dir;
    writeState(dirs.grow, steadyJson);
    // steady first: its directory is the one validated whole, as written (planStacks).
    const planned = await planStacks([dirs.steady, dirs.fresh, dirs.move, dirs.grow]);
    planned.forEach((r, i) => runs.set([dirs.steady, dirs.fresh, dirs.move, dirs.grow][i], r));
  }, 600000);

  afterAll(() => {
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  test('terraform validate accepts the stack as written, import blocks included', () => {
    expect(steadyJson.import.map((i: any) => i.to).sort()).toEqual([
      'aws_organizations_account.account-development',
      'aws_organizations_account.account-production',
      'aws_organizations_account.account-sandbox',
      'aws_organizations_account.account-storage',
    ]);
    const r = runs.get(dirs.steady)!;
    expect(r.failure && describeFailure(r)).toBeUndefined();
    expect(r.validate.diagnostics).toEqual([]);
    expect(r.validate.valid).toBe(true);
  });

  test('first apply (no imports): only creations, every resource type, nothing destroyed', () => {
    const p = plan(dirs.fresh);
    const all = changes(p);
    expect(all.every((r) => r.change.actions.join(',') === 'create')).toBe(true);
    const count = (type: string) => all.filter((r) => r.type === type).length;
    expect(count('aws_organizations_organizational_unit')).toBe(5);
    expect(count('aws_organizations_account')).toBe(5);
    expect(count('aws_organizations_policy')).toBe(4);
    expect(count('aws_organizations_policy_attachment')).toBe(12);
    expect(count('aws_iam_organizations_features')).toBe(1);
    const analytics = all.find((r) => r.address === 'aws_organizations_account.account-analytics')!;
    expect(analytics.change.after).toMatchObject({
      name: 'analytics',
      email: 'aws+analytics@acme.example',
      role_name: 'OrganizationAccountAccessRole',
      close_on_deletion: false,
      tags_all: { 'cost-center': 'data', ManagedBy: 'rolecall', Organization: 'acme' },
    });
    // The literal policy text AWS receives: the plan's JSON is the document rolecall planned.
    const baseline = all.find((r) => r.address === 'aws_organizations_policy.scp-member-baseline')!;
    expect(baseline.change.after.type).toBe('SERVICE_CONTROL_POLICY');
    expect(JSON.parse(baseline.change.after.content).Statement.map((s: any) => s.Sid)).toEqual([
      'DenyIamUsersAndLongTermCredentials',
      'DenyNewIdentityPerimeterExceptDeployRole',
      // Issue 17: rolecall's machinery protected, Cognito identity pools denied.
      'ProtectRolecallMachineryExceptDeployRole',
      'DenyCognitoIdentityPools',
      'DenyLeavingTheOrganization',
      'DenyRootUser',
    ]);
    const perimeter = all.find((r) => r.address === 'aws_organizations_policy.rcp-member-perimeter')!;
    expect(perimeter.change.after.type).toBe('RESOURCE_CONTROL_POLICY');
    expect(JSON.parse(perimeter.change.after.content).Statement[0].Condition.StringNotEqualsIfExists).toEqual({
      'aws:PrincipalOrgID': 'o-abc123defg',
    });
    // Issue 17: web identity too (backend local, no named CI role, no Cognito opt-in: no token at all).
    expect(JSON.parse(perimeter.change.after.content).Statement[1]).toMatchObject({
      Sid: 'DenyWebIdentityFromOtherIssuers',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Resource: '*',
    });
  });

  test('after the first apply, the same file plans no change (import blocks are skipped, offline)', () => {
    const p = plan(dirs.steady);
    const notNoop = changes(p).filter((r) => r.change.actions.join(',') !== 'no-op');
    expect(notNoop.map((r) => `${r.address}: ${r.change.actions.join(',')}`)).toEqual([]);
    expect(changes(p)).toHaveLength(27);
  });

  test('moving an account to another OU is an in-place update of parent_id, nothing else changes', () => {
    const p = plan(dirs.move);
    const changed = changes(p).filter((r) => r.change.actions.join(',') !== 'no-op');
    expect(changed.map((r) => [r.address, r.change.actions])).toEqual([['aws_organizations_account.account-storage', ['update']]]);
    const change = changed[0].change as any;
    const ouId = (key: string) =>
      stateFor(steadyJson, 'o-abc123defg', 'r-ab12').resources.find((r: any) => r.name === key).instances[0].attributes.id;
    expect(change.before.parent_id).toBe(ouId('ou-Workloads__Production'));
    expect(change.after.parent_id).toBe(ouId('ou-Sandbox'));
    expect(change.before.id).toBe('333333333333');
  });

  test('adding an account and an OU only adds resources: every existing address stays as it is', () => {
    const p = plan(dirs.grow);
    const actions = actionsByAddress(p);
    const created = Object.keys(actions)
      .filter((a) => actions[a] === 'create')
      .sort();
    expect(created.map((a) => a.replace(/_[0-9A-F]{8}$/, '_<hash>'))).toEqual([
      'aws_organizations_account.account-research',
      'aws_organizations_organizational_unit.ou-Research',
      'aws_organizations_organizational_unit.ou-Research__Lab',
      'aws_organizations_policy.scp-services-research',
      'aws_organizations_policy_attachment.rcp-member-perimeter_attach-research_<hash>',
      'aws_organizations_policy_attachment.scp-member-baseline_attach-research_<hash>',
      'aws_organizations_policy_attachment.scp-services-research_attach-research_<hash>',
    ]);
    const others = Object.keys(actions).filter((a) => !created.includes(a));
    expect(others).toHaveLength(27);
    expect(others.filter((a) => actions[a] !== 'no-op')).toEqual([]);
  });
});

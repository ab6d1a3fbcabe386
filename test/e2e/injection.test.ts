/**
 * Hostile input through real Terraform (issue 7, finding 1). Two parts:
 *
 * 1. Property, against Terraform itself: seeded hostile strings (template
 *    openers, escapes, CDKTF token texts of tokens that exist in the stack)
 *    rendered by terraformLiteral as output values; `terraform plan` must
 *    give back each input exactly. This also checks the test model
 *    (test/helpers/template.ts) the fast property tests rely on.
 * 2. The real stacks: config/org-managed.yaml's plan with injection strings
 *    put into every free-text field the render layer reads (tags, their keys,
 *    provider default tags, names, e-mails, PGP keys, descriptions, OU names,
 *    policy texts). The plan is changed directly, past validate, so only the
 *    render boundary stands between the strings and Terraform. Every string
 *    of the synthesized JSON is walked, and each stack is planned offline.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { terraformLiteral } from '../../src/constructs/terraform-literal';
import { AccountStack } from '../../src/stacks/account-stack';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import type { StackPlan } from '../../src/plan/types';
import { planOf, variant } from '../fixtures/organization';
import { describeFailure, planStack, planStacks, terraformOrSkip, writeCliConfig, type PlanJson } from '../helpers/terraform';
import { evaluateLiteral, hostileString, numberTokenText, random, REFERENCE, stringsIn } from '../helpers/template';

const run = terraformOrSkip('injection e2e tests (test/e2e/injection.test.ts)') ? describe : describe.skip;

/** The strings of the issue, and their relatives. */
const H = [
  '${base64encode(file(pathexpand("~/.aws/credentials")))}',
  '%{ if true }ran%{ endif }',
  '${TfToken[TOKEN.5]}',
  '#{TfToken[TOKEN.3]}',
  '&{TfToken[TOKEN.2]}',
  '$${already} %%{escaped}',
  'String Map Token Value',
  `n=${numberTokenText(4)}`,
  '${aws:username} ${TfToken[TOKEN.1]} %{endif}',
];
const h = (i: number) => H[i % H.length];
/** The provider checks e-mail syntax at validate: injection in the local part. */
const EMAIL = '${file("~/x")}%{if(1)}x%{endif}${TfToken[TOKEN.2]}@a.example';

/* eslint-disable @typescript-eslint/no-explicit-any */
function resourcesOf(plan: PlanJson): Map<string, any> {
  return new Map((plan.resource_changes ?? []).map((r) => [r.address, r.change.after]));
}

run('hostile strings through terraform plan', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-injection-'));
    writeCliConfig(tmp);
  });
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("property: Terraform plans 150 seeded hostile strings (and the issue's) back to the literal input", async () => {
    const next = random(2026);
    const inputs = [...H, ...Array.from({ length: 150 }, () => hostileString(next))];
    const outdir = path.join(tmp, 'property');
    const app = new App({ outdir, skipValidation: false, hclOutput: false });
    const stack = new TerraformStack(app, 'property');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    // Real tokens, so guessed token texts have something to resolve to.
    for (let i = 0; i < 10; i++) {
      const role = new IamRole(stack, `r${i}`, { name: `r${i}`, assumeRolePolicy: '{}' });
      void Token.asString(role.arn);
      void role.maxSessionDuration;
    }
    inputs.forEach((input, i) => new TerraformOutput(stack, `o${i}`, { value: terraformLiteral(input) }));
    app.synth();
    const result = await planStack(path.join(outdir, 'stacks', 'property'));
    if (!result.plan) throw new Error(describeFailure(result));
    const planned = result.plan.output_changes ?? {};
    inputs.forEach((input, i) => {
      const after = (planned[`o${i}`] as any)?.after;
      expect({ i, after }).toEqual({ i, after: input });
      expect(evaluateLiteral(terraformLiteral(input))).toBe(input);
    });
  }, 240000);

  it("every free-text field of the real stacks: no interpolation but rolecall's references, planned values literal", async () => {
    // Through the file where validate accepts such text (descriptions, policy conditions), past it elsewhere.
    const DESCRIPTION = `${h(0)} ${h(1)} ${h(2)} ${h(5)}`;
    const CONDITION = [h(2), h(3), h(8)];
    const text = variant((o) => {
      for (const fn of Object.values<any>(o.functions)) fn.description = DESCRIPTION;
      o.permissions['audit-buckets'].statements[0].conditions = { StringLike: { 'aws:PrincipalTag/team': CONDITION } };
    });
    const { plan, org } = planOf(text);
    const master = plan.stacks.find((s) => s.id === 'master')!;
    const audited = (r: { inlinePolicies: Array<{ key: string }> }) => r.inlinePolicies[0]?.key === 'audit-buckets';
    const member = plan.stacks.find((s) => s.kind === 'account' && s.roles.some(audited))!;

    const user = master.users.find((u) => u.loginProfile)!;
    user.tags = { Name: h(0), Email: h(1), [h(2)]: h(3) };
    user.loginProfile!.pgpKey = h(4);
    master.provider.defaultTags = { ...master.provider.defaultTags, [h(5)]: h(6) };
    const group = master.groups.find((g) => g.policies.length > 0)!;
    group.policies[0].description = h(7);
    const role = member.roles.find(audited)!;
    role.tags = { ...role.tags, [h(0)]: h(1) };
    role.inlinePolicies[0].document.Statement[0].Resource = [h(2), h(3)];
    org.accounts[0].name = h(4);
    org.accounts[0].email = EMAIL;
    org.accounts[0].tags = { [h(6)]: h(7) };
    org.organizationalUnits[0].name = h(8);
    org.policies[0].description = h(0);
    org.provider.defaultTags = { [h(1)]: h(2) };

    const outdir = path.join(tmp, 'stacks');
    const app = new App({ outdir, skipValidation: false, hclOutput: false });
    const stacks: StackPlan[] = [master, member];
    for (const s of stacks) new AccountStack(app, s.id, { plan: s });
    new OrganizationStack(app, 'organization', { plan: org, importExisting: false });
    app.synth();
    const ids = [...stacks.map((s) => s.id), 'organization'];

    // The walk: every string Terraform will read is either rolecall's own reference or a pure literal.
    for (const id of ids) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf8'));
      for (const [where, s] of stringsIn({ resource: json.resource, provider: json.provider, output: json.output })) {
        if (REFERENCE.test(s)) continue;
        expect(() => evaluateLiteral(s)).not.toThrow(`${id} ${where}`);
      }
      // The state path is the stack's own, as everywhere else in the tests.
      json.terraform.backend.local.path = `terraform.${id}.tfstate`;
      fs.writeFileSync(path.join(outdir, 'stacks', id, 'cdk.tf.json'), JSON.stringify(json));
    }

    const runs = await planStacks(ids.map((id) => path.join(outdir, 'stacks', id)));
    const [m, a, o] = runs.map((r) => {
      if (!r.plan) throw new Error(describeFailure(r));
      return resourcesOf(r.plan);
    });
    const find = (res: Map<string, any>, prefix: string, pred: (after: any) => boolean = () => true) =>
      [...res].find(([address, after]) => address.startsWith(prefix) && pred(after))?.[1];

    const plannedUser = find(m, `aws_iam_user.user-${user.key}`);
    expect(plannedUser.tags).toEqual({ Name: h(0), Email: h(1), [h(2)]: h(3) });
    expect(plannedUser.tags_all).toMatchObject({ [h(5)]: h(6) });
    expect(find(m, `aws_iam_user_login_profile.user-${user.key}_`).pgp_key).toBe(h(4));
    expect(find(m, 'aws_iam_policy.', (p) => p.name === group.policies[0].name).description).toBe(h(7));

    const plannedRole = find(a, `aws_iam_role.role-${role.key}`);
    expect(plannedRole.description).toBe(DESCRIPTION);
    expect(plannedRole.tags[h(0)]).toBe(h(1));
    const inline = find(a, `aws_iam_role_policy.role-${role.key}_`);
    expect(JSON.parse(inline.policy).Statement[0].Resource).toEqual([h(2), h(3)]);
    expect(JSON.parse(inline.policy).Statement[0].Condition.StringLike['aws:PrincipalTag/team']).toEqual(CONDITION);
    // IAM's own variable stays IAM's.
    expect(JSON.parse(plannedRole.assume_role_policy).Statement[0].Condition.StringEquals['sts:RoleSessionName']).toBe('${aws:username}');

    const account = find(o, `aws_organizations_account.account-${org.accounts[0].key}`);
    expect(account).toMatchObject({ name: h(4), email: EMAIL, tags: { [h(6)]: h(7) } });
    expect(find(o, 'aws_organizations_organizational_unit.', (u) => u.name === h(8))).toBeDefined();
    expect(find(o, 'aws_organizations_policy.', (p) => p.description === h(0))).toBeDefined();
  }, 480000);
});

/**
 * Lifecycle 2, drift: after test/fixtures/lifecycle/tiny.yaml is applied
 * against the emulator, changes made by hand to owned users, groups, roles,
 * policies and memberships each show in the next plan as an in-place
 * update of exactly the resource that owns them (nothing else), the next
 * apply undoes them, IAM reads back as before, and the plan after is empty.
 * The suite's check shown red: on a broken stack (a role's exclusive
 * attachments ignoring changes) a policy attached by hand is missed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { emulatorOrSkip } from '../helpers/emulator';
import { Estate, type Changes } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';

const run = emulatorOrSkip('lifecycle drift suite') ? describe : describe.skip;
const TINY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lifecycle', 'tiny.yaml'), 'utf8');
const MASTER = '111111111111';
const PRODUCTION = '222222222222';

/** The one address of `type` whose name starts with `prefix` (construct ids are `<kind>-<key>`). */
function address(changes: Changes, type: string, prefix: string): string {
  const found = Object.keys(changes).filter((a) => a.startsWith(`${type}.${prefix}`));
  if (found.length !== 1) throw new Error(`expected one ${type}.${prefix}*, found ${JSON.stringify(found)}`);
  return found[0];
}

/** The owners (address prefixes) whose update a plan does not show: the drift it missed. */
function driftMissed(changes: Changes, owners: string[]): string[] {
  return owners.filter((o) => !Object.entries(changes).some(([a, action]) => a.startsWith(`${o}_`) && action === 'update'));
}

run('lifecycle: drift', () => {
  let estate: Estate;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  it('hand-made changes show as updates of their owners only; the next apply undoes them; then the plan is empty', async () => {
    estate.synth(TINY);
    const created: Record<string, Changes> = {};
    await mapLimit(['master', 'account-production'], 2, async (stack) => {
      const { first, second } = await estate.converge(stack);
      created[stack] = first.changes;
      expect([stack, second.code, second.changes]).toEqual([stack, 0, {}]);
    });
    const m = created.master;
    const p = created['account-production'];
    // The operations group's assume-role policy, a customer managed policy rolecall owns.
    const policyName = estate.plan.stacks[0].groups.find((g) => g.name === 'operations')!.policies[0].name;
    const groupPolicies = await estate.boto(
      MASTER,
      `out([p["Arn"] for p in client("iam").list_policies(Scope="Local")["Policies"] if p["PolicyName"] == ${JSON.stringify(policyName)}])`,
    );
    expect(groupPolicies.length).toBe(1);
    const before = await estate.boto(PRODUCTION, `out(client("iam").get_role(RoleName="operations")["Role"]["AssumeRolePolicyDocument"])`);

    // The drift, by hand (as someone with IAM rights in the console would).
    await estate.boto(
      PRODUCTION,
      `iam = client("iam")
iam.attach_role_policy(RoleName="operations", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
iam.put_role_policy(RoleName="developers", PolicyName="by-hand", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
iam.update_assume_role_policy(RoleName="operations", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}))
out(1)`,
    );
    await estate.boto(
      MASTER,
      `iam = client("iam")
iam.add_user_to_group(GroupName="operations", UserName="bob")
iam.attach_user_policy(UserName="dave", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.put_user_policy(UserName="bob", PolicyName="by-hand", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}))
iam.put_group_policy(GroupName="developers", PolicyName="by-hand", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
iam.attach_group_policy(GroupName="developers", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
arn = ${JSON.stringify(groupPolicies[0])}
iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}), SetAsDefault=True)
out(1)`,
    );

    const [master, production] = await Promise.all([estate.apply('master'), estate.apply('account-production')]);
    expect(production.changes).toEqual({
      [address(p, 'aws_iam_role', 'role-operations')]: 'update',
      [address(p, 'aws_iam_role_policy_attachments_exclusive', 'role-operations')]: 'update',
      [address(p, 'aws_iam_role_policies_exclusive', 'role-developers')]: 'update',
    });
    expect(master.changes).toEqual({
      [address(m, 'aws_iam_group_membership', 'group-operations')]: 'update',
      [address(m, 'aws_iam_user_policy_attachments_exclusive', 'user-dave')]: 'update',
      [address(m, 'aws_iam_user_policies_exclusive', 'user-bob')]: 'update',
      [address(m, 'aws_iam_group_policies_exclusive', 'group-developers')]: 'update',
      [address(m, 'aws_iam_group_policy_attachments_exclusive', 'group-developers')]: 'update',
      [address(m, 'aws_iam_policy', 'group-operations')]: 'update',
    });

    const after = await Promise.all([estate.planStack('master'), estate.planStack('account-production')]);
    expect(after.map((a) => [a.code, a.changes])).toEqual([
      [0, {}],
      [0, {}],
    ]);

    // IAM reads back as the file says.
    expect(
      await estate.boto(
        PRODUCTION,
        `iam = client("iam")
out({"trust": iam.get_role(RoleName="operations")["Role"]["AssumeRolePolicyDocument"],
     "attached": sorted(p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="operations")["AttachedPolicies"]),
     "inline": iam.list_role_policies(RoleName="developers")["PolicyNames"]})`,
      ),
    ).toEqual({ trust: before, attached: ['AdministratorAccess'], inline: expect.not.arrayContaining(['by-hand']) });
    const bob = await estate.user(MASTER, 'bob');
    const dave = await estate.user(MASTER, 'dave');
    expect([bob.groups, bob.inline, dave.attached]).toEqual([['RequireMFA', 'developers'], [], []]);
    expect(
      await estate.boto(
        MASTER,
        `iam = client("iam")
out({"inline": iam.list_group_policies(GroupName="developers")["PolicyNames"],
     "attached": [p["PolicyName"] for p in iam.list_attached_group_policies(GroupName="developers")["AttachedPolicies"] if p["PolicyName"] == "IAMFullAccess"]})`,
      ),
    ).toEqual({ inline: [], attached: [] });
  }, 1800000);
  it("the suite's check goes red: a broken stack whose role ignores its attachments hides a policy attached by hand", async () => {
    // tiny.yaml is applied and converged (the case above). The broken render: ignore_changes on the role's exclusive attachments.
    estate.synth(TINY, (dir, stack) => {
      if (stack !== 'account-production') return;
      const file = path.join(dir, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      const [name] = Object.keys(json.resource.aws_iam_role_policy_attachments_exclusive).filter((n) => n.startsWith('role-operations'));
      json.resource.aws_iam_role_policy_attachments_exclusive[name].lifecycle = { ignore_changes: ['policy_arns'] };
      fs.writeFileSync(file, JSON.stringify(json));
    });
    await estate.boto(
      PRODUCTION,
      `client("iam").attach_role_policy(RoleName="operations", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")\nout(1)`,
    );
    const plan = await estate.planStack('account-production');
    // What the case above requires of this drift (an update of the owner) is not there: its expectation fails.
    expect(driftMissed(plan.changes, ['aws_iam_role_policy_attachments_exclusive.role-operations'])).toEqual([
      'aws_iam_role_policy_attachments_exclusive.role-operations',
    ]);
  }, 600000);
});

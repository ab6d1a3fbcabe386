/**
 * Lifecycle 5 and 6 against the emulator, on test/fixtures/lifecycle/tiny.yaml:
 *
 * - offboarding: alice (console password, access key, and an MFA device she
 *   enrolled herself, which Terraform does not manage) leaves the file; the
 *   plan deletes exactly her resources and takes her out of her groups, the
 *   apply succeeds (force_destroy removes the device), and IAM holds nothing
 *   of her: no user, profile, key, device (virtual MFA devices included) or
 *   membership. The check (leftBehind) shown red: a broken stack whose user
 *   has no force_destroy leaves the person's MFA device behind.
 * - adoption: a user (with password and key), a group and a role made by
 *   hand are listed in deploy.adopt; the plans import them (no create, no
 *   destroy of any of them), the apply keeps their ids, the next plan is empty.
 *   The check shown red: without deploy.adopt (broken input) the plan
 *   creates alice and the operations group again.
 *
 * Emulator gap met: IAM ListServiceSpecificCredentials (deleting a
 * force_destroy user lists them); the harness answers it empty (emulator.ts GAPS).
 */
import * as fs from 'fs';
import * as path from 'path';
import { emulatorOrSkip, GAPS } from '../helpers/emulator';
import { Estate } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';

const run = emulatorOrSkip('lifecycle offboarding and adoption suites') ? describe : describe.skip;
const TINY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lifecycle', 'tiny.yaml'), 'utf8');
const MASTER = '111111111111';
const PRODUCTION = '222222222222';

/** tiny.yaml without one person's entry. */
function without(text: string, person: string): string {
  return text.replace(new RegExp(`^  ${person}:\\n(?:    .*\\n)+`, 'm'), '');
}

/** What an adoption plan does that adoption must not: any destroy, and anything made by hand (alice, operations) not imported. */
function adoptionFailures(stack: string, changes: Record<string, string>): string[] {
  return Object.entries(changes)
    .filter(
      ([addr, action]) =>
        action.includes('delete') ||
        (/^aws_iam_(user|group|role|access_key|user_login_profile)\.(user-alice|group-operations|role-operations)/.test(addr) &&
          !action.startsWith('import')),
    )
    .map(([addr, action]) => `${stack}: ${action} ${addr}`);
}

/** What IAM still holds of a person who left: their user, any MFA device named after them, any group listing them. Empty when gone. */
async function leftBehind(estate: Estate, person: string): Promise<string[]> {
  return estate.boto(
    MASTER,
    `iam = client("iam")
left = []
try:
    iam.get_user(UserName=${JSON.stringify(person)}); left.append("user")
except iam.exceptions.NoSuchEntityException:
    pass
left += ["device " + d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"] if d["SerialNumber"].endswith(":mfa/" + ${JSON.stringify(person)})]
left += ["group " + g["GroupName"] for g in iam.list_groups()["Groups"] if ${JSON.stringify(person)} in [u["UserName"] for u in iam.get_group(GroupName=g["GroupName"])["Users"]]]
out(left)`,
  );
}

run('lifecycle: offboarding', () => {
  let estate: Estate;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  it('a person with console, key and a hand-enrolled MFA device leaves: everything of theirs is gone', async () => {
    estate.synth(TINY);
    const { second } = await estate.converge('master');
    expect([second.code, second.changes]).toEqual([0, {}]);
    // alice enrols a virtual MFA device herself (docs/getting-started.md step 7), outside Terraform.
    const serial = await estate.boto(
      MASTER,
      `iam = client("iam")
d = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
iam.enable_mfa_device(UserName="alice", SerialNumber=d["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")
out(d["SerialNumber"])`,
    );
    const before = await estate.user(MASTER, 'alice');
    expect({ profile: before.profile !== null, keys: before.keys.length, mfa: before.mfa, groups: before.groups }).toEqual({
      profile: true,
      keys: 1,
      mfa: [serial],
      groups: ['RequireMFA', 'operations'],
    });

    estate.synth(without(TINY, 'alice'));
    const plan = await estate.apply('master');
    const mine = Object.entries(plan.changes).filter(([a]) => a.includes('user-alice'));
    const others = Object.fromEntries(Object.entries(plan.changes).filter(([a]) => !a.includes('user-alice')));
    expect(mine.map(([a, action]) => [a.split('.')[0], action]).sort()).toEqual(
      [
        ['aws_iam_access_key', 'delete'],
        ['aws_iam_user', 'delete'],
        ['aws_iam_user_login_profile', 'delete'],
        ['aws_iam_user_policies_exclusive', 'delete'],
        ['aws_iam_user_policy_attachments_exclusive', 'delete'],
      ].sort(),
    );
    // Her memberships go with the groups' member lists (updates), nothing else changes.
    expect(Object.entries(others).map(([a, action]) => [a.split('_members_')[0], action])).toEqual([
      ['aws_iam_group_membership.group-RequireMFA', 'update'],
      ['aws_iam_group_membership.group-operations', 'update'],
    ]);
    expect(estate.em.gapsMet.has('ListServiceSpecificCredentials')).toBe(true);
    expect(await estate.user(MASTER, 'alice')).toBeNull();
    expect(
      await estate.boto(
        MASTER,
        `iam = client("iam")
out({"devices": [d["SerialNumber"] for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]],
     "members": {g: sorted(u["UserName"] for u in iam.get_group(GroupName=g)["Users"]) for g in ["RequireMFA", "operations"]}})`,
      ),
    ).toEqual({ devices: [], members: { RequireMFA: ['bob', 'dave'], operations: [] } });
    expect(await leftBehind(estate, 'alice')).toEqual([]);
    const after = await estate.planStack('master');
    expect([after.code, after.changes]).toEqual([0, {}]);
  }, 1800000);

  it(`the suite's check goes red: a broken stack (bob's user without force_destroy) leaves his MFA device behind (gap: ${GAPS.DeleteUserWithMfaDevice})`, async () => {
    const rest = without(TINY, 'alice');
    estate.synth(rest, (dir) => {
      const file = path.join(dir, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!json.resource.aws_iam_user?.['user-bob']) return;
      json.resource.aws_iam_user['user-bob'].force_destroy = false;
      fs.writeFileSync(file, JSON.stringify(json));
    });
    const recorded = await estate.apply('master');
    expect(recorded.changes).toEqual({ 'aws_iam_user.user-bob': 'update' });
    await estate.boto(
      MASTER,
      `iam = client("iam")
d = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"]
iam.enable_mfa_device(UserName="bob", SerialNumber=d["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")
out(1)`,
    );
    estate.synth(without(rest, 'bob'));
    await estate.apply('master');
    expect(await leftBehind(estate, 'bob')).toEqual([`device arn:aws:iam::${MASTER}:mfa/bob`]);
  }, 1800000);
});

run('lifecycle: adoption', () => {
  let estate: Estate;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  it('deploy.adopt imports hand-made users, groups and roles: no create, no destroy, same ids, then an empty plan', async () => {
    // The estate as someone built it by hand: alice with a password and a key, the operations group, the role.
    // alice is made under rolecall's user path: moto drops a user's tags when UpdateUser moves its path
    // (GAPS.UpdateUserPathDropsTags), so a move here would plan a tag update forever. The in-place move from `/`
    // itself is proven by test/e2e/user-path.test.ts.
    const made = await estate.boto(
      MASTER,
      `iam = client("iam")
u = iam.create_user(UserName="alice", Path="/rolecall/")["User"]
iam.create_login_profile(UserName="alice", Password="Hand-made-password-1!", PasswordResetRequired=False)
k = iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
g = iam.create_group(GroupName="operations")["Group"]
iam.add_user_to_group(GroupName="operations", UserName="alice")
out({"user": u["UserId"], "key": k, "group": g["GroupId"]})`,
    );
    const role = await estate.boto(
      PRODUCTION,
      `out(client("iam").create_role(RoleName="operations", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::${MASTER}:root"}, "Action": "sts:AssumeRole"}]}))["Role"]["RoleId"])`,
    );
    // The suite's check shown red first: the same file without deploy.adopt (broken input) creates what exists.
    estate.synth(TINY);
    const broken = await estate.planStack('master');
    expect(adoptionFailures('master', broken.changes)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^master: create aws_iam_user\.user-alice$/),
        expect.stringMatching(/^master: create aws_iam_group\.group-operations$/),
      ]),
    );

    const text =
      TINY.replace(
        '    accessKey: true\n    pgpKey: keybase:alice',
        `    accessKey: true\n    accessKeyId: ${made.key}\n    pgpKey: keybase:alice`,
      ) + '\ndeploy:\n  adopt:\n    people: [alice]\n    groups: [operations]\n    roles: { operations: [production] }\n';
    estate.synth(text);
    // Planned and applied in one command each: an adopted object the plan would create fails the apply too.
    const plans = await mapLimit(['master', 'account-production'], 2, (s) => estate.apply(s));
    const [master, production] = plans;
    const imported = (c: Record<string, string>) =>
      Object.entries(c)
        .filter(([, a]) => a.startsWith('import'))
        .map(([addr]) => addr.split('.')[0] + '.' + addr.split('.')[1].split('_')[0])
        .sort();
    expect(imported(master.changes)).toEqual(
      [
        'aws_iam_access_key.user-alice',
        'aws_iam_group.group-operations',
        'aws_iam_user.user-alice',
        'aws_iam_user_login_profile.user-alice',
      ].sort(),
    );
    expect(imported(production.changes)).toEqual(['aws_iam_role.role-operations']);
    // Nothing adopted is created or destroyed, and nothing at all is destroyed.
    expect([...adoptionFailures('master', master.changes), ...adoptionFailures('account-production', production.changes)]).toEqual([]);
    const again = await Promise.all([estate.planStack('master'), estate.planStack('account-production')]);
    expect(again.map((a) => [a.code, a.changes])).toEqual([
      [0, {}],
      [0, {}],
    ]);
    const alice = await estate.user(MASTER, 'alice');
    expect({ id: alice.id, keys: alice.keys, groups: alice.groups, profile: alice.profile !== null }).toEqual({
      id: made.user,
      keys: [made.key],
      groups: ['RequireMFA', 'operations'],
      profile: true,
    });
    expect(await estate.boto(MASTER, `out(client("iam").get_group(GroupName="operations")["Group"]["GroupId"])`)).toBe(made.group);
    expect(await estate.boto(PRODUCTION, `out(client("iam").get_role(RoleName="operations")["Role"]["RoleId"])`)).toBe(role);
  }, 1800000);
});

/**
 * Lifecycle 3, edits: after test/fixtures/lifecycle/tiny.yaml is applied
 * against the emulator, six ordinary edits of the org file (add a person,
 * remove one, move one to another function, add a grant, change a
 * description, add a statement) each plan exactly what the edit implies in
 * each stack (unexpectedChanges: no unrelated change, replacement or
 * destroy), the apply succeeds, IAM reads back the edit, and the next plan
 * of every stack is empty. Edits of different stacks share a round (one
 * plan per stack), so each stack's plan is still one edit's.
 *
 * The suite's check shown red: a broken stack (a role whose path the
 * render changed, so Terraform replaces it) fails unexpectedChanges.
 *
 * Emulator gap met: ListServiceSpecificCredentials (removing a person
 * destroys a force_destroy user; emulator.ts GAPS).
 */
import * as fs from 'fs';
import * as path from 'path';
import { emulatorOrSkip, GAPS } from '../helpers/emulator';
import { Estate, notConverged, unexpectedChanges, type Changes } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';

const run = emulatorOrSkip('lifecycle edits suite') ? describe : describe.skip;
const TINY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lifecycle', 'tiny.yaml'), 'utf8');
const MASTER = '111111111111';
const PRODUCTION = '222222222222';
const STACKS = ['master', 'account-production'];

/** `text` with `from` replaced by `to`, asserting `from` is there once. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1).toBe(1);
  return text.replace(from, to);
}

run('lifecycle: edits', () => {
  let estate: Estate;
  let text = TINY;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  /**
   * Synthesizes `next`, plans every stack and checks each plan against what
   * the edit implies there (unexpectedChanges), applies, and checks every
   * next plan empty. Returns the failures (none expected).
   */
  async function round(next: string, expected: Record<string, Changes>): Promise<string[]> {
    text = next;
    estate.synth(text);
    const failures: string[] = [];
    await mapLimit(STACKS, 2, async (stack) => {
      const plan = await estate.apply(stack);
      failures.push(...unexpectedChanges(plan.changes, expected[stack] ?? {}).map((f) => `${stack}: ${f}`));
      failures.push(...(notConverged(stack, await estate.planStack(stack)) ?? []));
    });
    return failures;
  }

  it('tiny.yaml applies; every plan after is empty', async () => {
    estate.synth(text);
    const converged = await mapLimit(STACKS, 2, async (s) => notConverged(s, (await estate.converge(s)).second));
    expect(converged).toEqual([undefined, undefined]);
  }, 1800000);

  it('add a person (master) and change a description (production)', async () => {
    let next = edit(
      text,
      'people:\n',
      'people:\n  carol:\n    name: Carol Example\n    email: carol@tiny.example\n    functions: [operations]\n    console: true\n    pgpKey: keybase:carol\n',
    );
    next = edit(next, 'description: Read production logs', 'description: Read the production logs');
    expect(
      await round(next, {
        master: {
          'aws_iam_user.user-carol': 'create',
          'aws_iam_user_login_profile.user-carol': 'create',
          'aws_iam_user_policies_exclusive.user-carol': 'create',
          'aws_iam_user_policy_attachments_exclusive.user-carol': 'create',
          'aws_iam_group_membership.group-RequireMFA': 'update',
          'aws_iam_group_membership.group-operations': 'update',
        },
        'account-production': { 'aws_iam_role.role-developers': 'update' },
      }),
    ).toEqual([]);
    expect((await estate.user(MASTER, 'carol')).groups).toEqual(['RequireMFA', 'operations']);
    expect(await estate.boto(PRODUCTION, `out(client("iam").get_role(RoleName="developers")["Role"]["Description"])`)).toBe(
      'Read the production logs',
    );
  }, 1800000);

  it(`remove a person (master) and add a statement (production) (gap: ListServiceSpecificCredentials, ${GAPS.ListServiceSpecificCredentials})`, async () => {
    let next = edit(
      text,
      '  bob:\n    name: Bob Builder\n    email: bob@tiny.example\n    functions: [developers]\n    console: true\n    pgpKey: keybase:bob\n',
      '',
    );
    next = edit(
      next,
      '        resources: ["arn:aws:s3:::tiny-logs/*"]\n',
      '        resources: ["arn:aws:s3:::tiny-logs/*"]\n      - sid: ListBucket\n        actions: ["s3:ListBucket"]\n        resources: ["arn:aws:s3:::tiny-logs"]\n',
    );
    expect(
      await round(next, {
        master: {
          'aws_iam_user.user-bob': 'delete',
          'aws_iam_user_login_profile.user-bob': 'delete',
          'aws_iam_user_policies_exclusive.user-bob': 'delete',
          'aws_iam_user_policy_attachments_exclusive.user-bob': 'delete',
          'aws_iam_group_membership.group-RequireMFA': 'update',
          'aws_iam_group_membership.group-developers': 'update',
        },
        'account-production': { 'aws_iam_role_policy.role-developers': 'update' },
      }),
    ).toEqual([]);
    expect(estate.em.gapsMet.has('ListServiceSpecificCredentials')).toBe(true);
    expect(await estate.user(MASTER, 'bob')).toBeNull();
    const statements = await estate.boto(
      PRODUCTION,
      `iam = client("iam")
out(sorted(s.get("Sid", "") for n in iam.list_role_policies(RoleName="developers")["PolicyNames"] for s in iam.get_role_policy(RoleName="developers", PolicyName=n)["PolicyDocument"]["Statement"]))`,
    );
    expect(statements).toEqual(['ListBucket', 'ReadBuckets']);
  }, 1800000);

  it('move a person to another function (master): two member lists change, nothing else', async () => {
    const next = edit(
      text,
      '    functions: [developers]\n    accessKey: true\n    pgpKey: keybase:dave',
      '    functions: [operations]\n    accessKey: true\n    pgpKey: keybase:dave',
    );
    const dave = await estate.user(MASTER, 'dave');
    expect(
      await round(next, {
        master: { 'aws_iam_group_membership.group-developers': 'update', 'aws_iam_group_membership.group-operations': 'update' },
      }),
    ).toEqual([]);
    const moved = await estate.user(MASTER, 'dave');
    expect(moved).toEqual({ ...dave, groups: ['RequireMFA', 'operations'] });
  }, 1800000);

  it('add a grant (developers in master): the role is created there and the group may assume it; production unchanged', async () => {
    const next = edit(
      text,
      '    access:\n      production: logs-read\n',
      '    access:\n      production: logs-read\n      master: logs-read\n',
    );
    expect(
      await round(next, {
        master: {
          'aws_iam_role.role-developers': 'create',
          'aws_iam_role_policies_exclusive.role-developers': 'create',
          'aws_iam_role_policy.role-developers': 'create',
          'aws_iam_role_policy_attachment.role-developers': 'create',
          'aws_iam_role_policy_attachments_exclusive.role-developers': 'create',
          'aws_iam_policy.group-developers': 'update',
        },
      }),
    ).toEqual([]);
    const resources = await estate.boto(
      MASTER,
      `iam = client("iam")
arn = [p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName="developers")["AttachedPolicies"]][0]
v = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
doc = iam.get_policy_version(PolicyArn=arn, VersionId=v)["PolicyVersion"]["Document"]
out(sorted(r for s in doc["Statement"] for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])))`,
    );
    expect(resources).toEqual(['arn:aws:iam::111111111111:role/developers', 'arn:aws:iam::222222222222:role/developers']);
  }, 1800000);

  it("the suite's check goes red: a broken stack (the operations role's path changed in the render) plans a replacement no edit implies", async () => {
    estate.synth(text, (dir, stack) => {
      if (stack !== 'account-production') return;
      const file = path.join(dir, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.resource.aws_iam_role['role-operations'].path = '/broken/';
      fs.writeFileSync(file, JSON.stringify(json));
    });
    const plan = await estate.planStack('account-production');
    expect(unexpectedChanges(plan.changes, {})).toContainEqual(
      expect.stringMatching(/^unexpected: (delete,create|create,delete) aws_iam_role\.role-operations$/),
    );
    expect(notConverged('account-production', plan)).toBeDefined();
  }, 600000);
});

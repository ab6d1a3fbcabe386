/**
 * Issue 12: moving people between stacks (organization.peopleShards with
 * previousCount) is `removed` (destroy = false) in the old stack and
 * `import` in the new one, at the same addresses.
 *
 * - The old side is planned offline against a state as the old layout left
 *   it (built from the old layout's own synthesized addresses, as
 *   membership-migration.test.ts does): everything is forgotten, nothing
 *   destroyed, no person created.
 * - The new side's import blocks cannot be planned offline against AWS (an
 *   import reads the resource), so it runs `terraform test` with a mocked
 *   provider, overriding each imported resource: Terraform resolves every
 *   import block to a resource in the configuration and plans it. The same
 *   test file asserts that Terraform's md5 gives the shard hash rolecall
 *   uses, so the check blocks and the plan agree on who lives where, and
 *   that the group check passes the shard's members and another shard's,
 *   and catches an outsider whose name hashes to the shard.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeApp } from '../../src/stacks/app';
import { peopleShardHash, shardOf } from '../../src/plan/shards';
import type { OrgPlan } from '../../src/plan/types';
import { compiled, variant } from '../fixtures/deploy';
import {
  describeFailure,
  expectValidAndCreateOnly,
  planStacks,
  planStack,
  terraform,
  terraformOrSkip,
  writeCliConfig,
} from '../helpers/terraform';

const run = terraformOrSkip('people shards e2e test') ? describe : describe.skip;

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY_IDS: Record<string, string> = { alice: 'AKIAAAAAAAAAAAAAAAAA', dave: 'AKIADDDDDDDDDDDDDDDD', frank: 'AKIAFFFFFFFFFFFFFFFF' };
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const UNTIL = '2026-12-10T18:00:00Z';
const ALICE_POLICY = 'arn:aws:iam::111111111111:policy/alice-network-until-1';

function plan(peopleShards?: unknown): OrgPlan {
  return compiled(
    variant((org) => {
      if (peopleShards !== undefined) org.organization.peopleShards = peopleShards;
      for (const [person, id] of Object.entries(KEY_IDS)) org.people[person].accessKeyId = id;
      // A time-bound membership (issue 20): a policy of alice's own, which moves with her like the rest.
      org.people.alice.functions = ['operations', { name: 'network', until: UNTIL }];
    }),
  );
}

function synth(p: OrgPlan, dir: string): string {
  synthesizeApp(p, dir);
  return path.join(dir, 'stacks');
}

/** A stack dir whose local state is `terraform.tfstate` beside it. */
function localStateHere(stackDir: string): any {
  const file = path.join(stackDir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.terraform.backend.local.path = 'terraform.tfstate';
  fs.writeFileSync(file, JSON.stringify(json));
  return json;
}

/** A local state of the previous layout (apply is impossible offline): these resources, as Terraform 1.11 writes them. */
function writeState(stackDir: string, resources: unknown[], lineage: string): void {
  const state = { version: 4, terraform_version: '1.11.4', serial: 1, lineage, outputs: {}, resources };
  fs.writeFileSync(path.join(stackDir, 'terraform.tfstate'), JSON.stringify(state));
}

/** Minimal attributes per type: enough for Terraform to decode the state (a forget reads nothing). */
function attributes(type: string, r: any): Record<string, unknown> {
  switch (type) {
    case 'aws_iam_user':
      return { id: r.name, name: r.name, path: '/', force_destroy: true, arn: `arn:aws:iam::111111111111:user/${r.name}` };
    case 'aws_iam_group_membership':
      return { id: r.name, name: r.name, group: r.group, users: ['alice'] };
    case 'aws_iam_access_key':
      return { id: 'AKIAAAAAAAAAAAAAAAAA', user: 'alice', status: 'Active' };
    case 'aws_iam_user_login_profile':
      return { id: 'alice', user: 'alice', password_length: 24, password_reset_required: true };
    case 'aws_iam_user_policy_attachments_exclusive':
      return { user_name: 'alice', policy_arns: [] };
    case 'aws_iam_user_policies_exclusive':
      return { user_name: 'alice', policy_names: [] };
    case 'aws_iam_policy':
      return { id: ALICE_POLICY, arn: ALICE_POLICY, name: 'alice-network-until-1', path: '/', policy: '{}' };
    case 'aws_iam_user_policy_attachment':
      return { id: `alice-${ALICE_POLICY}`, user: 'alice', policy_arn: ALICE_POLICY };
    default:
      throw new Error(type);
  }
}

run('people shards: moves', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-shards-e2e-'));
    writeCliConfig(tmp);
  });
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a sharded layout from scratch: every stack validates and plans create-only; shards hold people, master none', async () => {
    const p = plan(3);
    const stacksDir = synth(p, path.join(tmp, 'fresh'));
    const ids = ['master', 'people-0'];
    const runs = await planStacks(ids.map((id) => path.join(stacksDir, id)));
    // No group checks by default (checkGroupMembers): nothing is read, so a plan without changes exits 0.
    expectValidAndCreateOnly(runs);
    for (const r of runs) expect((r.plan?.resource_changes ?? []).filter((c) => c.address.startsWith('data.'))).toEqual([]);
    const types = (id: string) => new Set((runs[ids.indexOf(id)].plan!.resource_changes ?? []).map((c) => c.type));
    expect(types('master').has('aws_iam_user')).toBe(false);
    expect(types('master').has('aws_iam_group_membership')).toBe(false);
    for (const id of ids.slice(1)) expect([...types(id)].sort()).toContain('aws_iam_user_group_membership');
  }, 240000);

  it('turning sharding on: the identity stack, planned against the old layout state, forgets people and member lists and destroys nothing', async () => {
    // The old layout: people and per-group member lists in master. Its resources become the state.
    const old = JSON.parse(fs.readFileSync(path.join(synth(plan(), path.join(tmp, 'old')), 'master', 'cdk.tf.json'), 'utf8'));
    const kept = ['aws_iam_user', 'aws_iam_group_membership', 'aws_iam_access_key', 'aws_iam_user_login_profile'];
    const resources = Object.entries(old.resource as Record<string, Record<string, any>>)
      .filter(([type]) => kept.includes(type) || type.startsWith('aws_iam_user_polic') || type === 'aws_iam_policy')
      .flatMap(([type, byName]) =>
        // A person's own policies (time-bound memberships) move with them; the groups' stay in the identity stack.
        Object.entries(byName)
          .filter(([name]) => type !== 'aws_iam_policy' || name.startsWith('user-'))
          .map(([name, r]) => ({
            mode: 'managed',
            type,
            name,
            provider: PROVIDER,
            instances: [{ schema_version: 0, attributes: attributes(type, r) }],
          })),
      );
    expect(resources.length).toBeGreaterThan(25);
    // alice's time-bound membership: her own policy and its attachment are among what master forgets.
    expect(resources.filter((r) => r.name.startsWith('user-alice_')).map((r) => r.type)).toEqual(
      expect.arrayContaining(['aws_iam_policy', 'aws_iam_user_policy_attachment']),
    );

    const dir = path.join(synth(plan({ count: 3, previousCount: 1 }), path.join(tmp, 'new')), 'master');
    localStateHere(dir);
    writeState(dir, resources, '00000000-0000-0000-0000-000000000001');

    const result = await planStack(dir);
    if (!result.plan) throw new Error(describeFailure(result));
    const changes = result.plan.resource_changes ?? [];
    const byAddress = new Map(changes.map((c) => [c.address, c.change.actions]));
    for (const r of resources)
      expect([`${r.type}.${r.name}`, byAddress.get(`${r.type}.${r.name}`)]).toEqual([`${r.type}.${r.name}`, ['forget']]);
    expect(changes.filter((c) => c.change.actions.includes('delete'))).toEqual([]);
    expect(
      changes
        .filter((c) => c.type.startsWith('aws_iam_user') || c.type.endsWith('membership'))
        .filter((c) => c.change.actions.includes('create')),
    ).toEqual([]);
  }, 240000);

  it('the new shard: every import block resolves and plans (terraform test, mocked provider); Terraform computes the same shard hash; the group check (checkGroupMembers) catches an outsider', async () => {
    const p = plan({ count: 3, previousCount: 1, checkGroupMembers: true });
    const shard = `people-${shardOf('alice', 3)}`;
    const dir = path.join(synth(p, path.join(tmp, 'shard')), shard);
    const json = localStateHere(dir);
    const imports: Array<{ to: string; id: string }> = json.import;
    const people = p.stacks.find((s) => s.id === shard)!.users.map((u) => u.key);
    expect(people).toContain('alice');
    // Structurally: each person's user, lists, profile, key (by id) and membership (user/groups).
    expect(
      imports
        .filter((i) => i.to.includes('user-alice'))
        .map((i) => i.id)
        .sort(),
    ).toEqual(
      [
        'AKIAAAAAAAAAAAAAAAAA',
        'alice',
        'alice',
        'alice',
        'alice',
        'alice/RequireMFA/operations',
        ALICE_POLICY,
        `alice/${ALICE_POLICY}`,
      ].sort(),
    );

    // A mocked policy's arn would be random text, which the attachment's policy_arn refuses: the imported policy's ARN.
    const values = (i: { to: string; id: string }) => (i.to.startsWith('aws_iam_policy.') ? `{ arn = ${JSON.stringify(i.id)} }` : '{}');
    const overrides = imports.map((i) => `  override_resource {\n    target = ${i.to}\n    values = ${values(i)}\n  }`).join('\n');
    // Terraform's md5 over each user's name gives rolecall's hash, and this shard's index (what its check blocks compute).
    const index = shardOf('alice', 3);
    const hashAsserts = people
      .map((u) => {
        const hash = `parseint(substr(md5(aws_iam_user.user-${u}.name), 0, 8), 16)`;
        return `  assert {\n    condition     = ${hash} == ${peopleShardHash(u)} && ${hash} % 3 == ${index}\n    error_message = "Terraform's md5 disagrees with rolecall's shard hash for ${u}"\n  }`;
      })
      .join('\n');
    const userAsserts = people
      .map((u) => `  assert {\n    condition     = aws_iam_user.user-${u}.name == "${u}"\n    error_message = "user ${u}"\n  }`)
      .join('\n');
    // The group check: operations as IAM would list it. Its members of this shard and a member another shard holds
    // pass (a check failure fails a `terraform test` run); an outsider whose name hashes here is caught.
    const named = (want: (i: number) => boolean) => Array.from({ length: 100 }, (_, i) => `mallory${i}`).find((n) => want(shardOf(n, 3)))!;
    const outsider = named((i) => i === index);
    const foreign = named((i) => i !== index);
    const members = p.stacks
      .find((s) => s.id === shard)!
      .users.filter((u) => u.groups.includes('operations'))
      .map((u) => u.key);
    expect(members).toContain('alice');
    const groupData = (names: string[]) =>
      `  override_data {\n    target = data.aws_iam_group.group-operations\n    values = { users = [${names
        .map((n) => `{ user_name = "${n}", arn = "arn:aws:iam::111111111111:user/${n}", path = "/", user_id = "AIDA${n}" }`)
        .join(', ')}] }\n  }`;
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.writeFileSync(
      path.join(dir, 'tests', 'move.tftest.hcl'),
      `mock_provider "aws" {\n${overrides}\n}\n\nrun "move_in" {\n  command = plan\n${userAsserts}\n${hashAsserts}\n}\n` +
        `\nrun "members_and_other_shards_pass" {\n  command = plan\n${groupData([...members, foreign])}\n}\n` +
        `\nrun "outsider_is_caught" {\n  command = plan\n${groupData([...members, outsider])}\n  expect_failures = [check.group-operations-members]\n}\n`,
    );
    const init = await terraform(dir, ['init', '-input=false', '-no-color']);
    expect([init.code, init.stderr]).toEqual([0, '']);
    const test = await terraform(dir, ['test', '-no-color']);
    expect({ code: test.code, out: test.stdout.includes('3 passed, 0 failed') }).toEqual({ code: 0, out: true });

    // And it fails when an import points at no resource (the test can fail).
    const broken = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    broken.import.push({ to: 'aws_iam_user.user-nobody', id: 'nobody' });
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(broken));
    const failed = await terraform(dir, ['test', '-no-color']);
    expect(failed.code).not.toBe(0);
  }, 240000);

  it('shrinking 3 -> 2: the shard that goes away forgets its people and destroys nothing', async () => {
    const p = plan({ count: 2, previousCount: 3 });
    const leaving = p.stacks.find((s) => s.id === 'people-2')!.movedOut!.map((m) => m.user.key);
    expect(leaving.length).toBeGreaterThan(0);
    const dir = path.join(synth(p, path.join(tmp, 'shrink')), 'people-2');
    const json = localStateHere(dir);
    const resources = (json.removed as Array<{ from: string }>).map((r) => {
      const [type, name] = r.from.split('.');
      const person = /^user-([a-z]+)/.exec(name)![1];
      const attrs =
        type === 'aws_iam_user_group_membership'
          ? { id: `terraform-${person}`, user: person, groups: ['RequireMFA'] }
          : { ...attributes(type, { name: person }) };
      return { mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes: attrs }] };
    });
    writeState(dir, resources, '00000000-0000-0000-0000-000000000002');
    const result = await planStack(dir);
    if (!result.plan) throw new Error(describeFailure(result));
    const changes = result.plan.resource_changes ?? [];
    expect(changes.length).toBe(resources.length);
    for (const c of changes) expect([c.address, c.change.actions]).toEqual([c.address, ['forget']]);
  }, 240000);
});

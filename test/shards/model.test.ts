/**
 * People shards (issue 12): organization.peopleShards puts people in
 * `people-<i>` stacks by a frozen hash of their user name; moves between
 * layouts are planned as forget-here, import-there; the bounds rule keeps
 * every stack plannable. Model and plan only (no cdktf).
 */
import { compiled, diagnosticsOf, errorsOf, variant } from '../fixtures/deploy';
import { peopleShardHash, shardOf, stackResourceCount } from '../../src/plan/shards';
import type { OrgPlan, StackPlan } from '../../src/plan/types';
import { formatDiagnostic } from '../../src/model/diagnostics';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY_IDS: Record<string, string> = { alice: 'AKIAAAAAAAAAAAAAAAAA', dave: 'AKIADDDDDDDDDDDDDDDD', frank: 'AKIAFFFFFFFFFFFFFFFF' };

/** config/org.yaml with peopleShards set, and the access key ids a move needs. */
function sharded(peopleShards: unknown, change: (org: any) => void = () => {}): string {
  return variant((org) => {
    org.organization.peopleShards = peopleShards;
    for (const [person, id] of Object.entries(KEY_IDS)) org.people[person].accessKeyId = id;
    change(org);
  });
}

const stack = (plan: OrgPlan, id: string): StackPlan => {
  const found = plan.stacks.find((s) => s.id === id);
  if (!found) throw new Error(`no stack ${id} in ${plan.stacks.map((s) => s.id).join(', ')}`);
  return found;
};
const homes = (plan: OrgPlan): Record<string, string> =>
  Object.fromEntries(plan.stacks.flatMap((s) => s.users.map((u) => [u.key, s.id])).sort());

describe('the shard hash', () => {
  it('is frozen: MD5 of the UTF-8 name, first 32 bits big-endian (changing it would move people between stacks)', () => {
    expect(peopleShardHash('alice')).toBe(1669653170);
    expect(peopleShardHash('bob')).toBe(2677887420);
    expect(peopleShardHash('dave')).toBe(370180999);
    expect(peopleShardHash('user0001')).toBe(1419941427);
    expect(peopleShardHash('a.b+c=d,e@f_g-h')).toBe(4225506961);
    expect(shardOf('alice', 4)).toBe(2);
    expect(shardOf('frank', 7)).toBe(639974480 % 7);
  });

  it("a person's shard never changes when others join or leave", () => {
    const names = Array.from({ length: 300 }, (_, i) => `person${i}`);
    const before = homes(compiled(sharded(8, (org) => addPeople(org, names))));
    const joined = homes(compiled(sharded(8, (org) => addPeople(org, [...names, 'newcomer', 'another']))));
    const left = homes(compiled(sharded(8, (org) => addPeople(org, names.slice(100)))));
    for (const [person, home] of Object.entries(before)) {
      expect([person, joined[person]]).toEqual([person, home]);
      if (person in left) expect([person, left[person]]).toEqual([person, home]);
    }
    expect(Object.keys(left).length).toBe(Object.keys(before).length - 100);
  });
});

function addPeople(org: any, names: string[]): void {
  for (const name of names) org.people[name] = { name, email: `${name}@acme.example`, functions: ['developers'] };
}

describe('without peopleShards', () => {
  it('people stay in the identity stack, groups own their member lists, no people stack exists', () => {
    const plan = compiled(variant(() => {}));
    expect(plan.stacks.filter((s) => s.kind === 'people')).toEqual([]);
    const master = stack(plan, 'master');
    expect(master.users.map((u) => u.key)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(master.membership).toBeUndefined();
    expect(master.users.find((u) => u.key === 'alice')!.accessKey).toEqual({ pgpKey: 'keybase:alice' });
  });
});

describe('sharded', () => {
  const plan = compiled(sharded(3));

  it('puts each person in people-<shardOf(name)>, in the identity account, and nobody in the identity stack', () => {
    expect(plan.stacks.map((s) => s.id).slice(0, 4)).toEqual(['master', 'people-0', 'people-1', 'people-2']);
    for (const s of plan.stacks.filter((x) => x.kind === 'people')) {
      for (const u of s.users) expect([u.key, s.id]).toEqual([u.key, `people-${shardOf(u.key, 3)}`]);
      expect(s.account).toEqual({ name: 'master', id: '111111111111' });
      expect(s.provider.allowedAccountIds).toEqual(['111111111111']);
      expect(s.backend).toEqual({ kind: 'local', path: `../../../terraform-state/${s.id}.tfstate` });
      expect(s.membership).toBe('per-user');
      expect(s.groups).toEqual([]);
      expect(s.roles).toEqual([]);
      // The outsider checks are opt-in (peopleShards.checkGroupMembers): none by default.
      expect(s.shard?.groups).toEqual([]);
    }
    for (const s of compiled(sharded({ count: 3, checkGroupMembers: true })).stacks.filter((x) => x.kind === 'people')) {
      expect(s.shard?.groups).toEqual(['RequireMFA', 'auditors', 'developers', 'network', 'operations']);
    }
    const master = stack(plan, 'master');
    expect(master.users).toEqual([]);
    expect(master.membership).toBe('per-user');
    expect(master.groups.map((g) => g.key)).toEqual(['RequireMFA', 'auditors', 'developers', 'network', 'operations']);
    expect(master.passwordPolicy).toBeDefined();
    expect(master.roles.length).toBeGreaterThan(0);
    expect(Object.keys(homes(plan))).toHaveLength(6);
  });

  it('access keys ignore pgp_key changes (an imported key has none in state); no move without previousCount', () => {
    const alice = plan.stacks.flatMap((s) => s.users).find((u) => u.key === 'alice')!;
    expect(alice.accessKey).toEqual({ pgpKey: 'keybase:alice', ignorePgpKeyChanges: true });
    expect(alice.movedFrom).toBeUndefined();
    expect(plan.stacks.some((s) => s.movedOut || s.forgetGroupMemberships)).toBe(false);
  });

  it('each shard is its own workspace; under HCP Terraform it applies after the identity stack', () => {
    const cloud = compiled(
      sharded(3, (org) => {
        org.deploy.backend = 'cloud';
        org.deploy.credentials = 'tfc-dynamic';
      }),
    );
    const shards = cloud.deploy.workspaces.filter((w) => w.stack.startsWith('people-'));
    expect(shards.map((w) => [w.cloud?.workspace, w.applyAfter])).toEqual([
      ['rolecall-people-0', ['master']],
      ['rolecall-people-1', ['master']],
      ['rolecall-people-2', ['master']],
    ]);
    expect(shards[0].applyRoleArn).toBe('arn:aws:iam::111111111111:role/rolecall-deploy/rolecall-people-0-apply');
    const roles = cloud.bootstrapStack!.accounts.find((a) => a.key === 'master')!.roles;
    const apply = roles.find((r) => r.key === 'people-1-apply')!;
    expect(apply.subject).toBe('organization:acme:project:aws-iam:workspace:rolecall-people-1:run_phase:apply');
    const allowed = apply.policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allowed.map((s) => s.Sid)).toEqual(['ManagePeople', 'ManageMemberships']);
    expect(allowed[1].Action).toEqual(['iam:AddUserToGroup', 'iam:GetGroup', 'iam:RemoveUserFromGroup']);
    // A shard's apply role cannot touch groups' policies, roles or the password policy.
    const actions = allowed.flatMap((s) => [s.Action].flat());
    for (const a of ['iam:CreateRole', 'iam:AttachGroupPolicy', 'iam:CreatePolicy', 'iam:UpdateAccountPasswordPolicy']) {
      expect(actions).not.toContain(a);
    }
  });
});

describe('moves between layouts (previousCount)', () => {
  it('turning sharding on: the identity stack forgets every person and every group member list, the shards import them', () => {
    const plan = compiled(sharded({ count: 3, previousCount: 1 }));
    const master = stack(plan, 'master');
    expect(master.forgetGroupMemberships).toEqual(['RequireMFA', 'auditors', 'developers', 'network', 'operations']);
    expect(master.movedOut!.map((m) => [m.user.key, m.to])).toEqual(
      ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((p) => [p, `people-${shardOf(p, 3)}`]),
    );
    for (const u of plan.stacks.flatMap((s) => s.users)) expect([u.key, u.movedFrom]).toEqual([u.key, 'master']);
    expect(stack(plan, 'people-2').users.find((u) => u.key === 'alice')!.accessKeyId).toBe('AKIAAAAAAAAAAAAAAAAA');
  });

  it('shrinking 3 -> 2: only people whose shard changes move; people-2 stays, holding only what it forgets', () => {
    const plan = compiled(sharded({ count: 2, previousCount: 3 }));
    expect(plan.stacks.map((s) => s.id).slice(0, 4)).toEqual(['master', 'people-0', 'people-1', 'people-2']);
    const retired = stack(plan, 'people-2');
    expect(retired.users).toEqual([]);
    expect(retired.shard).toBeUndefined();
    const moved = plan.stacks.flatMap((s) => s.users.filter((u) => u.movedFrom).map((u) => [u.key, u.movedFrom, s.id]));
    const expected = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']
      .filter((p) => shardOf(p, 3) !== shardOf(p, 2))
      .map((p) => [p, `people-${shardOf(p, 3)}`, `people-${shardOf(p, 2)}`]);
    expect(expected.length).toBeGreaterThan(0);
    expect(moved.sort()).toEqual(expected.sort());
    const out = plan.stacks.flatMap((s) => (s.movedOut ?? []).map((m) => [m.user.key, s.id, m.to]));
    expect(out.sort()).toEqual(expected.sort());
    expect(stack(plan, 'master').forgetGroupMemberships).toBeUndefined();
  });

  it('turning sharding off: the shards forget everyone, the identity stack imports them and owns the member lists again', () => {
    const plan = compiled(sharded({ count: 1, previousCount: 2 }));
    expect(plan.stacks.filter((s) => s.kind === 'people').map((s) => [s.id, s.users.length, s.shard])).toEqual([
      ['people-0', 0, undefined],
      ['people-1', 0, undefined],
    ]);
    const master = stack(plan, 'master');
    expect(master.membership).toBeUndefined();
    expect(master.users.map((u) => [u.key, u.movedFrom])).toEqual(
      ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((p) => [p, `people-${shardOf(p, 2)}`]),
    );
    expect(plan.stacks.flatMap((s) => s.movedOut ?? []).map((m) => m.to)).toEqual(Array(6).fill('master'));
  });

  it('previousCount equal to count moves nobody', () => {
    const plan = compiled(sharded({ count: 3, previousCount: 3 }));
    expect(plan.stacks.flatMap((s) => s.users).filter((u) => u.movedFrom)).toEqual([]);
  });
});

describe('errors', () => {
  it('a person with an access key who moves without accessKeyId: located, with how to read the id (RC613)', () => {
    const text = variant((org) => {
      org.organization.peopleShards = { count: 3, previousCount: 1 };
      org.people.alice.accessKeyId = 'AKIAAAAAAAAAAAAAAAAA';
    });
    const errors = errorsOf(text);
    expect(errors).toHaveLength(2); // dave and frank; alice has her id
    expect(errors[0]).toMatch(/^org\.yaml:\d+:\d+: error RC613: people\.dave\.accessKey: dave moves from stack master to stack people-1 /);
    expect(errors[0]).toContain('terraform state show');
    expect(errors[0]).toContain('aws iam list-access-keys --user-name dave');
    // Sharded from the start (no previousCount): nothing moves, no id needed.
    expect(errorsOf(variant((org) => (org.organization.peopleShards = 3)))).toEqual([]);
  });

  it('rejects a malformed accessKeyId and a shard count out of bounds, at their keys', () => {
    const errors = errorsOf(
      variant((org) => {
        org.organization.peopleShards = { count: 0 };
        org.people.alice.accessKeyId = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      }),
    );
    expect(errors.join('\n')).toMatch(/organization\.peopleShards/);
    expect(errors.join('\n')).toMatch(/people\.alice\.accessKeyId: [\s\S]*expected: an access key id/);
  });
});

describe('bounds (RC410, RC411)', () => {
  const many = (count: number) => Array.from({ length: count }, (_, i) => `p${String(i).padStart(4, '0')}`);

  it('an identity stack over 1,000 resources is an error whose fix is the shard count', () => {
    const text = variant((org) => addPeople(org, many(400)));
    const found = diagnosticsOf(text).filter((d) => d.code === 'RC411');
    expect(found).toHaveLength(1);
    expect(formatDiagnostic(found[0])).toMatch(/error RC411: people: stack master would hold 1,\d{3} resources/);
    expect(found[0].fix).toMatch(/peopleShards to \{ count: \d+, previousCount: 1 \}/);
  });

  it('a people stack over ~500 resources is a notice; enough shards silence it', () => {
    const text = (count: number) => sharded(count, (org) => addPeople(org, many(300)));
    const notices = diagnosticsOf(text(2)).filter((d) => d.code === 'RC410');
    expect(notices).toHaveLength(1); // one notice for every shard over the target
    expect(notices[0].severity).toBe('notice');
    expect(notices[0].message).toMatch(/^people stack people-\d \(and 1 more people stack\) would hold \d+ resources/);
    expect(notices[0].fix).toMatch(/\{ count: \d+, previousCount: 2 \}/);
    expect(diagnosticsOf(text(6)).filter((d) => d.code === 'RC410' || d.code === 'RC411')).toEqual([]);
  });

  it('people shards over 1,000 resources: one error, at peopleShards, naming the largest', () => {
    const found = diagnosticsOf(sharded(2, (org) => addPeople(org, many(600)))).filter((d) => d.code === 'RC411' || d.code === 'RC410');
    expect(
      found.map((d) => [
        d.code,
        d.severity,
        formatDiagnostic(d)
          .split('\n')[0]
          .replace(/^org\.yaml:\d+:\d+: /, ''),
      ]),
    ).toEqual([
      [
        'RC411',
        'error',
        expect.stringMatching(
          /^error RC411: organization\.peopleShards: stack people-\d \(and 1 more people stack\) would hold 1,\d{3} resources/,
        ),
      ],
    ]);
  });

  it('counts resources the way the stacks render them', () => {
    const plan = compiled(sharded(3));
    const alice = stack(plan, 'people-2');
    // alice: user, two exclusive lists, login profile, access key, membership.
    expect(alice.users.map((u) => u.key)).toContain('alice');
    expect(stackResourceCount({ ...alice, users: alice.users.filter((u) => u.key === 'alice') })).toBe(6);
  });
});

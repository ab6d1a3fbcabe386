/**
 * People shards as synthesized: what each stack renders, the removed and
 * import blocks of a move, the group membership checks, and the resource
 * count the bounds rule uses against the real synthesized count.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeApp, buildApp } from '../../src/stacks/app';
import { stackResourceCount, shardOf } from '../../src/plan/shards';
import type { OrgPlan } from '../../src/plan/types';
import { compiled, variant, CONFIG_DIR } from '../fixtures/deploy';
import type { TerraformStack } from 'cdktf';

/* eslint-disable @typescript-eslint/no-explicit-any */
const KEY_IDS: Record<string, string> = { alice: 'AKIAAAAAAAAAAAAAAAAA', dave: 'AKIADDDDDDDDDDDDDDDD', frank: 'AKIAFFFFFFFFFFFFFFFF' };
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

function sharded(peopleShards: unknown): OrgPlan {
  return compiled(
    variant((org) => {
      org.organization.peopleShards = peopleShards;
      for (const [person, id] of Object.entries(KEY_IDS)) org.people[person].accessKeyId = id;
    }),
  );
}

const dirs: string[] = [];
/** Synthesized stacks per plan (the plan's JSON): several cases read the same plan's stacks; each gets its own copy. */
const synthesized = new Map<string, Record<string, any>>();
function synthAll(plan: OrgPlan): Record<string, any> {
  const key = JSON.stringify(plan);
  const done = synthesized.get(key);
  if (done) return structuredClone(done);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-shards-'));
  dirs.push(dir);
  synthesizeApp(plan, dir);
  const out: Record<string, any> = {};
  for (const s of fs.readdirSync(path.join(dir, 'stacks'))) {
    out[s] = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
  }
  synthesized.set(key, structuredClone(out));
  return out;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const resources = (json: any): Array<[string, string, any]> =>
  Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as object).map(([name, r]): [string, string, any] => [type, name, r]),
  );
const addresses = (json: any) => resources(json).map(([type, name]) => `${type}.${name}`);

describe('sharded stacks', () => {
  const plan = sharded(3);
  const stacks = synthAll(plan);

  it('the identity stack keeps groups, policies, roles and the password policy, and no person or member list', () => {
    const types = new Set(resources(stacks.master).map(([t]) => t));
    expect(types.has('aws_iam_group')).toBe(true);
    expect(types.has('aws_iam_account_password_policy')).toBe(true);
    expect(types.has('aws_iam_role')).toBe(true);
    for (const t of ['aws_iam_user', 'aws_iam_group_membership', 'aws_iam_user_group_membership', 'aws_iam_access_key']) {
      expect([t, types.has(t)]).toEqual([t, false]);
    }
    expect(stacks.master.removed).toBeUndefined();
  });

  it("each shard holds its people, each person's memberships by group name, and their addresses are the identity stack's", () => {
    const unsharded = synthAll(compiled(variant(() => {})));
    for (const person of PEOPLE) {
      const shard = stacks[`people-${shardOf(person, 3)}`];
      const mine = addresses(shard).filter((a) => a.includes(`user-${person}`));
      const before = addresses(unsharded.master).filter((a) => a.includes(`user-${person}`));
      // Same addresses, plus the per-person membership (the legacy address the identity stack forgets).
      expect(mine.filter((a) => !a.startsWith('aws_iam_user_group_membership.')).sort()).toEqual(before.sort());
      const membership = resources(shard).find(([t, n]) => t === 'aws_iam_user_group_membership' && n.startsWith(`user-${person}_`))!;
      expect(membership[2].groups).toEqual(plan.stacks.flatMap((s) => s.users).find((u) => u.key === person)!.groups);
      expect(membership[2].user).toBe(`\${aws_iam_user.user-${person}.name}`);
    }
    // Unsharded, the access key is rendered exactly as before (no lifecycle); sharded it ignores pgp_key.
    const key = (json: any) => resources(json).find(([t, n]) => t === 'aws_iam_access_key' && n.startsWith('user-alice_'))![2];
    expect(key(unsharded.master).lifecycle).toBeUndefined();
    expect(key(stacks[`people-${shardOf('alice', 3)}`]).lifecycle).toEqual({ ignore_changes: ['pgp_key'] });
  });

  it('no check blocks by default: their reads would make every shard plan exit 2 under -detailed-exitcode', () => {
    for (const id of ['people-0', 'people-1', 'people-2']) {
      expect([id, stacks[id].check, stacks[id].data]).toEqual([id, undefined, undefined]);
      expect(plan.stacks.find((s) => s.id === id)!.shard!.groups).toEqual([]);
    }
  });

  it('checkGroupMembers: each shard checks every rolecall group for members the org file does not put there, by the same hash', () => {
    const shard = synthAll(sharded({ count: 3, checkGroupMembers: true }))['people-1'];
    expect(Object.keys(shard.check).sort()).toEqual(
      ['RequireMFA', 'auditors', 'developers', 'network', 'operations'].map((g) => `group-${g}-members`),
    );
    const check = shard.check['group-developers-members'];
    expect(check.data).toEqual({ aws_iam_group: { 'group-developers': { group_name: 'developers' } } });
    const members = PEOPLE.filter((p) => shardOf(p, 3) === 1 && ['bob', 'dave'].includes(p));
    expect(check.assert[0].condition).toBe(
      `\${length([for u in data.aws_iam_group.group-developers.users : u.user_name if parseint(substr(md5(u.user_name), 0, 8), 16) % 3 == 1 && !contains(${JSON.stringify(members)}, u.user_name)]) == 0}`,
    );
  });

  it('shards depend on the identity stack (cdktf deploy applies it first)', () => {
    const app = buildApp(plan, fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-shards-app-')));
    const byId = new Map(app.node.children.map((c) => [c.node.id, c as TerraformStack]));
    expect(byId.get('people-0')!.dependencies.map((d) => d.node.id)).toEqual(['master']);
    expect(byId.get('account-production')!.dependencies).toEqual([]);
  });

  it('counts the resources every stack renders, as the bounds rule does', () => {
    for (const p of [plan, compiled(variant(() => {})), sharded({ count: 2, previousCount: 3 })]) {
      const json = synthAll(p);
      for (const s of p.stacks) expect([s.id, stackResourceCount(s)]).toEqual([s.id, resources(json[s.id]).length]);
    }
    const large = compiled(fs.readFileSync(path.join(CONFIG_DIR, 'org-large-company.yaml'), 'utf8'));
    const json = synthAll(large);
    for (const s of large.stacks) expect([s.id, stackResourceCount(s)]).toEqual([s.id, resources(json[s.id]).length]);
  });
});

describe('a move, as synthesized', () => {
  it('turning sharding on: master forgets (never destroys) people and member lists; shards import them by name, membership and key id', () => {
    const plan = sharded({ count: 3, previousCount: 1 });
    const stacks = synthAll(plan);
    const removed: Array<{ from: string; lifecycle: { destroy: boolean } }> = stacks.master.removed;
    for (const r of removed) expect(r.lifecycle).toEqual({ destroy: false });
    const from = removed.map((r) => r.from);
    expect(from).toContain('aws_iam_user.user-alice');
    expect(from.filter((f) => f.startsWith('aws_iam_group_membership.')).length).toBe(5);
    expect(from.filter((f) => f.startsWith('aws_iam_access_key.')).length).toBe(3);
    expect(from.filter((f) => f.startsWith('aws_iam_user_login_profile.')).length).toBe(5);
    expect(new Set(from).size).toBe(from.length);

    const all = Object.values(stacks).flatMap((s: any) => (s.import ?? []) as Array<{ to: string; id: string }>);
    // Every forgotten person resource is imported somewhere, at the same address.
    const personFrom = from.filter((f) => !f.startsWith('aws_iam_group_membership.'));
    expect(all.map((i) => i.to).sort()).toEqual(personFrom.sort());
    const aliceShard = stacks[`people-${shardOf('alice', 3)}`];
    const ids = Object.fromEntries(
      (aliceShard.import as any[]).filter((i) => i.to.includes('user-alice')).map((i) => [i.to.split('.')[0], i.id]),
    );
    expect(ids).toEqual({
      aws_iam_user: 'alice',
      aws_iam_user_policy_attachments_exclusive: 'alice',
      aws_iam_user_policies_exclusive: 'alice',
      aws_iam_user_login_profile: 'alice',
      aws_iam_access_key: 'AKIAAAAAAAAAAAAAAAAA',
      aws_iam_user_group_membership: 'alice/RequireMFA/operations',
    });
    // Import only: an imported user's force_destroy reads false, so a moving user ignores it (no `~ force_destroy`);
    // once the move is done (previousCount dropped) the user renders as any other again.
    expect(aliceShard.resource.aws_iam_user['user-alice'].lifecycle).toEqual({ ignore_changes: ['force_destroy'] });
    expect(aliceShard.resource.aws_iam_user['user-alice'].force_destroy).toBe(true);
    const after = synthAll(sharded(3))[`people-${shardOf('alice', 3)}`];
    expect(after.resource.aws_iam_user['user-alice'].lifecycle).toBeUndefined();
  });

  it("a time-bound membership's own policy and attachment move too: forgotten in master, imported by ARN and user/ARN (gap 4)", () => {
    const UNTIL = '2026-12-10T18:00:00Z';
    const timeBound = (peopleShards: unknown) =>
      compiled(
        variant((org) => {
          org.organization.peopleShards = peopleShards;
          for (const [person, id] of Object.entries(KEY_IDS)) org.people[person].accessKeyId = id;
          org.people.bob.functions = ['developers', { name: 'auditors', until: UNTIL }];
        }),
      );
    const plan = timeBound({ count: 3, previousCount: 1 });
    const stacks = synthAll(plan);
    const from: string[] = stacks.master.removed.map((r: any) => r.from);
    const bobShard = stacks[`people-${shardOf('bob', 3)}`];
    const policyAddress = addresses(bobShard).find((a) => a.startsWith('aws_iam_policy.user-bob_policy-bob-auditors-until-1'))!;
    const attachAddress = addresses(bobShard).find((a) =>
      a.startsWith('aws_iam_user_policy_attachment.user-bob_attach-bob-auditors-until-1'),
    )!;
    expect(policyAddress).toBeDefined();
    expect(attachAddress).toBeDefined();
    // The old stack forgets them (no destroy, no create-before-destroy gap in access)...
    expect(from).toContain(policyAddress);
    expect(from).toContain(attachAddress);
    // ... and the new one imports them at the same addresses: nothing of bob's is created.
    const ARN = 'arn:aws:iam::111111111111:policy/bob-auditors-until-1';
    const imports = Object.fromEntries((bobShard.import as any[]).map((i) => [i.to, i.id]));
    expect(imports[policyAddress]).toBe(ARN);
    expect(imports[attachAddress]).toBe(`bob/${ARN}`);
    // Every forgotten person resource is still imported somewhere.
    const all = Object.values(stacks).flatMap((s: any) => (s.import ?? []) as Array<{ to: string }>);
    expect(all.map((i) => i.to).sort()).toEqual(from.filter((f) => !f.startsWith('aws_iam_group_membership.')).sort());
    // The bounds rule counts them.
    for (const s of plan.stacks) expect([s.id, stackResourceCount(s)]).toEqual([s.id, resources(stacks[s.id]).length]);
    // Once the move is done, no import is left.
    expect(synthAll(timeBound(3))[`people-${shardOf('bob', 3)}`].import).toBeUndefined();
  });

  it('shrinking: a shard the new count drops stays, with only removed blocks', () => {
    const stacks = synthAll(sharded({ count: 2, previousCount: 3 }));
    expect(resources(stacks['people-2'])).toEqual([]);
    expect(stacks['people-2'].check).toBeUndefined();
    const leaving = PEOPLE.filter((p) => shardOf(p, 3) === 2);
    const from = (stacks['people-2'].removed ?? []).map((r: any) => r.from);
    for (const p of leaving) expect(from).toContain(`aws_iam_user.user-${p}`);
    for (const r of stacks['people-2'].removed ?? []) expect(r.lifecycle.destroy).toBe(false);
  });
});

describe('synth refuses a count change without previousCount', () => {
  it('compares with the count the identity stack was last synthesized with (absent = 1)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unannouncedPeopleMove } = require('../../src/cli/synth') as typeof import('../../src/cli/synth');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-shards-guard-'));
    dirs.push(dir);
    const unsharded = compiled(variant(() => {}));
    expect(unannouncedPeopleMove(unsharded, dir)).toBeUndefined(); // nothing synthesized yet
    synthesizeApp(unsharded, dir);
    expect(unannouncedPeopleMove(sharded(3), dir)).toMatch(
      /synthesized with organization\.peopleShards 1 \(people in the identity stack\), and the file now says 3 without previousCount: .*\{ count: 3, previousCount: 1 \}/,
    );
    expect(unannouncedPeopleMove(sharded({ count: 3, previousCount: 1 }), dir)).toBeUndefined();
    synthesizeApp(sharded({ count: 3, previousCount: 1 }), dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'master', 'cdk.tf.json'), 'utf8')).locals).toEqual({
      rolecall_people_shards: 3,
    });
    expect(unannouncedPeopleMove(sharded(3), dir)).toBeUndefined(); // previousCount dropped after the move
    expect(unannouncedPeopleMove(sharded(4), dir)).toMatch(/peopleShards 3, and the file now says 4 without previousCount/);
    expect(unannouncedPeopleMove(sharded({ count: 4, previousCount: 2 }), dir)).toMatch(/now says 4 with previousCount 2/);
    expect(unannouncedPeopleMove(unsharded, dir)).toMatch(/peopleShards 3, and the file now says 1 without previousCount/);
  });
});

/**
 * Lifecycle 4, shards: people moved between stacks with real applies
 * against the emulator, on test/fixtures/lifecycle/tiny.yaml (alice: console
 * and key, bob: console, dave: key). Unsharded -> 3 shards (previousCount 1)
 * -> 2 shards (previousCount 3, a shrink: alice moves, bob and dave stay)
 * -> back to the identity stack (count 1, previousCount 2) -> peopleShards
 * off. Each move: the stacks people leave are applied first (they only
 * forget), then the stacks they join (they only import); then previousCount
 * goes and every plan converges (the moved users' force_destroy, recorded
 * without a call to AWS). Throughout, every person keeps their user id,
 * login profile, access key id and memberships, read back from IAM.
 *
 * The suite's checks shown red on broken input: a count change without
 * previousCount (the plans destroy and create people: movesOnly fails), and,
 * applied at the end, that change really replaces the people (keptIdentity
 * fails).
 *
 * Emulator gap met: ListServiceSpecificCredentials (the last case destroys
 * force_destroy users; emulator.ts GAPS).
 */
import * as fs from 'fs';
import * as path from 'path';
import { shardOf } from '../../src/plan/shards';
import { emulatorOrSkip, GAPS } from '../helpers/emulator';
import { Estate, notConverged, type Changes, type StackPlan } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';

const run = emulatorOrSkip('lifecycle shards suite') ? describe : describe.skip;
const TINY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lifecycle', 'tiny.yaml'), 'utf8');
const MASTER = '111111111111';
const PEOPLE = ['alice', 'bob', 'dave'];

/* eslint-disable @typescript-eslint/no-explicit-any -- boto3 output */
type Snapshot = Record<string, any>;

/** tiny.yaml with organization.peopleShards (absent: undefined) and each key holder's accessKeyId. */
function sharded(shards: string | undefined, keyIds: Record<string, string>): string {
  let text = TINY;
  for (const [person, id] of Object.entries(keyIds)) {
    text = text.replace(new RegExp(`(^  ${person}:\\n(?:    .*\\n)*?    accessKey: true\\n)`, 'm'), `$1    accessKeyId: ${id}\n`);
  }
  if (shards !== undefined) text = text.replace('  master: master\n', `  master: master\n  peopleShards: ${shards}\n`);
  return text;
}

/**
 * What a move's plans do beyond moving: any destroy, and any create of a
 * person's user, login profile or access key (a move forgets and imports).
 * Empty for a move done right.
 */
function movesOnly(plans: Record<string, Changes>): string[] {
  const out: string[] = [];
  for (const [stack, changes] of Object.entries(plans)) {
    for (const [address, actions] of Object.entries(changes)) {
      const person = /^aws_iam_(user|user_login_profile|access_key)\.user-/.test(address);
      if (actions.split(',').includes('delete') || (person && actions.split(',')[0] === 'create'))
        out.push(`${stack}: ${actions} ${address}`);
    }
  }
  return out;
}

/** What changed of each person between two snapshots (user id, login profile, key ids, memberships). */
function keptIdentity(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const person of PEOPLE) {
    const [b, a] = [before[person], after[person]];
    if (a === null) {
      out.push(`${person}: gone`);
      continue;
    }
    for (const k of ['id', 'profile', 'keys', 'groups'] as const) {
      if (JSON.stringify(b[k]) !== JSON.stringify(a[k])) out.push(`${person}: ${k} ${JSON.stringify(b[k])} -> ${JSON.stringify(a[k])}`);
    }
  }
  return out;
}

run('lifecycle: shards', () => {
  let estate: Estate;
  let before: Snapshot;
  let keyIds: Record<string, string>;
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  const snapshot = async (): Promise<Snapshot> =>
    Object.fromEntries(await mapLimit(PEOPLE, 3, async (p) => [p, await estate.user(MASTER, p)] as const));
  const people = () => estate.plan.stacks.filter((s) => s.kind === 'people').map((s) => s.id);

  /** Applies `stacks` (plan and apply in one command), returns the plans' changes. */
  async function applyStacks(stacks: string[]): Promise<Record<string, Changes>> {
    const out: Record<string, Changes> = {};
    await mapLimit(stacks, 2, async (stack) => {
      out[stack] = (await estate.apply(stack)).changes;
    });
    return out;
  }

  /** One move: synth, the stacks people leave, then those they join; returns every plan's changes. */
  async function move(text: string, leaving: string[], joining: string[]): Promise<Record<string, Changes>> {
    estate.synth(text);
    return { ...(await applyStacks(leaving)), ...(await applyStacks(joining)) };
  }

  /** previousCount gone: every stack plans and applies (force_destroy only), then every plan is empty. */
  async function settle(text: string): Promise<{ settling: Record<string, Changes>; unconverged: string[] }> {
    estate.synth(text);
    const stacks = ['master', ...people()];
    const settling = await applyStacks(stacks);
    const again = await mapLimit(stacks, 2, async (s) => [s, await estate.planStack(s)] as [string, StackPlan]);
    return { settling, unconverged: again.flatMap(([s, p]) => notConverged(s, p) ?? []) };
  }

  /** Every change of `plans` that is not the moved users' force_destroy update. */
  function beyondForceDestroy(settling: Record<string, Changes>, moved: string[]): string[] {
    return Object.entries(settling).flatMap(([stack, changes]) =>
      Object.entries(changes)
        .filter(([address, actions]) => !(actions === 'update' && moved.some((p) => address === `aws_iam_user.user-${p}`)))
        .map(([address, actions]) => `${stack}: ${actions} ${address}`),
    );
  }

  it('unsharded: master applies; the suite check movesOnly goes red on a count change without previousCount', async () => {
    estate.synth(TINY);
    const { second } = await estate.converge('master');
    expect(notConverged('master', second)).toBeUndefined();
    before = await snapshot();
    keyIds = { alice: before.alice.keys[0], dave: before.dave.keys[0] };
    expect(before.alice).toMatchObject({ keys: [expect.stringMatching(/^AKIA/)], groups: ['RequireMFA', 'operations'] });
    expect(before.bob.profile).not.toBeNull();

    // Broken input: 3 shards without previousCount. The plans destroy every person in master and create them again.
    estate.synth(sharded('3', keyIds));
    const broken = Object.fromEntries(
      await mapLimit(['master', ...people()], 2, async (s) => [s, (await estate.planStack(s)).changes] as const),
    );
    const failures = movesOnly(broken);
    for (const p of PEOPLE) expect(failures).toContain(`master: delete aws_iam_user.user-${p}`);
    expect(failures).toContain(`people-${shardOf('alice', 3)}: create aws_iam_user.user-alice`);
  }, 1800000);

  it('unsharded -> 3 shards (previousCount 1): master forgets, the shards import; every person keeps ids, profile, key and groups', async () => {
    const joining = ['people-0', 'people-1', 'people-2'];
    const plans = await move(sharded('{ count: 3, previousCount: 1 }', keyIds), ['master'], joining);
    expect(people()).toEqual(joining);
    expect(movesOnly(plans)).toEqual([]);
    // The people leave master (forgotten, with the groups' member lists); each joins the shard its name hashes to.
    const forgotten = Object.entries(plans.master).filter(([, a]) => a === 'forget');
    expect(Object.values(plans.master).filter((a) => a !== 'forget')).toEqual([]);
    for (const p of PEOPLE) {
      expect(forgotten.some(([addr]) => addr === `aws_iam_user.user-${p}`)).toBe(true);
      expect(plans[`people-${shardOf(p, 3)}`][`aws_iam_user.user-${p}`]).toMatch(/^import/);
    }
    expect(keptIdentity(before, await snapshot())).toEqual([]);
    const { settling, unconverged } = await settle(sharded('3', keyIds));
    expect(beyondForceDestroy(settling, PEOPLE)).toEqual([]);
    expect(unconverged).toEqual([]);
    expect(keptIdentity(before, await snapshot())).toEqual([]);
  }, 1800000);

  it('3 -> 2 shards (previousCount 3), a shrink: the stack alice leaves is applied first, then the one she joins; people-2 goes', async () => {
    const [from, to] = [`people-${shardOf('alice', 3)}`, `people-${shardOf('alice', 2)}`];
    expect([from, to, shardOf('bob', 3) === shardOf('bob', 2), shardOf('dave', 3) === shardOf('dave', 2)]).toEqual([
      'people-2',
      'people-0',
      true,
      true,
    ]);
    const plans = await move(sharded('{ count: 2, previousCount: 3 }', keyIds), [from], [to, 'people-1']);
    expect(movesOnly(plans)).toEqual([]);
    expect(Object.values(plans[from]).every((a) => a === 'forget')).toBe(true);
    expect(plans[to]['aws_iam_user.user-alice']).toMatch(/^import/);
    // bob and dave do not move: their shards plan nothing for them.
    expect(Object.keys(plans[to]).filter((a) => a.includes('user-bob'))).toEqual([]);
    expect(plans['people-1']).toEqual({});
    const { settling, unconverged } = await settle(sharded('2', keyIds));
    expect(people()).toEqual(['people-0', 'people-1']);
    expect(fs.existsSync(estate.dir('people-2'))).toBe(false);
    expect(beyondForceDestroy(settling, ['alice'])).toEqual([]);
    expect(unconverged).toEqual([]);
    expect(keptIdentity(before, await snapshot())).toEqual([]);
  }, 1800000);

  it('2 shards -> the identity stack (count 1, previousCount 2) -> peopleShards off: everyone back in master, same ids', async () => {
    const plans = await move(sharded('{ count: 1, previousCount: 2 }', keyIds), ['people-0', 'people-1'], ['master']);
    expect(movesOnly(plans)).toEqual([]);
    for (const p of PEOPLE) expect(plans.master[`aws_iam_user.user-${p}`]).toMatch(/^import/);
    expect(keptIdentity(before, await snapshot())).toEqual([]);
    const { settling, unconverged } = await settle(sharded(undefined, keyIds));
    expect(people()).toEqual([]);
    expect(beyondForceDestroy(settling, PEOPLE)).toEqual([]);
    expect(unconverged).toEqual([]);
    expect(keptIdentity(before, await snapshot())).toEqual([]);
  }, 1800000);

  it(`the suite check keptIdentity goes red: the count change without previousCount, applied, replaces people (gap: ListServiceSpecificCredentials, ${GAPS.ListServiceSpecificCredentials})`, async () => {
    estate.synth(sharded('2', keyIds));
    await applyStacks(['master']);
    await applyStacks(people());
    expect(estate.em.gapsMet.has('ListServiceSpecificCredentials')).toBe(true);
    const changed = keptIdentity(before, await snapshot());
    for (const p of PEOPLE) expect(changed).toContainEqual(expect.stringMatching(new RegExp(`^${p}: id `)));
  }, 1800000);
});

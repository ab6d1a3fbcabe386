/**
 * The access diff across a shard move: nobody's access changes, and the
 * diff says which people move between which stacks (and which stacks come
 * or go), so a reviewer expects the plans' forgets and imports.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { compileOrgText } from '../../src/plan/compile';
import { diffEffectiveAccess, renderEffectiveDiff, type DiffSide } from '../../src/report/access-diff';
import { shardOf } from '../../src/plan/shards';
import { variant } from '../fixtures/deploy';

const side = (peopleShards?: unknown): DiffSide => {
  const text = variant((org) => {
    if (peopleShards !== undefined) org.organization.peopleShards = peopleShards;
    for (const [p, id] of Object.entries({ alice: 'AKIAAAAAAAAAAAAAAAAA', dave: 'AKIADDDDDDDDDDDDDDDD', frank: 'AKIAFFFFFFFFFFFFFFFF' })) {
      org.people[p].accessKeyId = id;
    }
  });
  const result = compileOrgText(text, 'org.yaml');
  if (!result.ok) throw new Error('does not compile');
  return { model: result.model, plan: result.plan, matrix: result.matrix };
};

test('turning sharding on: no access change; the stacks added and every person moving from master', () => {
  const diff = diffEffectiveAccess(side(), side({ count: 2, previousCount: 1 }));
  expect(diff.people).toEqual([]);
  expect(diff.stacks).toEqual({ added: ['people-0', 'people-1'], removed: [] });
  const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
  expect(diff.peopleMoves).toEqual(
    [0, 1]
      .map((i) => ({ from: 'master', to: `people-${i}`, people: people.filter((p) => shardOf(p, 2) === i) }))
      .filter((m) => m.people.length > 0),
  );
  const text = renderEffectiveDiff(diff, 'main');
  expect(text).toContain('Stacks:\n  + people-0\n  + people-1\n');
  expect(text).toMatch(/ {2}~ \d people? moves? from master to people-[01] \(removed \+ import\): /);
});

test('no move, no line', () => {
  expect(diffEffectiveAccess(side(3), side(3)).peopleMoves).toEqual([]);
  expect(renderEffectiveDiff(diffEffectiveAccess(side(3), side(3)), 'main')).toBe('No access changes against main.');
});

test('config/org.yaml turning on 2 shards: the lines docs/reviewing-changes.md shows', () => {
  const text = renderEffectiveDiff(diffEffectiveAccess(side(), side({ count: 2, previousCount: 1 })), 'main');
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'reviewing-changes.md'), 'utf8');
  const lines = text.split('\n').filter((l) => l.startsWith('  ~ ') || l.startsWith('  + people'));
  expect(lines.length).toBe(4);
  for (const line of lines) expect(doc).toContain(line);
});

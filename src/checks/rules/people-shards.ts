import { errorAt, type Diagnostic, type KeyPath } from '../../model/diagnostics';
import type { Model } from '../../model/model';
import {
  PEOPLE_STACK_RESOURCES_TARGET,
  STACK_RESOURCES_MAX,
  movedKeyWithoutId,
  peopleShards,
  peopleStackLarge,
  stackResourceCount,
  stackTooLarge,
} from '../../plan/shards';
import type { OrgPlan, StackPlan } from '../../plan/types';
import type { Rule } from '../rule';

/**
 * Stacks stay small enough to plan (organization.peopleShards), and a move
 * between people stacks can import everything it forgets:
 * - RC410 (notice): a people stack over ~500 resources; its plans slow down
 *   (every plan refreshes each resource against IAM's rate limits).
 * - RC411 (error): any stack over 1,000 resources.
 * - RC613 (error): a person with an access key moves between stacks without
 *   people.<key>.accessKeyId: Terraform imports an access key only by its id,
 *   and without the import the new stack would create a second key.
 */
export const peopleShardsRule: Rule = {
  id: 'people-shards',
  title: 'Every stack stays plannable; people move between stacks only by import',
  needs: 'plan',
  codes: ['RC410', 'RC411', 'RC613'],
  check: ({ model, plan }) => [...stackSizes(model, plan), ...movedAccessKeys(model, plan)],
};

/** A count that keeps every people stack near `PEOPLE_STACK_RESOURCES_TARGET` resources, with room to grow. */
export function suggestedShardCount(peopleResources: number): number {
  return Math.max(2, Math.ceil((peopleResources * 1.5) / PEOPLE_STACK_RESOURCES_TARGET));
}

function stackSizes(model: Model, plan: OrgPlan): Diagnostic[] {
  const found: Diagnostic[] = [];
  const shards = peopleShards(model.org);
  const shardsPath: KeyPath = model.org.organization.peopleShards !== undefined ? ['organization', 'peopleShards'] : ['people'];
  // Resources people would need, wherever they are: the basis of the suggested count.
  const peopleResources = plan.stacks
    .filter((s) => s.users.length > 0)
    .reduce(
      (n, s) =>
        n + stackResourceCount({ ...s, membership: 'per-user', groups: [], roles: [], passwordPolicy: undefined, alias: undefined }),
      0,
    );
  const raise = (): string => {
    const count = Math.max(suggestedShardCount(peopleResources), shards.count + 1);
    return `set organization.peopleShards to { count: ${count}, previousCount: ${shards.count} }, apply the stacks people leave, then the ones they join, then drop previousCount (docs/org-file.md#people-shards)`;
  };
  // People shards are reported together (one line, the largest first): 80 shards over the target are one fix.
  const over = (limit: number) =>
    plan.stacks
      .filter((s) => s.kind === 'people')
      .map((s) => ({ id: s.id, count: stackResourceCount(s) }))
      .filter((s) => s.count > limit)
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  const tooLarge = over(STACK_RESOURCES_MAX);
  const large = over(PEOPLE_STACK_RESOURCES_TARGET);
  if (tooLarge.length > 0) {
    found.push(errorAt(model, shardsPath, stackTooLarge(stackList(tooLarge), tooLarge[0].count, raise())));
  } else if (large.length > 0) {
    found.push({ ...errorAt(model, shardsPath, peopleStackLarge(stackList(large), large[0].count, raise())), severity: 'notice' });
  }
  for (const stack of plan.stacks) {
    if (stack.kind === 'people') continue;
    const count = stackResourceCount(stack);
    if (count <= STACK_RESOURCES_MAX) continue;
    const holdsPeople = stack.users.length > 0;
    found.push(errorAt(model, holdsPeople ? shardsPath : where(stack), stackTooLarge(stack.id, count, holdsPeople ? raise() : undefined)));
  }
  return found;
}

/** `people-3` or `people-3 and 11 more people stacks`: the largest names the figure. */
function stackList(stacks: Array<{ id: string }>): string {
  return stacks.length === 1
    ? stacks[0].id
    : `${stacks[0].id} (and ${stacks.length - 1} more people stack${stacks.length === 2 ? '' : 's'})`;
}

function where(stack: StackPlan): KeyPath {
  return stack.kind === 'account' ? ['accounts', stack.account.name] : ['organization', 'identity'];
}

function movedAccessKeys(model: Model, plan: OrgPlan): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const stack of plan.stacks) {
    for (const user of stack.users) {
      if (user.movedFrom === undefined || !user.accessKey || user.accessKeyId !== undefined) continue;
      found.push(errorAt(model, ['people', user.key, 'accessKey'], movedKeyWithoutId(user.key, user.movedFrom, stack.id)));
    }
  }
  return found;
}

/**
 * What the stack-size rules (RC410, RC411) share: where organization.peopleShards
 * is in the file, the people stacks over a bound, and the fix that raises the
 * shard count safely (with previousCount, so people move by removed/import).
 */
import type { KeyPath } from '../model/diagnostics';
import type { Model } from '../model/model';
import { peopleShards, stackResourceCount } from '../plan/shards';
import { PEOPLE_STACK_RESOURCES_TARGET } from '../plan/shards';
import type { OrgPlan } from '../plan/types';

/** organization.peopleShards when the file sets it, else the people section (where adding it helps). */
export function shardsPath(model: Model): KeyPath {
  return model.org.organization.peopleShards !== undefined ? ['organization', 'peopleShards'] : ['people'];
}

/** A count that keeps every people stack near `PEOPLE_STACK_RESOURCES_TARGET` resources, with room to grow. */
export function suggestedShardCount(peopleResources: number): number {
  return Math.max(2, Math.ceil((peopleResources * 1.5) / PEOPLE_STACK_RESOURCES_TARGET));
}

/** The fix for a stack that holds too many people: a larger count, moving people by import. */
export function raiseShardCount(model: Model, plan: OrgPlan): string {
  const shards = peopleShards(model.org);
  // Resources people would need, wherever they are: the basis of the suggested count.
  const peopleResources = plan.stacks
    .filter((s) => s.users.length > 0)
    .reduce(
      (n, s) =>
        n +
        stackResourceCount({
          ...s,
          membership: 'per-user',
          groups: [],
          roles: [],
          passwordPolicy: undefined,
          alias: undefined,
          identityCenter: undefined,
        }),
      0,
    );
  const count = Math.max(suggestedShardCount(peopleResources), shards.count + 1);
  return `set organization.peopleShards to { count: ${count}, previousCount: ${shards.count} }, apply the stacks people leave, then the ones they join, then drop previousCount (docs/org-file.md#people-shards)`;
}

/** People stacks (`people-<i>`) over `limit` resources, the largest first. */
export function overBound(plan: OrgPlan, limit: number): Array<{ id: string; count: number }> {
  return plan.stacks
    .filter((s) => s.kind === 'people')
    .map((s) => ({ id: s.id, count: stackResourceCount(s) }))
    .filter((s) => s.count > limit)
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

/** `people-3` or `people-3 (and 11 more people stacks)`: the largest names the figure. */
export function stackList(stacks: Array<{ id: string }>): string {
  return stacks.length === 1
    ? stacks[0].id
    : `${stacks[0].id} (and ${stacks.length - 1} more people stack${stacks.length === 2 ? '' : 's'})`;
}

import { errorAt, type Diagnostic, type KeyPath } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { identityCenterResourceCount, STACK_RESOURCES_MAX, stackResourceCount } from '../../plan/shards';
import type { StackPlan } from '../../plan/types';
import { overBound, raiseShardCount, shardsPath, stackList } from '../people-stacks';
import type { Rule } from '../rule';

export function stackTooLarge(stack: string, count: number, fix: string | undefined): Message {
  return {
    code: 'RC411',
    message: `stack ${stack} would hold ${count.toLocaleString('en-US')} resources, over rolecall's bound of ${STACK_RESOURCES_MAX.toLocaleString('en-US')}: its plans would take minutes and refresh every resource against IAM's rate limits`,
    expected: `at most ${STACK_RESOURCES_MAX.toLocaleString('en-US')} resources per stack`,
    fix: fix ?? 'grant fewer roles in this account, or split the permission sets it attaches',
  };
}

/**
 * Identity Center's part cannot be sharded: an assignment names its permission set's ARN and its
 * group's id, both AWS's, and a membership names the group's and the user's: a stack apart would
 * have to look them up (stacks never read each other's state, plans work offline). So a stack whose
 * Identity Center part is over the bound is refused, with what to take out of it.
 */
export function identityCenterTooLarge(
  stack: string,
  count: number,
  parts: ReturnType<typeof identityCenterResourceCount>,
  external: boolean,
): Message {
  const ways = [
    external
      ? undefined
      : `name the groups of an external IdP in organization.identityCenter.groups (its SCIM provisioning then holds the ${parts.people.toLocaleString('en-US')} group, user and membership resources)`,
    'grant fewer functions x accounts x roles (each is one account assignment) and fewer distinct roles and permission sets (each is a permission set with its policies)',
  ].filter((x): x is string => x !== undefined);
  return {
    code: 'RC411',
    message: `stack ${stack} would hold ${count.toLocaleString('en-US')} resources, over rolecall's bound of ${STACK_RESOURCES_MAX.toLocaleString('en-US')}, ${parts.total.toLocaleString('en-US')} of them Identity Center's (${parts.people.toLocaleString('en-US')} groups, users and memberships, ${parts.permissionSets.toLocaleString('en-US')} for permission sets and their policies, ${parts.assignments.toLocaleString('en-US')} account assignments): its plans would take minutes against Identity Center's rate limits, and these cannot be split into other stacks without look-ups`,
    expected: `at most ${STACK_RESOURCES_MAX.toLocaleString('en-US')} resources per stack`,
    fix: ways.join('; or '),
  };
}

function where(stack: StackPlan): KeyPath {
  return stack.kind === 'account' ? ['accounts', stack.account.name] : ['organization', 'identity'];
}

/**
 * Every stack stays plannable: at most 1,000 resources. People stacks over
 * the bound are one error (one fix: a larger organization.peopleShards); the
 * stack holding people unsharded, or an account stack, each its own.
 */
export const rule: Rule<'plan'> = {
  id: 'stack-resource-limit',
  code: 'RC411',
  title: 'Every stack holds at most 1,000 resources, so it can be planned',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const found: Diagnostic[] = [];
    const tooLarge = overBound(plan, STACK_RESOURCES_MAX);
    if (tooLarge.length > 0) {
      found.push(errorAt(model, shardsPath(model), stackTooLarge(stackList(tooLarge), tooLarge[0].count, raiseShardCount(model, plan))));
    }
    for (const stack of plan.stacks) {
      if (stack.kind === 'people') continue;
      const count = stackResourceCount(stack);
      if (count <= STACK_RESOURCES_MAX) continue;
      if (stack.identityCenter) {
        const parts = identityCenterResourceCount(stack.identityCenter);
        // Over the bound because of Identity Center: said where it is configured, with its own fix.
        if (count - parts.total <= STACK_RESOURCES_MAX) {
          const external = stack.identityCenter.groups.some((g) => g.externalId !== undefined);
          found.push(errorAt(model, ['organization', 'identityCenter'], identityCenterTooLarge(stack.id, count, parts, external)));
          continue;
        }
      }
      const holdsPeople = stack.users.length > 0;
      const m = stackTooLarge(stack.id, count, holdsPeople ? raiseShardCount(model, plan) : undefined);
      found.push(errorAt(model, holdsPeople ? shardsPath(model) : where(stack), m));
    }
    return found;
  },
};

import { errorAt, type Diagnostic, type KeyPath } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { STACK_RESOURCES_MAX, stackResourceCount } from '../../plan/shards';
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
      const holdsPeople = stack.users.length > 0;
      const m = stackTooLarge(stack.id, count, holdsPeople ? raiseShardCount(model, plan) : undefined);
      found.push(errorAt(model, holdsPeople ? shardsPath(model) : where(stack), m));
    }
    return found;
  },
};

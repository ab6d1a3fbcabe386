import { noticeAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { PEOPLE_STACK_RESOURCES_TARGET, STACK_RESOURCES_MAX } from '../../plan/shards';
import { overBound, raiseShardCount, shardsPath, stackList } from '../people-stacks';
import type { Rule } from '../rule';

export function peopleStackLarge(stack: string, count: number, fix: string): Message {
  return {
    code: 'RC410',
    message: `people stack ${stack} would hold ${count.toLocaleString('en-US')} resources, more than the ~${PEOPLE_STACK_RESOURCES_TARGET} that keep a person's change quick to plan`,
    expected: `at most about ${PEOPLE_STACK_RESOURCES_TARGET} resources per people stack`,
    fix,
  };
}

/**
 * A people stack over ~500 resources still works, but every plan of it
 * refreshes each resource against IAM's rate limits. One notice for all
 * such stacks (80 shards over the target are one fix), naming the largest;
 * stacks over the hard bound are RC411's.
 */
export const rule: Rule<'plan'> = {
  id: 'people-stack-size',
  code: 'RC410',
  title: 'People stacks stay near ~500 resources, so a change to a person plans quickly',
  needs: ['plan'],
  check: ({ model, plan }) => {
    if (overBound(plan, STACK_RESOURCES_MAX).length > 0) return []; // RC411 says it, with the same fix
    const large = overBound(plan, PEOPLE_STACK_RESOURCES_TARGET);
    if (large.length === 0) return [];
    const m = peopleStackLarge(stackList(large), large[0].count, raiseShardCount(model, plan));
    return [noticeAt(model, shardsPath(model), m)];
  },
};

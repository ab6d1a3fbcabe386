/** A notice for each group deploy.adopt imports (rc609 says why these are notices). */
import { noticeAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { StackPlan } from '../../plan/types';
import type { Rule } from '../rule';

function accountLabel(stack: StackPlan): string {
  return `${stack.account.name} (${stack.account.id})`;
}

export function adoptGroupNotice(group: string, account: string, stack: string): Message {
  return {
    code: 'RC610',
    message: `the existing IAM group ${group} in ${account} is imported into stack ${stack} instead of being created: members added by hand stay until removed there`,
  };
}

export const rule: Rule<'plan'> = {
  id: 'adopted-group-notice',
  code: 'RC610',
  title: "Each adopted function's group is announced: the existing group is imported, not recreated",
  needs: ['plan'],
  check: ({ model, plan }) => {
    const adopt = model.org.deploy.adopt;
    const master = plan.stacks.find((s) => s.kind === 'master');
    if (!adopt || !master) return [];
    return adopt.groups.flatMap((fn, i) =>
      master.groups.some((g) => g.key === fn)
        ? [noticeAt(model, ['deploy', 'adopt', 'groups', i], adoptGroupNotice(fn, accountLabel(master), master.id))]
        : [],
    );
  },
};

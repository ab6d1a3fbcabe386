/** A notice for each role deploy.adopt imports, in each account (rc609 says why these are notices). */
import { noticeAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { StackPlan } from '../../plan/types';
import type { Rule } from '../rule';

function accountLabel(stack: StackPlan): string {
  return `${stack.account.name} (${stack.account.id})`;
}

export function adoptRoleNotice(role: string, account: string, stack: string): Message {
  return {
    code: 'RC611',
    message: `the existing IAM role ${role} in ${account} is imported into stack ${stack} instead of being created: the first apply replaces its trust policy, description and session duration with the file's, in place (same role id, resource policies naming it keep working)`,
  };
}

export const rule: Rule<'plan'> = {
  id: 'adopted-role-notice',
  code: 'RC611',
  title: 'Each adopted role is announced: the existing role is imported, not recreated',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const adopt = model.org.deploy.adopt;
    if (!adopt) return [];
    return Object.keys(adopt.roles)
      .sort()
      .flatMap((fn) =>
        plan.stacks.flatMap((stack) => {
          const role = stack.roles.find((r) => r.key === fn && r.adopt);
          return role ? [noticeAt(model, ['deploy', 'adopt', 'roles', fn], adoptRoleNotice(role.name, accountLabel(stack), stack.id))] : [];
        }),
      );
  },
};

/**
 * validate's notices for deploy.adopt: what is imported where, so nobody
 * fears a deleted MFA device. Notices: they never block the plan.
 */
import { noticeAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { StackPlan } from '../../plan/types';
import type { Rule } from '../rule';

function accountLabel(stack: StackPlan): string {
  return `${stack.account.name} (${stack.account.id})`;
}

export function adoptUserNotice(user: string, account: string, stack: string, console: boolean, accessKey: boolean): Message {
  const parts = [
    `the existing IAM user ${user} in ${account} is imported into stack ${stack} instead of being created: its MFA devices, password and access keys stay`,
  ];
  if (console)
    parts.push(
      'its console password (login profile) is imported too, not reset (the user must have one; for a user without, set console: false until adopted)',
    );
  if (accessKey)
    parts.push(
      'access keys it already has are kept; accessKey: true creates one more (IAM allows two per user), so set accessKey: false to keep only the existing ones',
    );
  return {
    code: 'RC609',
    message: parts.join('; '),
  };
}

export const rule: Rule<'plan'> = {
  id: 'adopted-user-notice',
  code: 'RC609',
  title: 'Each adopted person is announced: their existing user is imported, not recreated',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const adopt = model.org.deploy.adopt;
    const master = plan.stacks.find((s) => s.kind === 'master');
    if (!adopt || !master) return [];
    return adopt.people.flatMap((person, i) => {
      const user = master.users.find((u) => u.key === person);
      if (!user) return [];
      const m = adoptUserNotice(user.name, accountLabel(master), master.id, !!user.loginProfile, !!user.accessKey);
      return [noticeAt(model, ['deploy', 'adopt', 'people', i], m)];
    });
  },
};

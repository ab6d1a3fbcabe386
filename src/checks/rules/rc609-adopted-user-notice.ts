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

export function adoptUserNotice(
  user: string,
  account: string,
  stack: string,
  console: boolean,
  accessKey: boolean,
  accessKeyId?: string,
): Message {
  const parts = [
    `the existing IAM user ${user} in ${account} is imported into stack ${stack} instead of being created: its MFA devices, password and access keys stay`,
  ];
  if (console)
    parts.push(
      'its console password (login profile) is imported too, not reset (the user must have one; for a user without, set console: false until adopted)',
    );
  if (accessKey && accessKeyId !== undefined) parts.push(`its access key ${accessKeyId} (accessKeyId) is imported too, not replaced`);
  else if (accessKey)
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
    if (!adopt) return [];
    return adopt.people.flatMap((person, i) => {
      // The person's stack: the identity stack, or their people shard.
      const home = plan.stacks.find((s) => s.users.some((u) => u.key === person));
      const user = home?.users.find((u) => u.key === person);
      if (!home || !user) return [];
      const m = adoptUserNotice(user.name, accountLabel(home), home.id, !!user.loginProfile, !!user.accessKey, user.accessKeyId);
      return [noticeAt(model, ['deploy', 'adopt', 'people', i], m)];
    });
  },
};

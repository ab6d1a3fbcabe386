import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { overLimit } from '../../plan/policy-document';
import { groupsWithPath, quotaExceeded } from '../iam-quotas';
import type { Rule } from '../rule';

export function groupPolicyOverQuota(policy: string, size: number, limit: number): Message {
  return quotaExceeded('RC403', `policy "${policy}"`, size, limit, 'this is a rolecall bug: please report it');
}

/** The group's customer managed policies are split to fit; one over the quota is rolecall's bug. */
export const rule: Rule<'plan'> = {
  id: 'group-policy-size',
  code: 'RC403',
  title: "Each of a group's managed policies fits the IAM policy size quota",
  needs: ['plan'],
  check: ({ model, plan }) =>
    groupsWithPath(plan).flatMap(({ group, path }) =>
      group.policies.flatMap((policy) => {
        const size = overLimit(policy.document, IAM_QUOTAS.managedPolicyChars);
        if (size === undefined) return [];
        return [errorAt(model, path, groupPolicyOverQuota(policy.name, size, IAM_QUOTAS.managedPolicyChars))];
      }),
    ),
};

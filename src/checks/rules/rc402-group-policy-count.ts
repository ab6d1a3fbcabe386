import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { groupsWithPath, quotaExceeded } from '../iam-quotas';
import type { Rule } from '../rule';

/** A function's group needs more managed policies (of `policyChars` each) for its assume-role ARNs than IAM allows. */
export function groupPoliciesOverQuota(group: string, count: number, policyChars: number, limit: number): Message {
  return quotaExceeded(
    'RC402',
    `policies attached to group "${group}" (its assume-role ARNs fill ${count} policies of ${policyChars} characters)`,
    count,
    limit,
    'grant the function in fewer accounts, or split it into two functions',
  );
}

/** Customer managed parts and AWS managed identityPermissions share the group's attachment quota. */
export const rule: Rule<'plan'> = {
  id: 'group-policy-count',
  code: 'RC402',
  title: "A function's group needs no more managed policies than IAM attaches to a group",
  needs: ['plan'],
  check: ({ model, plan }) =>
    groupsWithPath(plan).flatMap(({ group, path }) => {
      const attached = group.policies.length + (group.managedPolicyArns ?? []).length;
      if (attached <= IAM_QUOTAS.managedPoliciesPerGroup) return [];
      const m = groupPoliciesOverQuota(group.name, attached, IAM_QUOTAS.managedPolicyChars, IAM_QUOTAS.managedPoliciesPerGroup);
      return [errorAt(model, [...path, 'access'], m)];
    }),
};

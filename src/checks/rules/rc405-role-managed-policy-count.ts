import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { distinctRoles, quotaExceeded, roleSource } from '../iam-quotas';
import type { Rule } from '../rule';

export function managedPoliciesOverQuota(role: string, account: string, count: number, limit: number): Message {
  return quotaExceeded(
    'RC405',
    `AWS managed policies on role "${role}" in account "${account}"`,
    count,
    limit,
    'grant fewer permission sets with `managed` policies in this account, or merge them',
  );
}

export const rule: Rule<'plan'> = {
  id: 'role-managed-policy-count',
  code: 'RC405',
  title: 'No role carries more AWS managed policies than IAM attaches to a role',
  needs: ['plan'],
  check: ({ model, plan }) =>
    distinctRoles(plan).flatMap(({ role, account }) => {
      const count = role.managedPolicyArns.length;
      if (count <= IAM_QUOTAS.managedPoliciesPerRole) return [];
      return [
        errorAt(
          model,
          [...roleSource(role), 'access'],
          managedPoliciesOverQuota(role.name, account, count, IAM_QUOTAS.managedPoliciesPerRole),
        ),
      ];
    }),
};

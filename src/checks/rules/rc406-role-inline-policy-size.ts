import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { overLimit } from '../../plan/policy-document';
import { distinctRoles, quotaExceeded, roleSource } from '../iam-quotas';
import type { Rule } from '../rule';

/** `permissionSets`: the keys of the role's inline policies, in order. */
export function inlinePoliciesOverQuota(
  role: string,
  account: string,
  permissionSets: readonly string[],
  size: number,
  limit: number,
): Message {
  return quotaExceeded(
    'RC406',
    `inline policies of role "${role}" in account "${account}" (permission sets ${permissionSets.join(', ')})`,
    size,
    limit,
    'shorten the statements (wildcards, fewer resources) or use AWS managed policies',
  );
}

/** IAM counts all inline policies of one role together against one quota. */
export const rule: Rule<'plan'> = {
  id: 'role-inline-policy-size',
  code: 'RC406',
  title: "A role's inline policies together fit the IAM quota",
  needs: ['plan'],
  check: ({ model, plan }) =>
    distinctRoles(plan).flatMap(({ role, account }) => {
      // IAM counts all inline policies of one role together.
      const size = overLimit(
        role.inlinePolicies.map((p) => p.document),
        IAM_QUOTAS.roleInlinePolicyChars,
      );
      if (size === undefined) return [];
      const keys = role.inlinePolicies.map((p) => p.key);
      return [
        errorAt(
          model,
          [...roleSource(role), 'access'],
          inlinePoliciesOverQuota(role.name, account, keys, size, IAM_QUOTAS.roleInlinePolicyChars),
        ),
      ];
    }),
};

import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { policyType } from '../../plan/organization';
import { largestStatement, overLimit } from '../../plan/policy-document';
import type { Rule } from '../rule';

/** What makes each statement of the member perimeter grow, and so what shrinks it. */
const FIXES: Record<string, string> = {
  DenyAssumeRoleFromOutsideTheOrganization: 'name fewer external principals (a whole account instead of many roles in it)',
  DenyWebIdentityFromOtherIssuers: 'name fewer CI roles of member accounts in functions.*.principals',
  DenyCognitoOutsideOptedInAccounts: 'opt fewer accounts in to cognitoIdentityPools',
};

export function rcpOverQuota(policy: string, size: number, limit: number, largest = 'DenyAssumeRoleFromOutsideTheOrganization'): Message {
  return {
    code: 'RC323',
    message: `resource control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}; its largest statement is ${largest}`,
    expected: `at most ${limit} characters`,
    fix: FIXES[largest] ?? FIXES.DenyAssumeRoleFromOutsideTheOrganization,
  };
}

/** The member perimeter grows with every external principal the file names (same quota as SCPs). */
export const rule: Rule<'plan'> = {
  id: 'rcp-size',
  code: 'RC323',
  title: 'Every resource control policy fits the AWS Organizations size quota',
  needs: ['plan'],
  check: ({ model, plan }) =>
    (plan.organizationStack?.policies ?? [])
      .filter((policy) => policyType(policy) === 'RESOURCE_CONTROL_POLICY')
      .flatMap((policy) => {
        const size = overLimit(policy.document, ORGANIZATIONS_QUOTAS.scpChars);
        if (size === undefined) return [];
        const largest = largestStatement(policy.document).name;
        return [errorAt(model, policy.source, rcpOverQuota(policy.name, size, ORGANIZATIONS_QUOTAS.scpChars, largest))];
      }),
};

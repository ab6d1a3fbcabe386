import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { policyType } from '../../plan/organization';
import { policySize } from '../../plan/policies';
import type { Rule } from '../rule';

export function rcpOverQuota(policy: string, size: number, limit: number): Message {
  return {
    code: 'RC323',
    message: `resource control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}`,
    expected: `at most ${limit} characters`,
    fix: 'name fewer external principals (a whole account instead of many roles in it)',
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
        const size = policySize(policy.document);
        if (size <= ORGANIZATIONS_QUOTAS.scpChars) return [];
        return [errorAt(model, policy.source, rcpOverQuota(policy.name, size, ORGANIZATIONS_QUOTAS.scpChars))];
      }),
};

import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { MEMBER_BASELINE_SCP, policyType } from '../../plan/organization';
import { policySize } from '../../plan/policies';
import type { Rule } from '../rule';

/** `rolecallBug`: the policy is rolecall's own (the member baseline), so the file cannot fix it. */
export function scpOverQuota(policy: string, size: number, limit: number, rolecallBug: boolean): Message {
  return {
    code: 'RC320',
    message: `service control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}`,
    expected: `at most ${limit} characters`,
    fix: rolecallBug ? 'this is a rolecall bug: please report it' : 'list fewer services',
  };
}

/** Reported at the policy's source (an account's services, a custom SCP, ...). */
export const rule: Rule<'plan'> = {
  id: 'scp-size',
  code: 'RC320',
  title: 'Every service control policy fits the AWS Organizations size quota',
  needs: ['plan'],
  check: ({ model, plan }) =>
    (plan.organizationStack?.policies ?? [])
      .filter((policy) => policyType(policy) === 'SERVICE_CONTROL_POLICY')
      .flatMap((policy) => {
        const size = policySize(policy.document);
        if (size <= ORGANIZATIONS_QUOTAS.scpChars) return [];
        const m = scpOverQuota(policy.name, size, ORGANIZATIONS_QUOTAS.scpChars, policy.key === MEMBER_BASELINE_SCP);
        return [errorAt(model, policy.source, m)];
      }),
};

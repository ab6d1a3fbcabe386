import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { IDENTITY_BASELINE_SCP, MEMBER_BASELINE_SCP, policyType, type ServiceControlPolicyPlan } from '../../plan/organization';
import { largestStatement, overLimit } from '../../plan/policy-document';
import type { Rule } from '../rule';

/**
 * `largest`: the statement to move (or shrink). `fix` says how for the
 * policy's source: a custom SCP splits, a services list shrinks, the
 * baselines grow only with cognitoIdentityPools opt-ins.
 */
export function scpOverQuota(policy: string, size: number, limit: number, largest: string, fix: string): Message {
  return {
    code: 'RC320',
    message: `service control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}; its largest statement is ${largest}`,
    expected: `at most ${limit} characters`,
    fix,
  };
}

function fixFor(policy: ServiceControlPolicyPlan, largest: string): string {
  if (policy.source[0] === 'scps') {
    return `move statement ${largest} into a second entry of scps with the same accounts (each SCP has its own quota)`;
  }
  if (policy.key === MEMBER_BASELINE_SCP || policy.key === IDENTITY_BASELINE_SCP) {
    return largest === 'DenyCognitoIdentityPools'
      ? 'opt fewer accounts in to cognitoIdentityPools'
      : 'this is a rolecall bug: please report it';
  }
  return 'list fewer services';
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
        const size = overLimit(policy.document, ORGANIZATIONS_QUOTAS.scpChars);
        if (size === undefined) return [];
        const largest = largestStatement(policy.document);
        const m = scpOverQuota(policy.name, size, ORGANIZATIONS_QUOTAS.scpChars, largest.name, fixFor(policy, largest.name));
        return [errorAt(model, policy.source, m)];
      }),
};

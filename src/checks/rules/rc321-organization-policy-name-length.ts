import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import type { Rule } from '../rule';

export function scpNameTooLong(policy: string, max: number): Message {
  return {
    code: 'RC321',
    message: `service control policy name "${policy}" is ${policy.length} characters long`,
    expected: `at most ${max} characters`,
    fix: 'use a shorter account name',
  };
}

/** SCPs and RCPs alike: their names carry account and custom SCP names. */
export const rule: Rule<'plan'> = {
  id: 'organization-policy-name-length',
  code: 'RC321',
  title: "Every organization policy's name fits the AWS Organizations quota",
  needs: ['plan'],
  check: ({ model, plan }) =>
    (plan.organizationStack?.policies ?? [])
      .filter((policy) => policy.name.length > ORGANIZATIONS_QUOTAS.policyNameChars)
      .map((policy) => errorAt(model, policy.source, scpNameTooLong(policy.name, ORGANIZATIONS_QUOTAS.policyNameChars))),
};

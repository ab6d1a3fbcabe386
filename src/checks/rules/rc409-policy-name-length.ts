import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { groupsWithPath } from '../iam-quotas';
import type { Rule } from '../rule';

export function policyNameOverQuota(policy: string, max: number): Message {
  return {
    code: 'RC409',
    message: `policy name "${policy}" is ${policy.length} characters long`,
    expected: `at most ${max} characters (IAM)`,
    fix: 'shorten the function or permission set name',
  };
}

/** A group's managed policies are named after the function and its identityPermissions (issue 11). */
export const rule: Rule<'plan'> = {
  id: 'policy-name-length',
  code: 'RC409',
  title: "A group's policy names fit the IAM quota",
  needs: ['plan'],
  check: ({ model, plan }) =>
    groupsWithPath(plan).flatMap(({ group, path }) =>
      group.policies
        .filter((policy) => policy.name.length > IAM_QUOTAS.policyNameChars)
        .map((policy) => errorAt(model, [...path, 'identityPermissions'], policyNameOverQuota(policy.name, IAM_QUOTAS.policyNameChars))),
    ),
};

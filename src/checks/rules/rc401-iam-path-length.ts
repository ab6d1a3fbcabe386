import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { quotaExceeded } from '../iam-quotas';
import type { Rule } from '../rule';

export function iamPathOverQuota(size: number, limit: number): Message {
  return quotaExceeded('RC401', 'IAM path', size, limit, 'use a shorter path');
}

/** organization.rolePath is the IAM path of every generated role and group. */
export const rule: Rule<never> = {
  id: 'iam-path-length',
  code: 'RC401',
  title: 'organization.rolePath fits the IAM path quota',
  needs: [],
  check: ({ model }) => {
    const rolePath = model.org.organization.rolePath;
    if (rolePath.length <= IAM_QUOTAS.pathChars) return [];
    return [errorAt(model, ['organization', 'rolePath'], iamPathOverQuota(rolePath.length, IAM_QUOTAS.pathChars))];
  },
};

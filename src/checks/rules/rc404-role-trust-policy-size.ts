import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { IAM_QUOTAS } from '../../limits';
import { overLimit } from '../../plan/policy-document';
import { distinctRoles, quotaExceeded, roleSource } from '../iam-quotas';
import type { Rule } from '../rule';

export function trustPolicyOverQuota(role: string, size: number, limit: number): Message {
  return quotaExceeded('RC404', `trust policy of role "${role}"`, size, limit, 'this is a rolecall bug: please report it');
}

export const rule: Rule<'plan'> = {
  id: 'role-trust-policy-size',
  code: 'RC404',
  title: "Each role's trust policy fits the IAM quota",
  needs: ['plan'],
  check: ({ model, plan }) =>
    distinctRoles(plan).flatMap(({ role }) => {
      const size = overLimit(role.trustPolicy, IAM_QUOTAS.roleTrustPolicyChars);
      if (size === undefined) return [];
      // Only named principals make a trust policy grow: point at the (first) list of them.
      const withPrincipals = role.functions.find((fn) => (model.org.functions[fn]?.principals ?? []).length > 0);
      return [
        errorAt(
          model,
          withPrincipals ? ['functions', withPrincipals, 'principals'] : roleSource(role),
          trustPolicyOverQuota(role.name, size, IAM_QUOTAS.roleTrustPolicyChars),
        ),
      ];
    }),
};

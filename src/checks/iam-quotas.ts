/**
 * What the IAM quota rules (rules/rc40x-*) share: the quota message and the
 * walk over the plan's roles and groups. Quotas are AWS's defaults (IAM and
 * STS quotas page, figures in src/limits.ts); several can be raised by
 * request, but a plan that needs a raised quota should say so up front, so
 * a policy AWS would reject fails `validate`, not a Terraform apply halfway.
 *
 * Name lengths are not checked by these rules: the model already limits
 * person keys and function names to 64 characters (LIMITS in src/limits.ts),
 * which keeps every user, role, group and policy name within IAM's limits.
 */
import type { KeyPath } from '../model/diagnostics';
import type { Message } from '../model/messages';
import { REQUIRE_MFA_GROUP } from '../plan/names';
import type { GroupPlan, OrgPlan, RolePlan } from '../plan/types';

export function quotaExceeded(code: string, what: string, size: number, limit: number, fix: string): Message {
  return { code, message: `${what}: ${size}, over the IAM quota of ${limit}`, expected: `at most ${limit}`, fix };
}

/**
 * Each role of the plan once per distinct content, with the first account
 * that holds it: a function's role is the same in every account but for its
 * permissions, so a breach is reported once, not once per account.
 */
export function distinctRoles(plan: OrgPlan): Array<{ role: RolePlan; account: string }> {
  const seen = new Set<string>();
  const out: Array<{ role: RolePlan; account: string }> = [];
  for (const stack of plan.stacks) {
    for (const role of stack.roles) {
      const signature = `${role.key}|${role.functions.join(',')}|${role.managedPolicyArns.join(',')}|${role.inlinePolicies.map((p) => p.key).join(',')}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      out.push({ role, account: stack.account.name });
    }
  }
  return out;
}

/** Where a role's breach is reported: a shared role at its first function (alphabetically). */
export function roleSource(role: RolePlan): KeyPath {
  return ['functions', role.functions[0] ?? role.key];
}

/** Every group of the plan, with where it comes from in the file (RequireMFA: `people`). */
export function groupsWithPath(plan: OrgPlan): Array<{ group: GroupPlan; path: KeyPath }> {
  return plan.stacks.flatMap((stack) =>
    stack.groups.map((group) => ({ group, path: group.key === REQUIRE_MFA_GROUP ? ['people'] : ['functions', group.key] })),
  );
}

/** What the organization-stack quota rules (rules/rc322, rc324) share. */
import { policyType, type OrganizationPolicyType, type OrganizationStackPlan } from '../plan/organization';

/**
 * Each target's policies of one type, by name, targets sorted. AWS's
 * default policy (FullAWSAccess, RCPFullAWSAccess) is not in the lists:
 * the rules add it, as it takes a slot on every target.
 */
export function policiesPerTarget(stack: OrganizationStackPlan | undefined, type: OrganizationPolicyType): Map<string, string[]> {
  const perTarget = new Map<string, string[]>();
  for (const policy of (stack?.policies ?? []).filter((p) => policyType(p) === type)) {
    for (const target of policy.targets) perTarget.set(target, [...(perTarget.get(target) ?? []), policy.name]);
  }
  return new Map([...perTarget].sort(([a], [b]) => a.localeCompare(b)));
}

/** What the organization-stack quota rules (rules/rc322, rc324) share. */
import { policyType, type OrganizationPolicyType, type OrganizationStackPlan } from '../plan/organization';

/**
 * The targets that would carry more policies of one type than `max`, with
 * every policy they would carry, targets sorted. AWS's default policy
 * (FullAWSAccess, RCPFullAWSAccess) comes first: AWS attaches it to every
 * target, so it takes a slot.
 */
export function targetsOverQuota(
  stack: OrganizationStackPlan | undefined,
  type: OrganizationPolicyType,
  defaultPolicy: string,
  max: number,
): Array<{ target: string; attached: string[] }> {
  const perTarget = new Map<string, string[]>();
  for (const policy of (stack?.policies ?? []).filter((p) => policyType(p) === type)) {
    for (const target of policy.targets) perTarget.set(target, [...(perTarget.get(target) ?? [defaultPolicy]), policy.name]);
  }
  return [...perTarget]
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, attached]) => attached.length > max)
    .map(([target, attached]) => ({ target, attached }));
}

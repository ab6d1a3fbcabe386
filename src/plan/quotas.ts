/**
 * IAM quotas, checked on the plan before anything is written: a policy that
 * AWS would reject must fail `validate`, not a Terraform apply halfway
 * through. Each breach is located at the YAML key that caused it.
 *
 * Figures are AWS's defaults (IAM and STS quotas page); several can be raised
 * by request, but a plan that needs a raised quota should say so up front.
 *
 * Name lengths are not checked here: the model already limits person keys
 * and function names to 64 characters (LIMITS in src/model/references.ts),
 * which keeps every user, role, group and policy name within IAM's limits.
 */
import type { Model } from '../model/model';
import { errorAt, type Diagnostic, type KeyPath } from '../model/diagnostics';
import {
  groupPoliciesOverQuota,
  groupPolicyOverQuota,
  iamPathOverQuota,
  inlinePoliciesOverQuota,
  managedPoliciesOverQuota,
  policyNameOverQuota,
  trustPolicyOverQuota,
  type Message,
} from '../model/messages';
import { REQUIRE_MFA_GROUP } from './names';
import { policySize } from './policies';
import type { OrgPlan, RolePlan } from './types';

import { IAM_QUOTAS } from '../limits';
export { IAM_QUOTAS };

export function checkQuotas(model: Model, plan: OrgPlan): Diagnostic[] {
  const found: Diagnostic[] = [];
  const report = (path: KeyPath, m: Message) => found.push(errorAt(model, path, m));
  const rolePath = model.org.organization.rolePath;
  if (rolePath.length > IAM_QUOTAS.pathChars) {
    report(['organization', 'rolePath'], iamPathOverQuota(rolePath.length, IAM_QUOTAS.pathChars));
  }

  // A function's role is the same in every account but for its permissions: check each once per distinct content.
  const seenRoles = new Set<string>();
  for (const stack of plan.stacks) {
    for (const role of stack.roles) {
      const signature = `${role.key}|${role.functions.join(',')}|${role.managedPolicyArns.join(',')}|${role.inlinePolicies.map((p) => p.key).join(',')}`;
      if (seenRoles.has(signature)) continue;
      seenRoles.add(signature);
      checkRole(model, role, stack.account.name, report);
    }
    for (const group of stack.groups) {
      const path: KeyPath = group.key === REQUIRE_MFA_GROUP ? ['people'] : ['functions', group.key];
      // Customer managed parts and AWS managed identityPermissions share the group's attachment quota.
      const attached = group.policies.length + (group.managedPolicyArns ?? []).length;
      if (attached > IAM_QUOTAS.managedPoliciesPerGroup) {
        report(
          [...path, 'access'],
          groupPoliciesOverQuota(group.name, attached, IAM_QUOTAS.managedPolicyChars, IAM_QUOTAS.managedPoliciesPerGroup),
        );
      }
      for (const policy of group.policies) {
        if (policy.name.length > IAM_QUOTAS.policyNameChars) {
          report([...path, 'identityPermissions'], policyNameOverQuota(policy.name, IAM_QUOTAS.policyNameChars));
        }
        const size = policySize(policy.document);
        if (size > IAM_QUOTAS.managedPolicyChars) {
          report(path, groupPolicyOverQuota(policy.name, size, IAM_QUOTAS.managedPolicyChars));
        }
      }
    }
  }
  return found;
}

function checkRole(model: Model, role: RolePlan, accountName: string, report: (path: KeyPath, m: Message) => void): void {
  // A shared role is reported at its first function (alphabetically).
  const where: KeyPath = ['functions', role.functions[0] ?? role.key];
  const trust = policySize(role.trustPolicy);
  if (trust > IAM_QUOTAS.roleTrustPolicyChars) {
    // Only named principals make a trust policy grow: point at the (first) list of them.
    const withPrincipals = role.functions.find((fn) => (model.org.functions[fn]?.principals ?? []).length > 0);
    report(
      withPrincipals ? ['functions', withPrincipals, 'principals'] : where,
      trustPolicyOverQuota(role.name, trust, IAM_QUOTAS.roleTrustPolicyChars),
    );
  }
  if (role.managedPolicyArns.length > IAM_QUOTAS.managedPoliciesPerRole) {
    report(
      [...where, 'access'],
      managedPoliciesOverQuota(role.name, accountName, role.managedPolicyArns.length, IAM_QUOTAS.managedPoliciesPerRole),
    );
  }
  const inline = role.inlinePolicies.reduce((sum, p) => sum + policySize(p.document), 0);
  if (inline > IAM_QUOTAS.roleInlinePolicyChars) {
    report(
      [...where, 'access'],
      inlinePoliciesOverQuota(
        role.name,
        accountName,
        role.inlinePolicies.map((p) => p.key),
        inline,
        IAM_QUOTAS.roleInlinePolicyChars,
      ),
    );
  }
}

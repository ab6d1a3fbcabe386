import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { RolePlan } from '../plan/types';
import { policyJson } from './policy-json';

export interface FunctionRoleProps {
  readonly role: RolePlan;
}

/**
 * One function's role in one account: the role with its trust policy, one
 * attachment per AWS managed policy and one inline policy per permission set
 * with statements. Separate attachment resources (not the role's exclusive
 * managed_policy_arns / inline_policy) so each grant is its own address.
 *
 * Addresses, for `new FunctionRole(stack, 'role-operations', ...)`:
 *   aws_iam_role.role-operations
 *   aws_iam_role_policy_attachment.role-operations_managed-aws-AdministratorAccess_<hash>
 *   aws_iam_role_policy.role-operations_inline-audit-buckets_<hash>
 */
export class FunctionRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: FunctionRoleProps) {
    super(scope, id);
    const plan = props.role;

    // 'Default' keeps the role's own address free of a path hash.
    this.role = new IamRole(this, 'Default', {
      name: plan.name,
      path: plan.path,
      description: plan.description,
      maxSessionDuration: plan.maxSessionDuration,
      assumeRolePolicy: policyJson(plan.trustPolicy),
      tags: plan.tags,
    });
    // deploy.adopt.roles: an import block; the first apply then sets trust and permissions in place.
    if (plan.adopt) this.role.importFrom(plan.name);

    for (const arn of plan.managedPolicyArns) {
      new IamRolePolicyAttachment(this, managedPolicyId(arn), {
        role: this.role.name,
        policyArn: arn,
      });
    }

    for (const inline of plan.inlinePolicies) {
      new IamRolePolicy(this, `inline-${inline.key}`, {
        role: this.role.name,
        name: inline.name,
        policy: policyJson(inline.document),
      });
    }
  }
}

/**
 * Construct id of a managed policy attachment, from the ARN alone (the ARN is
 * the attachment's identity): `arn:aws:iam::aws:policy/job-function/X` ->
 * `managed-aws-job-function-X`. Duplicates throw in the construct tree.
 */
export function managedPolicyId(arn: string): string {
  const m = /^arn:[^:]+:iam::([^:]*):policy\/(.+)$/.exec(arn);
  const readable = m ? `${m[1]}-${m[2]}` : arn;
  return `managed-${readable.replace(/[^A-Za-z0-9-]/g, '-')}`;
}

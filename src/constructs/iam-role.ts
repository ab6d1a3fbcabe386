import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import type { ITerraformDependable } from 'cdktf';
import type { RolePlan } from '../plan/types';
import { policyJson } from './policy-json';

export interface FunctionRoleProps {
  readonly role: RolePlan;
}

/**
 * One function's role in one account: the role with its trust policy, one
 * attachment per AWS managed policy and one inline policy per permission set
 * with statements. Separate attachment resources (not the role's
 * managed_policy_arns / inline_policy) so each grant is its own address.
 *
 * rolecall owns the role completely: the two `*_exclusive` resources list
 * exactly the managed policy ARNs and inline policy names above, so a policy
 * attached or written by hand shows in the next plan and the next apply
 * removes it. They depend on the per-policy resources, so on creation they
 * run last and find nothing to undo. Never aws_iam_policy_attachment: it
 * owns a policy's attachments account-wide.
 *
 * Addresses, for `new FunctionRole(stack, 'role-operations', ...)`:
 *   aws_iam_role.role-operations
 *   aws_iam_role_policy_attachment.role-operations_managed-aws-AdministratorAccess_<hash>
 *   aws_iam_role_policy.role-operations_inline-audit-buckets_<hash>
 *   aws_iam_role_policy_attachments_exclusive.role-operations_managed-exclusive_<hash>
 *   aws_iam_role_policies_exclusive.role-operations_inline-exclusive_<hash>
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

    const attachments: ITerraformDependable[] = plan.managedPolicyArns.map(
      (arn) => new IamRolePolicyAttachment(this, managedPolicyId(arn), { role: this.role.name, policyArn: arn }),
    );
    const inlines: ITerraformDependable[] = plan.inlinePolicies.map(
      (inline) =>
        new IamRolePolicy(this, `inline-${inline.key}`, {
          role: this.role.name,
          name: inline.name,
          policy: policyJson(inline.document),
        }),
    );

    new IamRolePolicyAttachmentsExclusive(this, 'managed-exclusive', {
      roleName: this.role.name,
      policyArns: [...plan.managedPolicyArns],
      dependsOn: attachments,
    });
    new IamRolePoliciesExclusive(this, 'inline-exclusive', {
      roleName: this.role.name,
      policyNames: plan.inlinePolicies.map((p) => p.name),
      dependsOn: inlines,
    });
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

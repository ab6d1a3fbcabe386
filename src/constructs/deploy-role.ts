import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { DeployRolePlan } from '../plan/deploy';
import { policyJson } from './policy-json';
import { IAM_QUOTAS } from '../limits';

export interface DeployRoleProps {
  readonly role: DeployRolePlan;
  /** The provider alias of the role's account. */
  readonly provider: TerraformProvider;
  /** The OIDC provider the trust policy names: IAM refuses a trust in a provider that does not exist yet. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A plan or apply role of an HCP Terraform workspace: the role (trusting its
 * workspace and phase only) and one inline policy (`deploy`). One-hour
 * sessions: HCP Terraform requests a fresh token for every run phase.
 *
 * Addresses, for `new DeployRole(stack, 'role-account-production-plan', ...)`:
 *   aws_iam_role.role-account-production-plan
 *   aws_iam_role_policy.role-account-production-plan_policy_<hash>
 */
export class DeployRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const plan = props.role;
    this.role = new IamRole(this, 'Default', {
      provider: props.provider,
      name: plan.name,
      path: plan.path,
      description: plan.description,
      maxSessionDuration: IAM_QUOTAS.roleSessionMinSeconds,
      assumeRolePolicy: policyJson(plan.trustPolicy),
      tags: plan.tags,
      dependsOn: props.dependsOn,
    });
    new IamRolePolicy(this, 'policy', {
      provider: props.provider,
      role: this.role.name,
      name: 'deploy',
      policy: policyJson(plan.policy),
    });
  }
}

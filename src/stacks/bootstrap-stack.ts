import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { awsProvider } from './provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import type { BootstrapStackPlan } from '../plan/deploy';
import { DeployRole } from '../constructs/deploy-role';
import { StateBucket } from '../constructs/state-bucket';
import { configureWorkspace } from './workspace';
import { terraformSafe } from '../constructs/terraform-literal';

export interface BootstrapStackProps {
  readonly plan: BootstrapStackPlan;
}

/**
 * What the other stacks need before their first run, applied by an admin
 * with their own master-account credentials (docs/credentials.md): per
 * account the HCP Terraform OIDC provider and each stack's plan and apply
 * roles (credentials: tfc-dynamic), and the state bucket (backend: s3).
 *
 * One provider alias per account, named after the account key: the master's
 * uses the ambient credentials; a member's assumes deploy.assumeRoleName
 * (OrganizationAccountAccessRole), the only role every member is known to
 * have before rolecall has run there. The bucket gets its own alias
 * (`state`), in its account and region.
 *
 * The OIDC provider has no thumbprint_list: it is optional in the AWS
 * provider 5.100.0, and AWS verifies app.terraform.io against its library
 * of trusted root CAs, so a pinned thumbprint would only go stale.
 *
 * Addresses: aws_iam_openid_connect_provider.oidc-<account>,
 * aws_iam_role.role-<stack>-<plan|apply>, aws_s3_bucket.state-bucket.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    // The render boundary: every string of the plan, escaped once (see terraform-literal.ts).
    const plan = terraformSafe(props.plan);
    configureWorkspace(this, plan.backend);

    for (const account of plan.accounts) {
      const provider = awsProvider(this, `aws-${account.key}`, account.provider, 'rolecall-bootstrap', account.key);
      const oidc = account.oidcProvider
        ? new IamOpenidConnectProvider(this, `oidc-${account.key}`, {
            provider,
            url: account.oidcProvider.url,
            clientIdList: account.oidcProvider.clientIds,
          })
        : undefined;
      for (const role of account.roles) {
        new DeployRole(this, `role-${role.key}`, { role, provider, dependsOn: oidc ? [oidc] : undefined });
      }
    }

    if (plan.stateBucket) {
      const provider = awsProvider(this, 'aws-state', plan.stateBucket.provider, 'rolecall-bootstrap', 'state');
      new StateBucket(this, 'state-bucket', { bucket: plan.stateBucket, provider });
    }
  }
}

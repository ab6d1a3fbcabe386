import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { configureWorkspace } from './workspace';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { StackPlan } from '../plan/types';
import { FunctionGroup } from '../constructs/iam-group';
import { FunctionRole } from '../constructs/iam-role';
import { PersonUser } from '../constructs/iam-user';
import { PasswordPolicy } from '../constructs/password-policy';
import { IamAccountAlias } from '@cdktf/provider-aws/lib/iam-account-alias';

export interface AccountStackProps {
  readonly plan: StackPlan;
}

/**
 * One StackPlan as one Terraform workspace: `master` (people, groups, password
 * policy, master roles) and `account-<name>` (roles) alike; empty lists
 * render nothing.
 *
 * Construct ids are `<kind>-<key>` with the plan's keys: the prefix keeps a
 * person and a function of the same name apart in the construct tree, and no
 * id depends on a position, so removing one entry moves no other address.
 */
export class AccountStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    const plan = props.plan;

    new AwsProvider(this, 'aws', {
      region: plan.provider.region,
      allowedAccountIds: plan.provider.allowedAccountIds,
      defaultTags: [{ tags: plan.provider.defaultTags }],
      assumeRole: plan.provider.assumeRoleArn
        ? [{ roleArn: plan.provider.assumeRoleArn, sessionName: 'rolecall' }]
        : undefined,
    });

    configureWorkspace(this, plan.backend);

    // Group name -> reference, so memberships depend on the groups they name.
    const groupRefs = new Map<string, string>();
    for (const group of plan.groups) {
      const g = new FunctionGroup(this, `group-${group.key}`, { group });
      groupRefs.set(group.name, g.group.name);
    }

    for (const user of plan.users) {
      new PersonUser(this, `user-${user.key}`, {
        user,
        groups: user.groups.map((name) => groupRefs.get(name) ?? name),
      });
    }

    for (const role of plan.roles) {
      new FunctionRole(this, `role-${role.key}`, { role });
    }

    if (plan.passwordPolicy) {
      new PasswordPolicy(this, 'password-policy', { policy: plan.passwordPolicy });
    }

    if (plan.alias !== undefined) {
      new IamAccountAlias(this, 'account-alias', { accountAlias: plan.alias });
    }
  }
}

import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { configureWorkspace } from './workspace';
import { awsProvider } from './provider';
import type { StackPlan, UserPlan } from '../plan/types';
import { FunctionGroup } from '../constructs/iam-group';
import { FunctionRole } from '../constructs/iam-role';
import { PersonUser } from '../constructs/iam-user';
import { PasswordPolicy } from '../constructs/password-policy';
import { IamAccountAlias } from '@cdktf/provider-aws/lib/iam-account-alias';
import { terraformSafe } from '../constructs/terraform-literal';

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
    // The render boundary: every string of the plan, escaped once (see terraform-literal.ts).
    const plan = terraformSafe(props.plan);

    awsProvider(this, 'aws', plan.provider, 'rolecall');

    configureWorkspace(this, plan.backend);

    // Users first: each group's member list references them, so Terraform creates users before memberships.
    const userRefs = new Map<string, string>();
    for (const user of plan.users) {
      userRefs.set(user.name, new PersonUser(this, `user-${user.key}`, { user }).user.name);
    }
    for (const group of plan.groups) {
      const members = plan.users.filter((u) => u.groups.includes(group.name)).map((u) => userRefs.get(u.name)!);
      new FunctionGroup(this, `group-${group.key}`, { group, members });
    }
    forgetUserGroupMemberships(this, plan.users);

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

/**
 * Until this release, memberships were one aws_iam_user_group_membership per
 * person (`user-<key>/groups`); now each group owns its member list
 * (aws_iam_group_membership). Terraform cannot move state across resource
 * types, and destroying the old resource would call RemoveUserFromGroup,
 * possibly after the new one added the person: so a `removed` block with
 * destroy = false makes Terraform forget each old resource without touching
 * AWS. Harmless where the address is not in state (new workspaces).
 */
function forgetUserGroupMemberships(stack: TerraformStack, users: UserPlan[]): void {
  if (users.length === 0) return;
  stack.addOverride(
    'removed',
    users.map((u) => ({ from: `aws_iam_user_group_membership.${legacyMembershipId(u.key)}`, lifecycle: { destroy: false } })),
  );
}

/** The logical id cdktf gave `user-<key>/groups` (makeUniqueId over the construct path, as TerraformStack.allocateLogicalId does). */
export function legacyMembershipId(userKey: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { makeUniqueId } = require('cdktf/lib/private/unique') as { makeUniqueId(components: string[]): string };
  return makeUniqueId([`user-${userKey}`, 'groups']);
}

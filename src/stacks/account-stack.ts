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
import { IdentityCenter } from '../constructs/identity-center';
import { terraformSafe } from '../constructs/terraform-literal';
import { groupConstructId, personConstructId } from '../plan/names';

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

    const perUser = plan.membership === 'per-user';
    // Users first: each group's member list references them, so Terraform creates users before memberships.
    const userRefs = new Map<string, string>();
    for (const user of plan.users) {
      userRefs.set(
        user.name,
        new PersonUser(this, personConstructId(user.key), { user, ownMemberships: perUser, accountId: plan.account.id }).user.name,
      );
    }
    for (const group of plan.groups) {
      const members = perUser ? undefined : plan.users.filter((u) => u.groups.includes(group.name)).map((u) => userRefs.get(u.name)!);
      new FunctionGroup(this, groupConstructId(group.key), { group, members });
    }
    renderRemovedBlocks(this, plan);
    if (plan.shard && plan.shard.groups.length > 0) groupMembershipChecks(this, plan.shard, plan.users);
    // Read back by `rolecall synth` (src/cli/synth.ts): a count change needs previousCount.
    if (plan.peopleShards !== undefined) this.addOverride('locals.rolecall_people_shards', plan.peopleShards.count);

    for (const role of plan.roles) {
      new FunctionRole(this, `role-${role.key}`, { role });
    }

    if (plan.passwordPolicy) {
      new PasswordPolicy(this, 'password-policy', { policy: plan.passwordPolicy });
    }

    if (plan.alias !== undefined) {
      new IamAccountAlias(this, 'account-alias', { accountAlias: plan.alias });
    }

    if (plan.identityCenter) new IdentityCenter(this, 'identity-center', { plan: plan.identityCenter });
  }
}

/**
 * Every `removed` block of the stack (destroy = false: Terraform forgets
 * the resource, AWS keeps it), in one override since a second would
 * replace the first:
 *
 * - Until an earlier release, memberships were one aws_iam_user_group_membership
 *   per person (`user-<key>/groups`); the identity stack then moved to one
 *   aws_iam_group_membership per group. Terraform cannot move state across
 *   resource types, and destroying the old resource would call
 *   RemoveUserFromGroup, possibly after the new one added the person: the
 *   old one is forgotten. Harmless where the address is not in state.
 * - People moving to another stack (StackPlan.movedOut): each of their
 *   resources, which the new stack imports at the same address. What they
 *   no longer have (a login profile after console: false) is not listed, so
 *   this stack still deletes it.
 * - Sharding turned on (forgetGroupMemberships): each group's exclusive
 *   member list; destroying it would take everyone out of the group.
 */
function renderRemovedBlocks(stack: TerraformStack, plan: StackPlan): void {
  const from: string[] = [];
  if (plan.membership !== 'per-user') {
    for (const u of plan.users) from.push(`aws_iam_user_group_membership.${legacyMembershipId(u.key)}`);
  }
  for (const { user } of plan.movedOut ?? []) from.push(...personAddresses(user));
  for (const group of plan.forgetGroupMemberships ?? []) {
    from.push(`aws_iam_group_membership.${logicalId(`group-${group}`, 'members')}`);
  }
  if (from.length === 0) return;
  stack.addOverride(
    'removed',
    [...new Set(from)].map((address) => ({ from: address, lifecycle: { destroy: false } })),
  );
}

/** The addresses of a person's resources (src/constructs/iam-user.ts), in any stack: what a move forgets and imports. */
export function personAddresses(user: UserPlan): string[] {
  const id = personConstructId(user.key);
  return [
    `aws_iam_user.${logicalId(id, 'Default')}`,
    `aws_iam_user_policy_attachments_exclusive.${logicalId(id, 'attachments-exclusive')}`,
    `aws_iam_user_policies_exclusive.${logicalId(id, 'inline-exclusive')}`,
    ...(user.loginProfile ? [`aws_iam_user_login_profile.${logicalId(id, 'login-profile')}`] : []),
    ...(user.accessKey ? [`aws_iam_access_key.${logicalId(id, 'access-key')}`] : []),
    // Time-bound memberships: the person's own policies and their attachments move with them.
    ...(user.policies ?? []).flatMap((p) => [
      `aws_iam_policy.${logicalId(id, `policy-${p.key}`)}`,
      `aws_iam_user_policy_attachment.${logicalId(id, `attach-${p.key}`)}`,
    ]),
    // Per-user membership in a shard; in the identity stack, the legacy address (forgotten either way).
    `aws_iam_user_group_membership.${logicalId(id, 'groups')}`,
  ];
}

/**
 * With people sharded, no stack owns a group's whole member list, so a
 * person added to a rolecall group by hand would go unnoticed. Each shard
 * therefore reads every rolecall group and asserts that each member whose
 * name hashes to this shard (the same frozen hash as src/plan/shards.ts,
 * computed by Terraform) is one this shard puts in that group. An outsider
 * hashes to exactly one shard, whose plan then warns (a check block never
 * blocks an apply, and removes no one: removing is a person's job).
 * The assertion names only this shard's people, so the identity stack does
 * not change when people do.
 *
 * Opt-in (peopleShards.checkGroupMembers): Terraform reads a check's data
 * source on every plan and reports it as a pending read, so every such plan
 * exits 2 under -detailed-exitcode, changes or not. A top-level data source
 * would not, but fails the plan while the group does not exist yet (a
 * function added in the same change, planned before the identity stack is
 * applied), and nested data blocks take no count. Without the checks,
 * `rolecall audit` reports hand-made members.
 */
function groupMembershipChecks(stack: TerraformStack, shard: NonNullable<StackPlan['shard']>, users: UserPlan[]): void {
  const checks: Record<string, unknown> = {};
  for (const group of shard.groups) {
    const name = `group-${group}`;
    const members = users.filter((u) => u.groups.includes(group)).map((u) => u.name);
    // User and group names are IAM names ([A-Za-z0-9+=,.@_-]): JSON string literals are HCL string literals.
    const mine = `parseint(substr(md5(u.user_name), 0, 8), 16) % ${shard.count} == ${shard.index}`;
    const outsider = `${mine} && !contains(${JSON.stringify(members)}, u.user_name)`;
    checks[`${name}-members`] = {
      data: { aws_iam_group: { [name]: { group_name: group } } },
      assert: [
        {
          condition: `\${length([for u in data.aws_iam_group.${name}.users : u.user_name if ${outsider}]) == 0}`,
          error_message: `IAM group ${group} has members the org file does not put there (people-${shard.index} holds them by name hash): \${join(", ", [for u in data.aws_iam_group.${name}.users : u.user_name if ${outsider}])}. Remove them from the group, or add them to the org file.`,
        },
      ],
    };
  }
  stack.addOverride('check', checks);
}

/** The logical id cdktf gives a construct at this path (makeUniqueId, as TerraformStack.allocateLogicalId does). */
function logicalId(...components: string[]): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { makeUniqueId } = require('cdktf/lib/private/unique') as { makeUniqueId(components: string[]): string };
  return makeUniqueId(components);
}

/** The logical id cdktf gave `user-<key>/groups`, the per-person membership of earlier releases. */
export function legacyMembershipId(userKey: string): string {
  return logicalId(personConstructId(userKey), 'groups');
}

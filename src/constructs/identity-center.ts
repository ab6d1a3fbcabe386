import { Construct } from 'constructs';
import { IdentitystoreGroup } from '@cdktf/provider-aws/lib/identitystore-group';
import { IdentitystoreUser } from '@cdktf/provider-aws/lib/identitystore-user';
import { IdentitystoreGroupMembership } from '@cdktf/provider-aws/lib/identitystore-group-membership';
import { SsoadminPermissionSet } from '@cdktf/provider-aws/lib/ssoadmin-permission-set';
import { SsoadminManagedPolicyAttachment } from '@cdktf/provider-aws/lib/ssoadmin-managed-policy-attachment';
import { SsoadminPermissionSetInlinePolicy } from '@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy';
import { SsoadminAccountAssignment } from '@cdktf/provider-aws/lib/ssoadmin-account-assignment';
import type { ITerraformDependable } from 'cdktf';
import type { IdentityCenterPlan } from '../plan/types';
import { managedPolicyKey } from '../plan/names';
import { policyJson } from './policy-json';

export interface IdentityCenterProps {
  readonly plan: IdentityCenterPlan;
}

/**
 * What one stack holds of IAM Identity Center (src/plan/identity-center.ts):
 * groups, users and memberships of the identity store, permission sets with
 * their policies, and account assignments. Every id is `<kind>-<key>` with
 * the plan's keys (YAML keys), under the `identity-center` construct:
 *   aws_identitystore_group.identity-center_group-operations_<hash>
 *   aws_ssoadmin_permission_set.identity-center_permission-set-operations--admin_<hash>
 *   aws_ssoadmin_account_assignment.identity-center_assignment-operations--production--operations_<hash>
 * An external IdP's group is referenced by its id: nothing is created for it.
 */
export class IdentityCenter extends Construct {
  constructor(scope: Construct, id: string, props: IdentityCenterProps) {
    super(scope, id);
    const plan = props.plan;
    const { instanceArn, identityStoreId } = plan;

    const groupIds = new Map<string, string>();
    for (const g of plan.groups) {
      if (g.externalId !== undefined) {
        groupIds.set(g.key, g.externalId);
        continue;
      }
      const group = new IdentitystoreGroup(this, `group-${g.key}`, {
        identityStoreId,
        displayName: g.displayName,
        description: g.description,
      });
      groupIds.set(g.key, group.groupId);
    }

    const userIds = new Map<string, string>();
    for (const u of plan.users) {
      const user = new IdentitystoreUser(this, `user-${u.key}`, {
        identityStoreId,
        userName: u.userName,
        displayName: u.displayName,
        name: { givenName: u.givenName, familyName: u.familyName },
        emails: { value: u.email, primary: true },
      });
      userIds.set(u.key, user.userId);
    }
    for (const m of plan.memberships) {
      new IdentitystoreGroupMembership(this, `membership-${m.key}`, {
        identityStoreId,
        groupId: groupIds.get(m.group)!,
        memberId: userIds.get(m.user)!,
      });
    }

    const permissionSets = new Map<string, { arn: string; policies: ITerraformDependable[] }>();
    for (const ps of plan.permissionSets) {
      const set = new SsoadminPermissionSet(this, `permission-set-${ps.key}`, {
        instanceArn,
        name: ps.name,
        description: ps.description,
        sessionDuration: ps.sessionDuration,
        ...(ps.relayState !== undefined ? { relayState: ps.relayState } : {}),
      });
      const policies: ITerraformDependable[] = ps.managedPolicyArns.map(
        (arn) =>
          new SsoadminManagedPolicyAttachment(this, `permission-set-${ps.key}-managed-${managedPolicyKey(arn)}`, {
            instanceArn,
            permissionSetArn: set.arn,
            managedPolicyArn: arn,
          }),
      );
      if (ps.inlinePolicy) {
        policies.push(
          new SsoadminPermissionSetInlinePolicy(this, `permission-set-${ps.key}-inline`, {
            instanceArn,
            permissionSetArn: set.arn,
            inlinePolicy: policyJson(ps.inlinePolicy),
          }),
        );
      }
      permissionSets.set(ps.key, { arn: set.arn, policies });
    }

    for (const a of plan.assignments) {
      const set = permissionSets.get(a.permissionSet)!;
      new SsoadminAccountAssignment(this, `assignment-${a.key}`, {
        instanceArn,
        permissionSetArn: set.arn,
        principalType: 'GROUP',
        principalId: groupIds.get(a.group)!,
        targetType: 'AWS_ACCOUNT',
        targetId: a.account.id,
        // Provisioned after its policies: the role AWS makes in the account has them from the start.
        dependsOn: set.policies,
      });
    }
  }
}

import { Construct } from 'constructs';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupMembership } from '@cdktf/provider-aws/lib/iam-group-membership';
import { IamGroupPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-group-policies-exclusive';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamGroupPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-group-policy-attachments-exclusive';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { GroupPlan } from '../plan/types';
import { policyJson } from './policy-json';
import { managedPolicyKey } from '../plan/names';

export interface FunctionGroupProps {
  readonly group: GroupPlan;
  /**
   * The group's members (user names, or references to the users so they are
   * created first), sorted. rolecall owns the member list: anyone else in
   * the group shows in the next plan and the next apply removes them.
   * Absent (people shards): no member list here; each person's shard holds
   * their memberships (src/constructs/iam-user.ts).
   */
  readonly members?: string[];
}

/**
 * A group in the master account, owned completely by rolecall:
 *
 * - its customer managed policies, each attached with
 *   aws_iam_group_policy_attachment, plus aws_iam_group_policy_attachments_exclusive
 *   listing exactly those ARNs and aws_iam_group_policies_exclusive listing
 *   no inline policy (rolecall writes none): a policy attached or written by
 *   hand is drift, shown and undone;
 * - its member list, aws_iam_group_membership (one per group, exclusive by
 *   design). Never aws_iam_policy_attachment (account-wide).
 *
 * Addresses, for `new FunctionGroup(stack, 'group-operations', ...)`:
 *   aws_iam_group.group-operations
 *   aws_iam_policy.group-operations_policy-<key>_<hash>
 *   aws_iam_group_policy_attachment.group-operations_attach-<key>_<hash>
 *   aws_iam_group_policy_attachment.group-operations_managed-<policy path and name>_<hash>
 *     (AWS managed policies of identityPermissions)
 *   aws_iam_group_policy_attachments_exclusive.group-operations_attachments-exclusive_<hash>
 *   aws_iam_group_policies_exclusive.group-operations_inline-exclusive_<hash>
 *   aws_iam_group_membership.group-operations_members_<hash>
 */
export class FunctionGroup extends Construct {
  readonly group: IamGroup;

  constructor(scope: Construct, id: string, props: FunctionGroupProps) {
    super(scope, id);
    const plan = props.group;

    this.group = new IamGroup(this, 'Default', { name: plan.name, path: plan.path });
    // deploy.adopt.groups: an import block; once in state Terraform skips it.
    if (plan.adopt) this.group.importFrom(plan.name);

    const policies = plan.policies.map((p) => {
      const policy = new IamPolicy(this, `policy-${p.key}`, {
        name: p.name,
        path: p.path,
        description: p.description,
        policy: policyJson(p.document),
      });
      const attachment = new IamGroupPolicyAttachment(this, `attach-${p.key}`, { group: this.group.name, policyArn: policy.arn });
      return { policy, attachment };
    });

    // AWS managed policies of identityPermissions: attached by ARN, and listed in the exclusive set below.
    const managed = (plan.managedPolicyArns ?? []).map(
      (arn) => new IamGroupPolicyAttachment(this, `managed-${managedPolicyKey(arn)}`, { group: this.group.name, policyArn: arn }),
    );

    new IamGroupPolicyAttachmentsExclusive(this, 'attachments-exclusive', {
      groupName: this.group.name,
      policyArns: [...policies.map((p) => p.policy.arn), ...(plan.managedPolicyArns ?? [])],
      dependsOn: [...policies.map((p) => p.attachment), ...managed],
    });
    new IamGroupPoliciesExclusive(this, 'inline-exclusive', { groupName: this.group.name, policyNames: [] });

    if (props.members !== undefined) {
      new IamGroupMembership(this, 'members', {
        // Only Terraform's name for the membership; AWS never sees it.
        name: `rolecall-${plan.name}-members`,
        group: this.group.name,
        users: [...props.members],
      });
    }
  }
}

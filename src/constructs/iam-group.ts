import { Construct } from 'constructs';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { GroupPlan } from '../plan/types';
import { policyJson } from './policy-json';

export interface FunctionGroupProps {
  readonly group: GroupPlan;
}

/**
 * A group in the master account with its customer managed policies, each
 * attached with aws_iam_group_policy_attachment (non-exclusive, unlike
 * aws_iam_policy_attachment, which would strip the policy from anything else).
 *
 * Addresses, for `new FunctionGroup(stack, 'group-operations', ...)`:
 *   aws_iam_group.group-operations
 *   aws_iam_policy.group-operations_policy-<key>_<hash>
 *   aws_iam_group_policy_attachment.group-operations_attach-<key>_<hash>
 */
export class FunctionGroup extends Construct {
  readonly group: IamGroup;

  constructor(scope: Construct, id: string, props: FunctionGroupProps) {
    super(scope, id);
    const plan = props.group;

    this.group = new IamGroup(this, 'Default', { name: plan.name, path: plan.path });
    // deploy.adopt.groups: an import block; once in state Terraform skips it.
    if (plan.adopt) this.group.importFrom(plan.name);

    for (const p of plan.policies) {
      const policy = new IamPolicy(this, `policy-${p.key}`, {
        name: p.name,
        path: p.path,
        description: p.description,
        policy: policyJson(p.document),
      });
      new IamGroupPolicyAttachment(this, `attach-${p.key}`, {
        group: this.group.name,
        policyArn: policy.arn,
      });
    }
  }
}

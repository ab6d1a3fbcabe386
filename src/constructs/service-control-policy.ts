import { Construct } from 'constructs';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { PolicyDocument } from '../plan/types';
import { policyJson } from './policy-json';

export interface ServiceControlPolicyProps {
  readonly name: string;
  /** Default SERVICE_CONTROL_POLICY; the member perimeter is a RESOURCE_CONTROL_POLICY. */
  readonly type?: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  readonly description: string;
  readonly document: PolicyDocument;
  /** Target key (account name) -> target id (usually a reference to the account's id). */
  readonly targets: Record<string, string>;
}

/**
 * One SCP (or RCP) and its attachments, one attachment per target, keyed by the
 * target's name: attaching the policy to one more account adds one resource
 * and moves no other.
 *
 * Addresses, for `new ServiceControlPolicy(stack, 'scp-member-baseline', ...)`:
 *   aws_organizations_policy.scp-member-baseline
 *   aws_organizations_policy_attachment.scp-member-baseline_attach-<target>_<hash>
 * and for `new ServiceControlPolicy(stack, 'rcp-member-perimeter', { type: 'RESOURCE_CONTROL_POLICY', ... })`:
 *   aws_organizations_policy.rcp-member-perimeter, ..._attach-<target>_<hash>
 */
export class ServiceControlPolicy extends Construct {
  readonly policy: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: ServiceControlPolicyProps) {
    super(scope, id);
    this.policy = new OrganizationsPolicy(this, 'Default', {
      name: props.name,
      description: props.description,
      type: props.type ?? 'SERVICE_CONTROL_POLICY',
      content: policyJson(props.document),
    });
    for (const target of Object.keys(props.targets).sort()) {
      new OrganizationsPolicyAttachment(this, `attach-${target}`, {
        policyId: this.policy.id,
        targetId: props.targets[target],
      });
    }
  }
}

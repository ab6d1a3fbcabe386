import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ProviderPlan } from '../plan/types';

/**
 * An AWS provider exactly as its ProviderPlan says: pinned to the plan's
 * account ids, tagged, and assuming the plan's role when it has one. The
 * session name says who runs (`rolecall`, `rolecall-bootstrap`) in the
 * member account's CloudTrail.
 */
export function awsProvider(stack: TerraformStack, id: string, plan: ProviderPlan, sessionName: string, alias?: string): AwsProvider {
  return new AwsProvider(stack, id, {
    alias,
    region: plan.region,
    allowedAccountIds: plan.allowedAccountIds,
    defaultTags: [{ tags: plan.defaultTags }],
    assumeRole: plan.assumeRoleArn ? [{ roleArn: plan.assumeRoleArn, sessionName }] : undefined,
  });
}

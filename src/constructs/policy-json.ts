import type { PolicyDocument } from '../plan/types';

/**
 * The one way a policy document becomes a Terraform string attribute.
 *
 * Key order is the plan's (the plan already sorted what needs sorting), so the
 * output is deterministic. No escaping here: the stacks pass every plan
 * string through terraformLiteral once, on entry (src/constructs/terraform-literal.ts),
 * so `${aws:username}` already reads `$${aws:username}`; escaping again would
 * double it.
 */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

import type { PolicyDocument } from '../plan/types';

/**
 * The one way a policy document becomes a Terraform string attribute.
 *
 * Key order is the plan's (the plan already sorted what needs sorting), so the
 * output is deterministic. Terraform treats every JSON string as a template,
 * so `${aws:username}` would be read as an interpolation: `${` and `%{` are
 * escaped to `$${` and `%%{`, which Terraform turns back into the literal.
 */
export function policyJson(doc: PolicyDocument): string {
  return escapeTerraformTemplate(JSON.stringify(doc));
}

/** `${` -> `$${`, `%{` -> `%%{`: a literal string inside Terraform JSON. */
export function escapeTerraformTemplate(s: string): string {
  // Function replacers: in a replacement string `$$` would itself mean `$`.
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

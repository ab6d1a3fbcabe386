import { LocalBackend, TerraformStack } from 'cdktf';
import type { BackendPlan } from '../plan/types';

/** Import blocks (the organization stack adopts accounts) need Terraform 1.5. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.5.0';

/**
 * Workspace settings every stack shares: the Terraform version and the state
 * backend. Local state lives outside cdktf.out on purpose: `cdktf synth`
 * deletes the directory of a stack that left the app (an account whose last
 * grant was removed), and state kept there would go with it, leaving its
 * roles in AWS with nothing to destroy them.
 */
export function configureWorkspace(stack: TerraformStack, backend: BackendPlan): void {
  stack.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
  new LocalBackend(stack, { path: backend.path });
}

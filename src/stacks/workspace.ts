import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { requiredTerraformVersion } from '../plan/deploy';
import type { BackendPlan } from '../plan/types';

/**
 * Workspace settings every stack shares: the Terraform version and the state
 * backend, as the plan says (src/plan/deploy.ts decides; this only renders).
 *
 * - local: state lives outside cdktf.out on purpose: `cdktf synth` deletes
 *   the directory of a stack that left the app (an account whose last grant
 *   was removed), and state kept there would go with it, leaving its roles
 *   in AWS with nothing to destroy them.
 * - s3: one key per stack, encrypted, S3 native locking. cdktf 0.21's
 *   S3Backend has no `use_lockfile` prop, so an override adds it.
 * - cloud: a NamedCloudWorkspace (the class: a plain object synthesizes
 *   nothing) with the project, which the OIDC subject names.
 * Backend values come from the org file, but the schema restricts each to
 * characters Terraform reads literally (names, ARNs, paths), and backend
 * blocks never evaluate expressions.
 */
export function configureWorkspace(stack: TerraformStack, backend: BackendPlan): void {
  stack.addOverride('terraform.required_version', requiredTerraformVersion(backend.kind));
  switch (backend.kind) {
    case 'local':
      new LocalBackend(stack, { path: backend.path });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: backend.encrypt,
        kmsKeyId: backend.kmsKeyId,
        assumeRole: backend.assumeRoleArn ? { roleArn: backend.assumeRoleArn } : undefined,
      });
      stack.addOverride('terraform.backend.s3.use_lockfile', backend.useLockfile);
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace, backend.project),
      });
      return;
  }
}

/**
 * model -> how each stack is deployed (SPEC section 5a): its state backend,
 * how its provider gets credentials, its HCP Terraform workspace and
 * variables, the plan and apply roles of `credentials: tfc-dynamic`, and the
 * bootstrap stack an admin applies once to create what all of that needs.
 * Pure data; src/stacks/workspace.ts and src/stacks/bootstrap-stack.ts
 * copy it out.
 *
 * Why two roles per stack: HCP Terraform runs a speculative plan for every
 * pull request, so whoever can open one runs code (providers, the plan's
 * reads) with the plan role. That role can therefore only read. Only the
 * apply phase, which runs after a merge to the applied branch and a
 * confirmation, gets a role that can write, scoped to what its stack
 * manages. Each role trusts the exact subject of its own workspace and
 * phase: `organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE`,
 * with StringEquals, never a wildcard that another organisation's
 * workspace could match.
 */
import type { OrgFile } from '../model/schema';
import {
  deployRoleArn,
  identityAccount,
  identityStackId,
  localState,
  managedByTags,
  masterAccount,
  ORGANIZATION_STACK_ID,
  roleArn,
  accountStackId,
  DEPLOY_ROLE_PATH,
  oidcProviderArn,
  TFC_HOSTNAME,
} from './names';
/** Defined in names.ts (every id and ARN is built there), exported here where they have always been. */
export { DEPLOY_ROLE_PATH, oidcProviderArn, TFC_HOSTNAME } from './names';
import { peopleShards, peopleStackCount, peopleStackId } from './shards';
import { applyRolePolicy, planRolePolicy, stateBucketPolicy } from './deploy-policies';
import { policyDocument } from './policy-document';
import { HCP_TERRAFORM_LIMITS, IAM_QUOTAS, S3_QUOTAS } from '../limits';
import type {
  ApplyCredential,
  BackendPlan,
  BootstrapAccountPlan,
  BootstrapStackPlan,
  DeployedStack,
  DeployPlan,
  DeployRolePlan,
  OrgPlan,
  PolicyDocument,
  ProviderPlan,
  RunPhase,
  StackPlan,
  WorkspacePlan,
} from './types';
export type {
  ApplyCredential,
  BootstrapAccountPlan,
  BootstrapStackPlan,
  DeployedStack,
  DeployPlan,
  DeployRolePlan,
  RunPhase,
  StateBucketPlan,
  WorkspacePlan,
} from './types';

export const BOOTSTRAP_STACK_ID = 'bootstrap';

/** HCP Terraform's OIDC issuer and the audience its AWS tokens carry (HCP Terraform docs, "Dynamic Credentials with the AWS Provider"). */
export const TFC_OIDC_URL = `https://${TFC_HOSTNAME}`;
export const TFC_AUDIENCE = 'aws.workload.identity';

/** IAM role names are at most 64 characters. */
export const ROLE_NAME_MAX = IAM_QUOTAS.roleNameChars;
/** HCP Terraform workspace names are at most 90 characters. */
export const WORKSPACE_NAME_MAX = HCP_TERRAFORM_LIMITS.workspaceNameChars;

/** `cdktf.out/stacks/<stack>`: where a stack's Terraform runs (and an HCP workspace's working directory). */
export function stackWorkingDirectory(stackId: string): string {
  return `cdktf.out/stacks/${stackId}`;
}

/**
 * Terraform versions: import blocks need 1.5 (local stays as it was). The
 * S3 backend's native locking (use_lockfile) is GA in 1.11; the cloud
 * block's `project` is recent too, and 1.11 is what these stacks are tested
 * with, so both remote backends ask for it (an HCP workspace picks its own
 * version: set it to 1.11 or later).
 */
export function requiredTerraformVersion(backend: BackendPlan['kind']): string {
  return backend === 'local' ? '>= 1.5.0' : '>= 1.11.0';
}

export function workspaceName(org: OrgFile, stackId: string): string {
  return `${org.deploy.cloud?.workspacePrefix ?? 'rolecall-'}${stackId}`;
}

function backendKey(keyPrefix: string, stackId: string): string {
  return `${keyPrefix}${stackId}.tfstate`;
}

/** The backend of one stack, as deploy.backend says. The model guarantees the sections each backend needs. */
export function backendFor(org: OrgFile, stackId: string): BackendPlan {
  const deploy = org.deploy;
  if (deploy.backend === 's3' && deploy.s3) {
    const s3 = deploy.s3;
    const plan: BackendPlan = {
      kind: 's3',
      bucket: s3.bucket,
      key: backendKey(s3.keyPrefix, stackId),
      region: s3.region ?? org.organization.region,
      encrypt: true,
      useLockfile: true,
    };
    if (s3.kmsKeyId) plan.kmsKeyId = s3.kmsKeyId;
    if (s3.assumeRole) plan.assumeRoleArn = s3.assumeRole;
    return plan;
  }
  if (deploy.backend === 'cloud' && deploy.cloud) {
    return {
      kind: 'cloud',
      organization: deploy.cloud.organization,
      project: deploy.cloud.project ?? '',
      workspace: workspaceName(org, stackId),
    };
  }
  return localState(stackId);
}

/**
 * Provider settings of a stack in `accountName`. Only `assume-role` chains
 * roles: a member stack assumes the deploy role from the master account's
 * credentials. With `tfc-dynamic`, HCP Terraform hands the run the role of
 * its phase (TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN), so the
 * provider takes the ambient credentials, as with `environment`; in every
 * mode allowed_account_ids refuses any other account.
 */
export function providerFor(org: OrgFile, accountName: string, accountId: string, isMaster: boolean): ProviderPlan {
  const provider: ProviderPlan = {
    region: org.organization.region,
    allowedAccountIds: [accountId],
    defaultTags: { ...org.accounts[accountName].tags, ...managedByTags(org) },
  };
  if (!isMaster && org.deploy.credentials === 'assume-role') provider.assumeRoleArn = deployRoleArn(org, accountId);
  return provider;
}

// ---------------------------------------------------------------------------
// Plan and apply roles

export function deployRoleName(stackId: string, phase: RunPhase): string {
  return `rolecall-${stackId}-${phase}`;
}

export function deployRoleArnFor(accountId: string, stackId: string, phase: RunPhase): string {
  return roleArn(accountId, DEPLOY_ROLE_PATH, deployRoleName(stackId, phase));
}

/** The `sub` claim of HCP Terraform's token for one workspace and phase. */
export function tfcSubject(organization: string, project: string, workspace: string, phase: RunPhase): string {
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`;
}

/** Trust: HCP Terraform's OIDC provider in this account, our audience, exactly this workspace and phase. */
export function tfcTrustPolicy(accountId: string, subject: string, phase: RunPhase): PolicyDocument {
  return policyDocument([
    {
      Sid: phase === 'plan' ? 'HcpTerraformPlanPhase' : 'HcpTerraformApplyPhase',
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn(accountId) },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${TFC_HOSTNAME}:aud`]: TFC_AUDIENCE, [`${TFC_HOSTNAME}:sub`]: subject } },
    },
  ]);
}

/**
 * Every stack a workspace may exist for, by account: master (+ organization
 * when managed) in the master account, `account-<name>` in every member
 * with an id, whether or not it has grants yet. The bootstrap covers them
 * all, so a first grant on an existing account needs no second bootstrap.
 */
export function deployableStacks(org: OrgFile): DeployedStack[] {
  const master = masterAccount(org);
  // The stack holding people: `master`, or `identity` in the identity account when it is apart (then the
  // management account gets an `account-<master>` stack like any member).
  const identity = identityAccount(org);
  const out: DeployedStack[] = [{ id: identityStackId(org), kind: 'master', account: identity }];
  // People shards, and while previousCount is set the shards people leave: each its own workspace and roles.
  const peopleStacks = peopleStackCount(peopleShards(org));
  for (let i = 0; i < peopleStacks; i++) out.push({ id: peopleStackId(i), kind: 'people', account: identity });
  if (org.organization.manage) out.push({ id: ORGANIZATION_STACK_ID, kind: 'organization', account: master });
  for (const name of Object.keys(org.accounts).sort()) {
    const id = org.accounts[name].id;
    if (name === identity.name || !id) continue;
    out.push({ id: accountStackId(name), kind: 'account', account: { name, id } });
  }
  return out;
}

function deployRoles(org: OrgFile, stack: DeployedStack): DeployRolePlan[] {
  const cloud = org.deploy.cloud!;
  const workspace = workspaceName(org, stack.id);
  return (['plan', 'apply'] as const).map((phase) => {
    const subject = tfcSubject(cloud.organization, cloud.project ?? '', workspace, phase);
    return {
      key: `${stack.id}-${phase}`,
      stack: stack.id,
      phase,
      name: deployRoleName(stack.id, phase),
      path: DEPLOY_ROLE_PATH,
      arn: deployRoleArnFor(stack.account.id, stack.id, phase),
      description:
        phase === 'plan'
          ? `rolecall: HCP Terraform plans of workspace ${workspace} (read-only)`
          : `rolecall: HCP Terraform applies of workspace ${workspace}`,
      subject,
      trustPolicy: tfcTrustPolicy(stack.account.id, subject, phase),
      policy:
        phase === 'plan'
          ? planRolePolicy(stack.kind)
          : applyRolePolicy(stack.kind, stack.account.id, org.organization.rolePath, org.deploy.assumeRoleName, {
              alias: (stack.kind === 'account' || stack.kind === 'master') && org.accounts[stack.account.name].alias !== undefined,
            }),
      tags: { Workspace: workspace, RunPhase: phase },
    };
  });
}

// ---------------------------------------------------------------------------
// Workspaces

function workspaceFor(org: OrgFile, stackId: string, account: { name: string; id: string }, backend: BackendPlan): WorkspacePlan {
  const plan: WorkspacePlan = { stack: stackId, account, workingDirectory: stackWorkingDirectory(stackId), backend };
  const dynamic = org.deploy.credentials === 'tfc-dynamic';
  if (dynamic) {
    plan.planRoleArn = deployRoleArnFor(account.id, stackId, 'plan');
    plan.applyRoleArn = deployRoleArnFor(account.id, stackId, 'apply');
  }
  if (backend.kind === 'cloud') {
    const env: Record<string, string> = {};
    if (dynamic) {
      env.TFC_AWS_APPLY_ROLE_ARN = plan.applyRoleArn!;
      env.TFC_AWS_PLAN_ROLE_ARN = plan.planRoleArn!;
      env.TFC_AWS_PROVIDER_AUTH = 'true';
    }
    plan.cloud = {
      organization: backend.organization,
      project: backend.project,
      workspace: backend.workspace,
      // assume-role runs on the admin's machine with master credentials: HCP only holds state.
      executionMode: org.deploy.credentials === 'assume-role' ? 'local' : 'remote',
      env,
      triggerPatterns: [`/${plan.workingDirectory}/**/*`],
    };
  }
  return plan;
}

export function buildDeployPlan(
  org: OrgFile,
  stacks: StackPlan[],
  organizationStack?: { id: string; account: { name: string; id: string }; backend: BackendPlan },
): DeployPlan {
  const all = [...stacks, ...(organizationStack ? [organizationStack] : [])];
  const identity = stacks.find((s) => s.kind === 'master');
  return {
    backend: org.deploy.backend,
    credentials: org.deploy.credentials,
    workspaces: all.map((s) => {
      const workspace = workspaceFor(org, s.id, s.account, s.backend);
      if ('kind' in s && s.kind === 'people' && identity) workspace.applyAfter = [identity.id];
      return workspace;
    }),
  };
}

export function applyCredentials(plan: OrgPlan): ApplyCredential[] {
  return plan.deploy.workspaces.map((w): ApplyCredential => {
    const base = { stack: w.stack, account: w.account, level: 'admin' as const };
    if (plan.deploy.credentials === 'tfc-dynamic') return { ...base, kind: 'tfc-apply-role', roleArn: w.applyRoleArn };
    const assumed = plan.stacks.find((s) => s.id === w.stack)?.provider.assumeRoleArn;
    return assumed ? { ...base, kind: 'deploy-role', roleArn: assumed } : { ...base, kind: 'ambient' };
  });
}

// ---------------------------------------------------------------------------
// The bootstrap stack

/** The bootstrap stack, or undefined when the chosen backend and credentials need nothing created. */
export function buildBootstrapStack(org: OrgFile): BootstrapStackPlan | undefined {
  const dynamic = org.deploy.credentials === 'tfc-dynamic';
  const s3 = org.deploy.backend === 's3' ? org.deploy.s3 : undefined;
  if (!dynamic && !s3) return undefined;
  const master = masterAccount(org);
  const bootstrapProvider = (name: string, id: string, region: string): ProviderPlan => {
    const provider: ProviderPlan = { region, allowedAccountIds: [id], defaultTags: managedByTags(org) };
    // The admin runs bootstrap with master credentials; members are reached through the deploy role.
    if (name !== master.name) provider.assumeRoleArn = deployRoleArn(org, id);
    return provider;
  };

  const accounts: BootstrapAccountPlan[] = [];
  if (dynamic) {
    const stacks = deployableStacks(org);
    const accountNames = [...new Set(stacks.map((s) => s.account.name))].sort();
    for (const name of accountNames) {
      const id = org.accounts[name].id!;
      accounts.push({
        key: name,
        account: { name, id },
        provider: bootstrapProvider(name, id, org.organization.region),
        oidcProvider: { url: TFC_OIDC_URL, clientIds: [TFC_AUDIENCE], arn: oidcProviderArn(id) },
        roles: stacks.filter((s) => s.account.name === name).flatMap((s) => deployRoles(org, s)),
      });
    }
  }

  const plan: BootstrapStackPlan = { id: BOOTSTRAP_STACK_ID, backend: localState(BOOTSTRAP_STACK_ID), accounts };
  if (s3) {
    const name = s3.account ?? master.name;
    const id = org.accounts[name].id!;
    const region = s3.region ?? org.organization.region;
    plan.stateBucket = {
      bucket: s3.bucket,
      region,
      account: { name, id },
      provider: bootstrapProvider(name, id, region),
      policy: stateBucketPolicy(s3.bucket),
      // S3 takes at most 1,000 rules per bucket: past that, the first 1,000 stacks (docs/credentials.md).
      lockObjects: deployableStacks(org)
        .slice(0, S3_QUOTAS.lifecycleRulesPerBucket)
        .map((st) => ({ stack: st.id, key: `${backendKey(s3.keyPrefix, st.id)}.tflock` })),
    };
    if (s3.kmsKeyId) plan.stateBucket.kmsKeyId = s3.kmsKeyId;
  }
  return plan;
}

/** Does deploy.adopt ask to import this function's role in this account? */
export function adoptsRole(org: OrgFile, fn: string, accountName: string): boolean {
  const accounts = org.deploy.adopt?.roles[fn];
  return accounts === '*' || (Array.isArray(accounts) && accounts.includes(accountName));
}

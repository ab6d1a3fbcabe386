/**
 * What each pipeline applies with (SPEC section 5): the credentials of its
 * apply run in every account whose stack it applies. A pipeline's changers
 * hold what these credentials hold, so the access matrix reads its pipeline
 * paths from here, not from the pipeline's `accounts` list alone.
 *
 * Read from the plan, never restated from the file: an account's stack
 * applies with what the deploy plan says it does (applyCredentials: the
 * stack's provider role, or the workspace's apply role under tfc-dynamic),
 * so the report names the roles the deploy and bootstrap stacks really use.
 * A selected account with no stack yet (no id, or nothing of rolecall's
 * there so far) still counts (the report errs high): its first stack applies
 * with its deployable stack's apply role (the bootstrap creates it under
 * tfc-dynamic) or the deploy mode's credentials.
 */
import type { AccessLevel } from '../model/schema';
import type { PlanContext } from '../access/from-plan';
import { accountStackId, roleArn } from './names';
import { applyCredentials, deployRoleName } from './deploy';
import type { ApplyCredential, OrgPlan } from './types';

/** What rolecall's own stacks do that makes an apply run `admin`: they write role policies. */
export const APPLY_EVIDENCE_ACTION = 'iam:PutRolePolicy';

export interface PipelineCredential {
  account: string;
  /**
   * ambient: the runner's own credentials (the master stack is always applied
   * with them; every stack with `deploy.credentials: environment`);
   * deploy-role: `deploy.assumeRoleName` in the member account;
   * apply-role: a per-workspace apply role (tfc-dynamic).
   */
  kind: 'ambient' | 'deploy-role' | 'apply-role';
  /** The role assumed, when there is one. */
  role?: string;
  /** Absent while the account has no id, or for ambient credentials. */
  roleArn?: string;
  /** `admin`: every stack rolecall emits creates or changes IAM roles (and in master, users and groups). */
  level: AccessLevel;
  action: string;
}

const KINDS: Record<ApplyCredential['kind'], PipelineCredential['kind']> = {
  'tfc-apply-role': 'apply-role',
  'deploy-role': 'deploy-role',
  ambient: 'ambient',
};

/** A role's name: the last segment of its ARN (after its path). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * Per account, the credentials its stack applies with: the account's own stack (the identity stack in
 * the identity account, `account-<name>` elsewhere; not a people shard or the organization stack, which
 * the access engine reads as credentials of their own).
 */
function accountCredentials(plan: OrgPlan): Map<string, ApplyCredential> {
  const own = new Set(plan.stacks.filter((s) => s.kind !== 'people').map((s) => s.id));
  const out = new Map<string, ApplyCredential>();
  for (const c of applyCredentials(plan)) if (own.has(c.stack) && !out.has(c.account.name)) out.set(c.account.name, c);
  return out;
}

/** The stack an account will have, and what its apply will run with, for an account the plan has no stack for yet. */
function pendingCredential(
  plan: OrgPlan,
  ctx: PlanContext,
  account: PlanContext['accounts'][number],
): Omit<PipelineCredential, 'level' | 'action'> {
  const credentials = plan.deploy.credentials;
  if (credentials === 'environment') return { account: account.name, kind: 'ambient' };
  if (credentials === 'tfc-dynamic') {
    const stack = account.identity ? (plan.stacks.find((s) => s.kind === 'master')?.id ?? 'master') : accountStackId(account.name);
    // The bootstrap creates an apply role for every deployable stack, grants or not.
    const created = plan.bootstrapStack?.accounts
      .find((a) => a.account.name === account.name)
      ?.roles.find((r) => r.stack === stack && r.phase === 'apply');
    return {
      account: account.name,
      kind: 'apply-role',
      role: created?.name ?? deployRoleName(stack, 'apply'),
      ...(created ? { roleArn: created.arn } : {}),
    };
  }
  // assume-role: the management account's stacks run on its ambient credentials, members' through the deploy role.
  if (account.management) return { account: account.name, kind: 'ambient' };
  const role = ctx.deploy.assumeRoleName;
  return { account: account.name, kind: 'deploy-role', role, ...(account.id ? { roleArn: roleArn(account.id, '/', role) } : {}) };
}

/**
 * The credentials every pipeline applies with, per account it applies (its selector, or every account),
 * by pipeline name; each list in the selector's order of accounts.
 */
export function pipelineCredentials(plan: OrgPlan, ctx: PlanContext): Map<string, PipelineCredential[]> {
  const applied = accountCredentials(plan);
  const accounts = new Map(ctx.accounts.map((a) => [a.name, a]));
  const out = new Map<string, PipelineCredential[]>();
  for (const pipeline of ctx.pipelines) {
    out.set(
      pipeline.name,
      pipeline.accounts.map((name): PipelineCredential => {
        const base = { level: 'admin' as const, action: APPLY_EVIDENCE_ACTION };
        const c = applied.get(name);
        if (c === undefined)
          return { ...pendingCredential(plan, ctx, accounts.get(name) ?? { name, management: false, identity: false }), ...base };
        const kind = KINDS[c.kind];
        if (kind === 'ambient' || c.roleArn === undefined) return { account: name, kind, ...base };
        return { account: name, kind, role: roleNameOf(c.roleArn), roleArn: c.roleArn, ...base };
      }),
    );
  }
  return out;
}

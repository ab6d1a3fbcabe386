/**
 * Every limit rolecall enforces, in one place: AWS's quotas (IAM, STS,
 * Organizations) and the loader's own bounds. Checks import them from here,
 * so a raised quota or a new AWS figure is one edit, and a reviewer can see
 * every number at once. Figures are AWS's defaults unless noted.
 */

/** The loader (src/model/source.ts): bounds that keep a hostile file from costing memory or stack. */
export const SOURCE_LIMITS = {
  /** A 5,000-person organisation is about 2 MB. */
  bytes: 16 * 1024 * 1024,
  /** Maps and lists inside each other; an org file needs fewer than 10. */
  depth: 64,
  /** Indentation beyond this cannot be an org file, and would nest deep enough to overflow the parser's stack. */
  indentColumns: 1024,
  /**
   * Nodes that aliases may add once expanded (an anchored permission set of
   * 50 nodes reused in 300 accounts is 15,000). Counted before anything
   * expands them, so an alias bomb is refused in linear time (RC008).
   */
  aliasedNodes: 100_000,
  /**
   * How much text the fixes of YAML errors may re-parse in all, per file
   * (src/model/yaml-errors.ts): about a second of parsing on a slow machine.
   */
  reparseBytes: 1_500_000,
} as const;

/** Names, people and values checked by the model (src/model/references.ts): IAM's limits, or ours where noted. */
export const LIMITS = {
  /**
   * Below 5 minutes MFA would have to be re-entered for nearly every role
   * switch. Above 24 hours the MFA would outlive the longest session it can
   * back: GetSessionToken / console sessions of IAM users last at most 36h
   * (12h for the console), and a day is the longest "one working day, one
   * MFA prompt" that a reviewer can still call fresh (docs/org-file.md).
   */
  mfaMaxAgeSeconds: { min: 5 * 60, max: 24 * 3600 },
  /** functions.<fn>.breakGlass: how far ahead a break-glass membership may end (rolecall's bound: at most a day). */
  breakGlassSeconds: { min: 15 * 60, max: 24 * 3600 },
  /** IAM role MaxSessionDuration: 1 to 12 hours (IAM CreateRole API reference). */
  sessionDurationSeconds: { min: 3600, max: 12 * 3600 },
  /** IAM: 10 groups per user (IAM and AWS STS quotas), one of them the generated RequireMFA group. */
  functionsPerPerson: 9,
  /** IAM user names: at most 64 characters (IAM and AWS STS quotas). */
  userNameChars: 64,
  /** Function name = role name: IAM role names are at most 64 characters (IAM and AWS STS quotas). */
  functionNameChars: 64,
  /** Account names name stacks, state files and SCPs (`rolecall-services-<name>`, 128): short enough for every file system. */
  accountNameChars: 64,
  /** Permission set name = inline policy name (IAM and AWS STS quotas: policy names, 128). */
  permissionSetNameChars: 128,
  /** IAM users per account (IAM and AWS STS quotas). */
  people: 5000,
  /** IAM role descriptions (IAM CreateRole API reference). */
  descriptionChars: 1000,
  /** Tag keys and values (IAM and AWS STS quotas, "Tagging IAM resources"; Organizations alike). */
  tagKeyChars: 128,
  tagValueChars: 256,
  /** IAM and Organizations: 50 tags per resource, less the 4 rolecall adds at most (ManagedBy, Organization, and Name and Email on users). */
  accountTags: 46,
  /**
   * organization.peopleShards at most (rolecall's bound): 5,000 people
   * (IAM's quota) fit in about 60 shards of at most 500 resources.
   */
  peopleShards: 256,
  /** Smallest RSA, DSA or ElGamal pgpKey accepted, in bits (NIST SP 800-131A; OpenPGP.js refuses below 2047 too). */
  pgpMinBits: 2048,
  /** IAM UpdateAccountPasswordPolicy bounds (its API reference). */
  passwordPolicy: {
    minimumLength: { min: 6, max: 128 },
    maxAge: { min: 1, max: 1095 },
    reusePrevention: { min: 1, max: 24 },
  },
} as const;

/**
 * IAM quotas checked on the plan (src/checks/rules/rc40*.ts), from the IAM
 * User Guide's "IAM and AWS STS quotas" page. Several can be raised by
 * request; a plan needing that should say so up front.
 */
export const IAM_QUOTAS = {
  /** Role trust policy length (the default; raisable to 4,096). */
  roleTrustPolicyChars: 2048,
  roleInlinePolicyChars: 10240, // all inline policies of one role together
  /** Managed policies attached to a role, and to a group (defaults; raisable to 20 and 10). */
  managedPoliciesPerRole: 10,
  managedPoliciesPerGroup: 10,
  /** A customer managed policy (IAM counts characters without white space). */
  managedPolicyChars: 6144,
  /** IAM paths, and policy names. */
  pathChars: 512,
  policyNameChars: 128,
  /** Role names (the deploy roles' `rolecall-<stack>-<phase>` among them). */
  roleNameChars: 64,
  /** MaxSessionDuration's least value, 1 hour: what the deploy roles use (a run is short; STS AssumeRole default). */
  roleSessionMinSeconds: 3600,
} as const;

/**
 * rolecall's own bounds on what it generates (not AWS quotas: each says why).
 */
export const PLAN_LIMITS = {
  /**
   * Room left below IAM_QUOTAS.managedPolicyChars when a function group's
   * assume-role policy is split into parts (src/plan/build.ts): the split
   * measures statements one by one, this absorbs the separators it rounds.
   */
  managedPolicySplitMarginChars: 64,
  /** Generated console passwords: long, and changed at first sign-in (IAM accepts up to 128). */
  loginPasswordLength: 24,
  /** A people stack should stay under this many resources (a notice, RC410): a person's change plans quickly. */
  peopleStackResourcesTarget: 500,
  /** Every stack under this many resources (an error, RC411): larger plans take minutes against IAM's rate limits. */
  stackResourcesMax: 1000,
} as const;

/** HCP Terraform's limits (its API documentation for workspaces). */
export const HCP_TERRAFORM_LIMITS = {
  /** Workspace names are at most 90 characters. */
  workspaceNameChars: 90,
} as const;

/** IAM Identity Center quotas (its User Guide's "Quotas" page and the CreatePermissionSet API reference). */
export const IDENTITY_CENTER_QUOTAS = {
  /** Permission set names: 1-32 characters of [\w+=,.@-]. */
  permissionSetNameChars: 32,
} as const;

/** Amazon S3 quotas (the S3 User Guide). */
export const S3_QUOTAS = {
  /** Lifecycle configuration rules per bucket: the state bucket's lock-object rules stop at the first 1,000 stacks. */
  lifecycleRulesPerBucket: 1000,
} as const;

/** AWS Organizations quotas checked on the organization stack (src/checks/rules/rc3*.ts), from its User Guide's "Quotas for AWS Organizations". */
export const ORGANIZATIONS_QUOTAS = {
  /** Service control policy size (resource control policies alike). */
  scpChars: 5120,
  /** Per root, OU or account, including the FullAWSAccess policy AWS attaches by default. */
  scpsPerTarget: 5,
  ouNameChars: 128,
  /** OUs nest at most five levels below the root. */
  ouDepth: 5,
  accountNameChars: 50,
  /** Account e-mail addresses: 6 to 64 characters (CreateAccount API reference). */
  accountEmailChars: 64,
  policyNameChars: 128,
} as const;

/**
 * The org file's shape (SPEC section 1), as a zod schema. Every type of the
 * model is inferred from here; nothing else declares the file's keys.
 *
 * Objects are strict (`z.strictObject`): an unknown key is an error, because
 * a misspelt key in an access file silently means "no access" or worse.
 * Defaults live here too, so the rest of the code sees a complete model.
 */
import { z } from 'zod';
import { LIMITS } from '../limits';

/** Names used as keys and in AWS names: accounts, functions, the organisation. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
export const NAME_EXPECTED = 'a name of lowercase letters, digits and "-", starting with a letter';
const name = z.string().regex(NAME_PATTERN, { message: NAME_EXPECTED });

/** IAM user names: letters, digits and + = , . @ _ - (max 64, checked with the quotas). */
export const USER_NAME_PATTERN = /^[A-Za-z0-9+=,.@_-]+$/;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const accountId = z.string().regex(ACCOUNT_ID_PATTERN, { message: 'a 12-digit account id as a quoted string, e.g. "123456789012"' });

/** Durations as written in the file: 15m, 1h, 12h, 90s. */
export const DURATION_PATTERN = /^(\d+)(s|m|h)$/;
/** What a duration looks like, in every message about one (src/model/issues.ts adds a suggestion when it sees it). */
export const DURATION_EXPECTED = 'a duration such as 15m, 1h or 12h';
const duration = z.string().regex(DURATION_PATTERN, { message: DURATION_EXPECTED });

/** HCP Terraform names: organisations and workspaces take letters, digits, "-" and "_". */
export const HCP_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** HCP Terraform project names: letters, digits, spaces, "-" and "_", 3 to 40 characters. */
export const HCP_PROJECT_PATTERN = /^[A-Za-z0-9 _-]{3,40}$/;
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export const DATA_CLASSES = ['customer', 'internal', 'test', 'none'] as const;
export const ENVIRONMENTS = ['production', 'non-production'] as const;
/**
 * Lowest first. `permissions` = resource policies and sharing; `admin` = can
 * create or change IAM principals, their policies or trust: full control of
 * the account (src/iam/actions.ts says which actions).
 */
export const ACCESS_LEVELS = ['none', 'list', 'read', 'write', 'permissions', 'admin'] as const;

const tags = z.record(z.string(), z.string());

/** One string or a list of them: `admin` or `[admin, logs-read]`. */
const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);

/**
 * Which accounts something applies to: `"*"` (every account but the master
 * and the identity account), a list of account names, or an object whose
 * keys must all match (never the master nor the identity account either),
 * less the accounts named in `except`. `{ except: [a] }` alone = `"*"` but a.
 */
export const selectorObjectSchema = z.strictObject({
  ou: z.string().optional(),
  data: z.enum(DATA_CLASSES).optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  tags: tags.optional(),
  except: z.array(z.string()).min(1).optional(),
});
export const selectorSchema = z.union([z.literal('*'), z.array(z.string()).min(1), selectorObjectSchema]);

/**
 * The identity account's IAM password policy (SPEC section 1). Defaults are
 * rolecall's long-standing values; AWS's bounds are checked in the model
 * (src/model/references.ts, LIMITS.passwordPolicy) so the error can name them.
 */
export const PASSWORD_POLICY_DEFAULTS = { minimumLength: 14, maxAge: 90, reusePrevention: 24 } as const;
export const passwordPolicySchema = z.strictObject({
  minimumLength: z.number().int().default(PASSWORD_POLICY_DEFAULTS.minimumLength),
  maxAge: z.number().int().default(PASSWORD_POLICY_DEFAULTS.maxAge),
  reusePrevention: z.number().int().default(PASSWORD_POLICY_DEFAULTS.reusePrevention),
});

/** Upper bound of organization.peopleShards (src/limits.ts says why). */
export const PEOPLE_SHARDS_MAX = LIMITS.peopleShards;
const peopleShardCount = z.number().int().min(1).max(PEOPLE_SHARDS_MAX);

/** An access key id (never the secret): what Terraform imports an access key by. */
export const ACCESS_KEY_ID_PATTERN = /^AKIA[0-9A-Z]{16}$/;

/** Who people are (SPEC sections 1 and 5b): IAM users in the identity account, or IAM Identity Center. */
export const PEOPLE_BACKENDS = ['iam-users', 'identity-center'] as const;

/** `arn:aws:sso:::instance/ssoins-0123456789abcdef` (AWS's own pattern for InstanceArn). */
export const IDC_INSTANCE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
/** `d-0123456789` (AWS's pattern for IdentityStoreId also admits a UUID). */
export const IDC_IDENTITY_STORE_PATTERN = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** An identity store group id: a UUID, optionally after a 10-character prefix (AWS's GroupId pattern). */
export const IDC_GROUP_ID_PATTERN = /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

/**
 * organization.identityCenter: the instance rolecall writes to (docs/identity-center.md). Its ids
 * come from the file (`aws sso-admin list-instances`), so a plan needs no look-up.
 */
export const identityCenterSchema = z.strictObject({
  instanceArn: z.string().regex(IDC_INSTANCE_ARN_PATTERN, {
    message: 'an Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef',
  }),
  identityStoreId: z.string().regex(IDC_IDENTITY_STORE_PATTERN, { message: 'an identity store id such as d-0123456789' }),
  /** The account (name) that administers Identity Center: the master (default) or a delegated administrator. */
  account: z.string().optional(),
  /**
   * Function -> the group id an external IdP (SCIM) provisions: rolecall then creates no groups,
   * users or memberships, only permission sets and account assignments.
   */
  groups: z.record(z.string(), z.string().regex(IDC_GROUP_ID_PATTERN, { message: 'an identity store group id (a UUID)' })).optional(),
  /** Where the AWS access portal sends people after sign-in, for every permission set (optional). */
  relayState: z
    .string()
    .regex(/^https:\/\/[\x21-\x7e]{1,236}$/, { message: 'an https:// URL of at most 240 characters' })
    .optional(),
});

export const organizationSchema = z.strictObject({
  name,
  region: z.string().regex(REGION_PATTERN, { message: 'an AWS region such as eu-west-1' }),
  master: z.string(),
  /** The account holding people, groups and RequireMFA; absent = the master (see identityAccount()). */
  identity: z.string().optional(),
  /** `iam-users` (absent), `identity-center`, or both while people move (docs/identity-center.md). */
  people: z.union([z.enum(PEOPLE_BACKENDS), z.array(z.enum(PEOPLE_BACKENDS)).min(1)]).optional(),
  identityCenter: identityCenterSchema.optional(),
  passwordPolicy: passwordPolicySchema.default({ ...PASSWORD_POLICY_DEFAULTS }),
  rolePath: z
    .string()
    .regex(/^\/([\x21-\x7e]+\/)?$/, { message: 'an IAM path: "/" or "/segment/.../" (starts and ends with "/")' })
    .default('/'),
  manage: z.boolean().default(false),
  id: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/, { message: 'an organization id such as o-abc123defg' })
    .optional(),
  rootId: z
    .string()
    .regex(/^r-[0-9a-z]{4,32}$/, { message: 'a root id such as r-ab12' })
    .optional(),
  /**
   * People in `people-<i>` stacks instead of the identity stack (docs/org-file.md#people-shards):
   * a count, or `{ count, previousCount }` while people move between layouts. Absent = 1.
   * `checkGroupMembers: true` adds each shard's outsider checks (their reads make every plan exit 2 under -detailed-exitcode).
   */
  peopleShards: z
    .union([
      peopleShardCount,
      z.strictObject({ count: peopleShardCount, previousCount: peopleShardCount.optional(), checkGroupMembers: z.boolean().optional() }),
    ])
    .optional(),
});

export const accountSchema = z.strictObject({
  id: accountId.optional(),
  email: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'an email address' })
    .optional(),
  ou: z.string().optional(),
  data: z.enum(DATA_CLASSES).default('none'),
  environment: z.enum(ENVIRONMENTS).default('non-production'),
  services: z
    .array(z.string().regex(/^[a-z0-9-]+$/, { message: 'an IAM service prefix such as s3 or ec2' }))
    .min(1)
    .optional(),
  tags: tags.default({}),
  /** IAM account alias (sign-in URL); AWS's rules are checked in the model. */
  alias: z.string().optional(),
  /** Amazon Cognito identity pools allowed in this member account (the perimeter denies them elsewhere). */
  cognitoIdentityPools: z.boolean().optional(),
});

export const statementSchema = z.strictObject({
  sid: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, { message: 'letters and digits only (an IAM Sid)' })
    .optional(),
  effect: z.enum(['Allow', 'Deny']).default('Allow'),
  actions: z.array(z.string()).min(1),
  resources: z.array(z.string()).min(1).default(['*']),
  conditions: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean(), z.number()]))).optional(),
});

export const permissionSetSchema = z
  .strictObject({
    description: z.string().optional(),
    managed: z.array(z.string()).min(1).optional(),
    statements: z.array(statementSchema).min(1).optional(),
  })
  .refine((p) => p.managed !== undefined || p.statements !== undefined, {
    message: 'a permission set needs `managed`, `statements` or both',
  });

/**
 * An instant as RFC 3339 in UTC, to the second: `2026-12-10T18:00:00Z`. What
 * IAM's DateLessThan compares aws:CurrentTime with (a real date: the model checks).
 */
export const UNTIL_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const until = z.string().regex(UNTIL_PATTERN, { message: 'an RFC 3339 UTC instant such as "2026-12-10T18:00:00Z" (quoted)' });

/** `access` in list form: one grant per item. */
export const grantSchema = z.strictObject({
  accounts: selectorSchema,
  permissions: oneOrMany,
  /** Role name in the selected accounts (default: the function's name); several functions may share one. */
  role: z.string().optional(),
  /** Role max session duration in the selected accounts (default: the function's sessionDuration). */
  sessionDuration: duration.optional(),
  /** The grant expires then: the group's assume statement for these roles carries DateLessThan aws:CurrentTime. */
  until: until.optional(),
});

export const functionSchema = z.strictObject({
  description: z.string().optional(),
  mfaMaxAge: duration.default('1h'),
  sessionDuration: duration.default('1h'),
  access: z.union([z.record(z.string(), oneOrMany), z.array(grantSchema)]),
  /** Machine principals (IAM role or account root ARNs) the function's roles trust without MFA. */
  principals: z.array(z.string()).min(1).optional(),
  /** Permission sets attached to the function's group in the identity account itself. */
  identityPermissions: oneOrMany.optional(),
  /**
   * A break-glass function: normally nobody's; every membership must be time-bound, ending at most this
   * long after `validate` runs (docs/break-glass.md).
   */
  breakGlass: duration.optional(),
});

/** A membership: a function's name, or `{ name, until }` for one that expires (the person is then no group member). */
export const membershipSchema = z.union([z.string(), z.strictObject({ name: z.string(), until })]);

const personObjectSchema = z.strictObject({
  name: z.string().min(1),
  email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'an email address' }),
  functions: z.array(membershipSchema).default([]),
  console: z.boolean().default(false),
  accessKey: z.boolean().default(false),
  pgpKey: z.string().min(1).optional(),
  /** The id (not the secret) of the person's existing access key: lets a move between people stacks import it. */
  accessKeyId: z
    .string()
    .regex(ACCESS_KEY_ID_PATTERN, { message: 'an access key id such as AKIAIOSFODNN7EXAMPLE (20 characters, never the secret)' })
    .optional(),
});

/**
 * A person. `functions` comes out as names only, in file order (so every
 * reader and every `functions[i]` path stays as before); the time-bound
 * ones are also in `until`: function -> instant.
 */
type PersonFields = Omit<z.infer<typeof personObjectSchema>, 'functions'>;
export const personSchema = personObjectSchema.transform(
  ({ functions, ...rest }): PersonFields & { functions: string[]; until?: Record<string, string> } => {
    const names = functions.map((m) => (typeof m === 'string' ? m : m.name));
    const bound = functions.filter((m): m is { name: string; until: string } => typeof m !== 'string');
    if (bound.length === 0) return { ...rest, functions: names };
    return { ...rest, functions: names, until: Object.fromEntries(bound.map((m) => [m.name, m.until])) };
  },
);

export const guardrailSchema = z.strictObject({
  name: z.string().min(1),
  functions: z.array(z.string()).optional(),
  people: z.array(z.string()).optional(),
  accounts: selectorSchema.default('*'),
  maxAccess: z.enum(ACCESS_LEVELS),
  /**
   * More than maxAccess, up to timeBound.maxAccess, only through a time-bound grant or membership
   * ending at most `within` after validate runs: "admin on production only time-bound, at most 12 h".
   */
  timeBound: z.strictObject({ maxAccess: z.enum(ACCESS_LEVELS), within: duration }).optional(),
});

export const pipelineSchema = z.strictObject({
  changers: z.array(z.string()).min(1),
  /** Absent: every account, the master included (a pipeline usually applies the master stack too). */
  accounts: selectorSchema.optional(),
});

/**
 * HCP Terraform (deploy.backend: cloud). The project is part of the OIDC
 * subject the plan and apply roles trust, so the model demands it with
 * `backend: cloud` (references.ts) rather than letting HCP pick a default.
 */
export const cloudSchema = z.strictObject({
  organization: z.string().regex(HCP_NAME_PATTERN, { message: 'an HCP Terraform organization name: letters, digits, "-" and "_"' }),
  project: z
    .string()
    .regex(HCP_PROJECT_PATTERN, { message: 'an HCP Terraform project name: 3 to 40 letters, digits, spaces, "-" or "_"' })
    .optional(),
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, { message: 'a workspace name prefix: letters, digits, "-" and "_"' })
    .default('rolecall-'),
});

/** The S3 state backend (deploy.backend: s3): one key per stack, encrypted, S3 native locking. */
export const s3Schema = z.strictObject({
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-"' }),
  /** Default: organization.region. */
  region: z.string().regex(REGION_PATTERN, { message: 'an AWS region such as eu-west-1' }).optional(),
  keyPrefix: z
    .string()
    .regex(/^([A-Za-z0-9_.-]+\/)*$/, { message: 'a key prefix of path segments ending in "/" (e.g. rolecall/), or "" for none' })
    .default('rolecall/'),
  kmsKeyId: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/, { message: 'a KMS key ARN or alias ARN' })
    .optional(),
  /** A role the backend assumes to reach the bucket (e.g. a state account); default: the ambient credentials. */
  assumeRole: z
    .string()
    .regex(ROLE_ARN_PATTERN, { message: 'an IAM role ARN such as arn:aws:iam::111111111111:role/terraform-state' })
    .optional(),
  /** The account (name) whose bootstrap creates the bucket; default the master. */
  account: z.string().optional(),
});

/**
 * Existing IAM users, groups and roles to adopt with import blocks instead
 * of creating them (a hand-made setup moving under rolecall).
 */
export const adoptSchema = z.strictObject({
  /** People whose IAM user (and console password, with console: true) already exists. */
  people: z.array(z.string()).default([]),
  /** Functions whose IAM group already exists in the master account. */
  groups: z.array(z.string()).default([]),
  /** Function -> accounts where its role already exists ("*": every account it is granted). */
  roles: z.record(z.string(), z.union([z.literal('*'), z.array(z.string()).min(1)])).default({}),
});

export const deploySchema = z.strictObject({
  backend: z.enum(['local', 's3', 'cloud']).default('local'),
  credentials: z.enum(['assume-role', 'tfc-dynamic', 'environment']).default('assume-role'),
  assumeRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { message: 'an IAM role name' })
    .default('OrganizationAccountAccessRole'),
  cloud: cloudSchema.optional(),
  s3: s3Schema.optional(),
  adopt: adoptSchema.optional(),
});

/** One statement of a custom SCP: exactly one of actions / notActions (checked in the model). */
export const scpStatementSchema = z.strictObject({
  sid: z
    .string()
    .regex(/^[A-Za-z0-9]+$/, { message: 'letters and digits only (an IAM Sid)' })
    .optional(),
  effect: z.enum(['Allow', 'Deny']).default('Deny'),
  actions: z.array(z.string()).min(1).optional(),
  notActions: z.array(z.string()).min(1).optional(),
  /** Absent: `*`, unless notResources is given. */
  resources: z.array(z.string()).min(1).optional(),
  notResources: z.array(z.string()).min(1).optional(),
  conditions: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean(), z.number()]))).optional(),
});

/** A custom service control policy (SPEC section 1, `scps`), attached to the member accounts it selects. */
export const scpSchema = z.strictObject({
  description: z.string().optional(),
  accounts: selectorSchema,
  statements: z.array(scpStatementSchema).min(1),
});

export const orgFileSchema = z.strictObject({
  version: z.literal(1),
  organization: organizationSchema,
  accounts: z.record(z.string(), accountSchema),
  permissions: z.record(z.string(), permissionSetSchema).default({}),
  functions: z.record(z.string(), functionSchema).default({}),
  people: z.record(z.string(), personSchema).default({}),
  guardrails: z.array(guardrailSchema).default([]),
  pipelines: z.record(z.string(), pipelineSchema).default({}),
  scps: z.record(z.string(), scpSchema).default({}),
  deploy: deploySchema.default({ backend: 'local', credentials: 'assume-role', assumeRoleName: 'OrganizationAccountAccessRole' }),
});

export type OrgFile = z.infer<typeof orgFileSchema>;
export type Organization = OrgFile['organization'];
export type Account = z.infer<typeof accountSchema>;
export type PermissionSet = z.infer<typeof permissionSetSchema>;
export type Statement = z.infer<typeof statementSchema>;
export type OrgFunction = z.infer<typeof functionSchema>;
export type Grant = z.infer<typeof grantSchema>;
export type Person = z.infer<typeof personSchema>;
export type Guardrail = z.infer<typeof guardrailSchema>;
export type Pipeline = z.infer<typeof pipelineSchema>;
export type Deploy = OrgFile['deploy'];
export type Scp = z.infer<typeof scpSchema>;
export type ScpStatement = z.infer<typeof scpStatementSchema>;
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;
export type Adopt = z.infer<typeof adoptSchema>;
export type IdentityCenter = z.infer<typeof identityCenterSchema>;
export type PeopleBackend = (typeof PEOPLE_BACKENDS)[number];
export type Selector = z.infer<typeof selectorSchema>;
export type SelectorObject = z.infer<typeof selectorObjectSchema>;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type DataClass = (typeof DATA_CLASSES)[number];
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Every AWS name and ARN rolecall generates, in one place, so the master
 * stack's group policies and the account stacks' roles can never disagree.
 * Stacks never read each other's state: every ARN is computed from the file.
 */
import type { OrgFile } from '../model/schema';
import type { BackendPlan } from './types';

/** The group every person is in; capitals so it can never clash with a function name ([a-z0-9-]). */
export const REQUIRE_MFA_GROUP = 'RequireMFA';
/** The customer managed policy attached to REQUIRE_MFA_GROUP. */
export const REQUIRE_MFA_POLICY = 'RequireMFA-SelfManageCredentials';

export const MASTER_STACK_ID = 'master';
/** The stack of AWS Organizations itself (organization.manage), in the management account. */
export const ORGANIZATION_STACK_ID = 'organization';

/**
 * The stack holding people, groups, RequireMFA and the password policy:
 * `master` while the identity account is the master (so today's addresses
 * stay), `identity` when it is apart. The management account then gets an
 * ordinary `account-<name>` stack for the roles granted there.
 */
export const IDENTITY_STACK_ID = 'identity';

export function identityStackId(org: OrgFile): string {
  const identity = org.organization.identity ?? org.organization.master;
  return identity === org.organization.master ? MASTER_STACK_ID : IDENTITY_STACK_ID;
}

export function accountStackId(accountName: string): string {
  return `account-${accountName}`;
}

/**
 * The AWS partition of every ARN rolecall writes. The org file has no
 * partition setting (account ids and principals are validated for the
 * standard partitions, but what rolecall generates is `aws`): each ARN
 * function below takes the partition last, defaulting to this, so a
 * partition setting would be one argument away.
 */
export const PARTITION = 'aws';

/** The account part of an SCP or condition pattern that matches every account (`arn:aws:iam::*:role/x`). */
export const ANY_ACCOUNT = '*';

/** `arn:<partition>:iam::<account>:<resource>`: every IAM ARN rolecall writes goes through here. */
export function iamArn(accountId: string, resource: string, partition: string = PARTITION): string {
  return `arn:${partition}:iam::${accountId}:${resource}`;
}

/** A role's ARN; `roleName` may be `*` (a pattern), `accountId` ANY_ACCOUNT. */
export function roleArn(accountId: string, rolePath: string, roleName: string, partition: string = PARTITION): string {
  return iamArn(accountId, `role${rolePath}${roleName}`, partition);
}

/** A customer managed policy's ARN (path `/` or `/x/`). */
export function customerPolicyArn(accountId: string, policyPath: string, policyName: string, partition: string = PARTITION): string {
  return iamArn(accountId, `policy${policyPath}${policyName}`, partition);
}

/** A virtual MFA device's ARN (IAM names it after the user it is for); `name` may be `*`. */
export function mfaDeviceArn(accountId: string, name: string, partition: string = PARTITION): string {
  return iamArn(accountId, `mfa/${name}`, partition);
}

/** An IAM OIDC provider's ARN: named after its host (`app.terraform.io`), or `*`. */
export function oidcProviderArnFor(accountId: string, host: string, partition: string = PARTITION): string {
  return iamArn(accountId, `oidc-provider/${host}`, partition);
}

/** An IAM user's ARN at any path (`/`, `/rolecall/`): users rolecall reads, not only those it makes (userArn). */
export function iamUserArn(accountId: string, userPath: string, userName: string, partition: string = PARTITION): string {
  return iamArn(accountId, `user${userPath}${userName}`, partition);
}

/** An IAM group's ARN. */
export function groupArn(accountId: string, groupPath: string, groupName: string, partition: string = PARTITION): string {
  return iamArn(accountId, `group${groupPath}${groupName}`, partition);
}

/** An IAM SAML provider's ARN (Identity Center's is `AWSSSO_<id>_DO_NOT_DELETE`; `*` patterns allowed). */
export function samlProviderArn(accountId: string, name: string, partition: string = PARTITION): string {
  return iamArn(accountId, `saml-provider/${name}`, partition);
}

/** An AWS managed policy's ARN: `policy/job-function/ViewOnlyAccess` lives in account `aws`. */
export function awsManagedPolicyArn(pathAndName: string, partition: string = PARTITION): string {
  return iamArn('aws', `policy/${pathAndName}`, partition);
}

/** An Identity Store user or group (`arn:aws:identitystore:::user/<store>/<name>`; the real one carries an id nobody knows before it exists). */
export function identityStoreArn(kind: 'user' | 'group', storeId: string, name: string, partition: string = PARTITION): string {
  return `arn:${partition}:identitystore:::${kind}/${storeId}/${name}`;
}

/** An S3 bucket's ARN, and with `objects` the pattern of every object in it (`.../*`). */
export function s3BucketArn(bucket: string, objects = false, partition: string = PARTITION): string {
  return `arn:${partition}:s3:::${bucket}${objects ? '/*' : ''}`;
}

/** HCP Terraform's OIDC issuer and the audience its AWS tokens carry (HCP Terraform docs, "Dynamic Credentials with the AWS Provider"). */
export const TFC_HOSTNAME = 'app.terraform.io';

/**
 * IAM path of the plan and apply roles. A path of their own lets every apply
 * role deny itself (and every other deploy role) any change, even when
 * organization.rolePath is `/`, and lets a services SCP exempt them.
 */
export const DEPLOY_ROLE_PATH = '/rolecall-deploy/';

/** HCP Terraform's OIDC provider in an account (ANY_ACCOUNT: in every account). */
export function oidcProviderArn(accountId: string, partition: string = PARTITION): string {
  return oidcProviderArnFor(accountId, TFC_HOSTNAME, partition);
}

/** `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` -> `job-function-ViewOnlyAccess`: a construct-id-safe key. */
export function managedPolicyKey(arn: string): string {
  return arn.replace(/^arn:[^:]+:iam::[^:]+:policy\//, '').replace(/[^A-Za-z0-9_-]/g, '-');
}

/** Name of the customer managed policy holding permission set `set` on function `fn`'s group (identityPermissions). */
export function identityPolicyName(functionName: string, set: string): string {
  return `${functionName}-identity-${set}`;
}

/** An account's root principal; ANY_ACCOUNT: every account's root. */
export function accountRootArn(accountId: string, partition: string = PARTITION): string {
  return iamArn(accountId, 'root', partition);
}

/**
 * The IAM path of every user rolecall creates. Function roles trust the
 * identity account only for principals under it (roleTrustPolicy), so a user
 * the file does not list (made by hand, left from before) cannot assume a
 * rolecall role even with AdministratorAccess there: it would first have to
 * create a user under this path or join a rolecall group, which is the
 * "admin of the identity account" path the access report already models.
 * Changing an existing user's path is an in-place UpdateUser (no replacement).
 */
export const ROLECALL_USER_PATH = '/rolecall/';

/** A rolecall user's ARN: under ROLECALL_USER_PATH. */
export function userArn(accountId: string, userName: string, partition: string = PARTITION): string {
  return iamArn(accountId, `user${ROLECALL_USER_PATH}${userName}`, partition);
}

/** `aws:PrincipalArn` pattern (ArnLike) of every user rolecall manages in the identity account. */
export function managedUsersArnPattern(identityAccountId: string, partition: string = PARTITION): string {
  return userArn(identityAccountId, '*', partition);
}

/** Tags every resource rolecall manages carries (provider default tags). */
export function managedByTags(org: OrgFile): Record<string, string> {
  return { ManagedBy: 'rolecall', Organization: org.organization.name };
}

/** The deploy role Terraform assumes in a member account (deploy.assumeRoleName). */
export function deployRoleArn(org: OrgFile, accountId: string): string {
  return roleArn(accountId, '/', org.deploy.assumeRoleName);
}

/** Name of part `n` (1-based) of a function group's assume-role policy. */
export function assumePolicyName(functionName: string, part: number): string {
  return `${functionName}-assume-roles-${part}`;
}

/** A person's own policy for a time-bound membership (people.<p>.functions: { name, until }). */
export function timeBoundPolicyName(person: string, functionName: string, part: number): string {
  return `${person}-${functionName}-until-${part}`;
}

export function masterAccount(org: OrgFile): { name: string; id: string } {
  const id = org.accounts[org.organization.master]?.id;
  if (!id) throw new Error('the master account has no id (the model checks this)');
  return { name: org.organization.master, id };
}

/**
 * The account where people, their groups and RequireMFA live
 * (`organization.identity`, default the master). Roles trust this account.
 */
export function identityAccount(org: OrgFile): { name: string; id: string } {
  const name = org.organization.identity ?? org.organization.master;
  const id = org.accounts[name]?.id;
  if (!id) throw new Error('the identity account has no id (the model checks this)');
  return { name, id };
}

/**
 * Local state of a stack: `terraform-state/<stack>.tfstate` beside the
 * output directory (cdktf.out/stacks/<stack>/ is three levels down), kept
 * out of cdktf.out on purpose: see src/stacks/workspace.ts.
 */
export function localState(stackId: string): BackendPlan {
  return { kind: 'local', path: `../../../terraform-state/${stackId}.tfstate` };
}

/**
 * What cdktf keeps of a construct id that is a resource's whole logical id
 * (a top-level construct's `Default` child, e.g. `user-bob.smith/Default`):
 * every character but letters, digits, "_" and "-" is dropped
 * (cdktf makeUniqueId with one component). `user-bob.smith` and
 * `user-bobsmith` are one Terraform address: src/plan/identifiers.ts refuses that.
 */
export function logicalIdText(constructId: string): string {
  return constructId.replace(/[^A-Za-z0-9_-]/g, '');
}

/** Construct id of a person (src/constructs/iam-user.ts): `user-<key>`, a public contract. */
export function personConstructId(key: string): string {
  return `user-${key}`;
}

/** Construct id of a group (src/constructs/iam-group.ts): `group-<key>`. */
export function groupConstructId(key: string): string {
  return `group-${key}`;
}

/**
 * Terraform output name of a person's output: `<key>_<suffix>` where the key
 * is a Terraform identifier (letters, digits, "_", "-"; not starting with a
 * digit or "-"), so `alice_access_key_id`. A user name may hold `+ = , . @`:
 * each becomes "_", and a leading digit or "-" gets a "_" before it, so
 * `bob.smith` -> `bob_smith_access_key_id`. Two keys that become one name
 * are refused (src/plan/identifiers.ts).
 */
export function personOutputName(key: string, suffix: string): string {
  const safe = key.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${/^[A-Za-z_]/.test(safe) ? '' : '_'}${safe}_${suffix}`;
}

/** The outputs a person may have (src/constructs/iam-user.ts), by what they come with. */
export const PERSON_OUTPUT_SUFFIXES = {
  loginProfile: ['password_encrypted', 'password_key_fingerprint'],
  accessKey: ['access_key_id', 'secret_encrypted', 'secret_key_fingerprint'],
} as const;

/**
 * Policy documents as data. Each helper builds one kind of document and
 * sorts what it lists, so the same file always gives the same bytes.
 *
 * `mfaCondition` is the only place that writes an MFA condition: the trust
 * policies and the group policies both use it, so they cannot drift apart.
 */
import type { Statement } from '../model/schema';
import type { ConditionBlock, PolicyDocument, PolicyStatement } from './types';
import { accountRootArn, managedUsersArnPattern, mfaDeviceArn, userArn } from './names';
import { fileStatementsDocument, policyDocument, sortedUnique } from './policy-document';
/** Building, normalising, measuring and splitting documents is policy-document.ts's; re-exported where they have always been. */
export { largestStatement, POLICY_VERSION, policyDocument, policySize, sortedUnique } from './policy-document';

/** IAM's own variable: the caller's user name. Terraform-escaped by the render layer, not here. */
export const AWS_USERNAME = '${aws:username}';

/**
 * The MFA condition: MFA present (plain `Bool`, never `BoolIfExists` in an
 * allow: a missing key must not count as "present") and, when a maximum age
 * is given, authenticated less than that many seconds ago.
 */
export function mfaCondition(maxAgeSeconds?: number): ConditionBlock {
  const condition: ConditionBlock = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  if (maxAgeSeconds !== undefined) {
    condition.NumericLessThan = { 'aws:MultiFactorAuthAge': String(maxAgeSeconds) };
  }
  return condition;
}

/**
 * Trust policy of a role: the identity account's rolecall users (those under
 * ROLECALL_USER_PATH: aws:PrincipalArn, not the whole account, so an
 * unlisted user with admin there is refused) may assume it, only with fresh
 * MFA, and only with the caller's user name as session name, so the
 * member account's CloudTrail names the human. Machine principals the file
 * names (functions.<fn>.principals) get a second statement without MFA:
 * each one an exact ARN, never a wildcard (the model refuses those).
 */
export function roleTrustPolicy(identityAccountId: string, mfaMaxAgeSeconds: number, principals: string[] = []): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: 'AssumeFromMasterWithMfa',
      Effect: 'Allow',
      Principal: { AWS: accountRootArn(identityAccountId) },
      Action: 'sts:AssumeRole',
      Condition: {
        ...mfaCondition(mfaMaxAgeSeconds),
        StringEquals: { 'sts:RoleSessionName': AWS_USERNAME },
        ArnLike: { 'aws:PrincipalArn': managedUsersArnPattern(identityAccountId) },
      },
    },
  ];
  if (principals.length > 0) {
    const named = sortedUnique(principals);
    statements.push({
      Sid: 'AssumeFromNamedPrincipals',
      Effect: 'Allow',
      Principal: { AWS: named.length === 1 ? named[0] : named },
      Action: 'sts:AssumeRole',
    });
  }
  return policyDocument(statements);
}

/** One statement of a group's assume-role policy: these role ARNs, with MFA. */
/**
 * May assume these roles, with MFA; with `until` (RFC 3339 UTC) only before
 * then: DateLessThan aws:CurrentTime, which IAM evaluates at each request,
 * so the grant ends whether or not anyone applies. The instant is the file's,
 * never the clock's: the same file gives the same bytes.
 */
export function assumeRolesStatement(sid: string, roleArns: string[], mfaMaxAgeSeconds: number, until?: string): PolicyStatement {
  const condition = mfaCondition(mfaMaxAgeSeconds);
  if (until !== undefined) condition.DateLessThan = { 'aws:CurrentTime': until };
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: sortedUnique(roleArns),
    Condition: condition,
  };
}

/** A permission set's statements as an IAM document, lists sorted, keys in IAM's usual order. */
export function permissionSetDocument(statements: Statement[]): PolicyDocument {
  return fileStatementsDocument(statements);
}

/** Enrolling (or resyncing) an MFA device: what a stolen long-term key must never do. */
export const MFA_ENROLMENT_ACTIONS = ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:ResyncMFADevice'];

/**
 * `aws:MultiFactorAuthPresent` exists in the request: a console password
 * session (value false until MFA) or an MFA session. Requests signed with a
 * long-term access key carry no such key at all.
 */
const MFA_KEY_PRESENT: ConditionBlock = { Null: { 'aws:MultiFactorAuthPresent': 'false' } };

/**
 * AWS's documented self-managed-MFA pattern, narrowed: a person may see the
 * password policy, change their own password and set up their own MFA device;
 * everything else is denied until they sign in with MFA. Access keys are not
 * self-service: the single key is rolecall's (people.*.accessKey).
 *
 * Enrolment needs a console password session: a leaked access key of a
 * person without MFA must not enrol its own device and then assume every
 * role the person has. The allow carries the Null condition and an explicit
 * deny backs it, so no other policy can reopen it. People with only an
 * access key are enrolled by an admin (docs/getting-started.md).
 */
export function requireMfaPolicy(masterAccountId: string): PolicyDocument {
  const self = userArn(masterAccountId, AWS_USERNAME);
  return policyDocument([
    {
      Sid: 'AllowViewAccountInfo',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      Resource: '*',
    },
    {
      Sid: 'AllowManageOwnPassword',
      Effect: 'Allow',
      Action: ['iam:ChangePassword', 'iam:GetLoginProfile', 'iam:GetUser'],
      Resource: self,
    },
    {
      Sid: 'AllowViewOwnAccessKeys',
      Effect: 'Allow',
      Action: ['iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys'],
      Resource: self,
    },
    {
      Sid: 'AllowCreateOwnVirtualMfaDeviceFromConsole',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice'],
      Resource: mfaDeviceArn(masterAccountId, '*'),
      Condition: MFA_KEY_PRESENT,
    },
    {
      Sid: 'AllowEnableOwnMfaDeviceFromConsole',
      Effect: 'Allow',
      Action: ['iam:EnableMFADevice', 'iam:ResyncMFADevice'],
      Resource: self,
      Condition: MFA_KEY_PRESENT,
    },
    {
      Sid: 'AllowViewOwnMfaDevices',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice', 'iam:GetMFADevice', 'iam:ListMFADevices'],
      Resource: self,
    },
    {
      Sid: 'DenyMfaEnrolmentWithLongTermKeys',
      Effect: 'Deny',
      Action: [...MFA_ENROLMENT_ACTIONS],
      Resource: '*',
      Condition: { Null: { 'aws:MultiFactorAuthPresent': 'true' } },
    },
    {
      Sid: 'DenyAllExceptMfaSetupWithoutMfa',
      Effect: 'Deny',
      NotAction: [
        'iam:ChangePassword',
        'iam:CreateVirtualMFADevice',
        'iam:EnableMFADevice',
        'iam:GetAccountPasswordPolicy',
        'iam:GetMFADevice',
        'iam:GetUser',
        'iam:ListMFADevices',
        'iam:ListVirtualMFADevices',
        'iam:ResyncMFADevice',
        'sts:GetSessionToken',
      ],
      Resource: '*',
      // BoolIfExists in a Deny is the documented pattern: long-term keys carry no MFA key at all.
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ]);
}

/**
 * What the plan and apply roles of `credentials: tfc-dynamic` may do, per
 * kind of stack. Action lists are explicit (every one is checked against the
 * IAM catalog in test/plan/deploy.test.ts) and scoped to the ARNs the stack
 * manages, so a workspace's credentials cannot reach past its stack:
 *
 * - plan: IAM (and, for the organization stack, Organizations) reads only,
 *   enough to refresh what the stack manages and to run its import blocks.
 *   A final deny of everything else keeps it read-only even if someone
 *   attaches a broader policy to it by hand.
 * - apply, member account: the function roles under organization.rolePath.
 * - apply, master: people (users, login profiles, access keys), function
 *   groups and their customer managed policies under rolePath, roles under
 *   rolePath, the account password policy.
 * - apply, people shard (`people-<i>`): people (users, login profiles,
 *   access keys) and their memberships of the groups under rolePath; no
 *   group, policy or role.
 * - apply, organization: OUs, accounts (create, move, tag; never close,
 *   remove or leave), policies and their attachments, central root
 *   credentials.
 * Every apply role is denied any change to the deploy roles, the deploy role
 * (deploy.assumeRoleName), the HCP Terraform OIDC provider and AWS's own
 * service roles, even when rolePath is `/` and `role/*` would match them.
 */
import { DEPLOY_ROLE_PATH, iamArn, oidcProviderArnFor, roleArn, s3BucketArn } from './names';
import { policyDocument } from './policy-document';
import type { DeployedStackKind, PolicyDocument, PolicyStatement } from './types';
export type { DeployedStackKind } from './types';

/**
 * What the deploy role (deploy.assumeRoleName) needs in an account limited to
 * `services`, so Terraform can still manage the function roles there: the
 * calls the AWS provider makes for aws_iam_role, aws_iam_role_policy and
 * aws_iam_role_policy_attachment (create, read, update, tag, delete).
 * Nothing that creates users, keys or instance profiles, and no iam:PassRole.
 */
export const DEPLOY_ROLE_EXEMPT_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'iam:ListRoleTags',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** Reads a refresh needs, for every kind of stack. */
export const PLAN_READ_ACTIONS = ['iam:Get*', 'iam:List*'];
/** The organization stack also reads the organisation. */
export const PLAN_ORGANIZATIONS_READ_ACTIONS = ['organizations:Describe*', 'organizations:List*'];

/**
 * A function role and its inline policies and managed policy attachments
 * (the AWS provider's calls, 5.100.0): the same list a services SCP exempts.
 * A fresh copy per call, so no caller can change the shared list.
 */
export function roleActions(): string[] {
  return [...DEPLOY_ROLE_EXEMPT_ACTIONS];
}

export const USER_ACTIONS = [
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateUser',
  'iam:DeactivateMFADevice',
  'iam:DeleteAccessKey',
  'iam:DeleteLoginProfile',
  'iam:DeleteSSHPublicKey',
  'iam:DeleteServiceSpecificCredential',
  'iam:DeleteSigningCertificate',
  'iam:DeleteUser',
  'iam:DeleteUserPolicy',
  'iam:DeleteVirtualMFADevice',
  'iam:DetachUserPolicy',
  'iam:GetLoginProfile',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:ListMFADevices',
  'iam:ListSSHPublicKeys',
  'iam:ListServiceSpecificCredentials',
  'iam:ListSigningCertificates',
  'iam:ListUserPolicies',
  'iam:ListUserTags',
  'iam:TagUser',
  'iam:UntagUser',
  'iam:UpdateAccessKey',
  'iam:UpdateLoginProfile',
  'iam:UpdateUser',
];

export const GROUP_ACTIONS = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:CreateGroup',
  'iam:DeleteGroup',
  'iam:DeleteGroupPolicy',
  'iam:DetachGroupPolicy',
  'iam:GetGroup',
  'iam:GetGroupPolicy',
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupPolicies',
  'iam:PutGroupPolicy',
  'iam:RemoveUserFromGroup',
  'iam:UpdateGroup',
];

/** A people shard adds and removes its people from groups; it changes no group itself. */
export const MEMBERSHIP_ACTIONS = ['iam:AddUserToGroup', 'iam:GetGroup', 'iam:RemoveUserFromGroup'];

export const POLICY_ACTIONS = [
  'iam:CreatePolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:ListEntitiesForPolicy',
  'iam:ListPolicyTags',
  'iam:ListPolicyVersions',
  'iam:TagPolicy',
  'iam:UntagPolicy',
];

export const ACCOUNT_SETTINGS_ACTIONS = [
  'iam:DeleteAccountPasswordPolicy',
  'iam:GetAccountPasswordPolicy',
  'iam:ListVirtualMFADevices',
  'iam:UpdateAccountPasswordPolicy',
];

export const ORGANIZATIONS_WRITE_ACTIONS = [
  'organizations:AttachPolicy',
  'organizations:CreateAccount',
  'organizations:CreateOrganizationalUnit',
  'organizations:CreatePolicy',
  'organizations:DeleteOrganizationalUnit',
  'organizations:DeletePolicy',
  'organizations:DetachPolicy',
  'organizations:EnablePolicyType',
  'organizations:MoveAccount',
  'organizations:TagResource',
  'organizations:UntagResource',
  'organizations:UpdateOrganizationalUnit',
  'organizations:UpdatePolicy',
];

/** What no plan may do to the organisation, whatever it says (SPEC section 4: never closed or removed). */
export const ORGANIZATIONS_DENIED_ACTIONS = [
  'organizations:CloseAccount',
  'organizations:DeleteOrganization',
  'organizations:LeaveOrganization',
  'organizations:RemoveAccountFromOrganization',
];

export const ROOT_CREDENTIALS_ACTIONS = [
  'iam:DisableOrganizationsRootCredentialsManagement',
  'iam:DisableOrganizationsRootSessions',
  'iam:EnableOrganizationsRootCredentialsManagement',
  'iam:EnableOrganizationsRootSessions',
  'iam:ListOrganizationsFeatures',
];

export function planRolePolicy(kind: DeployedStackKind): PolicyDocument {
  const reads = kind === 'organization' ? [...PLAN_READ_ACTIONS, ...PLAN_ORGANIZATIONS_READ_ACTIONS] : [...PLAN_READ_ACTIONS];
  return policyDocument([
    { Sid: 'RefreshWhatTheStackManages', Effect: 'Allow', Action: reads, Resource: '*' },
    // sts:GetCallerIdentity (allowed_account_ids) cannot be denied anyway; listing it keeps the text true.
    { Sid: 'DenyEverythingElse', Effect: 'Deny', NotAction: [...reads, 'sts:GetCallerIdentity'], Resource: '*' },
  ]);
}

/** ARNs of what every apply role leaves alone: the way in, and AWS's own roles. */
function protectedArns(accountId: string, assumeRoleName: string): string[] {
  return [
    oidcProviderArnFor(accountId, '*'),
    roleArn(accountId, '/', assumeRoleName),
    roleArn(accountId, '/aws-reserved/', '*'),
    roleArn(accountId, '/aws-service-role/', '*'),
    roleArn(accountId, DEPLOY_ROLE_PATH, '*'),
  ];
}

/** aws_iam_account_alias (create, read, delete), for a stack whose account has an `alias`. */
export const ALIAS_ACTIONS = ['iam:CreateAccountAlias', 'iam:DeleteAccountAlias', 'iam:ListAccountAliases'];

export function applyRolePolicy(
  kind: DeployedStackKind,
  accountId: string,
  rolePath: string,
  assumeRoleName: string,
  options: { alias?: boolean } = {},
): PolicyDocument {
  const arn = (kindPath: string) => iamArn(accountId, kindPath);
  const statements: PolicyStatement[] = [];
  if (kind === 'organization') {
    statements.push(
      { Sid: 'ReadTheOrganization', Effect: 'Allow', Action: [...PLAN_ORGANIZATIONS_READ_ACTIONS, ...PLAN_READ_ACTIONS], Resource: '*' },
      { Sid: 'ManageOusAccountsAndPolicies', Effect: 'Allow', Action: ORGANIZATIONS_WRITE_ACTIONS, Resource: '*' },
      { Sid: 'ManageRootCredentials', Effect: 'Allow', Action: ROOT_CREDENTIALS_ACTIONS, Resource: '*' },
      {
        Sid: 'OrganizationsServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'organizations.amazonaws.com' } },
      },
      { Sid: 'NeverCloseRemoveOrLeave', Effect: 'Deny', Action: ORGANIZATIONS_DENIED_ACTIONS, Resource: '*' },
    );
    return policyDocument(statements);
  }
  if (kind === 'people') {
    statements.push(
      // People live at path "/" (UserPlan.path); their MFA devices are under mfa/.
      { Sid: 'ManagePeople', Effect: 'Allow', Action: USER_ACTIONS, Resource: [arn('mfa/*'), arn('user/*')] },
      // Each person's aws_iam_user_group_membership, and the check blocks' reads of every group.
      { Sid: 'ManageMemberships', Effect: 'Allow', Action: MEMBERSHIP_ACTIONS, Resource: arn(`group${rolePath}*`) },
      { Sid: 'DenyDeployAccessAndServiceRoles', Effect: 'Deny', Action: 'iam:*', Resource: protectedArns(accountId, assumeRoleName) },
    );
    return policyDocument(statements);
  }
  if (kind === 'master') {
    statements.push(
      // People live at path "/" (UserPlan.path); their MFA devices are under mfa/.
      { Sid: 'ManagePeople', Effect: 'Allow', Action: USER_ACTIONS, Resource: [arn('mfa/*'), arn('user/*')] },
      { Sid: 'ManageFunctionGroups', Effect: 'Allow', Action: GROUP_ACTIONS, Resource: arn(`group${rolePath}*`) },
      { Sid: 'ManageGroupPolicies', Effect: 'Allow', Action: POLICY_ACTIONS, Resource: arn(`policy${rolePath}*`) },
      { Sid: 'ManagePasswordPolicy', Effect: 'Allow', Action: ACCOUNT_SETTINGS_ACTIONS, Resource: '*' },
    );
  }
  // The account alias has no ARN: IAM authorizes it on "*".
  if (options.alias) statements.push({ Sid: 'ManageAccountAlias', Effect: 'Allow', Action: ALIAS_ACTIONS, Resource: '*' });
  statements.push(
    { Sid: 'ManageFunctionRoles', Effect: 'Allow', Action: roleActions(), Resource: arn(`role${rolePath}*`) },
    { Sid: 'DenyDeployAccessAndServiceRoles', Effect: 'Deny', Action: 'iam:*', Resource: protectedArns(accountId, assumeRoleName) },
  );
  return policyDocument(statements);
}

/** The state bucket refuses plain HTTP. */
export function stateBucketPolicy(bucket: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [s3BucketArn(bucket), s3BucketArn(bucket, true)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/**
 * model -> the organization stack (SPEC section 4), as plain data: OUs from
 * the accounts' `ou` paths, member accounts (created from `email` or adopted
 * by `id`), service control policies and central root credentials. Pure: no
 * cdktf here; src/stacks/organization-stack.ts copies this out.
 *
 * Where SCPs attach: to each member account named in the file, never to the
 * root or an OU. An account then carries exactly the guard rails its YAML
 * entry implies, accounts rolecall does not know about are left alone, and
 * the 5-per-target quota is checked per account (FullAWSAccess, which AWS
 * attaches to every target, counts). SCPs never apply to the management
 * account, so nothing here claims to protect it.
 */
import type { Model } from '../model/model';
import type { OrgFile } from '../model/schema';
import {
  accountRootArn,
  ANY_ACCOUNT,
  DEPLOY_ROLE_PATH,
  identityAccount,
  identityStackId,
  managedByTags,
  masterAccount,
  oidcProviderArn,
  ORGANIZATION_STACK_ID,
  roleArn,
  TFC_HOSTNAME,
} from './names';
import { DEPLOY_ROLE_EXEMPT_ACTIONS } from './deploy-policies';
export { ORGANIZATION_STACK_ID } from './names';
export { DEPLOY_ROLE_EXEMPT_ACTIONS } from './deploy-policies';
import { backendFor, deployRoleName } from './deploy';
import { reservedAccounts, selectAccounts } from '../model/references';
import type { ScpStatement } from '../model/schema';
import { fileStatementsDocument, policyDocument, sortedUnique } from './policy-document';
import type {
  OrganizationAccountPlan,
  OrganizationalUnitPlan,
  OrganizationPolicyType,
  OrganizationStackPlan,
  PolicyDocument,
  PolicyStatement,
  ServiceControlPolicyPlan,
} from './types';
export type {
  OrganizationAccountPlan,
  OrganizationalUnitPlan,
  OrganizationPolicyType,
  OrganizationStackPlan,
  ServiceControlPolicyPlan,
} from './types';

/** AWS attaches this SCP to every root, OU and account; it takes one of the 5 slots of each target. */
export const FULL_AWS_ACCESS_SCP = 'FullAWSAccess';
/** Likewise for resource control policies, once the policy type is enabled on the root. */
export const FULL_AWS_ACCESS_RCP = 'RCPFullAWSAccess';

/** Characters rolecall accepts in an OU name (AWS allows more; these keep names readable in every tool). */
export const OU_SEGMENT_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 ._&+()-]*[A-Za-z0-9)])?$/;

/**
 * Member accounts' root credentials managed from the management account:
 * no root password or keys in new accounts, and short privileged root
 * sessions (sts:AssumeRoot) instead of the root user.
 */
export const ROOT_CREDENTIALS_FEATURES = ['RootCredentialsManagement', 'RootSessions'] as const;

/** Denied in every member account: IAM users and their long-term credentials. */
export const DENIED_IAM_USER_ACTIONS = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:CreateUser', 'iam:UpdateLoginProfile'];

/**
 * Durable ways into a member account that outlive a person's offboarding in
 * the identity account: new or changed identity providers (OIDC, SAML), IAM
 * Roles Anywhere trust anchors and profiles, an account instance of IAM
 * Identity Center. Denied to everyone but the deploy role (member baseline).
 */
export const DENIED_IDENTITY_PERIMETER_ACTIONS = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateOpenIDConnectProvider',
  'iam:CreateSAMLProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:UpdateSAMLProvider',
  'rolesanywhere:CreateProfile',
  'rolesanywhere:CreateTrustAnchor',
  'rolesanywhere:EnableProfile',
  'rolesanywhere:EnableTrustAnchor',
  'rolesanywhere:UpdateProfile',
  'rolesanywhere:UpdateTrustAnchor',
  'sso:CreateInstance',
];

/**
 * What the resource control policy denies to principals outside the
 * organisation: assuming a role of a member account, and the two calls that
 * ride along with it (source identity, session tags). Web identity and SAML
 * federation are not here: their callers are never organisation principals,
 * so the RCP would break every OIDC role (CI, HCP Terraform); the SCP keeps
 * new identity providers out instead.
 */
export const RCP_DENIED_ACTIONS = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];

/** The role AWS Organizations creates in every account it creates: admin, trusted by the management account. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/**
 * Changing a role's trust, policies, boundary or tags, creating or deleting
 * it: denied on rolecall's machinery (the deploy role, OrganizationAccountAccessRole,
 * the bootstrap's plan and apply roles) to everyone but the deploy role.
 */
export const PROTECTED_ROLE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/**
 * What the AWS provider calls for aws_iam_openid_connect_provider besides
 * reads (5.100.0): the bootstrap's HCP Terraform provider. Creating one is
 * in DENIED_IDENTITY_PERIMETER_ACTIONS already; the rest is denied on
 * rolecall's own provider to everyone but the deploy role.
 */
export const OIDC_PROVIDER_ACTIONS = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
];

/** aws_iam_account_alias (the read, iam:ListAccountAliases, is always allowed). */
export const ACCOUNT_ALIAS_ACTIONS = ['iam:CreateAccountAlias', 'iam:DeleteAccountAlias'];

/** Amazon Cognito identity pools: creating one, or giving one roles. Denied unless the account opts in (cognitoIdentityPools). */
export const COGNITO_IDENTITY_POOL_ACTIONS = ['cognito-identity:CreateIdentityPool', 'cognito-identity:SetIdentityPoolRoles'];

/** The claim keys STS puts in the request context for tokens of HCP Terraform and of Cognito identity pools. */
export const TFC_SUBJECT_KEY = `${TFC_HOSTNAME}:sub`;
export const COGNITO_AUDIENCE_KEY = 'cognito-identity.amazonaws.com:aud';

/** What the member baseline SCP needs to know beyond the deploy role's name. */
export interface BaselineOptions {
  /** Ids of accounts that opt in to Cognito identity pools (accounts.<name>.cognitoIdentityPools). */
  cognitoAccountIds?: string[];
}

/** Which web identity tokens the RCP lets through (docs/organization.md, "Web identity"). */
export interface WebIdentityAllowance {
  /** deploy.cloud with backend cloud: HCP Terraform tokens of this organisation and project. */
  tfc?: { organization: string; project: string };
  /** Roles of member accounts named in functions.*.principals: CI roles, assumed with their own issuer's tokens. */
  namedRoles: string[];
  /** Ids of accounts that opt in to Cognito identity pools. */
  cognitoAccountIds: string[];
}

/**
 * Left out of the services deny for everyone: what any single-purpose
 * account still needs, whatever its `services` (docs/organization.md says why):
 * - sts:GetCallerIdentity: the AWS provider calls it for allowed_account_ids
 *   (AWS never lets a policy deny it anyway);
 * - KMS data-plane calls: S3 with SSE-KMS, encrypted EBS and CloudWatch Logs
 *   call KMS as the caller (kms:ViaService), under the caller's SCPs;
 * - CloudTrail reads: auditors read the account's trail and event history;
 * - Support and AWS Health: opening a case must work in every account;
 * - IAM reads: the console, the CLI and Terraform read roles and policies.
 * No write to IAM, no key management, no trail changes.
 */
export const ALWAYS_ALLOWED_ACTIONS = [
  'cloudtrail:Describe*',
  'cloudtrail:Get*',
  'cloudtrail:List*',
  'cloudtrail:LookupEvents',
  'health:Describe*',
  'iam:Get*',
  'iam:List*',
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'sts:GetCallerIdentity',
  'support:*',
];

const ALWAYS_ALLOWED_PATTERNS = ALWAYS_ALLOWED_ACTIONS.map(
  (pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'),
);

/** True when the services SCP never denies `action` (it matches an ALWAYS_ALLOWED_ACTIONS pattern; case-insensitive like IAM). */
export function alwaysAllowed(action: string): boolean {
  return ALWAYS_ALLOWED_PATTERNS.some((pattern) => pattern.test(action));
}

export const MEMBER_BASELINE_SCP = 'member-baseline';
export const MEMBER_PERIMETER_RCP = 'member-perimeter';

export function policyType(policy: ServiceControlPolicyPlan): OrganizationPolicyType {
  return policy.type ?? 'SERVICE_CONTROL_POLICY';
}

/**
 * The identity account's baseline (when it is apart from the management
 * account): the member baseline, except that IAM users, their passwords and
 * access keys may be created by the deploy role: rolecall creates the people
 * there. Everyone else is still denied them.
 */
export const IDENTITY_BASELINE_SCP = 'identity-baseline';

/** Key of a custom SCP (`scps.<name>`); its AWS name is `rolecall-custom-<name>`. */
export function customScpKey(name: string): string {
  return `custom-${name}`;
}

export function servicesScpKey(accountName: string): string {
  return `services-${accountName}`;
}

/** `Workloads/Production` -> [`Workloads`, `Workloads/Production`]: the path and every ancestor. */
export function ouAncestry(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/**
 * Principals outside the organisation's accounts that the org file names
 * (functions.<fn>.principals), as IAM ARNs (roles, or account roots): the
 * RCP lets them assume roles. Computed in one place, from the same key as
 * the trust policies, so the two cannot disagree. Sorted, unique.
 */
export function externalPrincipals(model: Model): string[] {
  const { org } = model;
  const own = new Set(Object.values(org.accounts).flatMap((a) => (a.id ? [a.id] : [])));
  const out = new Set<string>();
  for (const fn of Object.values(org.functions)) {
    for (const arn of fn.principals ?? []) {
      const account = arn.split(':')[4];
      if (!own.has(account)) out.add(arn);
    }
  }
  return [...out].sort();
}

/** Ids of the member accounts that opt in to Cognito identity pools (the model requires their ids), sorted. */
export function cognitoOptIns(org: OrgFile): string[] {
  return memberAccountNames(org)
    .filter((name) => org.accounts[name].cognitoIdentityPools === true)
    .flatMap((name) => (org.accounts[name].id ? [org.accounts[name].id!] : []))
    .sort();
}

/**
 * The web identity tokens the RCP lets through: HCP Terraform's of the
 * file's organisation and project (backend cloud), the CI roles the file
 * names in member accounts (whatever issuer they trust: the file names the
 * role), and Cognito in the accounts that opt in.
 */
export function webIdentityAllowance(model: Model): WebIdentityAllowance {
  const { org } = model;
  const members = new Set(memberAccountNames(org).flatMap((name) => (org.accounts[name].id ? [org.accounts[name].id!] : [])));
  const namedRoles = new Set<string>();
  for (const fn of Object.values(org.functions)) {
    for (const arn of fn.principals ?? []) if (/:role\//.test(arn) && members.has(arn.split(':')[4])) namedRoles.add(arn);
  }
  const allowance: WebIdentityAllowance = { namedRoles: [...namedRoles].sort(), cognitoAccountIds: cognitoOptIns(org) };
  if (org.deploy.backend === 'cloud' && org.deploy.cloud) {
    allowance.tfc = { organization: org.deploy.cloud.organization, project: org.deploy.cloud.project ?? '' };
  }
  return allowance;
}

/**
 * With tfc-dynamic, the identity stack and the people shards are applied by
 * their own apply roles: in an identity account apart, they create the
 * people, so the identity baseline lets them (and the deploy role) do so.
 */
export function identityApplyRoles(org: OrgFile): string[] {
  if (org.deploy.credentials !== 'tfc-dynamic') return [];
  const role = (stack: string) => roleArn(ANY_ACCOUNT, DEPLOY_ROLE_PATH, deployRoleName(stack, 'apply'));
  return [role(identityStackId(org)), role('people-*')];
}

/**
 * What else rolecall applies in an account limited to `services`, beyond
 * the function roles: the account alias of its stack, and with
 * tfc-dynamic the bootstrap's OIDC provider (the bootstrap's plan and apply
 * roles are roles: DEPLOY_ROLE_EXEMPT_ACTIONS).
 */
export function servicesExemptions(org: OrgFile, accountName: string): string[] {
  const extra: string[] = [];
  if (org.accounts[accountName].alias !== undefined) extra.push(...ACCOUNT_ALIAS_ACTIONS);
  if (org.deploy.credentials === 'tfc-dynamic') extra.push(...OIDC_PROVIDER_ACTIONS);
  return extra;
}

/** Member accounts: every account but the master, by name. */
export function memberAccountNames(org: OrgFile): string[] {
  return Object.keys(org.accounts)
    .filter((name) => name !== org.organization.master)
    .sort();
}

/** The organization stack, or undefined when `organization.manage` is false. */
export function buildOrganizationStack(model: Model): OrganizationStackPlan | undefined {
  const { org } = model;
  if (!org.organization.manage) return undefined;
  const master = masterAccount(org);
  const members = memberAccountNames(org);

  const ouKeys = new Set<string>();
  for (const name of members) {
    const ou = org.accounts[name].ou;
    if (ou !== undefined) for (const key of ouAncestry(ou)) ouKeys.add(key);
  }
  const organizationalUnits = [...ouKeys].sort().map((key) => {
    const cut = key.lastIndexOf('/');
    const unit: OrganizationalUnitPlan = { key, name: cut < 0 ? key : key.slice(cut + 1) };
    if (cut >= 0) unit.parentKey = key.slice(0, cut);
    return unit;
  });

  const accounts = members.map((key) => {
    const account = org.accounts[key];
    const plan: OrganizationAccountPlan = { key, name: key, email: account.email ?? '', tags: { ...account.tags } };
    if (account.ou !== undefined) plan.parentKey = account.ou;
    if (account.id) plan.importId = account.id;
    else plan.roleName = org.deploy.assumeRoleName;
    return plan;
  });

  const identity = identityAccount(org).name;
  const cognitoAccountIds = cognitoOptIns(org);
  // The identity account (when apart) is a member, but holds the people: it gets its own baseline.
  const baselineTargets = members.filter((name) => name !== identity);
  const policies: ServiceControlPolicyPlan[] = [];
  if (baselineTargets.length > 0) {
    policies.push({
      key: MEMBER_BASELINE_SCP,
      name: 'rolecall-member-baseline',
      description: 'rolecall: no IAM users, keys, passwords or new identity providers; no leaving the organization; no root user',
      document: memberBaselineScp(org.deploy.assumeRoleName, { cognitoAccountIds }),
      targets: baselineTargets,
      source: ['accounts'],
    });
    policies.push({
      key: MEMBER_PERIMETER_RCP,
      type: 'RESOURCE_CONTROL_POLICY',
      name: 'rolecall-member-perimeter',
      description: 'rolecall: only organization principals, AWS services and named principals may assume roles',
      document: memberPerimeterRcp(org.organization.id ?? '', externalPrincipals(model), webIdentityAllowance(model)),
      targets: members,
      source: ['accounts'],
    });
  }
  if (members.includes(identity)) {
    policies.push({
      key: IDENTITY_BASELINE_SCP,
      name: 'rolecall-identity-baseline',
      description: 'rolecall: IAM users only through the deploy role, no leaving the organization, no root user',
      document: identityBaselineScp(org.deploy.assumeRoleName, identityApplyRoles(org), { cognitoAccountIds }),
      targets: [identity],
      source: ['organization', 'identity'],
    });
  }
  for (const name of members) {
    const services = org.accounts[name].services;
    if (!services) continue;
    policies.push({
      key: servicesScpKey(name),
      name: `rolecall-services-${name}`,
      description: `rolecall: account ${name} may use only ${sortedUnique(services).join(', ')}`,
      // tfc-dynamic: the stack's plan and apply roles manage the function roles instead of the deploy role.
      document: servicesScp(
        services,
        org.deploy.assumeRoleName,
        org.deploy.credentials === 'tfc-dynamic' ? [roleArn(ANY_ACCOUNT, DEPLOY_ROLE_PATH, '*')] : [],
        servicesExemptions(org, name),
      ),
      targets: [name],
      source: ['accounts', name, 'services'],
    });
  }

  for (const name of Object.keys(org.scps).sort()) {
    const scp = org.scps[name];
    // The model refuses the management account as a target; filter anyway, an SCP cannot attach there.
    const targets = selectAccounts(scp.accounts, org.accounts, reservedAccounts(org.organization)).filter((a) => a !== master.name);
    if (targets.length === 0) continue;
    policies.push({
      key: customScpKey(name),
      name: `rolecall-custom-${name}`,
      description: scp.description ?? `rolecall: custom SCP ${name}`,
      document: customScpDocument(scp.statements),
      targets,
      source: ['scps', name],
    });
  }

  return {
    id: ORGANIZATION_STACK_ID,
    account: master,
    provider: {
      region: org.organization.region,
      // Terraform refuses to run with credentials of any other account.
      allowedAccountIds: [master.id],
      // Not the master's own `tags`: default tags land on every member account resource too.
      defaultTags: managedByTags(org),
    },
    backend: backendFor(org, ORGANIZATION_STACK_ID),
    // The model guarantees both ids when manage is true.
    organizationId: org.organization.id ?? '',
    rootId: org.organization.rootId ?? '',
    organizationalUnits,
    accounts,
    policies,
    rootCredentialsFeatures: [...ROOT_CREDENTIALS_FEATURES],
  };
}

/**
 * rolecall's machinery in a member account, as SCP resources: the deploy
 * role, OrganizationAccountAccessRole (the way in of every account AWS
 * Organizations created), the bootstrap's plan and apply roles (their own
 * path) and its HCP Terraform OIDC provider.
 */
export function machineryArns(deployRoleName: string): string[] {
  return sortedUnique([
    roleArn(ANY_ACCOUNT, '/', deployRoleName),
    roleArn(ANY_ACCOUNT, '/', ORGANIZATION_ACCESS_ROLE),
    roleArn(ANY_ACCOUNT, DEPLOY_ROLE_PATH, '*'),
    oidcProviderArn(ANY_ACCOUNT),
  ]);
}

/** The SCP every member account gets. One shared policy: adding an account adds only an attachment. */
export function memberBaselineScp(deployRoleName: string, options: BaselineOptions = {}): PolicyDocument {
  const deployRole = roleArn(ANY_ACCOUNT, '/', deployRoleName);
  const cognito = sortedUnique(options.cognitoAccountIds ?? []);
  return policyDocument([
    { Sid: 'DenyIamUsersAndLongTermCredentials', Effect: 'Deny', Action: [...DENIED_IAM_USER_ACTIONS], Resource: '*' },
    {
      Sid: 'DenyNewIdentityPerimeterExceptDeployRole',
      Effect: 'Deny',
      Action: [...DENIED_IDENTITY_PERIMETER_ACTIONS],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': deployRole } },
    },
    {
      // Whoever could change these would own the way in: only the management account's path (the deploy role,
      // through which the bootstrap creates the plan and apply roles and the OIDC provider) may.
      Sid: 'ProtectRolecallMachineryExceptDeployRole',
      Effect: 'Deny',
      Action: sortedUnique([...PROTECTED_ROLE_ACTIONS, ...OIDC_PROVIDER_ACTIONS.filter((a) => a !== 'iam:CreateOpenIDConnectProvider')]),
      Resource: machineryArns(deployRoleName),
      Condition: { ArnNotLike: { 'aws:PrincipalArn': deployRole } },
    },
    {
      Sid: 'DenyCognitoIdentityPools',
      Effect: 'Deny',
      Action: [...COGNITO_IDENTITY_POOL_ACTIONS],
      Resource: '*',
      ...(cognito.length > 0 ? { Condition: { StringNotEquals: { 'aws:PrincipalAccount': cognito } } } : {}),
    },
    { Sid: 'DenyLeavingTheOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:PrincipalArn': accountRootArn(ANY_ACCOUNT) } },
    },
  ]);
}

/** The identity account's baseline: see IDENTITY_BASELINE_SCP. `applyRoles`: identityApplyRoles(). */
export function identityBaselineScp(deployRoleName: string, applyRoles: string[] = [], options: BaselineOptions = {}): PolicyDocument {
  const member = memberBaselineScp(deployRoleName, options);
  const deployRole = roleArn(ANY_ACCOUNT, '/', deployRoleName);
  return policyDocument([
    {
      Sid: 'DenyIamUsersExceptDeployRole',
      Effect: 'Deny',
      Action: [...DENIED_IAM_USER_ACTIONS],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': applyRoles.length === 0 ? deployRole : [deployRole, ...applyRoles] } },
    },
    ...member.Statement.filter((s) => s.Sid !== 'DenyIamUsersAndLongTermCredentials'),
  ]);
}

/** A custom SCP's statements (scps.<name>.statements) as a document: lists sorted, keys in IAM's order. */
export function customScpDocument(statements: ScpStatement[]): PolicyDocument {
  return fileStatementsDocument(statements);
}

/**
 * The RCP every member account gets: nobody outside the organisation assumes
 * a role there, except AWS services (a role Lambda or EC2 assumes) and the
 * principals the file names. Conditions are ANDed: denied when the caller is
 * not of the organisation AND not an AWS service AND not a named principal.
 * `...IfExists`: a caller without the key (a service principal has no
 * PrincipalOrgID) counts as "not equal"; the service test then lets it pass.
 */
export function memberPerimeterRcp(
  organizationId: string,
  external: string[],
  webIdentity: WebIdentityAllowance = { namedRoles: [], cognitoAccountIds: [] },
): PolicyDocument {
  const named = sortedUnique(external);
  const accounts = sortedUnique(named.flatMap((arn) => /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(arn)?.[1] ?? []));
  const principals = named.filter((arn) => !/:root$/.test(arn));
  const notEquals: Record<string, string | string[]> = { 'aws:PrincipalOrgID': organizationId };
  if (accounts.length > 0) notEquals['aws:PrincipalAccount'] = accounts;
  const condition: PolicyStatement['Condition'] = {
    BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    StringNotEqualsIfExists: notEquals,
  };
  if (principals.length > 0) condition.ArnNotLikeIfExists = { 'aws:PrincipalArn': principals };
  return policyDocument([
    {
      Sid: 'DenyAssumeRoleFromOutsideTheOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: [...RCP_DENIED_ACTIONS],
      Resource: '*',
      Condition: condition,
    },
    ...webIdentityStatements(webIdentity),
  ]);
}

/**
 * sts:AssumeRoleWithWebIdentity in a member account, for tokens the file
 * allows only. STS puts a token's claims in the request context under its
 * issuer's name (`app.terraform.io:sub`, `cognito-identity.amazonaws.com:aud`,
 * `accounts.google.com:aud`...), and RCPs see them as trust policies do.
 * Deny statements AND their conditions, so each way in is its own statement:
 * - a token that is neither HCP Terraform's nor Cognito's (where allowed):
 *   denied, except on the CI roles the file names (their trust is theirs);
 * - an HCP Terraform token of another organisation or project: denied on
 *   every role (`Null` false: only when the token is HCP Terraform's, since
 *   a negated operator is true when its key is missing);
 * - a Cognito token in an account that did not opt in.
 */
export function webIdentityStatements(allow: WebIdentityAllowance): PolicyStatement[] {
  const action = 'sts:AssumeRoleWithWebIdentity';
  const cognito = sortedUnique(allow.cognitoAccountIds);
  const knownIssuers: Record<string, string> = {};
  if (allow.tfc) knownIssuers[TFC_SUBJECT_KEY] = 'true';
  if (cognito.length > 0) knownIssuers[COGNITO_AUDIENCE_KEY] = 'true';
  const others: PolicyStatement = {
    Sid: 'DenyWebIdentityFromOtherIssuers',
    Effect: 'Deny',
    Principal: '*',
    Action: action,
    ...(allow.namedRoles.length > 0 ? { NotResource: sortedUnique(allow.namedRoles) } : { Resource: '*' }),
  };
  if (Object.keys(knownIssuers).length > 0) others.Condition = { Null: knownIssuers };
  const statements = [others];
  if (allow.tfc) {
    statements.push({
      Sid: 'DenyHcpTerraformOfOtherOrganizationsOrProjects',
      Effect: 'Deny',
      Principal: '*',
      Action: action,
      Resource: '*',
      Condition: {
        Null: { [TFC_SUBJECT_KEY]: 'false' },
        StringNotLike: { [TFC_SUBJECT_KEY]: `organization:${allow.tfc.organization}:project:${allow.tfc.project}:workspace:*` },
      },
    });
  }
  if (cognito.length > 0) {
    statements.push({
      Sid: 'DenyCognitoOutsideOptedInAccounts',
      Effect: 'Deny',
      Principal: '*',
      Action: action,
      Resource: '*',
      Condition: { Null: { [COGNITO_AUDIENCE_KEY]: 'false' }, StringNotEquals: { 'aws:ResourceAccount': cognito } },
    });
  }
  return statements;
}

/**
 * The SCP of an account limited to `services`: deny every action outside
 * them, except the role-management calls of the deploy role, which a second
 * statement denies to every other principal. The role ARN's account is `*`:
 * an SCP only governs principals of the accounts it is attached to.
 */
export function servicesScp(
  services: string[],
  deployRoleName: string,
  otherExemptArns: string[] = [],
  extraExempt: string[] = [],
): PolicyDocument {
  const allowed = sortedUnique(services);
  // An allowed service or an always-allowed read needs no exemption (and must not be denied to anyone by the second statement).
  const exempt = sortedUnique([...DEPLOY_ROLE_EXEMPT_ACTIONS, ...extraExempt]).filter(
    (action) => !allowed.includes(action.split(':')[0]) && !alwaysAllowed(action),
  );
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyServicesOutsideAllowList',
      Effect: 'Deny',
      NotAction: sortedUnique([
        ...allowed.map((s) => `${s}:*`),
        ...exempt,
        ...ALWAYS_ALLOWED_ACTIONS.filter((a) => !allowed.includes(a.split(':')[0])),
      ]),
      Resource: '*',
    },
  ];
  if (exempt.length > 0) {
    statements.push({
      Sid: 'DenyRoleManagementExceptDeployRole',
      Effect: 'Deny',
      Action: exempt,
      Resource: '*',
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn':
            otherExemptArns.length === 0
              ? roleArn(ANY_ACCOUNT, '/', deployRoleName)
              : [roleArn(ANY_ACCOUNT, '/', deployRoleName), ...otherExemptArns],
        },
      },
    });
  }
  return policyDocument(statements);
}

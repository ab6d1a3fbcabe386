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
import type { Diagnostic, KeyPath } from '../model/diagnostics';
import type { Message } from '../model/messages';
import type { Model } from '../model/model';
import type { OrgFile } from '../model/schema';
import { masterAccount } from './names';
import { policyDocument, policySize, sortedUnique } from './policies';
import type { BackendPlan, PolicyDocument, PolicyStatement, ProviderPlan } from './types';

export const ORGANIZATION_STACK_ID = 'organization';

/** AWS Organizations quotas (Organizations User Guide, "Quotas for AWS Organizations"). */
export const ORGANIZATIONS_QUOTAS = {
  scpChars: 5120,
  /** Per root, OU or account, including the FullAWSAccess policy AWS attaches by default. */
  scpsPerTarget: 5,
  ouNameChars: 128,
  /** OUs nest at most five levels below the root. */
  ouDepth: 5,
  accountNameChars: 50,
  policyNameChars: 128,
} as const;

/** AWS attaches this SCP to every root, OU and account; it takes one of the 5 slots of each target. */
export const FULL_AWS_ACCESS_SCP = 'FullAWSAccess';

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

/**
 * Left out of the services deny for everyone: the AWS provider calls it to
 * enforce allowed_account_ids. AWS never lets a policy deny it anyway;
 * listing it keeps the policy's text true to what happens.
 */
export const ALWAYS_ALLOWED_ACTIONS = ['sts:GetCallerIdentity'];

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

export interface ServiceControlPolicyPlan {
  key: string;
  name: string;
  description: string;
  document: PolicyDocument;
  /** Account keys (names) the policy is attached to, sorted. */
  targets: string[];
  /** Where in the file a quota breach of this policy is reported. */
  source: KeyPath;
}

export interface OrganizationStackPlan {
  id: typeof ORGANIZATION_STACK_ID;
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

export const MEMBER_BASELINE_SCP = 'member-baseline';

export function servicesScpKey(accountName: string): string {
  return `services-${accountName}`;
}

/** `Workloads/Production` -> [`Workloads`, `Workloads/Production`]: the path and every ancestor. */
export function ouAncestry(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, i) => segments.slice(0, i + 1).join('/'));
}

/** Member accounts: every account but the master, by name. */
function memberAccountNames(org: OrgFile): string[] {
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

  const policies: ServiceControlPolicyPlan[] = [];
  if (members.length > 0) {
    policies.push({
      key: MEMBER_BASELINE_SCP,
      name: 'rolecall-member-baseline',
      description: 'rolecall: no IAM users, access keys or passwords, no leaving the organization, no root user',
      document: memberBaselineScp(),
      targets: members,
      source: ['accounts'],
    });
  }
  for (const name of members) {
    const services = org.accounts[name].services;
    if (!services) continue;
    policies.push({
      key: servicesScpKey(name),
      name: `rolecall-services-${name}`,
      description: `rolecall: account ${name} may use only ${sortedUnique(services).join(', ')}`,
      document: servicesScp(services, org.deploy.assumeRoleName),
      targets: [name],
      source: ['accounts', name, 'services'],
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
      defaultTags: { ManagedBy: 'rolecall', Organization: org.organization.name },
    },
    backend: { kind: 'local', path: `terraform.${ORGANIZATION_STACK_ID}.tfstate` },
    // The model guarantees both ids when manage is true.
    organizationId: org.organization.id ?? '',
    rootId: org.organization.rootId ?? '',
    organizationalUnits,
    accounts,
    policies,
    rootCredentialsFeatures: [...ROOT_CREDENTIALS_FEATURES],
  };
}

/** The SCP every member account gets. One shared policy: adding an account adds only an attachment. */
export function memberBaselineScp(): PolicyDocument {
  return policyDocument([
    { Sid: 'DenyIamUsersAndLongTermCredentials', Effect: 'Deny', Action: [...DENIED_IAM_USER_ACTIONS], Resource: '*' },
    { Sid: 'DenyLeavingTheOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
    },
  ]);
}

/**
 * The SCP of an account limited to `services`: deny every action outside
 * them, except the role-management calls of the deploy role, which a second
 * statement denies to every other principal. The role ARN's account is `*`:
 * an SCP only governs principals of the accounts it is attached to.
 */
export function servicesScp(services: string[], deployRoleName: string): PolicyDocument {
  const allowed = sortedUnique(services);
  // An allowed service needs no exemption (and must not be denied to anyone by the second statement).
  const exempt = DEPLOY_ROLE_EXEMPT_ACTIONS.filter((action) => !allowed.includes(action.split(':')[0]));
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyServicesOutsideAllowList',
      Effect: 'Deny',
      NotAction: sortedUnique([...allowed.map((s) => `${s}:*`), ...exempt, ...ALWAYS_ALLOWED_ACTIONS]),
      Resource: '*',
    },
  ];
  if (exempt.length > 0) {
    statements.push({
      Sid: 'DenyRoleManagementExceptDeployRole',
      Effect: 'Deny',
      Action: exempt,
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${deployRoleName}` } },
    });
  }
  return policyDocument(statements);
}

// ---------------------------------------------------------------------------
// Checks (SPEC section 2): located errors for what the organization stack cannot express.

export function ouPathProblem(path: string): Message | undefined {
  const expected = `an OU path such as Workloads/Production: names of 1-${ORGANIZATIONS_QUOTAS.ouNameChars} letters, digits, spaces and . _ & + ( ) -, separated by "/", at most ${ORGANIZATIONS_QUOTAS.ouDepth} levels`;
  if (path.startsWith('/') || path.endsWith('/')) {
    const trimmed = path.replace(/^\/+|\/+$/g, '');
    return { message: `invalid OU path ${JSON.stringify(path)}: it starts or ends with "/"`, expected, fix: trimmed ? `did you mean "${trimmed}"?` : undefined };
  }
  const segments = path.split('/');
  if (segments.some((s) => s === '')) {
    const fixed = segments.filter((s) => s !== '').join('/');
    return { message: `invalid OU path ${JSON.stringify(path)}: it has an empty OU name`, expected, fix: fixed ? `did you mean "${fixed}"?` : undefined };
  }
  const long = segments.find((s) => s.length > ORGANIZATIONS_QUOTAS.ouNameChars);
  if (long !== undefined) {
    return { message: `invalid OU path: the OU name "${long.slice(0, 20)}..." is ${long.length} characters long`, expected };
  }
  const bad = segments.find((s) => !OU_SEGMENT_PATTERN.test(s));
  if (bad !== undefined) {
    return { message: `invalid OU path ${JSON.stringify(path)}: the OU name ${JSON.stringify(bad)} has characters rolecall does not accept`, expected };
  }
  if (segments.length > ORGANIZATIONS_QUOTAS.ouDepth) {
    return { message: `invalid OU path ${JSON.stringify(path)}: ${segments.length} levels deep`, expected };
  }
  return undefined;
}

/**
 * What the organization stack cannot express. Errors the model already
 * reports (manage without ids, an account with neither id nor email,
 * duplicate emails, unknown services) are not repeated here.
 */
export function checkOrganization(model: Model, stack: OrganizationStackPlan | undefined): Diagnostic[] {
  const { org } = model;
  if (!org.organization.manage || !stack) return [];
  const found: Diagnostic[] = [];
  const report = (path: KeyPath, m: Message) => {
    found.push({ severity: 'error', file: model.file, ...model.locate(path), path, ...m });
  };

  const master = org.organization.master;
  if (org.accounts[master]?.ou !== undefined) {
    report(['accounts', master, 'ou'], {
      message: `rolecall does not place the management account "${master}" in an OU`,
      expected: 'no ou on the master account: the organization stack manages member accounts only',
      fix: 'remove this ou, or move the management account by hand',
    });
  }

  for (const name of memberAccountNames(org)) {
    const account = org.accounts[name];
    if (account.ou !== undefined) {
      const problem = ouPathProblem(account.ou);
      if (problem) report(['accounts', name, 'ou'], problem);
    }
    if (account.id && !account.email) {
      report(['accounts', name], {
        message: `account "${name}" has no email, which the organization stack needs to adopt it`,
        expected: "email: the account's root email address (aws_organizations_account requires it; rolecall never changes it)",
      });
    }
    if (!account.id && name.length > ORGANIZATIONS_QUOTAS.accountNameChars) {
      report(['accounts', name], {
        message: `account name "${name}" is ${name.length} characters long, too long to create the account`,
        expected: `at most ${ORGANIZATIONS_QUOTAS.accountNameChars} characters (AWS account names)`,
      });
    }
  }

  for (const policy of stack.policies) {
    const size = policySize(policy.document);
    if (size > ORGANIZATIONS_QUOTAS.scpChars) {
      report(policy.source, {
        message: `service control policy "${policy.name}": ${size} characters, over the AWS Organizations quota of ${ORGANIZATIONS_QUOTAS.scpChars}`,
        expected: `at most ${ORGANIZATIONS_QUOTAS.scpChars} characters`,
        fix: policy.key === MEMBER_BASELINE_SCP ? 'this is a rolecall bug: please report it' : 'list fewer services',
      });
    }
    if (policy.name.length > ORGANIZATIONS_QUOTAS.policyNameChars) {
      report(policy.source, {
        message: `service control policy name "${policy.name}" is ${policy.name.length} characters long`,
        expected: `at most ${ORGANIZATIONS_QUOTAS.policyNameChars} characters`,
        fix: 'use a shorter account name',
      });
    }
  }

  const perTarget = new Map<string, string[]>();
  for (const policy of stack.policies) {
    for (const target of policy.targets) perTarget.set(target, [...(perTarget.get(target) ?? []), policy.name]);
  }
  for (const [target, names] of [...perTarget].sort(([a], [b]) => a.localeCompare(b))) {
    const attached = [FULL_AWS_ACCESS_SCP, ...names];
    if (attached.length > ORGANIZATIONS_QUOTAS.scpsPerTarget) {
      report(['accounts', target], {
        message: `account "${target}" would carry ${attached.length} service control policies (${attached.join(', ')}), over the AWS Organizations quota of ${ORGANIZATIONS_QUOTAS.scpsPerTarget}`,
        expected: `at most ${ORGANIZATIONS_QUOTAS.scpsPerTarget} per account, FullAWSAccess included`,
        fix: 'this is a rolecall bug: please report it',
      });
    }
  }
  return found;
}

/**
 * model -> plan: which stacks exist and exactly what each one holds.
 * Pure functions, no cdktf: the render layer only copies this out.
 */
import type { Model } from '../model/model';
import type { OrgFile } from '../model/schema';
import { durationSeconds } from '../model/duration';
import {
  MASTER_STACK_ID,
  REQUIRE_MFA_GROUP,
  REQUIRE_MFA_POLICY,
  accountStackId,
  assumePolicyName,
  masterAccount,
  roleArn,
} from './names';
import { buildOrganizationStack } from './organization';
import { adoptsRole, backendFor, buildBootstrapStack, buildDeployPlan, providerFor } from './deploy';
import {
  assumeRolesStatement,
  permissionSetDocument,
  policyDocument,
  policySize,
  requireMfaPolicy,
  roleTrustPolicy,
  sortedUnique,
} from './policies';
import type {
  GroupPlan,
  ManagedPolicyPlan,
  OrgPlan,
  PasswordPolicyPlan,
  RolePlan,
  StackPlan,
  UserPlan,
} from './types';

/** Customer managed policy size limit (IAM counts characters without white space). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Password policy for people in the master account (CIS AWS Foundations 1.8-1.9 and beyond). */
export const PASSWORD_POLICY: PasswordPolicyPlan = {
  minimumPasswordLength: 14,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
  requireSymbols: true,
  allowUsersToChangePassword: true,
  passwordReusePrevention: 24,
  maxPasswordAge: 90,
  hardExpiry: false,
};

/** Generated console passwords: long, and changed at first sign-in. */
const LOGIN_PASSWORD_LENGTH = 24;

export function buildPlan(model: Model): OrgPlan {
  const { org } = model;
  const master = masterAccount(org);
  const stacks: StackPlan[] = [buildMasterStack(model)];
  for (const accountName of Object.keys(org.accounts).sort()) {
    if (accountName === master.name) continue;
    const id = org.accounts[accountName].id;
    const roles = rolesForAccount(model, accountName);
    // No id yet (the organization stack creates it) or nothing granted: no stack.
    if (!id || roles.length === 0) continue;
    stacks.push({
      id: accountStackId(accountName),
      kind: 'account',
      account: { name: accountName, id },
      provider: providerFor(org, accountName, id, false),
      backend: backendFor(org, accountStackId(accountName)),
      users: [],
      groups: [],
      roles,
    });
  }
  const organizationStack = buildOrganizationStack(model);
  const plan: OrgPlan = {
    organization: org.organization.name,
    stacks,
    notices: model.notices,
    deploy: buildDeployPlan(org, stacks, organizationStack),
  };
  if (organizationStack) plan.organizationStack = organizationStack;
  const bootstrapStack = buildBootstrapStack(org);
  if (bootstrapStack) plan.bootstrapStack = bootstrapStack;
  return plan;
}

function buildMasterStack(model: Model): StackPlan {
  const { org } = model;
  const master = masterAccount(org);
  return {
    id: MASTER_STACK_ID,
    kind: 'master',
    account: master,
    provider: providerFor(org, master.name, master.id, true),
    backend: backendFor(org, MASTER_STACK_ID),
    users: Object.keys(org.people)
      .sort()
      .map((key) => userPlan(org, key)),
    groups: [requireMfaGroup(org, master.id), ...functionGroups(model)],
    roles: rolesForAccount(model, master.name),
    passwordPolicy: PASSWORD_POLICY,
  };
}

function userPlan(org: OrgFile, key: string): UserPlan {
  const person = org.people[key];
  const user: UserPlan = {
    key,
    name: key,
    path: '/',
    groups: sortedUnique([REQUIRE_MFA_GROUP, ...person.functions]),
    tags: { Name: person.name, Email: person.email },
  };
  if (org.deploy.adopt?.people.includes(key)) user.adopt = true;
  // The model guarantees pgpKey where console or accessKey is asked for.
  if (person.console && person.pgpKey) {
    user.loginProfile = { pgpKey: person.pgpKey, passwordLength: LOGIN_PASSWORD_LENGTH, passwordResetRequired: true };
  }
  if (person.accessKey && person.pgpKey) user.accessKey = { pgpKey: person.pgpKey };
  return user;
}

function requireMfaGroup(org: OrgFile, masterAccountId: string): GroupPlan {
  return {
    key: REQUIRE_MFA_GROUP,
    name: REQUIRE_MFA_GROUP,
    path: org.organization.rolePath,
    policies: [
      {
        key: REQUIRE_MFA_POLICY,
        name: REQUIRE_MFA_POLICY,
        path: org.organization.rolePath,
        description: 'rolecall: manage your own password and MFA device; nothing else without MFA',
        document: requireMfaPolicy(masterAccountId),
      },
    ],
  };
}

/** One group per function, even one granted nowhere yet: membership is declared independently of grants. */
function functionGroups(model: Model): GroupPlan[] {
  const { org } = model;
  return Object.keys(org.functions)
    .sort()
    .map((fn) => {
      const group: GroupPlan = { key: fn, name: fn, path: org.organization.rolePath, policies: assumeRolePolicies(model, fn) };
      if (org.deploy.adopt?.groups.includes(fn)) group.adopt = true;
      return group;
    });
}

/** ARNs of the function's roles in every granted account that has an id, sorted by account name. */
export function functionRoleArns(model: Model, fn: string): string[] {
  const { org } = model;
  return Object.keys(model.grants[fn] ?? {})
    .sort()
    .flatMap((accountName) => {
      const id = org.accounts[accountName]?.id;
      return id ? [roleArn(id, org.organization.rolePath, fn)] : [];
    });
}

/**
 * The group's permission to assume its roles, as customer managed policies
 * of at most MANAGED_POLICY_MAX_CHARS each (an inline group policy caps out
 * at 5,120 characters, about 80 accounts). ARNs fill part 1, then part 2...
 * in account-name order. A part's number is a capacity slot, not a YAML
 * position: adding an account changes part contents in place and at most
 * adds the last part; no other resource's address moves.
 */
export function assumeRolePolicies(model: Model, fn: string): ManagedPolicyPlan[] {
  const { org } = model;
  const arns = functionRoleArns(model, fn);
  if (arns.length === 0) return [];
  const maxAge = durationSeconds(org.functions[fn].mfaMaxAge);
  const sizeOf = (list: string[]) => policySize(policyDocument([assumeRolesStatement('x', list, maxAge)]));
  const parts: string[][] = [[]];
  // The current part's serialized size, grown by one `,"arn"` per ARN (the
  // ARNs are distinct, so sorting does not change the size): re-serializing
  // the whole part per ARN was quadratic (300 accounts x 20 functions).
  let size = 0;
  for (const arn of arns) {
    const current = parts[parts.length - 1];
    const grown = current.length === 0 ? sizeOf([arn]) : size + JSON.stringify(arn).length + 1;
    if (current.length > 0 && grown > MANAGED_POLICY_MAX_CHARS - 64) {
      parts.push([arn]);
      size = sizeOf([arn]);
    } else {
      current.push(arn);
      size = grown;
    }
  }
  return parts.map((partArns, index) => {
    const name = assumePolicyName(fn, index + 1);
    return {
      key: name,
      name,
      path: org.organization.rolePath,
      description: `rolecall: members of ${fn} may assume the ${fn} role (part ${index + 1} of ${parts.length})`,
      document: policyDocument([assumeRolesStatement(`Assume${pascal(fn)}Roles`, partArns, maxAge)]),
    };
  });
}

/** The roles of every function granted on this account, sorted by function name. */
export function rolesForAccount(model: Model, accountName: string): RolePlan[] {
  const { org } = model;
  const accountId = org.accounts[accountName]?.id;
  if (!accountId) return [];
  const master = masterAccount(org);
  return Object.keys(model.grants)
    .sort()
    .filter((fn) => (model.grants[fn][accountName] ?? []).length > 0)
    .map((fn) => {
      const fnDef = org.functions[fn];
      const setNames = model.grants[fn][accountName];
      const role: RolePlan = {
        key: fn,
        name: fn,
        path: org.organization.rolePath,
        arn: roleArn(accountId, org.organization.rolePath, fn),
        description: fnDef.description ?? `rolecall function ${fn}`,
        maxSessionDuration: durationSeconds(fnDef.sessionDuration),
        trustPolicy: roleTrustPolicy(master.id, durationSeconds(fnDef.mfaMaxAge)),
        managedPolicyArns: sortedUnique(setNames.flatMap((set) => model.managedPolicyArns[set] ?? [])),
        inlinePolicies: setNames
          .filter((set) => (org.permissions[set]?.statements ?? []).length > 0)
          .map((set) => ({ key: set, name: set, document: permissionSetDocument(org.permissions[set].statements ?? []) })),
        tags: { Function: fn },
      };
      if (adoptsRole(org, fn, accountName)) role.adopt = true;
      return role;
    });
}

/** `network-admin` -> `NetworkAdmin`: Sids allow letters and digits only. */
function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

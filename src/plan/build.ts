/**
 * model -> plan: which stacks exist and exactly what each one holds.
 * Pure functions, no cdktf: the render layer only copies this out.
 */
import type { FunctionGrant, Model } from '../model/model';
import type { OrgFile } from '../model/schema';
import { durationSeconds } from '../model/duration';
import {
  REQUIRE_MFA_GROUP,
  REQUIRE_MFA_POLICY,
  ROLECALL_USER_PATH,
  accountStackId,
  assumePolicyName,
  identityAccount,
  identityPolicyName,
  identityStackId,
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
import type { GroupPlan, ManagedPolicyPlan, MovedOutPlan, OrgPlan, PasswordPolicyPlan, RolePlan, StackPlan, UserPlan } from './types';
import { nameTag } from './tags';
import { peopleShards, peopleStackCount, peopleStackId, personStackId } from './shards';

/** Customer managed policy size limit (IAM counts characters without white space). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Password policy for people in the identity account (CIS AWS Foundations
 * 1.8-1.9 and beyond). Length, age and reuse come from
 * organization.passwordPolicy (defaults 14, 90, 24); the rest is fixed.
 */
export function passwordPolicyPlan(org: OrgFile): PasswordPolicyPlan {
  const p = org.organization.passwordPolicy;
  return {
    minimumPasswordLength: p.minimumLength,
    requireLowercaseCharacters: true,
    requireUppercaseCharacters: true,
    requireNumbers: true,
    requireSymbols: true,
    allowUsersToChangePassword: true,
    passwordReusePrevention: p.reusePrevention,
    maxPasswordAge: p.maxAge,
    hardExpiry: false,
  };
}

/** Generated console passwords: long, and changed at first sign-in. */
const LOGIN_PASSWORD_LENGTH = 24;

export function buildPlan(model: Model): OrgPlan {
  const { org } = model;
  const identity = identityAccount(org);
  const stacks: StackPlan[] = buildPeopleStacks(model);
  for (const accountName of Object.keys(org.accounts).sort()) {
    if (accountName === identity.name) continue;
    const account = org.accounts[accountName];
    const roles = rolesForAccount(model, accountName);
    // No id yet (the organization stack creates it), or nothing of rolecall's there: no stack.
    // An alias alone is enough: the account's sign-in name is rolecall's to keep.
    if (!account.id || (roles.length === 0 && account.alias === undefined)) continue;
    const stack: StackPlan = {
      id: accountStackId(accountName),
      kind: 'account',
      account: { name: accountName, id: account.id },
      // The management account's stack (identity apart) runs on ambient credentials: no deploy role exists there.
      provider: providerFor(org, accountName, account.id, accountName === org.organization.master),
      backend: backendFor(org, accountStackId(accountName)),
      users: [],
      groups: [],
      roles,
    };
    if (account.alias !== undefined) stack.alias = account.alias;
    stacks.push(stack);
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

/**
 * The identity account's stacks: the identity stack (groups, RequireMFA, the
 * password policy, the roles granted there, and people unless sharded), then
 * with organization.peopleShards the `people-<i>` stacks. While
 * previousCount is set, each person whose stack changes is imported by the
 * new stack (UserPlan.movedFrom) and forgotten by the old one (movedOut);
 * shards the new count no longer has stay, holding only what they forget.
 */
function buildPeopleStacks(model: Model): StackPlan[] {
  const { org } = model;
  const identity = identityAccount(org);
  const identityId = identityStackId(org);
  const shards = peopleShards(org);
  const sharded = shards.count > 1;
  // The identity account apart from the master is a member: it is reached through the deploy role.
  const provider = () => providerFor(org, identity.name, identity.id, identity.name === org.organization.master);

  const byStack = new Map<string, UserPlan[]>();
  const movedOut = new Map<string, MovedOutPlan[]>();
  for (const key of Object.keys(org.people).sort()) {
    const user = userPlan(org, key);
    const home = personStackId(key, shards.count, identityId);
    if (shards.previousCount !== undefined) {
      const before = personStackId(key, shards.previousCount, identityId);
      if (before !== home) {
        user.movedFrom = before;
        movedOut.set(before, [...(movedOut.get(before) ?? []), { user, to: home }]);
      }
    }
    byStack.set(home, [...(byStack.get(home) ?? []), user]);
  }

  const groups = [requireMfaGroup(org, identity.id), ...functionGroups(model)];
  const identityStack: StackPlan = {
    id: identityId,
    kind: 'master',
    account: identity,
    provider: provider(),
    backend: backendFor(org, identityId),
    users: byStack.get(identityId) ?? [],
    groups,
    roles: rolesForAccount(model, identity.name),
    passwordPolicy: passwordPolicyPlan(org),
  };
  const alias = org.accounts[identity.name].alias;
  if (alias !== undefined) identityStack.alias = alias;
  if (sharded) {
    identityStack.membership = 'per-user';
    // Sharding turned on: each group's exclusive member list is forgotten, never destroyed (that would
    // empty the group); the shards' per-person memberships take the same people over.
    if (shards.previousCount === 1) identityStack.forgetGroupMemberships = groups.map((g) => g.key);
  }
  if (movedOut.has(identityId)) identityStack.movedOut = movedOut.get(identityId);
  if (org.organization.peopleShards !== undefined) identityStack.peopleShards = shards;

  const stacks = [identityStack];
  const stackCount = peopleStackCount(shards);
  for (let index = 0; index < stackCount; index++) {
    const id = peopleStackId(index);
    const stack: StackPlan = {
      id,
      kind: 'people',
      account: identity,
      provider: provider(),
      backend: backendFor(org, id),
      users: byStack.get(id) ?? [],
      groups: [],
      roles: [],
      membership: 'per-user',
    };
    // A shard of the current count; past it, a stack that only forgets (kept while previousCount is set).
    if (sharded && index < shards.count) stack.shard = { index, count: shards.count, groups: groups.map((g) => g.name).sort() };
    if (movedOut.has(id)) stack.movedOut = movedOut.get(id);
    stacks.push(stack);
  }
  return stacks;
}

function userPlan(org: OrgFile, key: string): UserPlan {
  const person = org.people[key];
  const user: UserPlan = {
    key,
    name: key,
    path: ROLECALL_USER_PATH,
    groups: sortedUnique([REQUIRE_MFA_GROUP, ...person.functions]),
    tags: { Name: nameTag(person.name), Email: person.email },
  };
  if (org.deploy.adopt?.people.includes(key)) user.adopt = true;
  // The model guarantees pgpKey where console or accessKey is asked for.
  if (person.console && person.pgpKey) {
    user.loginProfile = { pgpKey: person.pgpKey, passwordLength: LOGIN_PASSWORD_LENGTH, passwordResetRequired: true };
  }
  if (person.accessKey && person.pgpKey) {
    user.accessKey = { pgpKey: person.pgpKey };
    // Only with peopleShards or an accessKeyId (a key that may be imported), so files without them keep their bytes.
    if (org.organization.peopleShards !== undefined || person.accessKeyId !== undefined) user.accessKey.ignorePgpKeyChanges = true;
  }
  if (person.accessKeyId !== undefined) user.accessKeyId = person.accessKeyId;
  return user;
}

function requireMfaGroup(org: OrgFile, identityAccountId: string): GroupPlan {
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
        document: requireMfaPolicy(identityAccountId),
      },
    ],
  };
}

/**
 * One group per function, even one granted nowhere yet: membership is
 * declared independently of grants. Its policies: the assume-role parts,
 * then one customer managed policy per identityPermissions set with
 * statements; AWS managed policies of those sets are attached directly.
 */
function functionGroups(model: Model): GroupPlan[] {
  const { org } = model;
  return Object.keys(org.functions)
    .sort()
    .map((fn) => {
      const sets = identityPermissionSets(model, fn);
      const group: GroupPlan = {
        key: fn,
        name: fn,
        path: org.organization.rolePath,
        ...(org.deploy.adopt?.groups.includes(fn) ? { adopt: true } : {}),
        policies: [
          ...assumeRolePolicies(model, fn),
          ...sets
            .filter((set) => (org.permissions[set]?.statements ?? []).length > 0)
            .map((set) => {
              const name = identityPolicyName(fn, set);
              return {
                key: name,
                name,
                path: org.organization.rolePath,
                description: `rolecall: members of ${fn} in the identity account: permission set ${set}`,
                document: permissionSetDocument(org.permissions[set].statements ?? []),
              };
            }),
        ],
      };
      const managed = sortedUnique(sets.flatMap((set) => model.managedPolicyArns[set] ?? []));
      if (managed.length > 0) group.managedPolicyArns = managed;
      return group;
    });
}

/** The permission sets a function's group holds in the identity account itself (identityPermissions), sorted. */
export function identityPermissionSets(model: Model, fn: string): string[] {
  const value = model.org.functions[fn]?.identityPermissions;
  if (value === undefined) return [];
  return sortedUnique(typeof value === 'string' ? [value] : value);
}

/** ARNs of the function's roles in every granted account that has an id, sorted by account name. */
export function functionRoleArns(model: Model, fn: string): string[] {
  const { org } = model;
  return Object.keys(model.grants[fn] ?? {})
    .sort()
    .flatMap((accountName) => {
      const id = org.accounts[accountName]?.id;
      return id ? [roleArn(id, org.organization.rolePath, model.grants[fn][accountName].role)] : [];
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

/**
 * The roles on this account, sorted by role name: one per role name, shared
 * by every function naming it (the model guarantees they agree on permission
 * sets and session length). The trust admits the identity account with MFA
 * no older than the most lenient sharing function's mfaMaxAge (each group's
 * own policy still enforces its function's age), plus the machine principals
 * of every sharing function.
 */
export function rolesForAccount(model: Model, accountName: string): RolePlan[] {
  const { org } = model;
  const accountId = org.accounts[accountName]?.id;
  if (!accountId) return [];
  const identity = identityAccount(org);
  const byRole = new Map<string, { functions: string[]; grant: FunctionGrant }>();
  for (const fn of Object.keys(model.grants).sort()) {
    const grant = model.grants[fn][accountName];
    if (!grant || grant.permissionSets.length === 0) continue;
    const entry = byRole.get(grant.role);
    if (entry) entry.functions.push(fn);
    else byRole.set(grant.role, { functions: [fn], grant });
  }
  return [...byRole.keys()].sort().map((role) => {
    const { functions, grant } = byRole.get(role)!;
    const setNames = grant.permissionSets;
    const maxAge = Math.max(...functions.map((fn) => durationSeconds(org.functions[fn].mfaMaxAge)));
    const principals = sortedUnique(functions.flatMap((fn) => org.functions[fn].principals ?? []));
    const only = functions.length === 1 ? functions[0] : undefined;
    return {
      key: role,
      name: role,
      path: org.organization.rolePath,
      arn: roleArn(accountId, org.organization.rolePath, role),
      description:
        only !== undefined
          ? (org.functions[only].description ?? `rolecall function ${only}`)
          : `rolecall role ${role}, shared by functions ${functions.join(', ')}`,
      maxSessionDuration: grant.sessionDuration,
      trustPolicy: roleTrustPolicy(identity.id, maxAge, principals),
      managedPolicyArns: sortedUnique(setNames.flatMap((set) => model.managedPolicyArns[set] ?? [])),
      inlinePolicies: setNames
        .filter((set) => (org.permissions[set]?.statements ?? []).length > 0)
        .map((set) => ({ key: set, name: set, document: permissionSetDocument(org.permissions[set].statements ?? []) })),
      tags: { Function: functions.join(' ') },
      functions,
      // deploy.adopt.roles names functions: a shared role is adopted when any function naming it is.
      ...(functions.some((fn) => adoptsRole(org, fn, accountName)) ? { adopt: true } : {}),
    };
  });
}

/** `network-admin` -> `NetworkAdmin`: Sids allow letters and digits only. */
function pascal(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

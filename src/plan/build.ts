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
  timeBoundPolicyName,
} from './names';
import { buildOrganizationStack } from './organization';
import { adoptsRole, backendFor, buildBootstrapStack, buildDeployPlan, providerFor } from './deploy';
import { assumeRolesStatement, permissionSetDocument, requireMfaPolicy, roleTrustPolicy } from './policies';
import { policyDocument, policySize, sortedUnique, splitToFit } from './policy-document';
import type {
  GroupPlan,
  ManagedPolicyPlan,
  MovedOutPlan,
  OrgPlan,
  PasswordPolicyPlan,
  PolicyStatement,
  RolePlan,
  StackPlan,
  UserPlan,
} from './types';
import { emailTag, nameTag } from './tags';
import { usesIamUsers } from '../model/identity-center';
import { buildIdentityCenter } from './identity-center';
import { peopleShards, peopleStackCount, peopleStackId, personStackId } from './shards';
import { IAM_QUOTAS, PLAN_LIMITS } from '../limits';

/** Customer managed policy size limit (IAM counts characters without white space). */
export const MANAGED_POLICY_MAX_CHARS = IAM_QUOTAS.managedPolicyChars;

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
const LOGIN_PASSWORD_LENGTH = PLAN_LIMITS.loginPasswordLength;

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
  addIdentityCenter(model, stacks);
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
 * Identity Center's part (src/plan/identity-center.ts) into the stack of the
 * account that holds it: the administering account's, and with a delegated
 * administrator the management account's for what AWS keeps there. An
 * account with nothing else of rolecall's gets its stack for it.
 */
function addIdentityCenter(model: Model, stacks: StackPlan[]): void {
  const parts = buildIdentityCenter(model);
  if (!parts) return;
  const { org } = model;
  for (const part of [parts.admin, parts.management]) {
    if (!part) continue;
    let stack = stacks.find((s) => s.account.name === part.account && s.kind !== 'people');
    if (!stack) {
      const id = org.accounts[part.account].id!;
      stack = {
        id: accountStackId(part.account),
        kind: 'account',
        account: { name: part.account, id },
        provider: providerFor(org, part.account, id, part.account === org.organization.master),
        backend: backendFor(org, accountStackId(part.account)),
        users: [],
        groups: [],
        roles: [],
      };
      // Member stacks stay in account-name order, after the identity account's.
      const at = stacks.findIndex((s) => s.kind === 'account' && s.account.name > part.account);
      stacks.splice(at < 0 ? stacks.length : at, 0, stack);
    }
    stack.identityCenter = part.plan;
  }
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
  if (!usesIamUsers(org.organization)) {
    // Identity Center alone: no IAM users, groups or password policy; the stack stays for the account's own things.
    const stack: StackPlan = {
      id: identityId,
      kind: 'master',
      account: identity,
      provider: providerFor(org, identity.name, identity.id, identity.name === org.organization.master),
      backend: backendFor(org, identityId),
      users: [],
      groups: [],
      roles: [],
    };
    const alias = org.accounts[identity.name].alias;
    if (alias !== undefined) stack.alias = alias;
    return [stack];
  }
  const shards = peopleShards(org);
  const sharded = shards.count > 1;
  // The identity account apart from the master is a member: it is reached through the deploy role.
  const provider = () => providerFor(org, identity.name, identity.id, identity.name === org.organization.master);

  const byStack = new Map<string, UserPlan[]>();
  const movedOut = new Map<string, MovedOutPlan[]>();
  for (const key of Object.keys(org.people).sort()) {
    const user = userPlan(model, key);
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
    if (sharded && index < shards.count) {
      stack.shard = { index, count: shards.count, groups: shards.checkGroupMembers ? groups.map((g) => g.name).sort() : [] };
    }
    if (movedOut.has(id)) stack.movedOut = movedOut.get(id);
    stacks.push(stack);
  }
  return stacks;
}

function userPlan(model: Model, key: string): UserPlan {
  const { org } = model;
  const person = org.people[key];
  const bound = person.until ?? {};
  const user: UserPlan = {
    key,
    name: key,
    path: ROLECALL_USER_PATH,
    // A time-bound membership is no group membership: a group policy applies to every member (timeBoundPolicies).
    groups: sortedUnique([REQUIRE_MFA_GROUP, ...person.functions.filter((fn) => bound[fn] === undefined)]),
    tags: { Name: nameTag(person.name), Email: emailTag(person.email) },
  };
  const policies = timeBoundPolicies(model, key);
  if (policies.length > 0) user.policies = policies;
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

/**
 * A person's time-bound memberships (`{ name, until }`), as customer managed
 * policies of their own: the function's roles, each assumable until the
 * membership's end or its access entry's, whichever comes first.
 */
export function timeBoundPolicies(model: Model, key: string): ManagedPolicyPlan[] {
  const { org } = model;
  const bound = org.people[key].until ?? {};
  return Object.keys(bound)
    .filter((fn) => fn in org.functions)
    .sort()
    .flatMap((fn) => {
      const until = bound[fn];
      const roles = functionRoles(model, fn).map((r) => ({
        arn: r.arn,
        until: r.until !== undefined && r.until < until ? r.until : until,
      }));
      const parts = assumePolicyParts(fn, roles, durationSeconds(org.functions[fn].mfaMaxAge));
      return parts.map((statements, index) => {
        const name = timeBoundPolicyName(key, fn, index + 1);
        return {
          key: name,
          name,
          path: org.organization.rolePath,
          description: `rolecall: ${key} may assume the ${fn} roles until ${until} (time-bound membership, part ${index + 1} of ${parts.length})`,
          document: policyDocument(statements),
          membershipOf: fn,
        };
      });
    });
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

/** One role a function's members may assume, and until when (absent: no end). */
export interface AssumableRole {
  arn: string;
  until?: string;
}

/**
 * The function's roles in every granted account that has an id, by account
 * name then role name (a function may hold several roles in one account),
 * each with the access entry's `until`.
 */
export function functionRoles(model: Model, fn: string): AssumableRole[] {
  const { org } = model;
  return Object.keys(model.grants[fn] ?? {})
    .sort()
    .flatMap((accountName) => {
      const id = org.accounts[accountName]?.id;
      if (!id) return [];
      return model.grants[fn][accountName]
        .filter((g) => g.permissionSets.length > 0)
        .map((g) => ({ arn: roleArn(id, org.organization.rolePath, g.role), ...(g.until !== undefined ? { until: g.until } : {}) }));
    });
}

/** ARNs of the function's roles in every granted account that has an id, in functionRoles' order. */
export function functionRoleArns(model: Model, fn: string): string[] {
  return functionRoles(model, fn).map((r) => r.arn);
}

/** `Assume<Fn>Roles`, and for roles assumable until an instant `Assume<Fn>RolesUntil20261210T180000Z`. */
function assumeSid(fn: string, until: string | undefined): string {
  return `Assume${pascal(fn)}Roles${until === undefined ? '' : `Until${until.replace(/[^0-9A-Z]/g, '')}`}`;
}

/**
 * Assume statements for some roles: one without an end, then one per
 * `until` (DateLessThan aws:CurrentTime, so IAM itself ends the grant,
 * applied or not), in time order.
 */
export function assumeStatements(fn: string, roles: readonly AssumableRole[], maxAge: number): PolicyStatement[] {
  const byUntil = new Map<string, string[]>();
  for (const r of roles) {
    const key = r.until ?? '';
    byUntil.set(key, [...(byUntil.get(key) ?? []), r.arn]);
  }
  return [...byUntil.keys()].sort().map((key) => {
    const until = key === '' ? undefined : key;
    return assumeRolesStatement(assumeSid(fn, until), byUntil.get(key)!, maxAge, until);
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
  return assumePolicyParts(fn, functionRoles(model, fn), durationSeconds(org.functions[fn].mfaMaxAge)).map((statements, index, all) => {
    const name = assumePolicyName(fn, index + 1);
    return {
      key: name,
      name,
      path: org.organization.rolePath,
      description: `rolecall: members of ${fn} may assume the ${fn} role (part ${index + 1} of ${all.length})`,
      document: policyDocument(statements),
    };
  });
}

/**
 * Roles split into parts of at most MANAGED_POLICY_MAX_CHARS (less a margin),
 * each part's statements. Sizes grow by one `,"arn"` per ARN added to a
 * statement the part already has, or by one statement's size: re-serializing
 * the whole part per ARN was quadratic (300 accounts x 20 functions).
 */
export function assumePolicyParts(fn: string, roles: readonly AssumableRole[], maxAge: number): PolicyStatement[][] {
  const empty = policySize(policyDocument([]));
  const statementSize = (r: AssumableRole) => policySize(policyDocument(assumeStatements(fn, [r], maxAge))) - empty;
  // One statement per `until` in a part: a role whose `until` the part has already adds one ARN to it.
  const newPart = () => {
    const untils = new Set<string>();
    return (r: AssumableRole) => {
      const key = r.until ?? '';
      const grows = untils.has(key) ? JSON.stringify(r.arn).length + 1 : statementSize(r) + (untils.size > 0 ? 1 : 0);
      untils.add(key);
      return grows;
    };
  };
  const limit = MANAGED_POLICY_MAX_CHARS - PLAN_LIMITS.managedPolicySplitMarginChars;
  return splitToFit(roles, limit, empty, newPart).map((part) => assumeStatements(fn, part, maxAge));
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
  // Identity Center alone makes the roles itself (AWSReservedSSO_*), from the permission sets.
  if (!accountId || !usesIamUsers(org.organization)) return [];
  const identity = identityAccount(org);
  const byRole = new Map<string, { functions: string[]; grant: FunctionGrant }>();
  for (const fn of Object.keys(model.grants).sort()) {
    for (const grant of model.grants[fn][accountName] ?? []) {
      if (grant.permissionSets.length === 0) continue;
      const entry = byRole.get(grant.role);
      if (entry) entry.functions.push(fn);
      else byRole.set(grant.role, { functions: [fn], grant });
    }
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

/**
 * model -> the Identity Center part of the plan (SPEC section 5b,
 * docs/identity-center.md). Pure data, like the rest of src/plan:
 *
 * - each function is a group: created here (aws_identitystore_group), or an
 *   external IdP's, referenced by the id the file gives (identityCenter.groups);
 * - with rolecall's groups, each person is an identity store user, with one
 *   membership per function (an external IdP owns both otherwise);
 * - each distinct (role name, permission sets) is a permission set: AWS
 *   managed policies attached, the file's statements as its inline policy,
 *   session duration from sessionDuration, the file's relay state;
 * - each function x account x role is an account assignment of the group.
 *
 * Where it lives: the administering account's stack (identityCenter.account,
 * default the master). AWS lets only the management account manage what is
 * provisioned to the management account itself, so with a delegated
 * administrator the assignments on the management account, and copies of
 * their permission sets, stay in the management account's stack.
 */
import { createHash } from 'crypto';
import type { Model } from '../model/model';
import { identityCenterAccountName } from '../model/identity-center';
import { permissionSetDocument } from './policies';
import { policyDocument, sortedUnique } from './policy-document';
import { IDENTITY_CENTER_QUOTAS } from '../limits';
import type {
  IdcAssignmentPlan,
  IdcGroupPlan,
  IdcMembershipPlan,
  IdcPermissionSetPlan,
  IdcUserPlan,
  IdentityCenterPlan,
  PolicyDocument,
  PolicyStatement,
} from './types';

/** AWS: permission set names are 1-32 characters of [\w+=,.@-]. */
export const PERMISSION_SET_NAME_MAX = IDENTITY_CENTER_QUOTAS.permissionSetNameChars;

/**
 * The role's name in each account: AWS names it `AWSReservedSSO_<permission set>_<16 hex>`
 * under /aws-reserved/sso.amazonaws.com/ (the hex is AWS's, unknown before it exists).
 */
export function reservedRoleNamePrefix(permissionSetName: string): string {
  return `AWSReservedSSO_${permissionSetName}_`;
}

export function permissionSetKey(role: string, sets: readonly string[]): string {
  return [role, ...sets].join('--');
}

export function permissionSetName(role: string, sets: readonly string[], managementCopy = false): string {
  const base = `${role}.${sets.join('+')}${managementCopy ? '.mgmt' : ''}`.replace(/[^\w+=,.@-]/g, '-');
  if (base.length <= PERMISSION_SET_NAME_MAX) return base;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  return `${base.slice(0, PERMISSION_SET_NAME_MAX - 9)}-${hash}`;
}

/** 3600 -> PT1H, 5400 -> PT1H30M. */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const text = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}`;
  return `PT${text === '' ? '0S' : text}`;
}

/** "Alice Example" -> Alice / Example; one word is both (the identity store needs both). */
function splitName(name: string): { givenName: string; familyName: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { givenName: parts[0] || name, familyName: parts[0] || name };
  return { givenName: parts[0], familyName: parts.slice(1).join(' ') };
}

/** `network-admin` -> `NetworkAdmin`. */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The sets' statements in one inline policy (a permission set has one).
 * A Sid two sets share would repeat in one document, which IAM refuses:
 * then every Sid is prefixed with its set's name.
 */
function inlinePolicy(model: Model, sets: readonly string[]): PolicyDocument | undefined {
  const bySet = sets
    .map((set) => ({ set, statements: permissionSetDocument(model.org.permissions[set]?.statements ?? []).Statement }))
    .filter((s) => s.statements.length > 0);
  if (bySet.length === 0) return undefined;
  const sids = bySet.flatMap((s) => s.statements.map((st) => st.Sid).filter((x): x is string => x !== undefined));
  const clash = new Set(sids).size !== sids.length;
  const statements: PolicyStatement[] = bySet.flatMap(({ set, statements }) =>
    statements.map((st) => (clash && st.Sid !== undefined ? { ...st, Sid: `${pascal(set)}${st.Sid}` } : st)),
  );
  return policyDocument(statements);
}

interface Variant {
  role: string;
  sets: string[];
  sessionDuration: number;
  functions: Set<string>;
}

export interface IdentityCenterParts {
  /** The administering account's name, and what its stack holds. */
  admin: { account: string; plan: IdentityCenterPlan };
  /** With a delegated administrator: what the management account's stack holds (absent when nothing). */
  management?: { account: string; plan: IdentityCenterPlan };
}

export function buildIdentityCenter(model: Model): IdentityCenterParts | undefined {
  const { org } = model;
  const center = org.organization.identityCenter;
  if (!center) return undefined;
  const adminAccount = identityCenterAccountName(org.organization);
  const master = org.organization.master;
  const delegated = adminAccount !== master;
  const external = center.groups;

  const groups: IdcGroupPlan[] = Object.keys(org.functions)
    .sort()
    .map((fn) => ({
      key: fn,
      displayName: fn,
      description: org.functions[fn].description ?? `rolecall function ${fn}`,
      ...(external?.[fn] !== undefined ? { externalId: external[fn] } : {}),
    }));

  const users: IdcUserPlan[] = [];
  const memberships: IdcMembershipPlan[] = [];
  if (!external) {
    for (const key of Object.keys(org.people).sort()) {
      const person = org.people[key];
      users.push({ key, userName: key, displayName: person.name, ...splitName(person.name), email: person.email });
      for (const fn of sortedUnique(person.functions)) {
        if (fn in org.functions) memberships.push({ key: `${key}--${fn}`, user: key, group: fn });
      }
    }
  }

  // Variants by key, separately for the management account's copies (delegated administrator only).
  const variants = { admin: new Map<string, Variant>(), management: new Map<string, Variant>() };
  const assignments = { admin: [] as IdcAssignmentPlan[], management: [] as IdcAssignmentPlan[] };
  for (const fn of Object.keys(model.grants).sort()) {
    for (const accountName of Object.keys(model.grants[fn]).sort()) {
      const id = org.accounts[accountName]?.id;
      if (!id) continue;
      const side = delegated && accountName === master ? 'management' : 'admin';
      for (const grant of model.grants[fn][accountName]) {
        if (grant.permissionSets.length === 0) continue;
        const key = permissionSetKey(grant.role, grant.permissionSets);
        const variant = variants[side].get(key) ?? {
          role: grant.role,
          sets: grant.permissionSets,
          // The model refuses two session lengths for one role and sets (RC710): the first is the one.
          sessionDuration: grant.sessionDuration,
          functions: new Set<string>(),
        };
        variant.functions.add(fn);
        variants[side].set(key, variant);
        assignments[side].push({
          key: `${fn}--${accountName}--${grant.role}`,
          group: fn,
          permissionSet: key,
          account: { name: accountName, id },
        });
      }
    }
  }

  const permissionSets = (side: 'admin' | 'management'): IdcPermissionSetPlan[] =>
    [...variants[side].keys()].sort().map((key) => {
      const v = variants[side].get(key)!;
      const ps: IdcPermissionSetPlan = {
        key,
        name: permissionSetName(v.role, v.sets, side === 'management'),
        description: `rolecall role ${v.role}: ${v.sets.join(', ')}`,
        role: v.role,
        permissionSets: v.sets,
        sessionDuration: isoDuration(v.sessionDuration),
        managedPolicyArns: sortedUnique(v.sets.flatMap((set) => model.managedPolicyArns[set] ?? [])),
        functions: [...v.functions].sort(),
      };
      if (center.relayState !== undefined) ps.relayState = center.relayState;
      const inline = inlinePolicy(model, v.sets);
      if (inline) ps.inlinePolicy = inline;
      if (side === 'management') ps.managementCopy = true;
      return ps;
    });

  const base = { instanceArn: center.instanceArn, identityStoreId: center.identityStoreId };
  const parts: IdentityCenterParts = {
    admin: {
      account: adminAccount,
      plan: { ...base, groups, users, memberships, permissionSets: permissionSets('admin'), assignments: assignments.admin },
    },
  };
  if (assignments.management.length > 0) {
    // Only external groups are assigned here (the model refuses the others, RC709): referenced by id.
    const used = new Set(assignments.management.map((a) => a.group));
    parts.management = {
      account: master,
      plan: {
        ...base,
        groups: groups.filter((g) => used.has(g.key)),
        users: [],
        memberships: [],
        permissionSets: permissionSets('management'),
        assignments: assignments.management,
      },
    };
  }
  return parts;
}

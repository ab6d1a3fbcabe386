/**
 * `rolecall import`: a draft org file from an estate that already exists.
 * Accounts (and OUs) from organizations.json, people from the identity
 * account's IAM users, functions from its groups, each function's grants
 * from the roles its group's policies let it assume, permission sets from
 * those roles' managed and inline policies (deduplicated by content), and
 * deploy.adopt entries so the first plan imports instead of recreating.
 *
 * Every string comes from AWS, so from whoever could write IAM: names are
 * kept only when they fit the file's patterns, actions only when the IAM
 * catalog knows them, managed policies only when AWS publishes them; the
 * rest goes to the report of what could not be expressed, with why. The
 * YAML is written from plain data by the `yaml` package (no positions, no
 * templates), so no value can become structure.
 */
import { stringify } from 'yaml';
import { expandActionPattern } from '../iam/actions';
import { findManagedPolicy, MANAGED_POLICY_ARN_PREFIX } from '../iam/managed-policies';
import { NAME_PATTERN, USER_NAME_PATTERN } from '../model/schema';
import { ROLE_NAME_PATTERN } from '../model/references/text';
import { LIMITS } from '../limits';
import { canonicalDocument, trustedPrincipals } from './normalize';
import type { AccountSnapshot, OrganizationSnapshot, SnapDocument, SnapRole, SnapStatement } from './snapshot';

export interface ImportInput {
  snapshots: AccountSnapshot[];
  organization?: OrganizationSnapshot;
  region?: string;
}

export interface ImportResult {
  /** The draft org file (YAML). */
  yaml: string;
  /** Everything the draft could not express, each with why. */
  unexpressed: string[];
  counts: { accounts: number; people: number; functions: number; permissionSets: number; grants: number };
}

const REQUIRE_MFA_GROUP = 'RequireMFA';
const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';
/** A key the draft writes (an account or function name): within both limits. */
const MAX_NAME = Math.min(LIMITS.functionNameChars, LIMITS.accountNameChars);

/** `Prod Account_1` -> `prod-account-1`: a file key, or undefined when nothing usable is left. */
function keyOf(text: string): string | undefined {
  const k = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_NAME);
  if (k === '') return undefined;
  return /^[a-z]/.test(k) ? k : `a-${k}`.slice(0, MAX_NAME);
}

function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

function durationOf(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function globMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

function actionKnown(action: string): boolean {
  if (action === '*') return true;
  try {
    return expandActionPattern(action).length > 0;
  } catch {
    return false;
  }
}

type FileStatement = {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, string[]>>;
};

export function importEstate(input: ImportInput): ImportResult {
  const unexpressed: string[] = [];
  const org = input.organization;
  const say = (text: string) => unexpressed.push(text);

  // ---- accounts
  const accountNames = new Map<string, string>(); // id -> file key
  const taken = new Set<string>();
  const accounts: Record<string, Record<string, unknown>> = {};
  const ouPath = (parentId?: string): string | undefined => {
    if (!org) return undefined;
    const units = new Map(org.units.map((u) => [u.id, u]));
    const parts: string[] = [];
    let current = parentId;
    for (let hops = 0; current !== undefined && units.has(current) && hops < 10; hops++) {
      const u = units.get(current)!;
      parts.unshift(u.name);
      current = u.parentId;
    }
    return parts.length > 0 ? parts.join('/') : undefined;
  };
  const OU_SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9 ._&+()-]*[A-Za-z0-9)])?$/;
  const addAccount = (id: string, label: string, extra: { email?: string; parentId?: string }) => {
    if (accountNames.has(id)) return;
    const key = unique(keyOf(label) ?? `account-${id}`, taken);
    accountNames.set(id, key);
    const entry: Record<string, unknown> = { id };
    if (extra.email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(extra.email)) entry.email = extra.email;
    const ou = ouPath(extra.parentId);
    if (ou !== undefined) {
      if (ou.split('/').every((s) => OU_SEGMENT.test(s))) entry.ou = ou;
      else
        say(`account ${key}: its OU path ${JSON.stringify(ou)} has characters rolecall does not accept in an OU name; no \`ou\` written`);
    }
    accounts[key] = entry;
  };
  for (const a of org?.accounts ?? []) if (a.status === undefined || a.status === 'ACTIVE') addAccount(a.id, a.name, a);
  for (const s of input.snapshots) if (s.accountId) addAccount(s.accountId, /^\d{12}$/.test(s.label) ? `account-${s.label}` : s.label, {});

  // ---- identity and management accounts
  const withPeople = [...input.snapshots]
    .filter((s) => s.accountId)
    .sort((a, b) => b.users.length - a.users.length || a.label.localeCompare(b.label));
  const identitySnap = withPeople[0];
  const masterId = org?.masterAccountId ?? identitySnap?.accountId;
  if (!identitySnap || !masterId) throw new Error('no account snapshot with an account id to import');
  if (!accountNames.has(masterId)) addAccount(masterId, 'master', {});
  const identityId = identitySnap.accountId!;
  const master = accountNames.get(masterId)!;
  const identity = accountNames.get(identityId)!;
  if (!org) say('no organizations.json: accounts are named after their snapshot files, and no OU or email was written');

  // ---- roles anywhere, by ARN
  const rolesByArn = new Map<string, { role: SnapRole; account: string }>();
  for (const s of input.snapshots) for (const r of s.roles) rolesByArn.set(r.arn, { role: r, account: accountNames.get(s.accountId!)! });
  const policyDocs = new Map<string, SnapDocument>();
  for (const s of input.snapshots) for (const p of s.policies) if (p.document) policyDocs.set(p.arn, p.document);

  // ---- permission sets, by content
  const permissions: Record<string, Record<string, unknown>> = {};
  const setByContent = new Map<string, string>();
  const setNames = new Set<string>();
  const convert = (doc: SnapDocument, where: string): FileStatement[] =>
    doc.Statement.flatMap((s: SnapStatement) => {
      if (s.NotAction || s.NotResource || s.Principal || s.NotPrincipal || !s.Action) {
        say(
          `${where}: a statement with ${s.NotAction ? 'NotAction' : s.NotResource ? 'NotResource' : s.Principal || s.NotPrincipal ? 'a Principal' : 'no Action'} (${s.Effect}) is not expressible in a permission set; left out`,
        );
        return [];
      }
      const actions = s.Action.filter(actionKnown);
      const unknown = s.Action.filter((a) => !actionKnown(a));
      if (unknown.length > 0)
        say(
          `${where}: actions the IAM catalog does not know were left out: ${unknown
            .slice(0, 10)
            .map((a) => JSON.stringify(a.slice(0, 80)))
            .join(', ')}`,
        );
      if (actions.length === 0) return [];
      const out: FileStatement = { effect: s.Effect, actions: [...actions], resources: s.Resource ? [...s.Resource] : ['*'] };
      if (s.Sid && /^[A-Za-z0-9]+$/.test(s.Sid)) out.sid = s.Sid;
      if (s.Condition && Object.keys(s.Condition).length > 0) out.conditions = s.Condition;
      return [out];
    });
  /** The sets of a role: its inline policies one set each (the first one also holding the managed policies), or one managed-only set. */
  const setsOf = (role: SnapRole, account: string): string[] => {
    const where = `role ${role.name} in ${account}`;
    const managed: string[] = [];
    const fromCustomer: FileStatement[] = [];
    for (const a of role.attached) {
      if (a.arn.startsWith(MANAGED_POLICY_ARN_PREFIX)) {
        const ref = a.arn.slice(MANAGED_POLICY_ARN_PREFIX.length);
        if (findManagedPolicy(ref)) managed.push(ref);
        else
          say(
            `${where}: AWS managed policy ${JSON.stringify(ref.slice(0, 120))} is not in the managed policy list rolecall knows; left out`,
          );
      } else {
        const d = policyDocs.get(a.arn);
        if (d) {
          say(`${where}: customer managed policy ${a.name} becomes inline statements (rolecall attaches AWS managed policies only)`);
          fromCustomer.push(...convert(d, `${where}, policy ${a.name}`));
        } else say(`${where}: customer managed policy ${a.arn} has no document in the snapshot; left out`);
      }
    }
    const parts: Array<{ name: string; managed: string[]; statements: FileStatement[] }> = role.inline.map((p) => ({
      name: keyOf(p.name) ?? 'inline',
      managed: [],
      statements: convert(p.document, `${where}, inline policy ${p.name}`),
    }));
    if (fromCustomer.length > 0) parts.push({ name: `${keyOf(role.name) ?? 'role'}-policies`, managed: [], statements: fromCustomer });
    if (parts.length === 0)
      parts.push({
        name: managed.length === 1 ? managedKey(managed[0]) : `${keyOf(role.name) ?? 'role'}-managed`,
        managed: [],
        statements: [],
      });
    parts[0].managed = [...managed].sort();
    return parts.flatMap((p) => {
      if (p.managed.length === 0 && p.statements.length === 0) return [];
      const content = JSON.stringify({
        m: p.managed,
        s: canonicalDocument({
          Statement: p.statements.map((s) => ({
            Effect: s.effect,
            Action: s.actions,
            Resource: s.resources,
            ...(s.conditions ? { Condition: s.conditions } : {}),
            ...(s.sid ? { Sid: s.sid } : {}),
          })),
        }),
      });
      const known = setByContent.get(content);
      if (known) return [known];
      const name = unique(p.name, setNames);
      const set: Record<string, unknown> = {};
      if (p.managed.length > 0) set.managed = p.managed;
      if (p.statements.length > 0) set.statements = p.statements;
      permissions[name] = set;
      setByContent.set(content, name);
      return [name];
    });
  };

  // ---- functions from the identity account's groups
  const functions: Record<string, Record<string, unknown>> = {};
  const adoptRoles: Record<string, string[]> = {};
  const reached = new Set<string>();
  const functionOf = new Map<string, string>();
  for (const g of identitySnap.groups) {
    if (g.name === REQUIRE_MFA_GROUP) continue;
    if (!NAME_PATTERN.test(g.name) || g.name.length > MAX_NAME) {
      say(`group ${JSON.stringify(g.name.slice(0, 80))}: not a function name ([a-z][a-z0-9-]*); its members keep it, the draft does not`);
      continue;
    }
    const docs: Array<{ doc: SnapDocument; name: string }> = [
      ...g.inline.map((p) => ({ doc: p.document, name: `inline policy ${p.name}` })),
      ...g.attached.flatMap((a) => {
        const d = policyDocs.get(a.arn);
        if (!d) say(`group ${g.name}: policy ${a.name} (${a.arn}) is not an assume-role policy rolecall can read; left out`);
        return d ? [{ doc: d, name: `policy ${a.name}` }] : [];
      }),
    ];
    let mfaMaxAge: number | undefined;
    const targets: string[] = [];
    for (const { doc, name } of docs)
      for (const s of doc.Statement) {
        const assumes = s.Effect === 'Allow' && (s.Action ?? []).some((a) => /^sts:(AssumeRole|\*)$/i.test(a) || a === '*');
        if (!assumes || !s.Resource) {
          say(
            `group ${g.name}, ${name}: a statement other than sts:AssumeRole on roles is not imported (identityPermissions are left to you)`,
          );
          continue;
        }
        const age = s.Condition?.NumericLessThan?.['aws:MultiFactorAuthAge']?.[0];
        if (age !== undefined && /^\d+$/.test(age)) mfaMaxAge = Math.max(mfaMaxAge ?? 0, Number(age));
        for (const pattern of s.Resource) {
          const matched = [...rolesByArn.keys()].filter((arn) => globMatches(pattern, arn));
          if (matched.length === 0)
            say(`group ${g.name}: it may assume ${JSON.stringify(pattern.slice(0, 200))}, which no snapshot holds; left out`);
          targets.push(...matched);
        }
      }
    const grants: Array<Record<string, unknown>> = [];
    const sessions = new Set<number>();
    for (const arn of [...new Set(targets)].sort()) {
      const { role, account } = rolesByArn.get(arn)!;
      if (role.name === ORGANIZATION_ACCESS_ROLE || role.path.startsWith('/aws-')) {
        say(`group ${g.name}: it may assume ${role.name} in ${account}, which rolecall does not manage as a function role; left out`);
        continue;
      }
      if (role.path !== '/')
        say(
          `role ${role.name} in ${account}: path ${role.path}; the draft's roles are at / (organization.rolePath), so the first plan replaces it`,
        );
      const trusted = trustedPrincipals(role.trust);
      const identityRoot = `AWS:arn:aws:iam::${identityId}:root`;
      if (!trusted.includes(identityRoot))
        say(`role ${role.name} in ${account}: its trust does not name the identity account; rolecall's will (with MFA)`);
      const others = trusted.filter((p) => p !== identityRoot);
      if (others.length > 0)
        say(
          `role ${role.name} in ${account}: its trust also admits ${others.slice(0, 5).join(', ')}; rolecall's trust will not (add functions.${g.name}.principals if they are machines you keep)`,
        );
      const sets = setsOf(role, account);
      if (sets.length === 0) {
        say(`role ${role.name} in ${account}: no policy rolecall can express; grant left out`);
        continue;
      }
      if (!NAME_PATTERN.test(role.name) && !ROLE_NAME_PATTERN.test(role.name)) continue;
      const grant: Record<string, unknown> = { accounts: [account], permissions: sets.length === 1 ? sets[0] : sets };
      if (role.name !== g.name) grant.role = role.name;
      const session = LIMITS.sessionDurationSeconds;
      if (role.maxSessionDuration !== undefined && role.maxSessionDuration >= session.min && role.maxSessionDuration <= session.max) {
        grant.sessionDuration = durationOf(role.maxSessionDuration);
        sessions.add(role.maxSessionDuration);
      }
      grants.push(grant);
      reached.add(arn);
      (adoptRoles[g.name] ??= []).push(account);
    }
    // One session length for every grant: the function's own; otherwise each grant keeps its own.
    const fn: Record<string, unknown> = {};
    if (mfaMaxAge !== undefined) fn.mfaMaxAge = durationOf(mfaMaxAge);
    if (sessions.size === 1) {
      fn.sessionDuration = durationOf([...sessions][0]);
      for (const grant of grants) delete grant.sessionDuration;
    }
    fn.access = mergeGrants(grants);
    functions[g.name] = fn;
    functionOf.set(g.name, g.name);
  }

  // Roles no group reaches: not a function's.
  for (const [arn, { role, account }] of rolesByArn) {
    if (reached.has(arn) || role.name === ORGANIZATION_ACCESS_ROLE || role.path.startsWith('/aws-')) continue;
    const t = trustedPrincipals(role.trust);
    if (t.length > 0 && t.every((p) => p.startsWith('Service:'))) continue;
    say(
      `role ${role.name} in ${account}: no group of the identity account may assume it (it trusts ${t.slice(0, 5).join(', ') || 'nobody'}); not imported`,
    );
  }

  // ---- people
  const people: Record<string, Record<string, unknown>> = {};
  for (const u of identitySnap.users) {
    if (!USER_NAME_PATTERN.test(u.name) || u.name.length > LIMITS.userNameChars) {
      say(`user ${JSON.stringify(u.name.slice(0, 80))}: not a name rolecall accepts; left out`);
      continue;
    }
    const email = u.tags.Email ?? u.tags.email;
    const person: Record<string, unknown> = {
      name: (u.tags.Name ?? u.tags.name ?? u.name).slice(0, 200) || u.name,
      email:
        email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)
          ? email
          : `${u.name.toLowerCase().replace(/[^a-z0-9.+_-]/g, '-')}@example.invalid`,
      functions: u.groups.filter((g) => functionOf.has(g)).sort(),
    };
    if (!email) say(`person ${u.name}: no Email tag; the draft says ${String(person.email)}, write the real address`);
    for (const g of u.groups)
      if (g !== REQUIRE_MFA_GROUP && !functionOf.has(g))
        say(`person ${u.name}: group ${JSON.stringify(g.slice(0, 80))} is not a function of the draft`);
    if (u.attached.length + u.inline.length > 0)
      say(`person ${u.name}: policies on the user itself are not imported (rolecall gives access through groups)`);
    if (u.loginProfile) say(`person ${u.name}: has a console password; set console: true and pgpKey to keep it under rolecall`);
    if (u.accessKeys?.some((k) => k.status === 'Active'))
      say(`person ${u.name}: has an access key; set accessKey: true, pgpKey and accessKeyId to keep it under rolecall`);
    people[u.name] = person;
  }
  for (const s of input.snapshots)
    if (s.accountId !== identityId)
      for (const u of s.users)
        say(`user ${u.name} in ${accountNames.get(s.accountId!)}: people live only in the identity account (${identity}); not imported`);
  const orgPolicies = (org?.policies ?? []).filter((p) => p.name !== 'FullAWSAccess' && p.name !== 'RCPFullAWSAccess');
  if (orgPolicies.length > 0)
    say(
      `${orgPolicies.length} SCPs/RCPs were not imported: with organization.manage: true rolecall attaches its own guard rails (docs/organization.md)`,
    );

  const draft: Record<string, unknown> = {
    version: 1,
    organization: {
      name: 'imported',
      region: input.region ?? 'us-east-1',
      master,
      ...(identity !== master ? { identity } : {}),
      manage: false,
    },
    accounts,
    ...(Object.keys(permissions).length > 0 ? { permissions } : {}),
    functions,
    people,
    deploy: {
      adopt: {
        people: Object.keys(people).sort(),
        groups: Object.keys(functions).sort(),
        roles: Object.fromEntries(Object.entries(adoptRoles).map(([fn, accts]) => [fn, [...new Set(accts)].sort()])),
      },
    },
  };
  say(`organization.name is "imported" and region ${input.region ?? 'us-east-1'}: set your own`);
  const header = [
    '# Draft written by `rolecall import` from an existing estate. Review it before any apply:',
    '# `npx --no-install rolecall validate`, then `synth` and a plan (imports, no creates for what exists).',
    '# What the estate holds that this file cannot say is listed by the import (and below the file when written).',
    '',
  ].join('\n');
  const yaml = header + stringify(draft, { lineWidth: 0 });
  return {
    yaml,
    unexpressed,
    counts: {
      accounts: Object.keys(accounts).length,
      people: Object.keys(people).length,
      functions: Object.keys(functions).length,
      permissionSets: Object.keys(permissions).length,
      grants: Object.values(functions).reduce((n, f) => n + (f.access as unknown[]).length, 0),
    },
  };
}

/** Grants that differ only by account become one grant listing the accounts, in the order first seen. */
function mergeGrants(grants: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const g of grants) {
    const key = JSON.stringify([g.permissions, g.role, g.sessionDuration]);
    const seen = byKey.get(key);
    if (seen) (seen.accounts as string[]).push(...(g.accounts as string[]));
    else byKey.set(key, { ...g, accounts: [...(g.accounts as string[])] });
  }
  return [...byKey.values()];
}

function managedKey(ref: string): string {
  if (ref === 'AdministratorAccess') return 'admin';
  const last = ref.replace(/^.*\//, '');
  return keyOf(last.replace(/([a-z0-9])([A-Z])/g, '$1-$2')) ?? 'managed';
}

/**
 * The file against the estate: every finding of `rolecall audit`, from the
 * PLAN (what rolecall would apply: its stacks' users, groups, roles, and the
 * organization stack) and the snapshots (what AWS holds). Nothing here
 * re-derives intent from the model; names, ARNs and documents are the
 * plan's own, so the audit and the stacks cannot disagree.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { Model } from '../model/model';
import { closest } from '../model/suggest';
import { ORGANIZATION_ACCESS_ROLE } from '../plan/access';
import { DEPLOY_ROLE_PATH } from '../plan/deploy';
import { accountRootArn, customerPolicyArn, identityAccount, masterAccount } from '../plan/names';
import { FULL_AWS_ACCESS_RCP, FULL_AWS_ACCESS_SCP, ouAncestry, policyType } from '../plan/organization';
import type { GroupPlan, OrgPlan, PolicyDocument, RolePlan, UserPlan } from '../plan/types';
import { FINDING_KINDS, severityRank, type Finding, type FindingKey, type Severity } from './findings';
import { canonicalDocument, principalAccount, sameDocument, trustedPrincipals } from './normalize';
import type { AccountSnapshot, OrganizationSnapshot, SnapDocument, SnapRole } from './snapshot';

/** A snapshot placed on an account: the file's (by name or id), or one the file does not list. */
export interface PlacedSnapshot {
  snapshot: AccountSnapshot;
  accountId: string;
  /** The account's name in the file; undefined for an account the file does not list. */
  name?: string;
}

export interface AuditResult {
  findings: Finding[];
  /** Roles not examined: service-linked, AWS-reserved, or trusting only AWS services. */
  skippedServiceRoles: number;
  notes: string[];
}

/** Where each snapshot belongs: by the file name (an account name or id), checked against the ARNs inside. */
export function placeSnapshots(model: Model, snapshots: AccountSnapshot[]): { placed: PlacedSnapshot[]; diagnostics: Diagnostic[] } {
  const accounts = model.org.accounts;
  const byId = new Map<string, string>();
  for (const [name, a] of Object.entries(accounts)) if (a.id) byId.set(a.id, name);
  const placed: PlacedSnapshot[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const error = (snap: AccountSnapshot, code: string, message: string, fix?: string) =>
    diagnostics.push({ severity: 'error', file: snap.source, line: 1, col: 1, path: [], code, message, ...(fix ? { fix } : {}) });
  for (const snap of snapshots) {
    let name: string | undefined;
    let id: string | undefined;
    if (Object.prototype.hasOwnProperty.call(accounts, snap.label)) {
      name = snap.label;
      id = accounts[snap.label].id;
    } else if (/^\d{12}$/.test(snap.label)) {
      id = snap.label;
      name = byId.get(id);
    } else {
      const near = closest(snap.label, Object.keys(accounts));
      error(
        snap,
        'RA006',
        `the snapshot's name "${snap.label}" is neither an account of the file nor a 12-digit account id`,
        near ? `rename it ${near}.json` : `name it <account name or id>.json (accounts: ${Object.keys(accounts).sort().join(', ')})`,
      );
      continue;
    }
    if (id === undefined) id = snap.accountId;
    if (id === undefined) {
      error(snap, 'RA006', `account "${name}" has no id in the file and the snapshot holds no ARN to read it from`);
      continue;
    }
    if (snap.accountId !== undefined && snap.accountId !== id) {
      error(
        snap,
        'RA006',
        `the snapshot is named for account ${name ?? id} (${id}), but its ARNs are in account ${snap.accountId}`,
        'check which account the file was fetched from; name it after that account',
      );
      continue;
    }
    const other = seen.get(id);
    if (other !== undefined) {
      error(snap, 'RA007', `a second snapshot of account ${name ?? id} (${id}); the first is ${other}`, 'keep one file per account');
      continue;
    }
    seen.set(id, snap.source);
    placed.push({ snapshot: snap, accountId: id, ...(name !== undefined ? { name } : {}) });
  }
  return { placed, diagnostics };
}

function managedPolicyArn(accountId: string, path: string, name: string): string {
  return customerPolicyArn(accountId, path, name);
}

function describeDoc(doc: PolicyDocument | SnapDocument): string {
  const text = canonicalDocument(doc);
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} characters)` : text;
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

interface Expected {
  users: UserPlan[];
  groups: GroupPlan[];
  roles: RolePlan[];
  /** Roles rolecall does not create but expects, by name: their only expected trust. */
  knownRoles: Map<string, { path?: string; trust: 'master-root' | PolicyDocument; why: string; inline?: PolicyDocument[] }>;
}

/** The plan's principals in one account, from every stack there (identity, people shards, account stacks, bootstrap). */
function expectedIn(model: Model, plan: OrgPlan, accountId: string): Expected {
  const stacks = plan.stacks.filter((s) => s.account.id === accountId);
  const master = masterAccount(model.org);
  const knownRoles: Expected['knownRoles'] = new Map();
  if (accountId !== master.id) {
    // Organizations creates this role in every account it creates; deploy.assumeRoleName is how stacks reach members.
    for (const name of new Set([ORGANIZATION_ACCESS_ROLE, model.org.deploy.assumeRoleName]))
      knownRoles.set(name, {
        trust: 'master-root',
        why: `the deploy role (deploy.assumeRoleName), trusted by the management account only`,
      });
  }
  for (const account of plan.bootstrapStack?.accounts ?? []) {
    if (account.account.id !== accountId) continue;
    for (const role of account.roles)
      knownRoles.set(role.name, {
        path: role.path,
        trust: role.trustPolicy,
        why: `the bootstrap stack's ${role.phase} role`,
        inline: [role.policy],
      });
  }
  return {
    users: stacks.flatMap((s) => s.users),
    groups: stacks.flatMap((s) => s.groups),
    roles: stacks.flatMap((s) => s.roles),
    knownRoles,
  };
}

/** Service-linked and AWS-reserved roles, and roles only AWS services may assume: not a way in for a person. */
function isServiceRole(role: SnapRole): boolean {
  if (role.path.startsWith('/aws-service-role/') || role.path.startsWith('/aws-reserved/')) return true;
  const trusted = trustedPrincipals(role.trust);
  return trusted.length > 0 && trusted.every((p) => p.startsWith('Service:'));
}

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$/;

export function runAudit(model: Model, plan: OrgPlan, placed: PlacedSnapshot[], organization?: OrganizationSnapshot): AuditResult {
  const org = model.org;
  const identity = identityAccount(org);
  const master = masterAccount(org);
  const fileAccountIds = new Set(Object.values(org.accounts).flatMap((a) => (a.id ? [a.id] : [])));
  const namedPrincipals = new Set<string>([
    accountRootArn(identity.id),
    ...Object.values(org.functions).flatMap((f) => f.principals ?? []),
  ]);
  const findings: Finding[] = [];
  let skippedServiceRoles = 0;
  const notes: string[] = [];

  for (const { snapshot: snap, accountId, name } of placed) {
    const account = name ?? accountId;
    const add = (key: FindingKey, severity: Severity, principal: string, file: string, aws: string) => {
      const k = FINDING_KINDS[key];
      findings.push({ code: k.code, kind: k.kind, severity, account, accountId, principal, file, aws });
    };
    if (name === undefined)
      add(
        'undeclaredAccount',
        'medium',
        `account/${accountId}`,
        'no such account',
        `an account with ${snap.users.length} users, ${snap.roles.length} roles`,
      );
    const expected = expectedIn(model, plan, accountId);
    const isIdentity = accountId === identity.id;

    // ---- users
    const users = new Map(expected.users.map((u) => [u.name, u]));
    for (const user of snap.users) {
      const declared = isIdentity ? users.get(user.name) : undefined;
      const holds = [
        ...user.groups.map((g) => `group ${g}`),
        ...user.attached.map((p) => `policy ${p.name}`),
        ...user.inline.map((p) => `inline policy ${p.name}`),
      ];
      const admin = user.attached.some((p) => ADMIN_POLICIES.test(p.arn));
      if (!isIdentity) {
        add(
          'userOutsideIdentity',
          admin ? 'critical' : 'high',
          `user/${user.name}`,
          `people exist only in the identity account (${identity.name})`,
          `IAM user ${user.arn}${holds.length ? ` with ${list(holds)}` : ''}`,
        );
        continue;
      }
      if (!declared) {
        add(
          'undeclaredUser',
          admin ? 'critical' : holds.length > 0 ? 'high' : 'medium',
          `user/${user.name}`,
          'no such person',
          `IAM user ${user.arn}${holds.length ? ` with ${list(holds)}` : ' with no group or policy'}`,
        );
        continue;
      }
      const expectedGroups = new Set(declared.groups);
      const actualGroups = new Set(user.groups);
      for (const g of user.groups)
        if (!expectedGroups.has(g))
          add('membershipAdded', 'high', `user/${user.name}`, `groups ${list(declared.groups)}`, `also in group ${g}`);
      for (const g of declared.groups)
        if (!actualGroups.has(g)) add('membershipMissing', 'medium', `user/${user.name}`, `member of group ${g}`, `not a member of ${g}`);
      for (const p of user.attached)
        add('policyAdded', 'high', `user/${user.name}`, 'no policy on the user (access comes from groups)', `attached ${p.arn}`);
      for (const p of user.inline)
        add('policyAdded', 'high', `user/${user.name}`, 'no policy on the user (access comes from groups)', `inline policy ${p.name}`);
      if (user.path !== declared.path) add('settingDrift', 'low', `user/${user.name}`, `path ${declared.path}`, `path ${user.path}`);
      if (user.permissionsBoundary !== undefined)
        add('settingDrift', 'low', `user/${user.name}`, 'no permissions boundary', `permissions boundary ${user.permissionsBoundary}`);
      if (user.loginProfile !== undefined) {
        const want = declared.loginProfile !== undefined;
        if (user.loginProfile && !want)
          add('credentialDrift', 'high', `user/${user.name}`, 'no console password', 'a login profile (console password)');
        if (!user.loginProfile && want) add('credentialDrift', 'low', `user/${user.name}`, 'a console password', 'no login profile');
      }
      if (user.accessKeys !== undefined) {
        const active = user.accessKeys.filter((k) => k.status === 'Active');
        const allowed = declared.accessKey ? 1 : 0;
        if (active.length > allowed)
          add(
            'credentialDrift',
            'high',
            `user/${user.name}`,
            allowed ? 'one access key' : 'no access key',
            `${active.length} active access keys (${active.map((k) => k.id).join(', ')})`,
          );
        if (active.length < allowed) add('credentialDrift', 'low', `user/${user.name}`, 'one access key', 'no active access key');
      }
    }
    const present = new Set(snap.users.map((u) => u.name));
    for (const u of expected.users)
      if (!present.has(u.name)) add('missingPrincipal', 'medium', `user/${u.name}`, `person ${u.name}`, 'no such IAM user');

    // ---- customer managed policies (the identity account's group policies are the only ones rolecall makes)
    const expectedPolicies = new Map<string, { doc: PolicyDocument; group: string }>();
    for (const g of expected.groups)
      for (const p of g.policies) expectedPolicies.set(managedPolicyArn(accountId, p.path, p.name), { doc: p.document, group: g.name });
    const actualPolicies = new Map(snap.policies.map((p) => [p.arn, p]));
    for (const p of snap.policies) {
      const want = expectedPolicies.get(p.arn);
      if (!want) {
        const attached = (p.attachmentCount ?? 0) > 0;
        add(
          'undeclaredPolicy',
          attached ? 'medium' : 'low',
          `policy/${p.name}`,
          outsidePath(p.path, org.organization.rolePath) ?? 'no such policy',
          `${p.arn}${p.attachmentCount !== undefined ? `, attached ${p.attachmentCount} times` : ''}`,
        );
      } else if (p.document && !sameDocument(want.doc, p.document))
        add('policyDrift', 'high', `policy/${p.name}`, describeDoc(want.doc), `changed: ${describeDoc(p.document)}`);
    }
    for (const [arn, want] of expectedPolicies)
      if (!actualPolicies.has(arn))
        add('policyDrift', 'medium', `policy/${arn.replace(/^.*:policy\//, '')}`, `policy of group ${want.group}`, 'missing');

    // ---- groups
    const groups = new Map(expected.groups.map((g) => [g.name, g]));
    const memberCount = new Map<string, number>();
    for (const u of snap.users) for (const g of u.groups) memberCount.set(g, (memberCount.get(g) ?? 0) + 1);
    for (const group of snap.groups) {
      const declared = groups.get(group.name);
      if (!declared) {
        const grants = group.attached.length + group.inline.length > 0;
        const members = memberCount.get(group.name) ?? 0;
        add(
          'undeclaredGroup',
          grants && members > 0 ? 'high' : grants || members > 0 ? 'medium' : 'low',
          `group/${group.name}`,
          outsidePath(group.path, org.organization.rolePath) ?? 'no such function',
          `${group.arn}: ${members} members, policies ${list([...group.attached.map((p) => p.name), ...group.inline.map((p) => p.name)])}`,
        );
        continue;
      }
      const want = new Set([
        ...declared.policies.map((p) => managedPolicyArn(accountId, p.path, p.name)),
        ...(declared.managedPolicyArns ?? []),
      ]);
      const have = new Set(group.attached.map((p) => p.arn));
      for (const p of group.attached)
        if (!want.has(p.arn))
          add('policyAdded', 'high', `group/${group.name}`, `policies ${list([...want].sort())}`, `also attached ${p.arn}`);
      for (const arn of want) if (!have.has(arn)) add('policyDrift', 'medium', `group/${group.name}`, `attached ${arn}`, 'not attached');
      for (const p of group.inline)
        add('policyAdded', 'high', `group/${group.name}`, 'no inline policy', `inline policy ${p.name}: ${describeDoc(p.document)}`);
      if (group.path !== declared.path) add('settingDrift', 'low', `group/${group.name}`, `path ${declared.path}`, `path ${group.path}`);
    }
    const presentGroups = new Set(snap.groups.map((g) => g.name));
    for (const g of expected.groups)
      if (!presentGroups.has(g.name)) add('missingPrincipal', 'medium', `group/${g.name}`, `group ${g.name}`, 'no such group');

    // ---- roles
    const roles = new Map(expected.roles.map((r) => [r.name, r]));
    for (const role of snap.roles) {
      const declared = roles.get(role.name);
      const known = expected.knownRoles.get(role.name);
      if (declared) {
        compareRole(role, declared, (key, severity, file, aws) => add(key, severity, `role/${role.name}`, file, aws));
        continue;
      }
      if (known && (known.path === undefined || known.path === role.path)) {
        const trusted = trustedPrincipals(role.trust);
        if (known.trust === 'master-root') {
          const extra = trusted.filter((p) => p !== `AWS:${accountRootArn(master.id)}`);
          if (extra.length > 0)
            add('trustDrift', 'critical', `role/${role.name}`, known.why, `also trusts ${list(extra.map((p) => p.replace(/^AWS:/, '')))}`);
        } else if (!sameDocument(known.trust, role.trust))
          add('trustDrift', 'critical', `role/${role.name}`, `${known.why}: ${describeDoc(known.trust)}`, describeDoc(role.trust));
        if (known.inline) {
          const want = new Set(known.inline.map(canonicalDocument));
          for (const p of role.inline)
            if (!want.has(canonicalDocument(p.document)))
              add('policyDrift', 'high', `role/${role.name}`, known.why, `inline policy ${p.name}: ${describeDoc(p.document)}`);
          for (const p of role.attached) add('policyAdded', 'high', `role/${role.name}`, known.why, `attached ${p.arn}`);
        }
        continue;
      }
      if (isServiceRole(role)) {
        skippedServiceRoles++;
        continue;
      }
      const trusted = trustedPrincipals(role.trust).filter((p) => !p.startsWith('Service:'));
      const foreign = trusted.filter((p) => {
        const value = p.replace(/^[A-Za-z]+:/, '');
        if (p.startsWith('AWS:')) {
          const acct = principalAccount(value);
          return acct === undefined || !fileAccountIds.has(acct);
        }
        return true; // federated or canonical-user: outside anything the file declares
      });
      const unnamed = trusted.filter((p) => !namedPrincipals.has(p.replace(/^AWS:/, '')));
      const admin = role.attached.some((p) => ADMIN_POLICIES.test(p.arn));
      add(
        'undeclaredRole',
        foreign.length > 0 || admin ? 'critical' : 'high',
        `role/${role.name}`,
        role.path.startsWith(DEPLOY_ROLE_PATH) ? 'no such deploy role' : 'no such role',
        `${role.arn} trusting ${list(trusted.map((p) => p.replace(/^AWS:/, '')))}${
          unnamed.length > 0 && foreign.length === 0 ? '' : foreign.length > 0 ? ' (outside the organisation the file names)' : ''
        }; policies ${list([...role.attached.map((p) => p.name), ...role.inline.map((p) => p.name)])}`,
      );
    }
    const presentRoles = new Set(snap.roles.map((r) => r.name));
    for (const r of expected.roles)
      if (!presentRoles.has(r.name)) add('missingPrincipal', 'medium', `role/${r.name}`, `role for ${list(r.functions)}`, 'no such role');
  }

  if (organization) findings.push(...auditOrganization(model, plan, organization, notes));
  else if (plan.organizationStack) notes.push('No organizations.json: SCPs, RCPs, OUs and accounts were not compared.');
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.account.localeCompare(b.account) ||
      a.principal.localeCompare(b.principal) ||
      a.code.localeCompare(b.code) ||
      a.aws.localeCompare(b.aws),
  );
  return { findings, skippedServiceRoles, notes };
}

function outsidePath(path: string, rolePath: string): string | undefined {
  return rolePath !== '/' && !path.startsWith(rolePath)
    ? `nothing outside rolecall's path ${rolePath} (this one is at ${path})`
    : undefined;
}

type AddDrift = (key: FindingKey, severity: Severity, file: string, aws: string) => void;

function compareRole(role: SnapRole, declared: RolePlan, add: AddDrift): void {
  if (!sameDocument(declared.trustPolicy, role.trust)) {
    const want = new Set(trustedPrincipals(declared.trustPolicy));
    const extra = trustedPrincipals(role.trust).filter((p) => !want.has(p));
    add(
      'trustDrift',
      extra.length > 0 ? 'critical' : 'high',
      describeDoc(declared.trustPolicy),
      extra.length > 0
        ? `also trusts ${list(extra.map((p) => p.replace(/^AWS:/, '')))}: ${describeDoc(role.trust)}`
        : describeDoc(role.trust),
    );
  }
  const want = new Set(declared.managedPolicyArns);
  const have = new Set(role.attached.map((p) => p.arn));
  for (const p of role.attached)
    if (!want.has(p.arn)) add('policyAdded', 'high', `managed policies ${list(declared.managedPolicyArns)}`, `also attached ${p.arn}`);
  for (const arn of want) if (!have.has(arn)) add('policyDrift', 'medium', `attached ${arn}`, 'not attached');
  const inline = new Map(declared.inlinePolicies.map((p) => [p.name, p]));
  for (const p of role.inline) {
    const w = inline.get(p.name);
    if (!w)
      add('policyAdded', 'high', `inline policies ${list([...inline.keys()])}`, `also inline policy ${p.name}: ${describeDoc(p.document)}`);
    else if (!sameDocument(w.document, p.document))
      add('policyDrift', 'high', `inline policy ${p.name}: ${describeDoc(w.document)}`, `changed: ${describeDoc(p.document)}`);
  }
  const haveInline = new Set(role.inline.map((p) => p.name));
  for (const name of inline.keys()) if (!haveInline.has(name)) add('policyDrift', 'medium', `inline policy ${name}`, 'missing');
  if (role.path !== declared.path) add('settingDrift', 'low', `path ${declared.path}`, `path ${role.path}`);
  if (role.maxSessionDuration !== undefined && role.maxSessionDuration !== declared.maxSessionDuration)
    add('settingDrift', 'low', `maximum session ${declared.maxSessionDuration} s`, `maximum session ${role.maxSessionDuration} s`);
  if (role.permissionsBoundary !== undefined)
    add('settingDrift', 'low', 'no permissions boundary', `permissions boundary ${role.permissionsBoundary}`);
}

/** SCPs, RCPs, OUs and member accounts against the organization stack (or, unmanaged, the accounts alone). */
function auditOrganization(model: Model, plan: OrgPlan, snap: OrganizationSnapshot, notes: string[]): Finding[] {
  const org = model.org;
  const findings: Finding[] = [];
  const master = masterAccount(org);
  const add = (key: FindingKey, severity: Severity, account: string, principal: string, file: string, aws: string, accountId?: string) => {
    const k = FINDING_KINDS[key];
    findings.push({ code: k.code, kind: k.kind, severity, account, ...(accountId ? { accountId } : {}), principal, file, aws });
  };
  const nameOfId = new Map<string, string>();
  for (const [name, a] of Object.entries(org.accounts)) if (a.id) nameOfId.set(a.id, name);
  const snapAccounts = new Map(snap.accounts.map((a) => [a.id, a]));
  for (const a of snap.accounts) {
    if (a.status !== undefined && a.status !== 'ACTIVE') continue;
    if (!nameOfId.has(a.id))
      add(
        'undeclaredAccount',
        'medium',
        a.id,
        `account/${a.id}`,
        'no such account',
        `member account "${a.name}"${a.email ? ` <${a.email}>` : ''}`,
        a.id,
      );
  }
  for (const [name, a] of Object.entries(org.accounts))
    if (a.id && !snapAccounts.has(a.id))
      add('undeclaredAccount', 'medium', name, `account/${name}`, `account ${a.id} in the organisation`, 'not in the organisation', a.id);

  const stack = plan.organizationStack;
  if (!stack) {
    notes.push("organization.manage is false: SCPs, RCPs and OUs are not the file's, so only accounts were compared.");
    return findings;
  }
  // OU paths of the snapshot (`Workloads/Production`), from each unit's parent chain (bounded: a cycle stops).
  const units = new Map(snap.units.map((u) => [u.id, u]));
  const pathOf = (id: string | undefined): string | undefined => {
    const parts: string[] = [];
    let current = id;
    for (let hops = 0; current !== undefined && units.has(current) && hops < 10; hops++) {
      const u = units.get(current)!;
      parts.unshift(u.name);
      current = u.parentId;
    }
    return parts.length === 0 ? undefined : parts.join('/');
  };
  const filePaths = new Set(stack.organizationalUnits.map((u) => u.key));
  for (const account of stack.accounts) {
    const id = org.accounts[account.key]?.id;
    const live = id ? snapAccounts.get(id) : undefined;
    if (!live) continue;
    const want = account.parentKey;
    const have = pathOf(live.parentId);
    if (want !== have)
      add(
        'ouDrift',
        'medium',
        account.key,
        `account/${account.key}`,
        want ? `in OU ${want}` : 'at the root',
        have ? `in OU ${have}` : 'at the root',
        id,
      );
  }
  for (const a of snap.accounts) {
    if (nameOfId.has(a.id) || a.id === master.id) continue;
    const have = pathOf(a.parentId);
    if (have !== undefined && !filePaths.has(have) && !ouAncestry(have).some((p) => filePaths.has(p)))
      add('ouDrift', 'medium', a.id, `account/${a.id}`, `OUs ${list([...filePaths])}`, `in OU ${have}, which the file does not name`, a.id);
  }

  const byName = new Map(snap.policies.map((p) => [`${p.type}|${p.name}`, p]));
  const declared = new Set<string>();
  for (const policy of stack.policies) {
    const type = policyType(policy);
    const label = `${type === 'RESOURCE_CONTROL_POLICY' ? 'rcp' : 'scp'}/${policy.name}`;
    declared.add(`${type}|${policy.name}`);
    const live = byName.get(`${type}|${policy.name}`);
    if (!live) {
      add('scpMissing', 'high', master.name, label, `attached to ${list(policy.targets)}`, 'no such policy', master.id);
      continue;
    }
    if (!sameDocument(policy.document, live.document))
      add('scpChanged', 'high', master.name, label, describeDoc(policy.document), `changed: ${describeDoc(live.document)}`, master.id);
    // A target without an id yet (the organization stack creates it) cannot be looked for.
    const want = new Set(policy.targets.flatMap((t) => (org.accounts[t]?.id ? [org.accounts[t].id!] : [])));
    const have = new Set(live.targets);
    const name = (id: string) => nameOfId.get(id) ?? id;
    const missing = [...want].filter((t) => !have.has(t));
    const extra = [...have].filter((t) => !want.has(t));
    if (missing.length > 0)
      add(
        'scpTargets',
        'high',
        master.name,
        label,
        `attached to ${list(policy.targets)}`,
        `not attached to ${list(missing.map(name))}`,
        master.id,
      );
    if (extra.length > 0)
      add(
        'scpTargets',
        'medium',
        master.name,
        label,
        `attached to ${list(policy.targets)}`,
        `also attached to ${list(extra.map(name))}`,
        master.id,
      );
  }
  for (const p of snap.policies) {
    if (declared.has(`${p.type}|${p.name}`) || p.name === FULL_AWS_ACCESS_SCP || p.name === FULL_AWS_ACCESS_RCP) continue;
    add(
      'undeclaredScp',
      p.targets.length > 0 ? 'medium' : 'low',
      master.name,
      `${p.type === 'RESOURCE_CONTROL_POLICY' ? 'rcp' : 'scp'}/${p.name}`,
      'no such policy',
      `${p.id}, attached to ${list(p.targets.map((t) => nameOfId.get(t) ?? t))}`,
      master.id,
    );
  }
  return findings;
}

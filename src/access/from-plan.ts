/**
 * The estate rolecall emits: the plan's documents (users, groups, their
 * policies, roles with trust and policies, SCPs and RCPs, deploy roles),
 * plus what AWS and the deploy create around them, as data:
 * OrganizationAccountAccessRole (and the deploy role) in every member,
 * HCP Terraform's plan and apply roles, and the operator's ambient
 * credentials in the management account.
 *
 * What the plan does not hold (account names and flags, the pipelines'
 * changers and accounts) comes from a small context the model gives
 * (planContext): facts, not intent.
 */
import type { Model } from '../model/model';
import { reservedAccounts, selectAccounts } from '../model/references';
import { identityCenterAccountName, usesIdentityCenter } from '../model/identity-center';
import { reservedRoleNamePrefix } from '../plan/identity-center';
import type { OrgPlan, PolicyDocument } from '../plan/types';
import {
  accountRootArn,
  awsManagedPolicyArn,
  customerPolicyArn,
  groupArn,
  iamArn,
  iamUserArn,
  identityAccount,
  identityStoreArn,
  masterAccount,
  roleArn,
  samlProviderArn,
  REQUIRE_MFA_GROUP,
  ROLECALL_USER_PATH,
} from '../plan/names';
import type {
  Estate,
  EstateAccount,
  EstateGroup,
  EstateIdcAssignment,
  EstateIdcGroup,
  EstateIdcUser,
  EstateIdentityCenter,
  EstateMachine,
  EstatePipeline,
  EstateRole,
  EstateUser,
  PipelineCredentialRef,
} from './estate';
import { estateUser } from './estate';

/** The role every member account has for its management account (AWS creates it with the account). */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';
const ADMINISTRATOR_ACCESS = awsManagedPolicyArn('AdministratorAccess');

export interface PlanContext {
  partition: string;
  organizationId?: string;
  accounts: Array<{
    name: string;
    id?: string;
    management: boolean;
    identity: boolean;
    services?: string[];
    data?: string;
    environment?: string;
  }>;
  deploy: { credentials: 'assume-role' | 'tfc-dynamic' | 'environment'; assumeRoleName: string };
  /** Pipelines: changer functions (group names) and the accounts they apply. */
  pipelines: Array<{ name: string; changers: string[]; accounts: string[] }>;
  /** Machine principals each function names, by function. */
  principals: Record<string, string[]>;
  /**
   * organization.people names identity-center: the administering account's name; with an external
   * IdP's groups, the file's people and functions (who the IdP is said to put in each group).
   */
  identityCenter?: { account: string; members?: Record<string, string[]> };
}

/** The facts about the file the plan does not carry. */
export function planContext(model: Model): PlanContext {
  const { org } = model;
  const master = masterAccount(org).name;
  const identity = identityAccount(org).name;
  const manage = org.organization.manage === true;
  const accounts = Object.keys(org.accounts)
    .sort()
    .map((name) => {
      const a = org.accounts[name];
      const out: PlanContext['accounts'][number] = {
        name,
        management: name === master,
        identity: name === identity,
        data: a.data,
        environment: a.environment,
      };
      if (a.id) out.id = a.id;
      // Only an SCP rolecall emits (organization.manage) is known to enforce `services`.
      if (manage && name !== master && a.services) out.services = [...new Set(a.services.map((s) => s.toLowerCase()))].sort();
      return out;
    });
  const pipelines = Object.keys(org.pipelines)
    .sort()
    .map((name) => {
      const p = org.pipelines[name];
      const selected =
        p.accounts === undefined
          ? Object.keys(org.accounts).sort()
          : selectAccounts(p.accounts, org.accounts, reservedAccounts(org.organization));
      return { name, changers: [...new Set(p.changers)].sort(), accounts: selected };
    });
  const principals: Record<string, string[]> = {};
  for (const fn of Object.keys(org.functions).sort()) {
    const named = org.functions[fn].principals ?? [];
    if (named.length > 0) principals[fn] = [...new Set(named)].sort();
  }
  const ctx: PlanContext = {
    partition: 'aws',
    accounts,
    deploy: { credentials: org.deploy.credentials, assumeRoleName: org.deploy.assumeRoleName },
    pipelines,
    principals,
  };
  if (manage && org.organization.id) ctx.organizationId = org.organization.id;
  const center = org.organization.identityCenter;
  if (center !== undefined && usesIdentityCenter(org.organization)) {
    ctx.identityCenter = { account: identityCenterAccountName(org.organization) };
    if (center.groups !== undefined) {
      const members: Record<string, string[]> = {};
      for (const key of Object.keys(org.people).sort()) members[key] = [...new Set(org.people[key].functions)].sort();
      ctx.identityCenter.members = members;
    }
  }
  return ctx;
}

/** The IAM path AWS gives the roles Identity Center provisions. */
export const IDENTITY_CENTER_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/**
 * The role a permission set becomes in an account: `AWSReservedSSO_<name>_<hash>`, the hash AWS's
 * (unknown before it exists, so `*` here), trusting only the account's Identity Center SAML provider.
 */
export function identityCenterRoleArn(partition: string, accountId: string, permissionSetName: string): string {
  return roleArn(accountId, IDENTITY_CENTER_ROLE_PATH, `${reservedRoleNamePrefix(permissionSetName)}*`, partition);
}

function identityCenterTrust(partition: string, accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: samlProviderArn(accountId, 'AWSSSO_*_DO_NOT_DELETE', partition) },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  };
}

/**
 * Identity Center's part of the estate (src/plan/identity-center.ts): its groups, users and
 * memberships, and per account assignment the `AWSReservedSSO_*` role AWS provisions from the
 * permission set, holding the permission set's policies.
 */
function identityCenterEstate(plan: OrgPlan, ctx: PlanContext, addRole: (role: EstateRole) => void): EstateIdentityCenter | undefined {
  const center = ctx.identityCenter;
  if (center === undefined) return undefined;
  const parts = plan.stacks.filter((s) => s.identityCenter !== undefined);
  if (parts.length === 0) return undefined;
  const store = parts[0].identityCenter!.identityStoreId;
  const groupArn = (key: string, externalId?: string) => identityStoreArn('group', store, externalId ?? key, ctx.partition);
  const groups = new Map<string, EstateIdcGroup>();
  const users = new Map<string, EstateIdcUser>();
  const assignments: EstateIdcAssignment[] = [];
  for (const stack of parts) {
    const idc = stack.identityCenter!;
    for (const g of idc.groups) {
      if (groups.has(g.key)) continue;
      groups.set(g.key, {
        arn: groupArn(g.key, g.externalId),
        name: g.displayName,
        ...(g.externalId !== undefined ? { external: true } : {}),
        labels: { function: g.key },
      });
    }
    for (const u of idc.users) {
      if (!users.has(u.key)) users.set(u.key, { arn: identityStoreArn('user', store, u.userName, ctx.partition), name: u.key, groups: [] });
    }
    for (const m of idc.memberships) {
      const user = users.get(m.user);
      const group = groups.get(m.group);
      if (user && group && !user.groups.includes(group.arn)) user.groups.push(group.arn);
    }
    const sets = new Map(idc.permissionSets.map((p) => [p.key, p]));
    const byRole = new Map<
      string,
      { account: string; id: string; name: string; functions: Set<string>; set: (typeof idc.permissionSets)[number] }
    >();
    for (const a of idc.assignments) {
      const ps = sets.get(a.permissionSet);
      const group = groups.get(a.group);
      if (!ps || !group) continue;
      const arn = identityCenterRoleArn(ctx.partition, a.account.id, ps.name);
      let role = byRole.get(arn);
      if (role === undefined)
        byRole.set(arn, (role = { account: a.account.name, id: a.account.id, name: ps.name, functions: new Set(), set: ps }));
      role.functions.add(a.group);
      assignments.push({ group: group.arn, account: a.account.name, role: arn, permissionSet: ps.name });
    }
    for (const [arn, r] of byRole) {
      addRole({
        arn,
        account: r.account,
        name: `${reservedRoleNamePrefix(r.name)}*`,
        path: IDENTITY_CENTER_ROLE_PATH,
        trust: identityCenterTrust(ctx.partition, r.id),
        inline: r.set.inlinePolicy ? [{ name: 'AwsSSOInlinePolicy', document: r.set.inlinePolicy }] : [],
        managed: [...r.set.managedPolicyArns],
        origin: 'identity-center',
        labels: { functions: [...r.functions].sort(), permissionSets: [...r.set.permissionSets], identityCenterPermissionSet: r.name },
      });
    }
  }
  // An external IdP's groups: the file's people, as the IdP is said to hold them (errs high: they are who the file names).
  for (const [person, fns] of Object.entries(center.members ?? {})) {
    const held = fns.flatMap((fn) => {
      const g = groups.get(fn);
      return g ? [g.arn] : [];
    });
    if (!users.has(person)) users.set(person, { arn: identityStoreArn('user', store, person, ctx.partition), name: person, groups: held });
  }
  const management = ctx.accounts.find((a) => a.management)?.name;
  const assignable = ctx.accounts.filter((a) => a.id && (center.account === management || a.name !== management)).map((a) => a.name);
  return {
    account: center.account,
    assignable,
    users: [...users.values()],
    groups: [...groups.values()],
    assignments,
  };
}

const ALLOW_ALL: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** The ARN standing for an account's ambient (operator or runner) credentials: admin there. */
export function ambientArn(accountId: string): string {
  return iamArn(accountId, 'ambient-credentials');
}

export function estateFromPlan(plan: OrgPlan, ctx: PlanContext): Estate {
  const byName = new Map(ctx.accounts.map((a) => [a.name, a]));
  const management = ctx.accounts.find((a) => a.management);
  const users: EstateUser[] = [];
  const groups: EstateGroup[] = [];
  const roles: EstateRole[] = [];
  const policies: Record<string, PolicyDocument> = {};
  /** Function -> the users holding it through a time-bound membership (their own policy, no group). */
  const timeBoundMembers = new Map<string, string[]>();
  const roleArns = new Set<string>();
  const addRole = (role: EstateRole) => {
    if (roleArns.has(role.arn)) return;
    roleArns.add(role.arn);
    roles.push(role);
  };

  for (const stack of plan.stacks) {
    const { name: account, id } = stack.account;
    for (const g of stack.groups) {
      const managed = [...(g.managedPolicyArns ?? [])];
      for (const p of g.policies) {
        const arn = customerPolicyArn(id, p.path, p.name);
        policies[arn] = p.document;
        managed.push(arn);
      }
      groups.push({
        arn: groupArn(id, g.path, g.name),
        account,
        name: g.name,
        path: g.path,
        inline: [],
        managed,
        labels: g.key === REQUIRE_MFA_GROUP ? { baseline: true } : { function: g.key },
      });
    }
    for (const u of stack.users) {
      // A time-bound membership is a policy of the person's own: the engine reads it like any other, and the
      // person stays a changer of the function's pipelines until then.
      const own: string[] = [];
      for (const p of u.policies ?? []) {
        const arn = customerPolicyArn(id, p.path, p.name);
        policies[arn] = p.document;
        own.push(arn);
        if (p.membershipOf !== undefined) {
          const members = timeBoundMembers.get(p.membershipOf) ?? [];
          members.push(iamUserArn(id, u.path, u.name));
          timeBoundMembers.set(p.membershipOf, members);
        }
      }
      users.push(
        estateUser({
          arn: iamUserArn(id, u.path, u.name),
          account,
          name: u.name,
          path: u.path,
          groups: u.groups,
          tags: u.tags,
          inline: [],
          managed: own,
        }),
      );
    }
    for (const r of stack.roles) {
      addRole({
        arn: r.arn,
        account,
        name: r.name,
        path: r.path,
        trust: r.trustPolicy,
        inline: r.inlinePolicies.map((p) => ({ name: p.name, document: p.document })),
        managed: [...r.managedPolicyArns],
        tags: { ...r.tags },
        origin: 'function',
        labels: { functions: [...r.functions], permissionSets: [...r.inlinePolicies.map((p) => p.name)] },
      });
    }
  }

  const identityCenter = identityCenterEstate(plan, ctx, addRole);

  // What AWS creates in every member for its management account, and the deploy role: admin, trusting the management root.
  if (management?.id) {
    const trust: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: accountRootArn(management.id) }, Action: 'sts:AssumeRole' }],
    };
    for (const a of ctx.accounts) {
      if (a.management || !a.id) continue;
      for (const name of [...new Set([ORGANIZATION_ACCESS_ROLE, ctx.deploy.assumeRoleName])]) {
        addRole({
          arn: roleArn(a.id, '/', name),
          account: a.name,
          name,
          path: '/',
          trust,
          inline: [],
          managed: [ADMINISTRATOR_ACCESS],
          origin: name === ORGANIZATION_ACCESS_ROLE ? 'organization-access' : 'deploy-role',
        });
      }
    }
  }

  // tfc-dynamic: the bootstrap's plan and apply roles, trusting HCP Terraform's OIDC provider only.
  for (const a of plan.bootstrapStack?.accounts ?? []) {
    for (const r of a.roles) {
      addRole({
        arn: r.arn,
        account: a.account.name,
        name: r.name,
        path: r.path,
        trust: r.trustPolicy,
        inline: [{ name: `${r.stack}-${r.phase}`, document: r.policy }],
        managed: [],
        origin: r.phase === 'apply' ? 'tfc-apply' : 'tfc-plan',
        labels: { stack: r.stack },
      });
    }
  }

  // Machine principals: every ARN a trust names that the estate does not hold.
  const machines = new Map<string, EstateMachine>();
  const idToName = new Map(ctx.accounts.flatMap((a) => (a.id ? [[a.id, a.name] as const] : [])));
  for (const [fn, arns] of Object.entries(ctx.principals)) {
    for (const arn of arns) {
      if (roleArns.has(arn)) continue;
      const accountId = arn.split(':')[4];
      const account = idToName.get(accountId);
      let m = machines.get(arn);
      if (m === undefined) {
        m = { arn, kind: /:root$/.test(arn) ? 'root' : /:role\//.test(arn) ? 'role' : 'other', labels: { functions: [] } };
        if (account !== undefined) m.account = account;
        machines.set(arn, m);
      }
      m.labels!.functions!.push(fn);
    }
  }

  // Pipelines: what every stack they apply is applied with.
  const ambient = (account: string): string => {
    const id = byName.get(account)?.id ?? account;
    const arn = ambientArn(id);
    if (!machines.has(arn)) machines.set(arn, { arn, account, kind: 'ambient' });
    return arn;
  };
  const identity = ctx.accounts.find((a) => a.identity);
  const pipelines: EstatePipeline[] = ctx.pipelines.map((p) => {
    const applied = new Set(p.accounts);
    const credentials: PipelineCredentialRef[] = [];
    for (const w of plan.deploy.workspaces) {
      if (!applied.has(w.account.name)) continue;
      if (ctx.deploy.credentials === 'tfc-dynamic') {
        if (w.applyRoleArn) credentials.push({ account: w.account.name, principal: w.applyRoleArn, kind: 'apply-role', stack: w.stack });
      } else if (ctx.deploy.credentials === 'environment') {
        credentials.push({ account: w.account.name, principal: ambient(w.account.name), kind: 'ambient', stack: w.stack });
      } else {
        // assume-role: every stack runs on the management account's credentials; assume_role.role_arn is
        // data the changers merge, so whatever the selector says, they hold those credentials.
        const assumed = plan.stacks.find((s) => s.id === w.stack)?.provider.assumeRoleArn;
        if (assumed) credentials.push({ account: w.account.name, principal: assumed, kind: 'deploy-role', stack: w.stack });
        if (management)
          credentials.push({ account: management.name, principal: ambient(management.name), kind: 'ambient', stack: w.stack });
      }
    }
    const seen = new Set<string>();
    const unique = credentials.filter((c) => {
      const key = `${c.account}|${c.principal}|${c.stack ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    // On Identity Center, a changer function's group there too.
    const centerGroups = p.changers.flatMap(
      (fn) => identityCenter?.groups.filter((g) => g.labels?.function === fn).map((g) => g.arn) ?? [],
    );
    const identityId = identity?.id || undefined;
    return {
      name: p.name,
      changers: {
        groups: [
          ...(identityId !== undefined
            ? p.changers.map((fn) => groups.find((g) => g.labels?.function === fn)?.arn ?? groupArn(identityId, '/', fn))
            : []),
          ...centerGroups,
        ],
        users: [...new Set(p.changers.flatMap((fn) => timeBoundMembers.get(fn) ?? []))].sort(),
      },
      credentials: unique,
    };
  });

  // SCPs and RCPs: one layer per account (AWS's FullAWSAccess beside what rolecall attaches there).
  const scps = new Map<string, PolicyDocument[]>();
  const rcps = new Map<string, PolicyDocument[]>();
  for (const policy of plan.organizationStack?.policies ?? []) {
    const into = policy.type === 'RESOURCE_CONTROL_POLICY' ? rcps : scps;
    for (const target of policy.targets) into.set(target, [...(into.get(target) ?? [ALLOW_ALL]), policy.document]);
  }
  const accounts: EstateAccount[] = ctx.accounts.map((a) => {
    const out: EstateAccount = { name: a.name };
    if (a.id) out.id = a.id;
    if (a.management) out.management = true;
    if (a.identity) out.identity = true;
    if (a.services) out.services = [...a.services];
    const s = scps.get(a.name);
    if (s && !a.management) out.scps = [s];
    const r = rcps.get(a.name);
    if (r && !a.management) out.rcps = [r];
    const labels: Record<string, string> = {};
    if (a.data) labels.data = a.data;
    if (a.environment) labels.environment = a.environment;
    out.labels = labels;
    return out;
  });

  const estate: Estate = {
    partition: ctx.partition,
    accounts,
    users,
    groups,
    roles,
    policies,
    machines: [...machines.values()].sort((x, y) => (x.arn < y.arn ? -1 : x.arn > y.arn ? 1 : 0)),
    pipelines,
    // Where rolecall makes its users: a function's new member is one of them (the trusts admit this path only).
    userPath: ROLECALL_USER_PATH,
  };
  if (ctx.organizationId) estate.organizationId = ctx.organizationId;
  if (identityCenter) estate.identityCenter = identityCenter;
  return estate;
}

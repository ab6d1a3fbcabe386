/**
 * What AWS would hold once a plan is applied, written as `aws iam
 * get-account-authorization-details` prints it (and organizations.json):
 * the clean estate the audit must find nothing in. Documents are
 * URL-encoded in half the roles (the raw API's form) so both forms are read.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Model } from '../../src/model/model';
import type { OrgPlan, PolicyDocument } from '../../src/plan/types';
import { masterAccount } from '../../src/plan/names';
import { policyType } from '../../src/plan/organization';

export type Json = Record<string, unknown>;

export interface SnapshotSet {
  accounts: Record<string, Json>;
  organization?: Json;
}

function encoded(doc: PolicyDocument, urlEncode: boolean): unknown {
  return urlEncode ? encodeURIComponent(JSON.stringify(doc)) : doc;
}

export function snapshotsFromPlan(model: Model, plan: OrgPlan): SnapshotSet {
  const org = model.org;
  const master = masterAccount(org);
  const out: SnapshotSet = { accounts: {} };
  let n = 0;
  for (const [name, account] of Object.entries(org.accounts)) {
    const id = account.id;
    if (!id) continue;
    const stacks = plan.stacks.filter((s) => s.account.id === id);
    const users = stacks.flatMap((s) => s.users);
    const groups = stacks.flatMap((s) => s.groups);
    const roles = stacks.flatMap((s) => s.roles);
    const policies = groups.flatMap((g) =>
      g.policies.map((p) => ({
        PolicyName: p.name,
        Arn: `arn:aws:iam::${id}:policy${p.path}${p.name}`,
        Path: p.path,
        DefaultVersionId: 'v1',
        AttachmentCount: 1,
        PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: encoded(p.document, n++ % 2 === 0) }],
      })),
    );
    const roleList: Json[] = roles.map((r) => ({
      Path: r.path,
      RoleName: r.name,
      Arn: r.arn,
      AssumeRolePolicyDocument: encoded(r.trustPolicy, n++ % 2 === 0),
      RolePolicyList: r.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: encoded(p.document, n++ % 2 === 0) })),
      AttachedManagedPolicies: r.managedPolicyArns.map((arn) => ({ PolicyName: arn.replace(/^.*\//, ''), PolicyArn: arn })),
      MaxSessionDuration: r.maxSessionDuration,
      Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
    }));
    if (id !== master.id)
      roleList.push({
        Path: '/',
        RoleName: 'OrganizationAccountAccessRole',
        Arn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${master.id}:root` }, Action: 'sts:AssumeRole' }],
        },
        RolePolicyList: [],
        AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      });
    // Every real account has service-linked roles: the audit leaves them alone.
    roleList.push({
      Path: '/aws-service-role/support.amazonaws.com/',
      RoleName: 'AWSServiceRoleForSupport',
      Arn: `arn:aws:iam::${id}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      RolePolicyList: [],
      AttachedManagedPolicies: [],
    });
    out.accounts[name] = {
      UserDetailList: users.map((u) => ({
        Path: u.path,
        UserName: u.name,
        Arn: `arn:aws:iam::${id}:user${u.path}${u.name}`,
        GroupList: u.groups,
        UserPolicyList: [],
        AttachedManagedPolicies: [],
        Tags: Object.entries(u.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
      GroupDetailList: groups.map((g) => ({
        Path: g.path,
        GroupName: g.name,
        Arn: `arn:aws:iam::${id}:group${g.path}${g.name}`,
        GroupPolicyList: [],
        AttachedManagedPolicies: [
          ...g.policies.map((p) => ({ PolicyName: p.name, PolicyArn: `arn:aws:iam::${id}:policy${p.path}${p.name}` })),
          ...(g.managedPolicyArns ?? []).map((arn) => ({ PolicyName: arn.replace(/^.*\//, ''), PolicyArn: arn })),
        ],
      })),
      RoleDetailList: roleList,
      Policies: [
        ...policies,
        // AWS managed policies appear in the CLI's output too: the audit skips them.
        {
          PolicyName: 'AdministratorAccess',
          Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          Path: '/',
          DefaultVersionId: 'v1',
          PolicyVersionList: [],
        },
      ],
    };
  }
  const stack = plan.organizationStack;
  const ouIds = new Map<string, string>();
  const units: Json[] = [];
  const rootId = stack?.rootId ?? org.organization.rootId ?? 'r-root';
  for (const ou of stack?.organizationalUnits ?? []) {
    const id = `ou-${rootId.slice(2)}-${String(units.length).padStart(8, '0')}`;
    ouIds.set(ou.key, id);
    units.push({ Id: id, Name: ou.name, ParentId: ou.parentKey ? ouIds.get(ou.parentKey) : rootId });
  }
  const parentOf = (name: string) => {
    const a = stack?.accounts.find((x) => x.key === name);
    return a?.parentKey ? ouIds.get(a.parentKey) : rootId;
  };
  out.organization = {
    Organization: { Id: org.organization.id ?? 'o-example', MasterAccountId: master.id },
    Roots: [{ Id: rootId }],
    OrganizationalUnits: units,
    Accounts: Object.entries(org.accounts)
      .filter(([, a]) => a.id)
      .map(([name, a]) => ({ Id: a.id, Name: name, Email: a.email ?? `${name}@example.com`, Status: 'ACTIVE', ParentId: parentOf(name) })),
    Policies: [
      {
        Id: 'p-FullAWSAccess',
        Name: 'FullAWSAccess',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
        // AWS attaches it to the root, every OU and every account.
        Targets: [rootId, ...ouIds.values(), ...Object.values(org.accounts).flatMap((a) => (a.id ? [a.id] : []))].map((TargetId) => ({
          TargetId,
        })),
      },
      ...((stack?.policies ?? []).some((p) => policyType(p) === 'RESOURCE_CONTROL_POLICY')
        ? [
            {
              Id: 'p-RCPFullAWSAccess',
              Name: 'RCPFullAWSAccess',
              Type: 'RESOURCE_CONTROL_POLICY',
              Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
              Targets: [rootId, ...ouIds.values(), ...Object.values(org.accounts).flatMap((a) => (a.id ? [a.id] : []))].map((TargetId) => ({
                TargetId,
              })),
            },
          ]
        : []),
      ...(stack?.policies ?? []).map((p, i) => ({
        Id: `p-${String(i).padStart(8, '0')}`,
        Name: p.name,
        Type: policyType(p),
        Content: JSON.stringify(p.document),
        Targets: p.targets.flatMap((t) => (org.accounts[t]?.id ? [{ TargetId: org.accounts[t].id }] : [])),
      })),
    ],
  };
  return out;
}

export function writeSnapshots(dir: string, set: SnapshotSet, byId = false, model?: Model): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, json] of Object.entries(set.accounts)) {
    const file = byId && model ? model.org.accounts[name].id! : name;
    fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(json, null, 2));
  }
  if (set.organization) fs.writeFileSync(path.join(dir, 'organizations.json'), JSON.stringify(set.organization, null, 2));
}

/**
 * The drift the issue plants by hand (docs/audit.md shows its report): a
 * shadow admin role in production trusting another account, a legacy admin
 * user in the identity account, a policy attached to a rolecall role, a
 * person added to a group.
 */
export function plantDrift(set: SnapshotSet): SnapshotSet {
  const copy = JSON.parse(JSON.stringify(set)) as SnapshotSet;
  const master = copy.accounts.master;
  (master.UserDetailList as Json[]).push({
    Path: '/',
    UserName: 'legacy-admin',
    Arn: 'arn:aws:iam::111111111111:user/legacy-admin',
    GroupList: [],
    UserPolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  });
  const dave = (master.UserDetailList as Json[]).find((u) => u.UserName === 'dave')!;
  (dave.GroupList as string[]).push('operations');
  const production = copy.accounts.production;
  (production.RoleDetailList as Json[]).push({
    Path: '/',
    RoleName: 'legacy-ops',
    Arn: 'arn:aws:iam::222222222222:role/legacy-ops',
    AssumeRolePolicyDocument: encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
      }),
    ),
    RolePolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  });
  const network = (production.RoleDetailList as Json[]).find((r) => r.RoleName === 'network')!;
  (network.AttachedManagedPolicies as Json[]).push({ PolicyName: 'IAMFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' });
  return copy;
}

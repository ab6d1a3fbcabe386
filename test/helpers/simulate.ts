/**
 * The independent check of the access matrix: read the SYNTHESIZED
 * Terraform JSON (cdktf.out/stacks/*\/cdk.tf.json), not the plan layer's
 * objects, and ask @cloud-copilot/iam-simulate what AWS would decide.
 *
 * Tests only: iam-simulate is AGPL and a dev dependency; src/ never imports it.
 *
 * What is read from the JSON: users and their group memberships, the
 * policies attached to each group (customer managed, inline, or AWS managed
 * ARNs), and every role with its trust policy and permission policies. AWS
 * managed policy ARNs are resolved through src/iam/managed-policies.ts.
 * Terraform escapes `${` as `$${` (and `%{` as `%%{`) in strings; policies are
 * unescaped before parsing, and a bare `${...}` left in a policy (a Terraform
 * interpolation we cannot evaluate) fails loudly.
 */
import { readdirSync, readFileSync, existsSync } from 'fs';
import * as path from 'path';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { managedPolicyDocument, MANAGED_POLICY_ARN_PREFIX } from '../../src/iam/managed-policies';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface PolicyDoc {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

export interface NamedPolicy {
  name: string;
  document: PolicyDoc;
}

export interface SynthRole {
  stack: string;
  accountId: string;
  name: string;
  arn: string;
  trustPolicy: PolicyDoc;
  policies: NamedPolicy[];
}

export interface SynthIam {
  masterAccountId: string;
  /** user name -> group names */
  users: Record<string, string[]>;
  /** user name -> IAM path (`/rolecall/`); the user's ARN, and so aws:PrincipalArn, carries it. */
  userPaths: Record<string, string>;
  /** group name -> policies attached to it */
  groups: Record<string, NamedPolicy[]>;
  /** user name -> policies attached to the user itself (time-bound memberships) */
  userPolicies: Record<string, NamedPolicy[]>;
  roles: SynthRole[];
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

interface StackJson {
  provider?: { aws?: Array<{ allowed_account_ids?: string[] }> | { allowed_account_ids?: string[] } };
  resource?: Resources;
}

/** Undo Terraform's escaping, refusing real interpolations (we could not know their values). */
export function unescapeTerraform(text: string, where: string): string {
  if (/(^|[^$])\$\{/.test(text) || /(^|[^%])%\{/.test(text)) {
    throw new Error(`${where}: the policy contains a Terraform interpolation; the check needs literal policies`);
  }
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function parsePolicy(text: unknown, where: string): PolicyDoc {
  if (typeof text !== 'string') throw new Error(`${where}: policy is not a string`);
  const doc = JSON.parse(unescapeTerraform(text, where)) as PolicyDoc;
  if (!Array.isArray(doc.Statement)) doc.Statement = [doc.Statement as unknown as Record<string, unknown>];
  return doc;
}

const REF = /^\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$/;

/** A `${type.id.attr}` reference, or undefined for a literal. */
function reference(value: unknown): { type: string; id: string; attr: string } | undefined {
  const m = typeof value === 'string' ? REF.exec(value) : null;
  return m ? { type: m[1], id: m[2], attr: m[3] } : undefined;
}

function resourceOf(resources: Resources, type: string, id: string, where: string): Record<string, unknown> {
  const found = resources[type]?.[id];
  if (!found) throw new Error(`${where}: reference to missing ${type}.${id}`);
  return found;
}

/** A name attribute (user, group, role), literal or by reference. */
function nameOf(resources: Resources, value: unknown, where: string): string {
  const ref = reference(value);
  if (!ref) {
    if (typeof value !== 'string') throw new Error(`${where}: expected a name`);
    return value;
  }
  if (ref.attr !== 'name' && ref.attr !== 'id') throw new Error(`${where}: unexpected reference ${String(value)}`);
  return String(resourceOf(resources, ref.type, ref.id, where).name);
}

/** A policy ARN attribute: a customer managed policy of this stack, or an AWS managed policy ARN. */
function attachedPolicy(resources: Resources, value: unknown, where: string): NamedPolicy {
  const ref = reference(value);
  if (ref) {
    if (ref.type !== 'aws_iam_policy' || ref.attr !== 'arn') throw new Error(`${where}: unexpected policy reference ${String(value)}`);
    const policy = resourceOf(resources, ref.type, ref.id, where);
    return { name: String(policy.name), document: parsePolicy(policy.policy, `${where} -> ${ref.id}`) };
  }
  const arn = String(value);
  if (!arn.startsWith(MANAGED_POLICY_ARN_PREFIX)) throw new Error(`${where}: policy ARN ${arn} is neither ours nor AWS managed`);
  return { name: arn, document: managedPolicyDocument(arn) as unknown as PolicyDoc };
}

function accountIdOf(stack: StackJson, where: string): string {
  const aws = stack.provider?.aws;
  const provider = Array.isArray(aws) ? aws[0] : aws;
  const id = provider?.allowed_account_ids?.[0];
  if (!id) throw new Error(`${where}: provider has no allowed_account_ids`);
  return id;
}

function entries(resources: Resources, type: string): Array<[string, Record<string, unknown>]> {
  return Object.entries(resources[type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** Reads every stack under `outdir/stacks`. The master stack is the one holding users. */
export function readSynthesizedIam(outdir: string): SynthIam {
  const stacksDir = path.join(outdir, 'stacks');
  const iam: SynthIam = { masterAccountId: '', users: {}, userPaths: {}, groups: {}, userPolicies: {}, roles: [] };
  for (const stackName of readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stackName, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const stack = JSON.parse(readFileSync(file, 'utf8')) as StackJson;
    const resources = stack.resource ?? {};
    const accountId = accountIdOf(stack, file);
    const where = (type: string, id: string) => `${stackName}/${type}.${id}`;

    if (entries(resources, 'aws_iam_user').length > 0) {
      if (iam.masterAccountId && iam.masterAccountId !== accountId) throw new Error('users in two accounts');
      iam.masterAccountId = accountId;
    }
    for (const [, user] of entries(resources, 'aws_iam_user')) {
      iam.users[String(user.name)] ??= [];
      iam.userPaths[String(user.name)] = typeof user.path === 'string' ? user.path : '/';
    }
    for (const [, group] of entries(resources, 'aws_iam_group')) iam.groups[String(group.name)] ??= [];
    for (const [id, m] of entries(resources, 'aws_iam_user_group_membership')) {
      const user = nameOf(resources, m.user, where('aws_iam_user_group_membership', id));
      const groups = (m.groups as unknown[]).map((g) => nameOf(resources, g, where('aws_iam_user_group_membership', id)));
      iam.users[user] = [...new Set([...(iam.users[user] ?? []), ...groups])].sort();
    }
    for (const [id, m] of entries(resources, 'aws_iam_group_membership')) {
      const group = nameOf(resources, m.group, where('aws_iam_group_membership', id));
      for (const u of m.users as unknown[]) {
        const user = nameOf(resources, u, where('aws_iam_group_membership', id));
        iam.users[user] = [...new Set([...(iam.users[user] ?? []), group])].sort();
      }
    }
    for (const [id, a] of entries(resources, 'aws_iam_group_policy_attachment')) {
      const group = nameOf(resources, a.group, where('aws_iam_group_policy_attachment', id));
      (iam.groups[group] ??= []).push(attachedPolicy(resources, a.policy_arn, where('aws_iam_group_policy_attachment', id)));
    }
    for (const [id, a] of entries(resources, 'aws_iam_user_policy_attachment')) {
      const user = nameOf(resources, a.user, where('aws_iam_user_policy_attachment', id));
      (iam.userPolicies[user] ??= []).push(attachedPolicy(resources, a.policy_arn, where('aws_iam_user_policy_attachment', id)));
    }
    for (const [id, p] of entries(resources, 'aws_iam_group_policy')) {
      const group = nameOf(resources, p.group, where('aws_iam_group_policy', id));
      (iam.groups[group] ??= []).push({ name: String(p.name), document: parsePolicy(p.policy, where('aws_iam_group_policy', id)) });
    }

    const roles = new Map<string, SynthRole>();
    for (const [id, r] of entries(resources, 'aws_iam_role')) {
      const name = String(r.name);
      const rolePath = typeof r.path === 'string' ? r.path : '/';
      roles.set(name, {
        stack: stackName,
        accountId,
        name,
        arn: `arn:aws:iam::${accountId}:role${rolePath}${name}`,
        trustPolicy: parsePolicy(r.assume_role_policy, where('aws_iam_role', id)),
        policies: [],
      });
      if (r.inline_policy !== undefined || r.managed_policy_arns !== undefined) {
        throw new Error(`${where('aws_iam_role', id)}: inline_policy/managed_policy_arns on the role are not read by this check`);
      }
    }
    const roleFor = (value: unknown, w: string): SynthRole => {
      const name = nameOf(resources, value, w);
      const role = roles.get(name);
      if (!role) throw new Error(`${w}: no role ${name} in this stack`);
      return role;
    };
    for (const [id, p] of entries(resources, 'aws_iam_role_policy')) {
      const w = where('aws_iam_role_policy', id);
      roleFor(p.role, w).policies.push({ name: String(p.name), document: parsePolicy(p.policy, w) });
    }
    for (const [id, a] of entries(resources, 'aws_iam_role_policy_attachment')) {
      const w = where('aws_iam_role_policy_attachment', id);
      roleFor(a.role, w).policies.push(attachedPolicy(resources, a.policy_arn, w));
    }
    iam.roles.push(...roles.values());
  }
  if (!iam.masterAccountId) throw new Error(`no stack under ${stacksDir} holds IAM users`);
  return iam;
}

/** One account assignment of the synthesized Identity Center: the role AWS provisions from its permission set there. */
export interface SynthAssignment {
  stack: string;
  /** The group's display name (the function's), or the external group id. */
  group: string;
  permissionSet: string;
  /** `AWSReservedSSO_<permission set>_<hash>` in the target account (the hash is AWS's; a stand-in here), holding the set's policies. */
  role: SynthRole;
}

/**
 * Reads every aws_ssoadmin_account_assignment of the synthesized stacks,
 * with its permission set's AWS managed policy attachments and inline
 * policy (read from the JSON, like the IAM roles above).
 */
export function readSynthesizedIdentityCenter(outdir: string): SynthAssignment[] {
  const stacksDir = path.join(outdir, 'stacks');
  const out: SynthAssignment[] = [];
  for (const stackName of readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stackName, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const resources = (JSON.parse(readFileSync(file, 'utf8')) as StackJson).resource ?? {};
    const where = (type: string, id: string) => `${stackName}/${type}.${id}`;
    const setOf = (value: unknown, w: string): string => {
      const ref = reference(value);
      if (!ref || ref.type !== 'aws_ssoadmin_permission_set' || ref.attr !== 'arn') throw new Error(`${w}: unexpected ${String(value)}`);
      resourceOf(resources, ref.type, ref.id, w);
      return ref.id;
    };
    const policies = new Map<string, NamedPolicy[]>();
    for (const [id, a] of entries(resources, 'aws_ssoadmin_managed_policy_attachment')) {
      const w = where('aws_ssoadmin_managed_policy_attachment', id);
      const set = setOf(a.permission_set_arn, w);
      policies.set(set, [...(policies.get(set) ?? []), attachedPolicy(resources, a.managed_policy_arn, w)]);
    }
    for (const [id, p] of entries(resources, 'aws_ssoadmin_permission_set_inline_policy')) {
      const w = where('aws_ssoadmin_permission_set_inline_policy', id);
      const set = setOf(p.permission_set_arn, w);
      policies.set(set, [...(policies.get(set) ?? []), { name: 'AwsSSOInlinePolicy', document: parsePolicy(p.inline_policy, w) }]);
    }
    for (const [id, a] of entries(resources, 'aws_ssoadmin_account_assignment')) {
      const w = where('aws_ssoadmin_account_assignment', id);
      const set = setOf(a.permission_set_arn, w);
      const name = String(resources.aws_ssoadmin_permission_set[set].name);
      const ref = reference(a.principal_id);
      const group = ref ? String(resourceOf(resources, ref.type, ref.id, w).display_name) : String(a.principal_id);
      const accountId = String(a.target_id);
      const roleName = `AWSReservedSSO_${name}_0123456789abcdef`;
      out.push({
        stack: stackName,
        group,
        permissionSet: name,
        role: {
          stack: stackName,
          accountId,
          name: roleName,
          arn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${roleName}`,
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: `arn:aws:iam::${accountId}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` },
                Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
              },
            ],
          },
          policies: policies.get(set) ?? [],
        },
      });
    }
  }
  return out;
}

async function decide(simulation: Simulation, what: string): Promise<Decision> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`${what}: simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

export interface AssumeContext {
  /** aws:MultiFactorAuthPresent; undefined = no MFA key at all (long-term access key). */
  mfa?: boolean;
  /** aws:MultiFactorAuthAge in seconds (only with mfa: true). */
  mfaAgeSeconds?: number;
  /** sts:RoleSessionName; default the user name. */
  sessionName?: string;
  /** aws:CurrentTime (ISO 8601); absent: now, as AWS would set it. */
  currentTime?: string;
}

/**
 * May IAM user `user` of the master account call sts:AssumeRole on `role`?
 * Identity side: every policy of every group the user is in. Resource side:
 * the role's trust policy. Cross-account or same-account as the ARNs say.
 */
export function simulateAssumeRole(iam: SynthIam, user: string, role: SynthRole, context: AssumeContext): Promise<Decision> {
  const groups = iam.users[user];
  if (!groups) throw new Error(`no user ${user} in the master stack`);
  const identityPolicies = [
    ...groups.flatMap((g, gi) =>
      (iam.groups[g] ?? []).map((p, pi) => ({ name: `${g}-${pi}-${gi}-${p.name}`.replace(/[^\w+=,.@-]/g, '_'), policy: p.document })),
    ),
    ...(iam.userPolicies[user] ?? []).map((p, pi) => ({ name: `user-${pi}-${p.name}`.replace(/[^\w+=,.@-]/g, '_'), policy: p.document })),
  ];
  const principal = `arn:aws:iam::${iam.masterAccountId}:user${iam.userPaths[user] ?? '/'}${user}`;
  return simulateUserAssumeRole(principal, identityPolicies, role, context);
}

/**
 * Any IAM user of the identity account (by ARN, its path included), holding
 * these identity policies, calling sts:AssumeRole on `role`: e.g. a user the
 * file does not list, made by hand with AdministratorAccess.
 */
export function simulateUserAssumeRole(
  principal: string,
  identityPolicies: Array<{ name: string; policy: PolicyDoc }>,
  role: SynthRole,
  context: AssumeContext,
): Promise<Decision> {
  const [, , , , account, resource] = principal.split(':');
  const user = resource.slice(resource.lastIndexOf('/') + 1);
  const contextVariables: Record<string, string> = {
    'aws:username': user,
    'aws:PrincipalAccount': account,
    'aws:PrincipalArn': principal,
    'sts:RoleSessionName': context.sessionName ?? user,
  };
  if (context.mfa !== undefined) contextVariables['aws:MultiFactorAuthPresent'] = String(context.mfa);
  if (context.mfa && context.mfaAgeSeconds !== undefined) contextVariables['aws:MultiFactorAuthAge'] = String(context.mfaAgeSeconds);
  // As AWS: the request's time, always present (a DateLessThan on an absent key would never match).
  contextVariables['aws:CurrentTime'] = context.currentTime ?? new Date().toISOString();
  return decide(
    {
      request: {
        principal,
        action: 'sts:AssumeRole',
        resource: { resource: role.arn, accountId: role.accountId },
        contextVariables,
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: role.trustPolicy,
    },
    `${principal} -> ${role.arn}`,
  );
}

/**
 * May the role (a session of it) perform `action` on some resource of its
 * account? Resource `*` makes the simulator try every resource pattern the
 * policies name: "allowed somewhere", which is what an access level means.
 * A named resource asks about that resource (e.g. a group ARN, a role ARN);
 * across accounts the resource's policy (e.g. a role's trust) must allow it too.
 */
export function simulateRoleAction(role: SynthRole, action: string, resource = '*', resourcePolicy?: PolicyDoc): Promise<Decision> {
  // A named resource in another account is asked about with that account (identity side only: no resource policy).
  const accountId = resource === '*' ? role.accountId : (/^arn:aws:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? role.accountId);
  return decide(
    {
      request: {
        principal: role.arn,
        action,
        resource: { resource, accountId },
        contextVariables: { 'aws:PrincipalAccount': role.accountId },
      },
      identityPolicies: role.policies.map((p, i) => ({ name: `${i}-${p.name}`.replace(/[^\w+=,.@-]/g, '_'), policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    },
    `${role.arn} ${action}`,
  );
}

// ---------------------------------------------------------------------------
// HCP Terraform dynamic credentials (issue 10): the bootstrap stack's roles.

/** The plan and apply roles of a synthesized bootstrap stack, read from its cdk.tf.json. */
export function readBootstrapRoles(stackFile: string): SynthRole[] {
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as StackJson & {
    provider?: { aws?: Array<{ alias?: string; allowed_account_ids?: string[] }> };
  };
  const resources = stack.resource ?? {};
  const accountOfAlias = new Map<string, string>();
  for (const p of (stack.provider?.aws ?? []) as Array<{ alias?: string; allowed_account_ids?: string[] }>) {
    if (p.alias && p.allowed_account_ids?.length === 1) accountOfAlias.set(`aws.${p.alias}`, p.allowed_account_ids[0]);
  }
  const roles = new Map<string, SynthRole>();
  for (const [id, r] of entries(resources, 'aws_iam_role')) {
    const accountId = accountOfAlias.get(String(r.provider));
    if (!accountId) throw new Error(`bootstrap/aws_iam_role.${id}: no provider alias with one allowed account`);
    const name = String(r.name);
    roles.set(`aws_iam_role.${id}`, {
      stack: 'bootstrap',
      accountId,
      name,
      arn: `arn:aws:iam::${accountId}:role${String(r.path ?? '/')}${name}`,
      trustPolicy: parsePolicy(r.assume_role_policy, `bootstrap/aws_iam_role.${id}`),
      policies: [],
    });
  }
  for (const [id, p] of entries(resources, 'aws_iam_role_policy')) {
    const m = /^\$\{(aws_iam_role\.[A-Za-z0-9_-]+)\.name\}$/.exec(String(p.role));
    const role = m ? roles.get(m[1]) : undefined;
    if (!role) throw new Error(`bootstrap/aws_iam_role_policy.${id}: role ${String(p.role)} not found`);
    role.policies.push({ name: String(p.name), document: parsePolicy(p.policy, `bootstrap/aws_iam_role_policy.${id}`) });
  }
  return [...roles.values()];
}

/**
 * iam-simulate's checked engine (runSimulation) keeps only the context keys
 * its catalog knows for the action, and app.terraform.io is not among the
 * OIDC issuers it lists for sts:AssumeRoleWithWebIdentity: the token's claims
 * would be dropped and every request denied for the wrong reason. The
 * unchecked engine keeps them, but loads the resource policy without a name
 * and then reads that name; this gives every unnamed policy one. Applied once,
 * to the module instance iam-simulate itself uses.
 */
let namedPolicies = false;
export function nameUnnamedPolicies(): void {
  if (namedPolicies) return;
  const modulePath = require.resolve('@cloud-copilot/iam-policy', { paths: [require.resolve('@cloud-copilot/iam-simulate')] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const policyModule = require(modulePath) as { loadPolicy: (p: unknown, m?: unknown) => unknown };
  const original = policyModule.loadPolicy;
  Object.defineProperty(policyModule, 'loadPolicy', {
    configurable: true,
    enumerable: true,
    writable: true,
    value: (policy: unknown, metadata?: unknown) => original(policy, metadata ?? { name: 'resource-policy' }),
  });
  namedPolicies = true;
}

/** The claims of an HCP Terraform workload identity token that the trust policies read. */
export interface WebIdentityToken {
  /** ARN of the OIDC provider the token is presented through (it must exist in the role's account). */
  provider: string;
  aud: string;
  sub: string;
}

/** Would STS let this token assume `role` with sts:AssumeRoleWithWebIdentity? Resource side only: there is no identity policy. */
export function simulateWebIdentity(role: SynthRole, token: WebIdentityToken): Decision {
  nameUnnamedPolicies();
  const result = runUnsafeSimulation(
    {
      request: {
        principal: token.provider,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: role.arn, accountId: role.accountId },
        contextVariables: { 'app.terraform.io:aud': token.aud, 'app.terraform.io:sub': token.sub },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: role.trustPolicy,
    },
    {},
  );
  return result as Decision;
}

/** May a session of `role` perform `action` on `resource` (an ARN in the role's account)? */
export function simulateRoleActionOn(role: SynthRole, action: string, resource: string): Promise<Decision> {
  return decide(
    {
      request: {
        principal: role.arn,
        action,
        resource: { resource, accountId: role.accountId },
        contextVariables: { 'aws:PrincipalAccount': role.accountId },
      },
      identityPolicies: role.policies.map((p, i) => ({ name: `${i}-${p.name}`.replace(/[^\w+=,.@-]/g, '_'), policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    `${role.arn} ${action} ${resource}`,
  );
}

/**
 * May a machine principal (an IAM role session of another account, or of the
 * same one) call sts:AssumeRole on `role`? Its own identity policy allows
 * sts:AssumeRole on everything (the other side of the trust is not ours), so
 * the decision is the role's trust policy's. No MFA key: machines have none.
 */
export function simulatePrincipalAssumeRole(principalRoleArn: string, role: SynthRole): Promise<Decision> {
  const principalAccount = principalRoleArn.split(':')[4];
  const sessionArn = principalRoleArn.replace(':iam::', ':sts::').replace(/:role\/(?:.*\/)?([^/]+)$/, ':assumed-role/$1/ci-session');
  return decide(
    {
      request: {
        principal: sessionArn,
        action: 'sts:AssumeRole',
        resource: { resource: role.arn, accountId: role.accountId },
        contextVariables: { 'aws:PrincipalAccount': principalAccount, 'aws:PrincipalArn': principalRoleArn },
      },
      identityPolicies: [
        {
          name: 'assume-anything',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: role.trustPolicy,
    },
    `${principalRoleArn} -> ${role.arn}`,
  );
}

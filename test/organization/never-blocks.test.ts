/**
 * Issue 17: the perimeter never blocks rolecall itself. For every example
 * org file (under a managed organisation) and generated variants of them
 * (HCP Terraform dynamic credentials, `services` lists and aliases on every
 * member, the state bucket in a member account), every resource each
 * SYNTHESIZED stack manages in a member account is put to the IAM
 * simulator: each action its create, read, update and delete need
 * (test/fixtures/perimeter/provider-actions.ts), for the principal that
 * applies the stack, under that account's SCPs as synthesized. Not one may
 * be denied. The management account is skipped: SCPs never apply there.
 *
 * Who applies: the provider's assume_role (the deploy role, bootstrap and
 * assume-role stacks); with tfc-dynamic the workspace's apply role (and its
 * plan role for the reads); with `environment` the deploy role, as
 * docs/organization.md asks for the identity stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { compileOrgText } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { synthesizeApp } from '../../src/stacks/app';
import type { OrgPlan } from '../../src/plan/types';
import { perimeterOf, scpDecision, type AccountPerimeter } from '../helpers/perimeter';
import { DATA_SOURCE_ACTIONS, PROVIDER_ACTIONS, PROVIDER_CALLS } from '../fixtures/perimeter/provider-actions';

/* eslint-disable @typescript-eslint/no-explicit-any */
const CONFIG = path.join(__dirname, '..', '..', 'config');
const CONFIGS = fs
  .readdirSync(CONFIG)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** A few services lists, dealt to the members in turn (never to the identity account: the model refuses it). */
const SERVICE_LISTS = [['s3'], ['iam'], ['s3', 'athena', 'glue'], ['lambda', 'logs'], ['ec2']];

type Variant = [string, (org: any) => void];
const VARIANTS: Variant[] = [
  ['as written', () => undefined],
  [
    'tfc-dynamic',
    (org) => {
      org.deploy.backend = 'cloud';
      org.deploy.credentials = 'tfc-dynamic';
      org.deploy.cloud ??= { organization: org.organization.name, project: 'aws-iam', workspacePrefix: 'rolecall-' };
    },
  ],
  ['services and aliases', (org) => withServices(org)],
  [
    'services, aliases, tfc-dynamic',
    (org) => {
      withServices(org);
      org.deploy.backend = 'cloud';
      org.deploy.credentials = 'tfc-dynamic';
      org.deploy.cloud ??= { organization: org.organization.name, project: 'aws-iam', workspacePrefix: 'rolecall-' };
    },
  ],
  [
    'services, s3 state in a member',
    (org) => {
      withServices(org);
      const member = members(org).find((name) => (org.accounts[name].services ?? ['s3']).includes('s3') && org.accounts[name].id)!;
      org.deploy.backend = 's3';
      if (org.deploy.credentials === 'tfc-dynamic') org.deploy.credentials = 'assume-role';
      org.deploy.s3 = { bucket: 'acme-tfstate-member', region: org.organization.region, keyPrefix: 'rolecall/', account: member };
    },
  ],
  ['environment credentials', (org) => (org.deploy.credentials = 'environment')],
];

function members(org: any): string[] {
  return Object.keys(org.accounts)
    .filter((name) => name !== org.organization.master)
    .sort();
}

function withServices(org: any): void {
  const identity = org.organization.identity;
  members(org).forEach((name, i) => {
    if (name !== identity) org.accounts[name].services = SERVICE_LISTS[i % SERVICE_LISTS.length];
    org.accounts[name].alias ??= `${org.organization.name}-${name}`.slice(0, 63);
  });
}

function compileVariant(file: string, fn: (org: any) => void): { plan: OrgPlan; deployRoleName: string } {
  const org = parse(fs.readFileSync(path.join(CONFIG, file), 'utf8'));
  org.organization.manage = true;
  org.organization.id ??= 'o-abc123defg';
  org.organization.rootId ??= 'r-ab12';
  for (const name of members(org)) org.accounts[name].email ??= `aws+${name}@example.com`;
  fn(org);
  const result = compileOrgText(stringify(org), file);
  if (!result.plan) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return { plan: result.plan, deployRoleName: org.deploy?.assumeRoleName ?? 'OrganizationAccountAccessRole' };
}

interface StackJson {
  provider?: {
    aws?: Array<{ alias?: string; region?: string; allowed_account_ids?: string[]; assume_role?: Array<{ role_arn?: string }> }>;
  };
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
}

const REF = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** An attribute's value, following one `${type.id.attr}` reference into the same stack. */
function resolve(stack: StackJson, value: unknown): any {
  const m = typeof value === 'string' ? REF.exec(value) : null;
  if (!m) return value;
  const target = stack.resource?.[m[1]]?.[m[2]];
  if (!target) throw new Error(`unresolved ${String(value)}`);
  return m[3] === 'id' ? (target.name ?? target.bucket) : target[m[3]];
}

/** The resource a call is authorized on, as IAM and S3 name it. */
function arnOf(stack: StackJson, type: string, attrs: Record<string, any>, account: string): string {
  const iam = (rest: string) => `arn:aws:iam::${account}:${rest}`;
  const roleArn = (ref: unknown) => {
    const m = typeof ref === 'string' ? REF.exec(ref) : null;
    const role = m ? stack.resource!.aws_iam_role[m[2]] : Object.values(stack.resource?.aws_iam_role ?? {}).find((r) => r.name === ref);
    return iam(`role${role?.path ?? '/'}${role?.name ?? String(ref)}`);
  };
  const groupArn = (ref: unknown) => {
    const m = typeof ref === 'string' ? REF.exec(ref) : null;
    const group = m ? stack.resource!.aws_iam_group[m[2]] : undefined;
    return iam(`group${group?.path ?? '/'}${group?.name ?? String(ref)}`);
  };
  if (type === 'aws_iam_role') return roleArn(attrs.name);
  if (type.startsWith('aws_iam_role_')) return roleArn(attrs.role ?? attrs.role_name);
  if (type === 'aws_iam_openid_connect_provider') return iam(`oidc-provider/${String(attrs.url).replace(/^https:\/\//, '')}`);
  if (type === 'aws_iam_user') return iam(`user${attrs.path ?? '/'}${attrs.name}`);
  if (type.startsWith('aws_iam_user_') || type === 'aws_iam_access_key')
    return iam(`user/${resolve(stack, attrs.user ?? attrs.user_name)}`);
  if (type === 'aws_iam_group')
    return groupArn(
      `\${aws_iam_group.${Object.keys(stack.resource!.aws_iam_group).find((k) => stack.resource!.aws_iam_group[k] === attrs)}.name}`,
    );
  if (type.startsWith('aws_iam_group_')) return groupArn(attrs.group ?? attrs.group_name);
  if (type === 'aws_iam_policy') return iam(`policy${attrs.path ?? '/'}${attrs.name}`);
  if (type.startsWith('aws_s3_bucket')) return `arn:aws:s3:::${resolve(stack, attrs.bucket)}`;
  return '*';
}

interface Call {
  stack: string;
  address: string;
  account: AccountPerimeter;
  principal: string;
  action: string;
  resource: string;
  region: string;
}

/** Every call each synthesized stack makes in a member account, with the principal that makes it. */
function callsOf(plan: OrgPlan, deployRoleName: string, perimeter: Record<string, AccountPerimeter>, outdir: string): Call[] {
  const byId = new Map(Object.values(perimeter).map((a) => [a.id, a]));
  const deployRole = (id: string) => `arn:aws:iam::${id}:role/${deployRoleName}`;
  const calls: Call[] = [];
  const stacksDir = path.join(outdir, 'stacks');
  for (const stackId of fs.readdirSync(stacksDir).sort()) {
    const stack = JSON.parse(fs.readFileSync(path.join(stacksDir, stackId, 'cdk.tf.json'), 'utf8')) as StackJson;
    const workspace = plan.deploy.workspaces.find((w) => w.stack === stackId);
    const providers = new Map((stack.provider?.aws ?? []).map((p) => [p.alias ? `aws.${p.alias}` : 'aws', p]));
    const principalsOf = (providerKey: string): { account?: AccountPerimeter; apply?: string; plan?: string; region: string } => {
      const provider = providers.get(providerKey);
      if (!provider) throw new Error(`${stackId}: no provider ${providerKey}`);
      const id = provider.allowed_account_ids![0];
      const account = byId.get(id);
      const region = provider.region ?? 'us-east-1';
      if (!account) return { region }; // the management account: no SCPs
      const assumed = provider.assume_role?.[0]?.role_arn;
      if (assumed) return { account, apply: assumed, region };
      if (plan.deploy.credentials === 'tfc-dynamic' && workspace?.applyRoleArn) {
        return { account, apply: workspace.applyRoleArn, plan: workspace.planRoleArn, region };
      }
      return { account, apply: deployRole(id), region };
    };
    const add = (who: ReturnType<typeof principalsOf>, address: string, actions: string[], resource: string, reads: string[]) => {
      if (!who.account) return;
      const regionOf = (action: string) => (action.startsWith('iam:') ? 'us-east-1' : who.region);
      // sts:GetCallerIdentity names no resource; a user's virtual MFA device is mfa/<user>; a user's groups are groups.
      const on = (action: string) => {
        if (PROVIDER_CALLS.includes(action)) return '*';
        if (action === 'iam:DeleteVirtualMFADevice') return resource.replace(':user/', ':mfa/');
        if (/^iam:(AddUserToGroup|RemoveUserFromGroup)$/.test(action)) return resource.replace(/:user\/.*$/, ':group/*');
        return resource;
      };
      for (const action of [...actions, ...PROVIDER_CALLS]) {
        calls.push({
          stack: stackId,
          address,
          account: who.account,
          principal: who.apply!,
          action,
          resource: on(action),
          region: regionOf(action),
        });
      }
      if (who.plan) {
        for (const action of [...reads, ...PROVIDER_CALLS]) {
          calls.push({
            stack: stackId,
            address,
            account: who.account,
            principal: who.plan,
            action,
            resource: on(action),
            region: regionOf(action),
          });
        }
      }
    };
    for (const [type, resources] of Object.entries(stack.resource ?? {})) {
      const actions = PROVIDER_ACTIONS[type];
      if (!actions && type.startsWith('aws_organizations_')) continue; // the organization stack: management account only
      for (const [id, attrs] of Object.entries(resources)) {
        const who = principalsOf(String(attrs.provider ?? 'aws'));
        if (!who.account) continue;
        if (!actions) throw new Error(`${stackId}: ${type} has no entry in test/fixtures/perimeter/provider-actions.ts`);
        const all = [...actions.create, ...actions.read, ...actions.update, ...actions.delete];
        add(who, `${type}.${id}`, [...new Set(all)], arnOf(stack, type, attrs, who.account.id), actions.read);
      }
    }
    for (const [type, sources] of Object.entries(stack.data ?? {})) {
      for (const [id, attrs] of Object.entries(sources)) {
        const who = principalsOf(String(attrs.provider ?? 'aws'));
        if (!who.account) continue;
        const actions = DATA_SOURCE_ACTIONS[type];
        if (!actions) throw new Error(`${stackId}: data ${type} has no entry in test/fixtures/perimeter/provider-actions.ts`);
        add(who, `data.${type}.${id}`, actions, '*', actions);
      }
    }
  }
  return calls;
}

/**
 * Every example as written; the generated variants on the two shapes that
 * differ (the other examples are config/org.yaml with another deploy
 * section, which the variants cover): identity in the management account,
 * and identity apart with custom SCPs.
 */
const cases = CONFIGS.flatMap((file) =>
  VARIANTS.filter(([name]) => name === 'as written' || ['org-managed.yaml', 'org-large-company.yaml'].includes(file)).map(
    ([name, fn]) => [file, name, fn] as const,
  ),
);

/**
 * scpDecision, once per request and set of SCPs across the cases (variants
 * of one file share most requests and often the SCPs): it is a pure function
 * of the account's id and SCPs, the principal, action, resource and region.
 */
const decisions = new Map<string, Promise<string>>();
const scpKeys = new WeakMap<AccountPerimeter, string>();
function decide(c: Call): Promise<string> {
  let scps = scpKeys.get(c.account);
  if (scps === undefined) scpKeys.set(c.account, (scps = JSON.stringify(c.account.scps)));
  const key = `${c.account.id} ${scps} ${c.principal} ${c.action} ${c.resource} ${c.region}`;
  let decision = decisions.get(key);
  if (!decision) decisions.set(key, (decision = scpDecision(c.account, c.principal, c.action, c.resource, c.region)));
  return decision;
}

describe('the perimeter never blocks rolecall itself', () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-never-blocks-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each(cases)('%s, %s: 0 calls denied in member accounts', async (file, name, fn) => {
    const { plan, deployRoleName } = compileVariant(file, fn);
    const perimeter = perimeterOf(plan);
    const outdir = path.join(tmp, `${file}-${name}`.replace(/[^A-Za-z0-9.-]/g, '_'));
    synthesizeApp(plan, outdir);
    const calls = callsOf(plan, deployRoleName, perimeter, outdir);
    const memberStacks = plan.stacks.filter((s) => s.kind === 'account');
    if (memberStacks.length === 0) {
      // Identity Center alone: roles are permission sets the SSO service provisions through its
      // service-linked role (SCPs never apply to those), so no stack of rolecall's acts in a member.
      expect(plan.stacks.flatMap((s) => (s.identityCenter ? [s.id] : []))).not.toEqual([]);
      expect(calls).toEqual([]);
      return;
    }
    // Something is simulated in members: every other variant has member stacks (roles, the bootstrap's, an alias).
    expect(calls.length).toBeGreaterThan(50);
    const seen = new Set<string>();
    const denied: string[] = [];
    for (const c of calls) {
      const key = `${c.account.id} ${c.principal} ${c.action} ${c.resource} ${c.region}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const decision = await decide(c);
      if (decision !== 'Allowed') denied.push(`${c.stack} ${c.address}: ${c.principal} ${c.action} on ${c.resource}: ${decision}`);
    }
    expect(denied).toEqual([]);
  });
});

/**
 * The live fetch: the same snapshots `--from DIR` reads, fetched with the
 * AWS SDK for JavaScript v3 (modular clients only), with the credentials
 * the stacks use: the ambient credentials in their own account, and in every
 * other account the deploy role (deploy.assumeRoleName), or the role named
 * by ROLECALL_AUDIT_ROLE (e.g. a read-only audit role). AWS_ENDPOINT_URL
 * points every client at an emulator. Every page is followed; throttling is
 * retried by the SDK's adaptive retry (exponential backoff with jitter).
 *
 * What is fetched is serialized to the snapshot format and parsed back with
 * the same checks as a file: the live path trusts AWS's answers no more
 * than an auditor's folder, and `--save DIR` keeps exactly what was audited.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import {
  GetAccountAuthorizationDetailsCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolesCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Model } from '../model/model';
import type { OrgPlan } from '../plan/types';
import { masterAccount, roleArn } from '../plan/names';
import { ORGANIZATIONS_FILE } from './read';

/** deploy.assumeRoleName's default (docs/org-file.md#deploy): the role Organizations creates in every account it makes. */
const DEFAULT_DEPLOY_ROLE = 'OrganizationAccountAccessRole';
import { parseAccountSnapshot, parseOrganizationSnapshot, type AccountSnapshot, type OrganizationSnapshot } from './snapshot';

// The AWS SDK is pinned by package-lock.json; its notice that SDK versions published after January 2027
// need Node 22 is about a later upgrade, not this install, and would print on every `audit` under the
// Node 20 that package.json's engines allow. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface FetchOptions {
  /** Only these account names (--account). */
  accounts?: string[];
  progress?: (text: string) => void;
  /** Accounts fetched at once. */
  concurrency?: number;
}

export type Fetched =
  | { ok: true; accounts: AccountSnapshot[]; organization?: OrganizationSnapshot; raw: Map<string, Buffer>; rawOrganization?: Buffer }
  | { ok: false; errors: string[] };

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function clientConfig(region: string, credentials?: Credentials) {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return {
    region,
    maxAttempts: 8,
    retryMode: 'adaptive',
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  } as const;
}

function message(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${(e.message ?? String(error)).slice(0, 500)}`;
}

/** Every page of a paginated call, by its marker/token field, bounded (a server that never ends is an error). */
async function allPages<T>(fetch: (token?: string) => Promise<T>, next: (page: T) => string | undefined): Promise<T[]> {
  const pages: T[] = [];
  let token: string | undefined;
  for (let i = 0; i < 100_000; i++) {
    const page = await fetch(token);
    pages.push(page);
    token = next(page);
    if (!token) return pages;
  }
  throw new Error('more than 100,000 pages: refusing to continue');
}

async function fetchAccount(iam: IAMClient): Promise<Record<string, unknown>> {
  const pages = await allPages(
    // AWS managed policies are AWS's (their documents are known): only the account's own are fetched.
    (Marker) => iam.send(new GetAccountAuthorizationDetailsCommand({ Marker, Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'] })),
    (p: GetAccountAuthorizationDetailsCommandOutput) => (p.IsTruncated ? p.Marker : undefined),
  );
  const users = pages.flatMap((p) => p.UserDetailList ?? []);
  // Not in the authorization details either: each role's maximum session (ListRoles has it), as the snapshot's MaxSessionDuration.
  const sessions = new Map<string, number>();
  for (const page of await allPages(
    (Marker) => iam.send(new ListRolesCommand({ Marker })),
    (p) => (p.IsTruncated ? p.Marker : undefined),
  ))
    for (const r of page.Roles ?? []) if (r.Arn && typeof r.MaxSessionDuration === 'number') sessions.set(r.Arn, r.MaxSessionDuration);
  const out = {
    UserDetailList: [] as Array<Record<string, unknown>>,
    GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
    RoleDetailList: pages
      .flatMap((p) => p.RoleDetailList ?? [])
      .map((r) => (r.Arn && sessions.has(r.Arn) ? { ...r, MaxSessionDuration: sessions.get(r.Arn) } : r)),
    Policies: pages.flatMap((p) => p.Policies ?? []),
  };
  // Not in the authorization details: each user's console password and access keys.
  for (const user of users) {
    const name = user.UserName ?? '';
    let loginProfile: unknown = null;
    try {
      const lp = await iam.send(new GetLoginProfileCommand({ UserName: name }));
      loginProfile = lp.LoginProfile ? { CreateDate: lp.LoginProfile.CreateDate } : null;
    } catch (e) {
      if ((e as { name?: string }).name !== 'NoSuchEntityException' && (e as { name?: string }).name !== 'NoSuchEntity') throw e;
    }
    const keys = await allPages(
      (Marker) => iam.send(new ListAccessKeysCommand({ UserName: name, Marker })),
      (p) => (p.IsTruncated ? p.Marker : undefined),
    );
    out.UserDetailList.push({
      ...user,
      LoginProfile: loginProfile,
      AccessKeys: keys.flatMap((k) => k.AccessKeyMetadata ?? []).map((k) => ({ AccessKeyId: k.AccessKeyId, Status: k.Status })),
    });
  }
  return out;
}

async function fetchOrganization(client: OrganizationsClient): Promise<Record<string, unknown>> {
  const org = await client.send(new DescribeOrganizationCommand({}));
  const roots = (
    await allPages(
      (NextToken) => client.send(new ListRootsCommand({ NextToken })),
      (p) => p.NextToken,
    )
  ).flatMap((p) => p.Roots ?? []);
  const units: Array<{ Id?: string; Name?: string; ParentId: string }> = [];
  const queue = roots.map((r) => r.Id ?? '');
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const parent = queue[i];
    const pages = await allPages(
      (NextToken) => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken })),
      (p) => p.NextToken,
    );
    for (const ou of pages.flatMap((p) => p.OrganizationalUnits ?? [])) {
      units.push({ Id: ou.Id, Name: ou.Name, ParentId: parent });
      if (ou.Id) queue.push(ou.Id);
    }
  }
  const accounts = (
    await allPages(
      (NextToken) => client.send(new ListAccountsCommand({ NextToken })),
      (p) => p.NextToken,
    )
  ).flatMap((p) => p.Accounts ?? []);
  const withParents = [];
  for (const a of accounts) {
    const parents = await client.send(new ListParentsCommand({ ChildId: a.Id }));
    withParents.push({ Id: a.Id, Name: a.Name, Email: a.Email, Status: a.Status, ParentId: parents.Parents?.[0]?.Id });
  }
  const policies = [];
  for (const Filter of ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const) {
    let summaries;
    try {
      summaries = (
        await allPages(
          (NextToken) => client.send(new ListPoliciesCommand({ Filter, NextToken })),
          (p) => p.NextToken,
        )
      ).flatMap((p) => p.Policies ?? []);
    } catch (e) {
      // RCPs are a newer policy type: an organisation (or emulator) without them simply has none.
      if (Filter === 'RESOURCE_CONTROL_POLICY') continue;
      throw e;
    }
    for (const s of summaries) {
      const described = await client.send(new DescribePolicyCommand({ PolicyId: s.Id }));
      const targets = (
        await allPages(
          (NextToken) => client.send(new ListTargetsForPolicyCommand({ PolicyId: s.Id, NextToken })),
          (p) => p.NextToken,
        )
      ).flatMap((p) => p.Targets ?? []);
      policies.push({
        Id: s.Id,
        Name: s.Name,
        Type: Filter,
        Content: described.Policy?.Content ?? '{}',
        Targets: targets.map((t) => ({ TargetId: t.TargetId })),
      });
    }
  }
  return {
    Organization: { Id: org.Organization?.Id, MasterAccountId: org.Organization?.MasterAccountId },
    Roots: roots.map((r) => ({ Id: r.Id })),
    OrganizationalUnits: units,
    Accounts: withParents,
    Policies: policies,
  };
}

/** Runs `work` on every item, at most `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface Target {
  /** The snapshot's name: the file's account name (audit), or the account id (import: AWS names are not file names). */
  name: string;
  id: string;
}

interface Session {
  sts: STSClient;
  caller: string;
  roleName: string;
  region: string;
  /** `rolecall audit` or `rolecall import`: the prefix of progress lines. */
  command: string;
  progress: (text: string) => void;
}

async function openSession(
  region: string,
  roleName: string,
  command: string,
  progress: (text: string) => void,
): Promise<{ ok: true; session: Session } | { ok: false; errors: string[] }> {
  const sts = new STSClient(clientConfig(region));
  try {
    const caller = (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
    return { ok: true, session: { sts, caller, roleName, region, command, progress } };
  } catch (e) {
    return { ok: false, errors: [`cannot read the caller's identity (no AWS credentials?): ${message(e)}`] };
  }
}

/** The ambient credentials in the caller's own account; the role (deploy or audit) everywhere else. */
async function credentialsIn(session: Session, id: string): Promise<Credentials | undefined> {
  if (id === session.caller) return undefined;
  const arn = roleArn(id, '/', session.roleName);
  const assumed = await session.sts.send(
    new AssumeRoleCommand({
      RoleArn: arn,
      RoleSessionName: `rolecall-${session.command.replace(/^rolecall /, '')}`,
      DurationSeconds: 3600,
    }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${arn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function fetchAccounts(
  session: Session,
  targets: Target[],
  concurrency: number,
): Promise<{ accounts: AccountSnapshot[]; raw: Map<string, Buffer>; errors: string[] }> {
  const errors: string[] = [];
  const raw = new Map<string, Buffer>();
  const accounts: AccountSnapshot[] = [];
  let done = 0;
  await pool(targets, concurrency, async ({ name, id }) => {
    try {
      const iam = new IAMClient(clientConfig(session.region, await credentialsIn(session, id)));
      const details = await fetchAccount(iam);
      const bytes = Buffer.from(JSON.stringify({ Account: { Id: id }, ...details }, null, 1));
      const parsed = parseAccountSnapshot(bytes, `live:${name}`, name);
      if (!parsed.ok) errors.push(...parsed.diagnostics.map((d) => `${name} (${id}): ${d.message} at ${d.path.join('.')}`));
      else {
        raw.set(name, bytes);
        accounts.push(parsed.value);
      }
    } catch (e) {
      errors.push(`${name} (${id}): ${message(e)}`);
    }
    done++;
    if (targets.length > 1) session.progress(`${session.command}: fetched ${done}/${targets.length} accounts (${name})`);
  });
  accounts.sort((a, b) => a.label.localeCompare(b.label));
  return { accounts, raw, errors };
}

/** Organizations, read in the management account; undefined (and said) when the estate is no organisation or the caller may not read it. */
async function fetchOrganizationIn(
  session: Session,
  masterId: string,
): Promise<{ organization?: OrganizationSnapshot; rawOrganization?: Buffer; errors: string[] }> {
  try {
    const details = await fetchOrganization(new OrganizationsClient(clientConfig(session.region, await credentialsIn(session, masterId))));
    const rawOrganization = Buffer.from(JSON.stringify(details, null, 1));
    const parsed = parseOrganizationSnapshot(rawOrganization, `live:${ORGANIZATIONS_FILE}`);
    if (parsed.ok) return { organization: parsed.value, rawOrganization, errors: [] };
    return { errors: parsed.diagnostics.map((d) => `organizations: ${d.message} at ${d.path.join('.')}`) };
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    // Not an organisation (or not its management account): accounts and SCPs are then not compared, and the report says so.
    if (!/AWSOrganizationsNotInUse|AccessDenied/.test(name)) return { errors: [`organizations: ${message(e)}`] };
    session.progress(`${session.command}: no AWS Organizations data (${name}); SCPs, RCPs and OUs not read`);
    return { errors: [] };
  }
}

export async function fetchEstate(model: Model, plan: OrgPlan, options: FetchOptions = {}): Promise<Fetched> {
  const org = model.org;
  void plan;
  const opened = await openSession(
    org.organization.region,
    process.env.ROLECALL_AUDIT_ROLE || org.deploy.assumeRoleName,
    'rolecall audit',
    options.progress ?? (() => undefined),
  );
  if (!opened.ok) return opened;
  const targets = Object.keys(org.accounts)
    .sort()
    .filter((name) => org.accounts[name].id !== undefined && (!options.accounts || options.accounts.includes(name)))
    .map((name) => ({ name, id: org.accounts[name].id! }));
  const { accounts, raw, errors } = await fetchAccounts(opened.session, targets, options.concurrency ?? 4);
  let organization: OrganizationSnapshot | undefined;
  let rawOrganization: Buffer | undefined;
  if (!options.accounts) {
    // Organizations answers in the management account only.
    const fetched = await fetchOrganizationIn(opened.session, masterAccount(org).id!);
    errors.push(...fetched.errors);
    ({ organization, rawOrganization } = fetched);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, accounts, raw, ...(organization ? { organization, rawOrganization } : {}) };
}

/**
 * `rolecall import` without --from: no org file says which accounts exist,
 * so Organizations does (read with the ambient credentials, which must be the
 * management account's); every ACTIVE account is fetched through the deploy
 * role (OrganizationAccountAccessRole, or ROLECALL_AUDIT_ROLE). An estate
 * that is no organisation is the caller's account alone. Snapshots are
 * named by account id (`--save` writes `<id>.json`): account names are
 * AWS's strings, not file names.
 */
export async function fetchEstateForImport(options: {
  region: string;
  progress?: (text: string) => void;
  concurrency?: number;
}): Promise<Fetched> {
  const opened = await openSession(
    options.region,
    process.env.ROLECALL_AUDIT_ROLE || DEFAULT_DEPLOY_ROLE,
    'rolecall import',
    options.progress ?? (() => undefined),
  );
  if (!opened.ok) return opened;
  const { session } = opened;
  const org = await fetchOrganizationIn(session, session.caller);
  if (org.errors.length > 0) return { ok: false, errors: org.errors };
  const ids = org.organization
    ? org.organization.accounts.filter((a) => a.status === undefined || a.status === 'ACTIVE').map((a) => a.id)
    : [session.caller];
  const targets = [...new Set(ids)].sort().map((id) => ({ name: id, id }));
  const { accounts, raw, errors } = await fetchAccounts(session, targets, options.concurrency ?? 4);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    accounts,
    raw,
    ...(org.organization ? { organization: org.organization, rawOrganization: org.rawOrganization } : {}),
  };
}

/** `--save DIR`: what was fetched, as `--from DIR` reads it. */
export function saveEstate(dir: string, fetched: Extract<Fetched, { ok: true }>): { ok: true } | { ok: false; error: string } {
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, bytes] of fetched.raw) writeFileSync(path.join(dir, `${name}.json`), bytes);
    if (fetched.rawOrganization) writeFileSync(path.join(dir, ORGANIZATIONS_FILE), fetched.rawOrganization);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `--save ${dir}: ${message(e)}` };
  }
}

/**
 * An independent oracle for the access matrix (issue 16): the principal graph
 * of what rolecall deploys, every edge decided by @cloud-copilot/iam-simulate,
 * never by rolecall's own evaluator. Tests only (iam-simulate is AGPL).
 *
 * Input: the compiled PLAN (users and their groups' policies, roles with trust
 * and permission policies, the organization stack's SCPs and RCPs when
 * managed, the bootstrap stack's apply roles, the deploy credentials) and,
 * from the file, only what IAM cannot say: which functions change which
 * pipeline, and the accounts a pipeline applies.
 *
 * Nodes: a person (IAM user in the identity account, with MFA), a role
 * session, "admin of account A" (a user there allowed everything, with MFA:
 * whoever is admin can give itself that), a machine principal the trust
 * policies name that rolecall does not create, pipeline apply credentials.
 * Edges:
 * - assume: sts:AssumeRole on a role, both sides' policies (identity side with
 *   the caller account's SCPs, the trust, the target account's RCPs);
 * - escalate: a node whose simulated level on its own account is `admin`
 *   (an IAM write on principals, self-scoped ones included: the simulator
 *   substitutes ${aws:username}) becomes admin of that account;
 * - takeover: admin of A becomes every principal in A (roles, people, named
 *   machine roles, apply roles);
 * - OrganizationAccountAccessRole: the implicit role AWS puts in every member
 *   (trusts the management root, AdministratorAccess), and the deploy role
 *   when deploy.assumeRoleName names another;
 * - pipeline: a changer holds the apply credentials of the stacks it applies.
 * Levels: a node's level on its account is the highest catalog level
 * (src/iam/actions.ts) of a candidate action the simulator allows there;
 * candidates are the actions its Allow statements name, highest level first,
 * stopping at the first allowed. rolecall's own assume-role group policies are
 * edges, not access on the identity account, and the RequireMFA group's
 * self-service (own password, own MFA device) is not escalation: both are left
 * out of a person's level.
 *
 * Conditions: the simulator runs in Discovery mode with a concrete context
 * (MFA present and 1 s old, session name = user name, principal ARN, account
 * and organization, current time). Keys outside that context are unknown: a
 * condition on them counts as satisfied (the oracle errs high like the
 * engine), and the cell is marked `undecidable`.
 */
import * as path from 'path';
import { checkedSimulate, fastSimulate, identityMayAllow, scpDeniesOutright, type Doc, type FastRequest } from './fast-simulate';
import type { CompileResult } from '../../src/plan/compile';
import type { PolicyDocument as PlanDocument } from '../../src/plan/types';
import type { AccessLevel, OrgFile, Selector } from '../../src/model/schema';
import { ACCESS_LEVELS } from '../../src/model/schema';
import { accessLevelOf, expandActionPattern } from '../../src/iam/actions';
import { managedPolicyDocument } from '../../src/iam/managed-policies';

/**
 * Speed only: iam-policy compares condition operators with String#localeCompare
 * (ICU, about 1 ms per simulation here); operators are ASCII, where lower-casing
 * is the same comparison. Patched on the instance iam-simulate itself loads.
 */
function fastCaseInsensitiveCompare(): void {
  const index = require.resolve('@cloud-copilot/iam-policy', { paths: [require.resolve('@cloud-copilot/iam-simulate')] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const utils = require(path.join(path.dirname(index), 'utils.js')) as Record<string, unknown>;
  const ascii = (s: string) => !/[^ -~]/.test(s);
  const original = utils.caseInsensitiveEquals as (a: string, b: string) => boolean;
  const equals = (a: string, b: string) =>
    ascii(a) && ascii(b) ? a.length === b.length && a.toLowerCase() === b.toLowerCase() : original(a, b);
  utils.caseInsensitiveEquals = equals;
  utils.caseInsensitiveEndsWith = (value: string, suffix: string) => equals(value.slice(suffix.length * -1), suffix);
}
fastCaseInsensitiveCompare();

type Compiled = Extract<CompileResult, { ok: true }>;

/** AWS's own: every member account has it for its management account. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';
const ADMIN_POLICY: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const FULL_AWS_ACCESS: Doc = ADMIN_POLICY;
const ASSUME_ANY: Doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
/** Actions that are edges (becoming another principal), not access on the account. */
const EDGE_ACTIONS = new Set([
  'sts:assumerole',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
]);
/** The name a person or admin user carries (aws:username); the admin node's user. */
const ADMIN_USER = 'oracle-admin';
/** Context keys whose presence and value the oracle knows for every request. */
const KNOWN_KEYS = [
  'aws:username',
  'aws:userid',
  'aws:MultiFactorAuthPresent',
  'aws:MultiFactorAuthAge',
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalIsAWSService',
  'aws:PrincipalType',
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'sts:RoleSessionName',
];

export interface OracleStep {
  node: string;
  /** How the node was reached from the previous step. */
  via: string;
}

export interface OracleCell {
  level: AccessLevel;
  /** A condition the simulator could not decide (unknown key) was counted as satisfied on the way. */
  undecidable: boolean;
  /** Nodes from the person to the one that sets the level. */
  path: OracleStep[];
}

export interface Oracle {
  accounts: string[];
  people: string[];
  cell(person: string, account: string): OracleCell;
  /** Simulations run, for the summary. */
  simulations: number;
  /** Of which sts:AssumeRole requests (edges); the others decide levels. */
  assumeSimulations: number;
  /** Level candidates ruled out by iam-simulate's action matcher alone (no identity Allow names them, or an SCP denies them outright). */
  screened: number;
  /** With crossCheck: requests where the fast path and runSimulation decide differently. */
  disagreements: string[];
  /** Every node's level on its own account, and its edges (for messages and notes). */
  graph: { levels: Map<string, { level: AccessLevel; undecidable: boolean }>; edges: Map<string, Edge[]> };
}

interface Principal {
  key: string;
  /** Account name the principal lives in. */
  account: string;
  accountId: string;
  /** The ARN the request is made as. */
  requestArn: string;
  /** aws:PrincipalArn. */
  principalArn: string;
  kind: 'user' | 'role' | 'admin' | 'machine';
  /** Policies for edges (all of them). */
  policies: Array<{ name: string; doc: Doc }>;
  /** Policies for the level (a person's without RequireMFA and its assume-role parts). */
  levelPolicies: Array<{ name: string; doc: Doc }>;
  userName?: string;
  /** Fixed level on its account, instead of simulating (admin nodes). */
  fixedLevel?: AccessLevel;
}

interface Role {
  key: string;
  account: string;
  accountId: string;
  arn: string;
  trust: Doc;
}

export interface Edge {
  to: string;
  via: string;
  undecidable: boolean;
}

function asDoc(document: PlanDocument | { Version: string; Statement: unknown[] }): Doc {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { Version: document.Version, Statement: statements as Array<Record<string, unknown>> };
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** The accounts a pipeline applies (SPEC section 1 selectors), read independently of rolecall's resolver. */
export function selectorAccounts(org: OrgFile, selector: Selector | undefined): string[] {
  const names = Object.keys(org.accounts).sort();
  if (selector === undefined) return names;
  const reserved = new Set([org.organization.master, org.organization.identity ?? org.organization.master]);
  if (selector === '*') return names.filter((n) => !reserved.has(n));
  if (Array.isArray(selector)) return names.filter((n) => selector.includes(n));
  const segments = (ou: string | undefined) => (ou ?? '').split('/').filter((s) => s !== '');
  return names.filter((n) => {
    if (reserved.has(n) || (selector.except ?? []).includes(n)) return false;
    const a = org.accounts[n];
    if (selector.ou !== undefined) {
      const want = segments(selector.ou);
      const have = segments(a.ou);
      if (want.length > have.length || want.some((s, i) => s !== have[i])) return false;
    }
    if (selector.data !== undefined && a.data !== selector.data) return false;
    if (selector.environment !== undefined && a.environment !== selector.environment) return false;
    return Object.entries(selector.tags ?? {}).every(([k, v]) => a.tags[k] === v);
  });
}

const levelIndex = (level: AccessLevel) => ACCESS_LEVELS.indexOf(level);

/**
 * Keeps only what can match `service`: an Action pattern naming another service never matches (sound, and 100x
 * faster on AWS managed policies, which name thousands of actions). Statements are indexed by service once per document.
 */
const serviceIndex = new WeakMap<Doc, Array<{ statement: Record<string, unknown>; byService?: Map<string, string[]>; wild: string[] }>>();
function forService(doc: Doc, service: string): Doc | undefined {
  let index = serviceIndex.get(doc);
  if (!index) {
    index = doc.Statement.map((statement) => {
      if (statement.Action === undefined) return { statement, wild: [] };
      const byService = new Map<string, string[]>();
      const wild: string[] = [];
      for (const pattern of list(statement.Action)) {
        const prefix = pattern === '*' ? '*' : pattern.split(':')[0].toLowerCase();
        if (/[*?]/.test(prefix)) wild.push(pattern);
        else byService.set(prefix, [...(byService.get(prefix) ?? []), pattern]);
      }
      return { statement, byService, wild };
    });
    serviceIndex.set(doc, index);
  }
  const statements: Array<Record<string, unknown>> = [];
  for (const { statement, byService, wild } of index) {
    if (!byService) {
      statements.push(statement);
      continue;
    }
    const kept = [
      ...(byService.get(service) ?? []),
      ...wild.filter((pattern) => {
        const prefix = pattern === '*' ? '*' : pattern.split(':')[0].toLowerCase();
        return new RegExp(`^${prefix.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(service);
      }),
    ];
    if (kept.length > 0) statements.push({ ...statement, Action: kept });
  }
  return statements.length > 0 ? { Version: doc.Version, Statement: statements } : undefined;
}

export interface OracleOptions {
  now?: Date;
  /** Run every request through the public runSimulation too, and record where the two disagree. */
  crossCheck?: boolean;
}

export async function buildOracle(compiled: Compiled, options: OracleOptions = {}): Promise<Oracle> {
  const now = options.now ?? new Date();
  const disagreements: string[] = [];
  const { plan, model } = compiled;
  const org = model.org;
  const master = org.organization.master;
  const identity = org.organization.identity ?? master;
  const managed = org.organization.manage;
  const orgId = org.organization.id ?? 'o-oracle00000';
  // Accounts the organization stack will create have no id yet: a placeholder keeps OrganizationAccountAccessRole reachable.
  const idOf = new Map<string, string>();
  Object.keys(org.accounts)
    .sort()
    .forEach((name, i) => idOf.set(name, org.accounts[name].id ?? `0000000${String(90000 + i)}`));
  const nameOfId = new Map([...idOf].map(([n, id]) => [id, n]));
  const accounts = [...idOf.keys()];
  let simulations = 0;
  let assumeSimulations = 0;
  /** Level candidates the simulator's own action matcher rules out without a full request. */
  let screened = 0;
  const accountScps = (account: string) => [FULL_AWS_ACCESS, ...(scps.get(account) ?? []).map((x) => x.doc)];

  // --- Organization policies (only when rolecall manages the organization: only then are they deployed).
  const scps = new Map<string, Array<{ name: string; doc: Doc }>>();
  const rcps = new Map<string, Array<{ name: string; doc: Doc }>>();
  for (const policy of plan.organizationStack?.policies ?? []) {
    const target = policy.type === 'RESOURCE_CONTROL_POLICY' ? rcps : scps;
    for (const account of policy.targets) {
      if (account === master) continue; // SCPs and RCPs never apply to the management account
      target.set(account, [...(target.get(account) ?? []), { name: policy.key, doc: asDoc(policy.document) }]);
    }
  }

  // --- Principals and roles from the plan.
  const principals = new Map<string, Principal>();
  const roles = new Map<string, Role>();
  const addRole = (account: string, arn: string, trust: Doc, policies: Array<{ name: string; doc: Doc }>) => {
    const accountId = idOf.get(account)!;
    const key = `role ${arn}`;
    roles.set(key, { key, account, accountId, arn, trust });
    const name = arn.split('/').pop()!;
    principals.set(key, {
      key,
      account,
      accountId,
      requestArn: `arn:aws:sts::${accountId}:assumed-role/${name}/oracle-session`,
      principalArn: arn,
      kind: 'role',
      policies,
      levelPolicies: policies,
    });
  };
  const managedDocs = (arns: string[] = []) => arns.map((arn) => ({ name: arn, doc: managedDoc(arn) }));

  const planRoleArns = new Set(plan.stacks.flatMap((stack) => stack.roles.map((r) => r.arn)));
  const groups = new Map<string, Array<{ name: string; doc: Doc; level: boolean }>>();
  const users = new Map<string, string[]>();
  /** Each person's IAM path, as the plan emits it (rolecall's users live under /rolecall/): part of the ARN a self-scoped resource must match. */
  const userPaths = new Map<string, string>();
  const userPolicies = new Map<string, Array<{ name: string; doc: Doc; level: boolean }>>();
  for (const stack of plan.stacks) {
    for (const group of stack.groups) {
      const docs = [
        ...group.policies.map((p) => ({ name: p.name, doc: asDoc(p.document), assume: isAssumeOnly(asDoc(p.document), planRoleArns) })),
        ...managedDocs(group.managedPolicyArns).map((p) => ({ ...p, assume: false })),
      ];
      const selfService = group.name === 'RequireMFA';
      groups.set(
        group.name,
        docs.map((d) => ({ name: d.name, doc: d.doc, level: !selfService && !d.assume })),
      );
    }
    for (const user of stack.users) {
      users.set(user.name, user.groups);
      userPaths.set(user.name, user.path);
      // A person's own policies (time-bound memberships): read like a group's.
      const own = (user.policies ?? []).map((p) => ({ name: p.name, doc: asDoc(p.document) }));
      userPolicies.set(
        user.name,
        own.map((d) => ({ ...d, level: !isAssumeOnly(d.doc, planRoleArns) })),
      );
    }
    for (const role of stack.roles) {
      addRole(stack.account.name, role.arn, asDoc(role.trustPolicy), [
        ...role.inlinePolicies.map((p) => ({ name: p.name, doc: asDoc(p.document) })),
        ...managedDocs(role.managedPolicyArns),
      ]);
    }
  }
  // OrganizationAccountAccessRole (and the deploy role) in every member: trusts the management root, full access.
  const deployRoleNames = [...new Set([ORGANIZATION_ACCESS_ROLE, org.deploy.assumeRoleName])];
  for (const account of accounts) {
    if (account === master) continue;
    for (const name of deployRoleNames) {
      const arn = `arn:aws:iam::${idOf.get(account)}:role/${name}`;
      if (roles.has(`role ${arn}`)) continue;
      const trust: Doc = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${idOf.get(master)}:root` }, Action: 'sts:AssumeRole' }],
      };
      addRole(account, arn, trust, [{ name: 'AdministratorAccess', doc: managedDoc('arn:aws:iam::aws:policy/AdministratorAccess') }]);
    }
  }
  // tfc-dynamic: the bootstrap stack's plan and apply roles.
  for (const account of plan.bootstrapStack?.accounts ?? []) {
    for (const role of account.roles) {
      addRole(account.account.name, role.arn, asDoc(role.trustPolicy), [{ name: role.name, doc: asDoc(role.policy) }]);
    }
  }
  // Machine principals the trust policies name that rolecall does not create: whoever is admin of their account controls them.
  for (const role of [...roles.values()]) {
    for (const statement of role.trust.Statement) {
      const principal = statement.Principal as { AWS?: unknown } | undefined;
      for (const arn of list(principal?.AWS)) {
        const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
        if (!m || roles.has(`role ${arn}`) || !nameOfId.has(m[1])) continue;
        const account = nameOfId.get(m[1])!;
        principals.set(`machine ${arn}`, {
          key: `machine ${arn}`,
          account,
          accountId: m[1],
          requestArn: `arn:aws:sts::${m[1]}:assumed-role/${m[2].split('/').pop()}/oracle-session`,
          principalArn: arn,
          kind: 'machine',
          policies: [{ name: 'assume-anything', doc: ASSUME_ANY }],
          levelPolicies: [],
        });
      }
    }
  }
  // Admin of every account: a user allowed everything, with MFA.
  for (const account of accounts) {
    const accountId = idOf.get(account)!;
    const arn = `arn:aws:iam::${accountId}:user/${ADMIN_USER}`;
    principals.set(`admin ${account}`, {
      key: `admin ${account}`,
      account,
      accountId,
      requestArn: arn,
      principalArn: arn,
      kind: 'admin',
      policies: [{ name: 'AdministratorAccess', doc: ADMIN_POLICY }],
      levelPolicies: [],
      userName: ADMIN_USER,
      fixedLevel: 'admin',
    });
  }
  // People: one node per distinct set of groups (the user name is part of the key: self-scoped policies read it).
  for (const [user, userGroups] of users) {
    const docs = [
      ...userGroups.flatMap((g) => (groups.get(g) ?? []).map((d) => ({ ...d, name: `${g}.${d.name}` }))),
      ...(userPolicies.get(user) ?? []).map((d) => ({ ...d, name: `${user}.${d.name}` })),
    ];
    const accountId = idOf.get(identity)!;
    const arn = `arn:aws:iam::${accountId}:user${userPaths.get(user) ?? '/'}${user}`;
    principals.set(`person ${user}`, {
      key: `person ${user}`,
      account: identity,
      accountId,
      requestArn: arn,
      principalArn: arn,
      kind: 'user',
      policies: docs,
      levelPolicies: docs.filter((d) => d.level),
      userName: user,
    });
  }

  // --- The simulator (test/helpers/fast-simulate.ts), with per-service reduced policies reused across requests.
  const reducedCache = new WeakMap<Doc, Map<string, Doc | undefined>>();
  const reduce = (doc: Doc, service: string) => {
    let byService = reducedCache.get(doc);
    if (!byService) reducedCache.set(doc, (byService = new Map()));
    if (!byService.has(service)) byService.set(service, forService(doc, service));
    return byService.get(service);
  };
  const contexts = new Map<string, Record<string, string>>();
  const context = (p: Principal): Record<string, string> => {
    const known = contexts.get(p.key);
    if (known) return known;
    const c: Record<string, string> = {
      'aws:PrincipalArn': p.principalArn,
      'aws:PrincipalAccount': p.accountId,
      'aws:PrincipalOrgID': orgId,
      'aws:PrincipalIsAWSService': 'false',
      'aws:PrincipalType': p.kind === 'user' || p.kind === 'admin' ? 'User' : 'AssumedRole',
      'aws:MultiFactorAuthPresent': 'true',
      'aws:MultiFactorAuthAge': '1',
      'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
      'aws:SecureTransport': 'true',
      'sts:RoleSessionName': p.userName ?? 'oracle-session',
    };
    if (p.userName !== undefined) c['aws:username'] = p.userName;
    contexts.set(p.key, c);
    return c;
  };
  const constraints = KNOWN_KEYS.map((keyName) => ({ keyName, presenceIsKnown: true as const, valueIsKnown: true as const }));

  /** Allowed (and whether only under unknown conditions), or undefined when denied. */
  const simulate = async (
    p: Principal,
    policies: Array<{ name: string; doc: Doc }>,
    action: string,
    resource: string,
    resourceAccount: string,
    trust?: Doc,
    /** A request the action cannot take (wrong resource type) is a denial, not an error. */
    tolerant = false,
  ): Promise<{ conditional: boolean } | undefined> => {
    const service = action.split(':')[0].toLowerCase();
    const identityPolicies = policies.flatMap((pol) => reduce(pol.doc, service) ?? []);
    const callerScps = managed && p.account !== master ? (scps.get(p.account) ?? []) : [];
    const targetName = nameOfId.get(resourceAccount);
    const targetRcps = managed && targetName !== undefined && targetName !== master ? (rcps.get(targetName) ?? []) : [];
    const request: FastRequest = {
      principal: p.requestArn,
      action,
      resource,
      accountId: resourceAccount,
      context: context(p),
      identity: identityPolicies,
      scps: managed && p.account !== master ? [FULL_AWS_ACCESS, ...callerScps.map((x) => x.doc)] : [],
      scpOrg: p.accountId,
      rcps: targetRcps.map((x) => x.doc),
      rcpOrg: resourceAccount,
      ...(trust ? { resourcePolicy: trust } : {}),
    };
    simulations++;
    if (trust) assumeSimulations++;
    const result = await fastSimulate(request, constraints);
    if (options.crossCheck) {
      const checked = await checkedSimulate(request, constraints);
      const conditional = (r: typeof result) => r.analyses.filter((a) => a.result === 'Allowed').every((a) => a.conditions !== undefined);
      if (checked.result !== result.result || conditional(checked) !== conditional(result)) {
        disagreements.push(`${p.key} ${action} ${resource}: runSimulation ${checked.result}, fast ${result.result}`);
      }
    }
    if (result.result === 'error' && tolerant) return undefined;
    if (result.result === 'error') throw new Error(`${p.key} ${action} ${resource}: the simulator refuses the request`);
    if (result.result !== 'Allowed') return undefined;
    const allowed = result.analyses.filter((a) => a.result === 'Allowed');
    return { conditional: allowed.every((a) => a.conditions !== undefined || a.ignoredRoleSessionName === true) };
  };

  // --- Levels: candidate actions from the node's Allow statements, highest level first; first allowed wins.
  const levels = new Map<string, { level: AccessLevel; undecidable: boolean }>();
  const levelCache = new Map<string, Promise<{ level: AccessLevel; undecidable: boolean }>>();
  const levelOf = (p: Principal) => {
    if (p.fixedLevel) return Promise.resolve({ level: p.fixedLevel, undecidable: false });
    // Same documents under the same SCPs and RCPs: same level, in any account (a level request stays in the caller's
    // account). What else a request reads of the principal: the ARN patterns the SCPs' conditions compare it with, and
    // anything when its own documents name a principal key or a policy variable.
    const orgPolicies = [...(managed ? (scps.get(p.account) ?? []) : []), ...(managed ? (rcps.get(p.account) ?? []) : [])];
    const arnPatterns = orgPolicies.flatMap((x) => principalArnPatterns(x.doc));
    const personal = p.levelPolicies.some((x) => /aws:Principal|\$\{/i.test(JSON.stringify(x.doc)));
    const key = [
      p.kind,
      p.userName ?? '',
      managed && p.account !== master ? 'member' : 'management',
      ...orgPolicies.map((x) => docId(x.doc)),
      arnPatterns.map((pattern) => (wildcardMatch(pattern, p.principalArn) ? 1 : 0)).join(''),
      personal ? p.principalArn : '',
      '|',
      ...p.levelPolicies.map((x) => docId(x.doc)),
    ].join(' ');
    let cached = levelCache.get(key);
    if (!cached) levelCache.set(key, (cached = computeLevel(p)));
    return cached;
  };
  const computeLevel = async (p: Principal) => {
    const patterns = new Set<string>();
    for (const pol of p.levelPolicies) {
      for (const s of pol.doc.Statement) {
        if (s.Effect !== 'Allow') continue;
        if (s.NotAction !== undefined) patterns.add('*');
        for (const pattern of list(s.Action)) patterns.add(pattern);
      }
    }
    // Services the node's own policies and its account's SCPs name literally go first: where a level is reached, it is usually there.
    const named = new Set<string>();
    for (const doc of [...p.levelPolicies.map((x) => x.doc), ...(scps.get(p.account) ?? []).map((x) => x.doc)]) {
      for (const s of doc.Statement) for (const a of [...list(s.Action), ...list(s.NotAction)]) named.add(a.split(':')[0].toLowerCase());
    }
    // The simulator tries a wildcard request on the policies' resource patterns as written, policy variables unresolved:
    // a resource such as user/${aws:username} is also asked about as the principal's own (the variables substituted).
    const ctx = context(p);
    const selfResources = [
      ...new Set(
        p.levelPolicies.flatMap((pol) =>
          pol.doc.Statement.flatMap((st) => (st.Effect === 'Allow' ? list(st.Resource) : [])).flatMap((r) => {
            if (!r.includes('${')) return [];
            const substituted = r.replace(/\$\{([^}]+)\}/g, (whole, key: string) => ctx[key] ?? whole);
            // Only the principal's own ARN (path included) is its own: user/${aws:username} names another user when the
            // person lives under a path, and that user is nobody's.
            return substituted.includes('${') || substituted !== p.principalArn ? [] : [substituted];
          }),
        ),
      ),
    ];
    const identityByService = new Map<string, Doc[]>();
    for (const level of [...ACCESS_LEVELS].reverse()) {
      // Services the node's documents and SCPs name go first (where a level is reached, it usually is there).
      const seen = new Set<string>();
      const first: string[] = [];
      const rest: string[] = [];
      for (const pattern of patterns) {
        for (const action of expansion(pattern).get(level) ?? []) {
          if (seen.has(action)) continue;
          seen.add(action);
          (named.has(action.slice(0, action.indexOf(':'))) ? first : rest).push(action);
        }
      }
      const candidates = [...first, ...rest];
      let conditional: boolean | undefined;
      let conditionalTries = 0;
      for (const action of candidates) {
        if (conditional === true && conditionalTries++ >= 3) break;
        const service = action.slice(0, action.indexOf(':'));
        let identity = identityByService.get(service);
        if (!identity) identityByService.set(service, (identity = p.levelPolicies.flatMap((pol) => reduce(pol.doc, service) ?? [])));
        if (!identityMayAllow(identity, action) || (managed && p.account !== master && scpDeniesOutright(accountScps(p.account), action))) {
          screened++;
          continue;
        }
        let r = await simulate(p, p.levelPolicies, action, '*', p.accountId);
        for (const resource of selfResources) {
          if (r) break;
          if (resource.split(':')[2] === action.split(':')[0].toLowerCase())
            r = await simulate(p, p.levelPolicies, action, resource, p.accountId, undefined, true);
        }
        if (!r) continue;
        if (!r.conditional) {
          conditional = false;
          break;
        }
        conditional = true;
      }
      if (conditional !== undefined) return { level, undecidable: conditional };
    }
    return { level: 'none' as AccessLevel, undecidable: false };
  };
  for (const p of principals.values()) levels.set(p.key, await levelOf(p));

  // --- Edges.
  const edges = new Map<string, Edge[]>();
  const addEdge = (from: string, edge: Edge) => edges.set(from, [...(edges.get(from) ?? []), edge]);
  const mayAssume = (p: Principal) =>
    p.policies.some((pol) =>
      pol.doc.Statement.some(
        (s) =>
          s.Effect === 'Allow' &&
          (s.NotAction !== undefined || list(s.Action).some((a) => a === '*' || /^(sts|\*|s\*|st\*)/i.test(a.split(':')[0]))),
      ),
    );
  const trustNames = (role: Role, p: Principal) =>
    role.trust.Statement.some((s) => {
      const principal = s.Principal as { AWS?: unknown } | string | undefined;
      const aws = typeof principal === 'string' ? [principal] : list(principal?.AWS);
      return aws.some((a) => a === '*' || a === p.principalArn || a === p.accountId || a === `arn:aws:iam::${p.accountId}:root`);
    });
  for (const p of principals.values()) {
    if (!mayAssume(p)) continue;
    for (const role of roles.values()) {
      if (role.key === p.key || !trustNames(role, p)) continue;
      const r = await simulate(p, p.policies, 'sts:AssumeRole', role.arn, role.accountId, role.trust);
      if (r) addEdge(p.key, { to: role.key, via: `sts:AssumeRole ${role.arn}`, undecidable: r.conditional });
    }
  }
  for (const p of principals.values()) {
    const l = levels.get(p.key)!;
    if (p.kind !== 'admin' && l.level === 'admin')
      addEdge(p.key, { to: `admin ${p.account}`, via: `admin on ${p.account}`, undecidable: l.undecidable });
  }
  for (const p of principals.values()) {
    if (p.kind === 'admin') continue;
    addEdge(`admin ${p.account}`, { to: p.key, via: `takeover by admin of ${p.account}`, undecidable: false });
  }
  // Pipelines: changers hold the credentials of every stack the pipeline applies.
  const pipelineNodes = new Map<string, Edge[]>();
  for (const [name, pipeline] of Object.entries(org.pipelines).sort()) {
    const applied = selectorAccounts(org, pipeline.accounts);
    const out: Edge[] = [];
    const via = `pipeline ${name}`;
    if (org.deploy.credentials === 'environment') {
      // Each stack applies with its account's ambient credentials: admin there.
      for (const account of applied)
        out.push({ to: `admin ${account}`, via: `${via} (ambient credentials of ${account})`, undecidable: false });
    } else if (org.deploy.credentials === 'assume-role') {
      // One set of management credentials that may assume the deploy role in every member (role_arn is data the changers edit).
      const node = `ambient ${name}`;
      const accountId = idOf.get(master)!;
      principals.set(node, {
        key: node,
        account: master,
        accountId,
        requestArn: `arn:aws:iam::${accountId}:user/oracle-pipeline`,
        principalArn: `arn:aws:iam::${accountId}:user/oracle-pipeline`,
        kind: 'machine',
        policies: [
          {
            name: 'assume-deploy-role',
            doc: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/${org.deploy.assumeRoleName}` }],
            },
          },
        ],
        levelPolicies: [],
      });
      for (const role of roles.values()) {
        const p = principals.get(node)!;
        if (!trustNames(role, p)) continue;
        const r = await simulate(p, p.policies, 'sts:AssumeRole', role.arn, role.accountId, role.trust);
        if (r) addEdge(node, { to: role.key, via: `sts:AssumeRole ${role.arn}`, undecidable: r.conditional });
      }
      out.push({ to: node, via: `${via} (management credentials)`, undecidable: false });
      if (applied.includes(master))
        out.push({ to: `admin ${master}`, via: `${via} (applies a stack in ${master} with them)`, undecidable: false });
    } else {
      // tfc-dynamic: the apply role of every stack the bootstrap prepared in the accounts it applies (a changer can add the
      // stack itself, e.g. a first grant on an account, and the pipeline applies it with that role).
      for (const account of plan.bootstrapStack?.accounts ?? []) {
        if (!applied.includes(account.account.name)) continue;
        for (const role of account.roles) {
          if (role.phase === 'apply') out.push({ to: `role ${role.arn}`, via: `${via} (apply role of ${role.stack})`, undecidable: false });
        }
      }
    }
    pipelineNodes.set(name, out);
  }
  for (const node of principals.values()) if (!levels.has(node.key)) levels.set(node.key, await levelOf(node));

  // --- Closure per person.
  const cells = new Map<string, OracleCell>();
  const people = [...users.keys()].sort();
  for (const person of people) {
    const start = `person ${person}`;
    const parent = new Map<string, { from: string; via: string; undecidable: boolean }>();
    const queue = [start];
    const seen = new Set([start]);
    const out: Edge[] = [];
    const fns = org.people[person]?.functions ?? [];
    for (const [name, pipeline] of Object.entries(org.pipelines)) {
      if (pipeline.changers.some((c) => fns.some((f) => (typeof f === 'string' ? f : (f as { name: string }).name) === c))) {
        out.push(...(pipelineNodes.get(name) ?? []));
      }
    }
    const visit = (from: string, e: Edge) => {
      if (seen.has(e.to)) return;
      seen.add(e.to);
      parent.set(e.to, { from, via: e.via, undecidable: e.undecidable });
      queue.push(e.to);
    };
    for (const e of out) visit(start, e);
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const e of edges.get(node) ?? []) visit(node, e);
    }
    const pathTo = (node: string): { path: OracleStep[]; undecidable: boolean } => {
      const steps: OracleStep[] = [];
      let undecidable = false;
      for (let n: string | undefined = node; n !== undefined; n = parent.get(n)?.from) {
        const p = parent.get(n);
        steps.unshift({ node: n, via: p?.via ?? 'start' });
        if (p?.undecidable) undecidable = true;
      }
      return { path: steps, undecidable };
    };
    for (const account of accounts) {
      let best: OracleCell = { level: 'none', undecidable: false, path: [] };
      for (const node of seen) {
        const p = principals.get(node);
        if (!p || p.account !== account) continue;
        const l = levels.get(node)!;
        if (levelIndex(l.level) < levelIndex(best.level) || l.level === 'none') continue;
        const { path, undecidable } = pathTo(node);
        const candidate = { level: l.level, undecidable: undecidable || l.undecidable, path };
        // Same level: prefer a decided path.
        if (levelIndex(l.level) > levelIndex(best.level) || (best.undecidable && !candidate.undecidable)) best = candidate;
      }
      cells.set(`${person}\u0000${account}`, best);
    }
  }

  return {
    accounts,
    people,
    simulations,
    assumeSimulations,
    screened,
    disagreements,
    graph: { levels, edges },
    cell: (person, account) => cells.get(`${person}\u0000${account}`) ?? { level: 'none', undecidable: false, path: [] },
  };
}

/** The values compared with aws:PrincipalArn in a policy's conditions (cache keys only: the simulator decides). */
function principalArnPatterns(doc: Doc): string[] {
  return doc.Statement.flatMap((st) =>
    Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((byKey) =>
      Object.entries(byKey).flatMap(([key, value]) => (key.toLowerCase() === 'aws:principalarn' ? list(value) : [])),
    ),
  );
}

function wildcardMatch(pattern: string, value: string): boolean {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(value);
}

/** A pattern's catalog actions by level (edges left out), computed once per pattern. */
const expansions = new Map<string, Map<AccessLevel, string[]>>();
function expansion(pattern: string): Map<AccessLevel, string[]> {
  let expanded = expansions.get(pattern);
  if (!expanded) {
    expanded = new Map();
    for (const action of expandActionPattern(pattern)) {
      const level = accessLevelOf(action);
      if (level === undefined) continue;
      let actions = expanded.get(level);
      if (!actions) expanded.set(level, (actions = []));
      actions.push(action);
    }
    expansions.set(pattern, expanded);
  }
  return expanded;
}

const managedDocs = new Map<string, Doc>();
function managedDoc(arn: string): Doc {
  let doc = managedDocs.get(arn);
  if (!doc) managedDocs.set(arn, (doc = asDoc(managedPolicyDocument(arn))));
  return doc;
}

const docIds = new WeakMap<Doc, number>();
let nextDocId = 0;
function docId(doc: Doc): number {
  let id = docIds.get(doc);
  if (id === undefined) docIds.set(doc, (id = nextDocId++));
  return id;
}

/** A group policy that only lets members assume roles of the plan, by exact ARN (rolecall's assume-role parts): an edge, not access. */
function isAssumeOnly(doc: Doc, planRoles: Set<string>): boolean {
  return doc.Statement.every(
    (s) =>
      s.NotAction === undefined &&
      list(s.Action).every((a) => EDGE_ACTIONS.has(a.toLowerCase())) &&
      list(s.Resource).every((r) => planRoles.has(r)),
  );
}

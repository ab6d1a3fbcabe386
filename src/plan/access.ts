/**
 * Who can do how much where: access levels of permission sets, and the
 * person x account (and function x account) access matrix (SPEC sections 1
 * and 5).
 *
 * A permission set's level is the highest IAM access level of any action it
 * allows, read from the action catalog (wildcards expanded, AWS managed
 * policies read from their real documents). The level only ever errs high:
 * Allow conditions and resource restrictions are ignored (the action is
 * allowed somewhere), and a Deny only removes actions when it is
 * unconditional and on every resource. The one resource rolecall reads is
 * the caller's own user (`user/${aws:username}`): an `admin` action granted
 * only there cannot reach another principal and counts at its catalog level.
 * Guardrails rely on all that.
 *
 * Access is transitive (SPEC section 1). Besides the paths a person holds
 * directly (functions, pipelines), the matrix adds, to a fixed point:
 * - join: `admin` on the identity account (where people and their groups
 *   live; iam:AddUserToGroup, iam:PutGroupPolicy ... are `admin` actions)
 *   lets the holder join any function's group: every function's access;
 * - management: `admin` on the management (master) account, or a grant
 *   there of sts:AssumeRole on a member's deploy role or
 *   OrganizationAccountAccessRole, is `admin` on every member account;
 * - pipelines reach what the credentials they apply with reach
 *   (src/plan/pipelines.ts): `admin` on every account whose stack they
 *   apply, and through the master stack everything the two rules above add.
 *
 * Pure and cached: a set's level is computed once per model (and per
 * service restriction), a function's role once per account, and the closure
 * once per distinct (functions, pipelines) combination, so a matrix of
 * thousands of people costs little more than one of a handful.
 */
import type { Model } from '../model/model';
import { ACCESS_LEVELS, type AccessLevel, type Selector, type Statement } from '../model/schema';
import { accessLevelOf, compareAccessLevel } from '../iam/actions';
import { managedPolicyDocument, type PolicyStatement } from '../iam/managed-policies';
import { reservedAccounts, selectAccounts as selectModelAccounts } from '../model/references';
import { analysisStore } from './analysis-store';
import { AccessEngine } from '../access/engine';
import { estateFromPlan, identityCenterRoleArn, planContext } from '../access/from-plan';
import { identityCenterAccountName, usesIamUsers, usesIdentityCenter } from '../model/identity-center';
import { permissionSetName } from './identity-center';
import type { AccountReach } from '../access/graph';
import { buildPlan } from './build';
import type { OrgPlan, PolicyDocument } from './types';
import { analyseActions, levelOfActions, list, matching, resourceMatches, type LevelEvidence } from '../access/levels';

export { allowedActions, analyseActions, levelOfActions, resourceMatches, type AllowedActions, type LevelEvidence } from '../access/levels';
import { identityAccount, masterAccount, roleArn } from './names';
import { alwaysAllowed } from './organization';
import { APPLY_EVIDENCE_ACTION, pipelineCredentials, type PipelineCredential } from './pipelines';

/**
 * What a pipeline's apply credentials do that makes its changers `admin`
 * holders: rolecall's own stacks write role policies (aws_iam_role_policy).
 */
export const PIPELINE_EVIDENCE_ACTION = APPLY_EVIDENCE_ACTION;

/** The role every member account has for its management account, whatever deploy.assumeRoleName says. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

export interface PermissionSetAccess extends LevelEvidence {
  name: string;
}

/** A function's role on an account: what a function path and a join path share. */
export interface RoleAccess extends LevelEvidence {
  function: string;
  /** The group in the identity account (same name as the function). */
  group: string;
  /** The role's name: the function's, or a shared role an access entry names (`role:`). */
  role: string;
  /** Absent while the account has no id (no stack yet), and for a group policy path. */
  roleArn?: string;
  /** Every function whose group may assume the role here, sorted; present only for a shared role. */
  roleFunctions?: string[];
  /** The grant's end (RFC 3339 UTC, access entry `until`); absent: no end. */
  until?: string;
  /**
   * True for the group's own policies in the identity account
   * (functions.<fn>.identityPermissions): no role is assumed, `role` is empty.
   */
  groupPolicy?: boolean;
  /** Every permission set the role (or group) holds there, sorted by name. */
  permissionSets: PermissionSetAccess[];
  /**
   * On IAM Identity Center (organization.people names identity-center): the permission set the
   * function's group is assigned here, and the role AWS provisions from it (absent while the account
   * has no id). With Identity Center alone, `roleArn` is that role too.
   */
  identityCenter?: { permissionSet: string; roleArn?: string };
}

/** A person reaches an account through a function they hold: its group, its role there. */
export interface FunctionPath extends RoleAccess {
  kind: 'function';
}

/** The access another path gives that a transitive path follows from. */
export interface Trigger {
  account: string;
  /** The label of the path holding it there, e.g. `function iam-helpers`. */
  path: string;
  action: string;
  level: AccessLevel;
}

/**
 * Transitive: the holder controls IAM in the identity account (trigger), so
 * can add themself to this function's group and assume its role here.
 */
export interface JoinPath extends RoleAccess {
  kind: 'join';
  because: Trigger;
}

/**
 * Transitive: `admin` on a member account through the management account,
 * either as `admin` there (anything it can do, it can do here through
 * OrganizationAccountAccessRole) or by a grant there of sts:AssumeRole on
 * this account's deploy role or OrganizationAccountAccessRole.
 */
export interface ManagementPath extends LevelEvidence {
  kind: 'management';
  how: 'management-admin' | 'assume-deploy-role';
  /** The role in this account it goes through. */
  role: string;
  roleArn?: string;
  because: Trigger;
}

/** A person reaches an account through a pipeline they can change (SPEC section 5). */
export interface PipelinePath extends LevelEvidence {
  kind: 'pipeline';
  pipeline: string;
  /** How the person is a changer: through membership of a changer function (the only kind today). */
  changer: { kind: 'function'; name: string };
  /** What the pipeline applies this account's stack with. */
  credentials: PipelineCredential;
}

/** One hop of a chain path: the principal reached, and how (absent for the holder itself). */
export interface ChainHop {
  /** e.g. `user dave`, `role operations in production`, `admin of tooling`. */
  label: string;
  /** The edge kind (src/access/edges/): assume, self-escalation, admin-of-account, account-principal, pipeline, pass-role. */
  edge?: string;
  /** The action deciding the edge (sts:AssumeRole, iam:AttachUserPolicy ...). */
  action?: string;
  /** A pipeline's name, for a pipeline edge. */
  via?: string;
}

/**
 * Transitive, from the access engine (src/access/): a chain of principals
 * over the policies rolecall emits (escalation, assume chains, machine
 * principals, pipeline credentials) giving more than the paths above.
 */
export interface ChainPath extends LevelEvidence {
  kind: 'chain';
  /** From the holder to the principal holding the level. */
  chain: ChainHop[];
  /** The role at the end of the chain, when it is one. */
  role?: string;
  roleArn?: string;
  /** Leans on a condition the evaluator could not decide: may be high. */
  undecided?: boolean;
  /** Holds only until then (an expiring grant). */
  until?: string;
}

export type AccessPath = FunctionPath | PipelinePath | JoinPath | ManagementPath | ChainPath;

/**
 * A machine principal (functions.<fn>.principals) on an account: it may
 * assume the function's role there without MFA (`role` set), or reaches the
 * account transitively through what those roles hold (`role` empty; the
 * evidence path says how). Not a person, so not a matrix row; the matrix
 * lists these beside the people, and guardrails naming the function bound them.
 */
export interface PrincipalPath extends LevelEvidence {
  kind: 'principal';
  principal: string;
  function: string;
  account: string;
  role: string;
  roleArn?: string;
  permissionSets: PermissionSetAccess[];
  /** The path label that sets the level (e.g. `function ci`, `chain principal ... -> role ops in production`). */
  path: string;
  /** The access engine's chain, where it reaches more than the function's role (src/access/). */
  chain?: ChainPath;
}

/** Who holds a cell: a person, or a function on its own (the function x account view). */
export interface CellAccess {
  account: string;
  level: AccessLevel;
  /** The action and path that set the cell's level; absent when the level is `none`. */
  evidence?: { action: string; level: AccessLevel; path: string };
  /** Functions held directly that reach the account. */
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  /** Functions the holder can join (transitive) that reach the account. */
  joins: string[];
  /** True when the management account gives `admin` here (transitive). */
  management: boolean;
  /** Functions, pipelines, then transitive paths (management, then joins by function). */
  paths: AccessPath[];
}

export interface AccessCell extends CellAccess {
  person: string;
}

export interface FunctionCell extends CellAccess {
  function: string;
}

export interface MatrixAccount {
  name: string;
  id?: string;
  data: string;
  environment: string;
  master: boolean;
  /** Where people and their groups live (the master unless organization.identity says otherwise). */
  identity: boolean;
}

export interface MatrixPerson {
  name: string;
  displayName: string;
  functions: string[];
  /** Time-bound memberships: function -> until (RFC 3339 UTC); the person holds the function until then. */
  until?: Record<string, string>;
  /** Pipelines the person can change, and how. */
  pipelines: Array<{ pipeline: string; changer: PipelinePath['changer'] }>;
}

export interface MatrixFunction {
  name: string;
  description?: string;
  /** People holding it, sorted. */
  members: string[];
  /** Pipelines it changes (as a changer function), sorted. */
  pipelines: string[];
}

/**
 * The transitive paths of one holder (a person, or a function on its own),
 * grouped by cause: what the compact report records per person, so that
 * people x accounts cells never need to be written out (schema 3).
 */
export type TransitiveGroup =
  | { kind: 'join'; because: Trigger; functions: string[] }
  | {
      kind: 'chain';
      /** The chain's hops before its last (the last is each target's principal). */
      via: ChainHop[];
      /** Sorted by account. */
      targets: Array<{ account: string; path: ChainPath }>;
    }
  | {
      kind: 'management';
      how: ManagementPath['how'];
      because: Trigger;
      level: AccessLevel;
      action?: string;
      /** Sorted by account. */
      targets: Array<{ account: string; role: string; roleArn?: string }>;
    };

export interface AccessMatrix {
  organization: string;
  /** Every account of the file, sorted by name (the master included). */
  accounts: MatrixAccount[];
  /** Every person, sorted by user name. */
  people: MatrixPerson[];
  /** Every function, sorted by name. */
  functions: MatrixFunction[];
  /** Every pipeline name, sorted. */
  pipelines: string[];
  /** Every machine principal's access, by principal, function, then account. */
  principals: PrincipalPath[];
  /** The cell of one person on one account (cached; cheap to call for every pair). */
  cell(person: string, account: string): AccessCell;
  /** What a function holds on one account on its own, members or not (its own paths and their closure). */
  functionCell(fn: string, account: string): FunctionCell;
  /** A person's transitive paths (join, management), grouped by cause. */
  transitive(person: string): TransitiveGroup[];
  /** A function's own transitive paths (its members' and its changed pipelines' closure), grouped by cause. */
  functionTransitive(fn: string): TransitiveGroup[];
  /** The function's highest role on the account (its best direct path), or undefined where it is not granted. */
  role(fn: string, account: string): RoleAccess | undefined;
  /** Every role the function holds on the account, sorted by role name (several since issue 20). */
  roles(fn: string, account: string): RoleAccess[];
  /** The function's group's own policies in the identity account (identityPermissions), or undefined. */
  groupPolicy(fn: string): RoleAccess | undefined;
  /** What a pipeline applies each account with, sorted by account. */
  pipelineCredentials(pipeline: string): PipelineCredential[];
  /** The level of one permission set on one account. */
  permissionSetLevel(set: string, account: string): LevelEvidence;
  /** The accounts a pipeline applies to, sorted. */
  pipelineAccounts(pipeline: string): string[];
}

/** `a` when it is at least `b`'s level (ties: the alphabetically first action). */
function higher(a: LevelEvidence, b: LevelEvidence): LevelEvidence {
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel !== 0) return byLevel > 0 ? a : b;
  return (a.action ?? '') <= (b.action ?? '') ? a : b;
}

// ---------------------------------------------------------------------------
// Permission set levels

/** The statements of the file, in the managed documents' shape. */
function fileStatement(s: Statement): PolicyStatement {
  const out: PolicyStatement = { Effect: s.effect, Action: s.actions, Resource: s.resources };
  if (s.conditions && Object.keys(s.conditions).length > 0) out.Condition = s.conditions;
  return out;
}

/**
 * The resource patterns a set of statements allows sts:AssumeRole on
 * (`*` for a NotResource statement), when it allows it at all.
 */
function assumeRolePatterns(statements: PolicyStatement[], allowed: Set<string>): string[] {
  if (!allowed.has('sts:AssumeRole')) return [];
  const out = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const names =
      s.NotAction !== undefined ? !matching(list(s.NotAction)).has('sts:AssumeRole') : matching(list(s.Action)).has('sts:AssumeRole');
    if (!names) continue;
    if (s.NotResource !== undefined) out.add('*');
    for (const r of list(s.Resource)) out.add(r);
  }
  return [...out].sort();
}

interface SetAnalysis {
  /** The set's level and evidence (one object per cache entry: callers may compare by identity). */
  evidence: LevelEvidence;
  /** Resource patterns of sts:AssumeRole, when the set allows it (see assumeRolePatterns). */
  assumes: string[];
  /** GROUP_WRITE_ACTIONS the set allows beyond the caller's own user. */
  groupWrite: string[];
}

/**
 * The services an account's SCP confines it to, or undefined. Only when
 * rolecall manages the organization does it emit that SCP; otherwise nothing
 * is known to enforce `services`, and the level must not count on it.
 */
function enforcedServices(model: Model, account: string): string[] | undefined {
  const { org } = model;
  if (!org.organization.manage || account === org.organization.master) return undefined;
  const services = org.accounts[account]?.services;
  return services === undefined ? undefined : [...new Set(services.map((s) => s.toLowerCase()))].sort();
}

/**
 * The level of permission set `set` on `account`, with its evidence action.
 * Cached per (set content, enforced services): the same name can mean different things in different files.
 */
export function permissionSetLevel(model: Model, set: string, account: string): LevelEvidence {
  return analyseSet(model, set, account).evidence;
}

/**
 * Every action the set allows on the account above `bound` (with its level),
 * sorted: `explain` names them all, so one edit (a Deny, or another set)
 * fixes the file. As permissionSetLevel, from the same statements; not cached
 * (one call per set on the path explained).
 */
export function permissionSetActionsAbove(
  model: Model,
  set: string,
  account: string,
  bound: AccessLevel,
): Array<{ action: string; level: AccessLevel }> {
  const def = model.org.permissions[set];
  const statements: PolicyStatement[] = [
    ...(model.managedPolicyArns[set] ?? []).flatMap((arn) => managedPolicyDocument(arn).Statement),
    ...(def?.statements ?? []).map(fileStatement),
  ];
  const { allowed, selfOnly } = analyseActions(statements);
  const services = enforcedServices(model, account);
  const allowedServices = services === undefined ? undefined : new Set(services);
  const out: Array<{ action: string; level: AccessLevel }> = [];
  for (const action of allowed) {
    if (allowedServices !== undefined && !allowedServices.has(action.slice(0, action.indexOf(':'))) && !alwaysAllowed(action)) continue;
    const level = levelOfActions([action], selfOnly.has(action) ? selfOnly : undefined).level;
    if (compareAccessLevel(level, bound) > 0) out.push({ action, level });
  }
  return out.sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}

/**
 * The content a set's level depends on, as a key: two files (the two sides
 * of a diff) share the analysis of every set they define alike.
 */
const setContentKeys = new WeakMap<Model, Map<string, string>>();
const setAnalyses = new Map<string, SetAnalysis>();
/** Per model, by set and enforced services: the hot path (every function x account) never hashes a set's content. */
const modelAnalyses = new WeakMap<Model, Map<string, SetAnalysis>>();

/** The content key of a set in a model (what its analysis depends on, besides the account's services). */
export function permissionSetContentKey(model: Model, set: string): string {
  let keys = setContentKeys.get(model);
  if (keys === undefined) setContentKeys.set(model, (keys = new Map()));
  let content = keys.get(set);
  if (content === undefined) {
    content = JSON.stringify([model.managedPolicyArns[set] ?? [], model.org.permissions[set]?.statements ?? []]);
    keys.set(set, content);
  }
  return content;
}

function analyseSet(model: Model, set: string, account: string): SetAnalysis {
  const services = enforcedServices(model, account);
  let perModel = modelAnalyses.get(model);
  if (perModel === undefined) modelAnalyses.set(model, (perModel = new Map()));
  const local = `${set}\u0000${services?.join(',') ?? '*'}`;
  const known = perModel.get(local);
  if (known !== undefined) return known;
  const key = `${permissionSetContentKey(model, set)}|${services?.join(',') ?? '*'}`;
  // This process's analyses, then those kept from earlier runs (./analysis-store.ts).
  const cached = setAnalyses.get(key) ?? (analysisStore(isSetAnalysis)?.get(key) as SetAnalysis | undefined);
  if (cached !== undefined) {
    setAnalyses.set(key, cached);
    perModel.set(local, cached);
    return cached;
  }

  const def = model.org.permissions[set];
  const statements: PolicyStatement[] = [
    ...(model.managedPolicyArns[set] ?? []).flatMap((arn) => managedPolicyDocument(arn).Statement),
    ...(def?.statements ?? []).map(fileStatement),
  ];
  const { allowed, selfOnly } = analyseActions(statements);
  let actions: Iterable<string> = allowed;
  if (services !== undefined) {
    // The SCP denies every other service, except what it never denies (ALWAYS_ALLOWED_ACTIONS).
    const allowedServices = new Set(services);
    actions = [...actions].filter((a) => allowedServices.has(a.slice(0, a.indexOf(':'))) || alwaysAllowed(a));
  }
  const kept = new Set(actions);
  const result: SetAnalysis = {
    evidence: levelOfActions(kept, selfOnly),
    assumes: assumeRolePatterns(statements, kept),
    groupWrite: GROUP_WRITE_ACTIONS.filter((a) => kept.has(a) && !selfOnly.has(a)),
  };
  setAnalyses.set(key, result);
  perModel.set(local, result);
  analysisStore(isSetAnalysis)?.set(key, result);
  return result;
}

/** The shape of a SetAnalysis read back from the store (./analysis-store.ts). */
function isSetAnalysis(value: unknown): boolean {
  const v = value as SetAnalysis | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((x) => typeof x === 'string');
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.evidence === 'object' &&
    v.evidence !== null &&
    (ACCESS_LEVELS as readonly unknown[]).includes(v.evidence.level) &&
    (v.evidence.action === undefined || typeof v.evidence.action === 'string') &&
    strings(v.assumes) &&
    strings(v.groupWrite)
  );
}

// ---------------------------------------------------------------------------
// The matrix

/** What naming a path needs: the plan's AccessPath and the report's ReportPath both fit. */
export type NameablePath =
  | { kind: 'function'; function: string }
  | { kind: 'pipeline'; pipeline: string }
  | { kind: 'join'; function: string; because: { account: string } }
  | { kind: 'management'; how: 'management-admin' | 'assume-deploy-role'; role: string; because: { account: string } }
  | { kind: 'chain'; chain: Array<{ label: string }> };

/** How a path is named in evidence and messages. */
export function pathLabel(path: NameablePath): string {
  switch (path.kind) {
    case 'function':
      return `function ${path.function}`;
    case 'pipeline':
      return `pipeline ${path.pipeline}`;
    case 'join':
      return `function ${path.function}, joined through ${path.because.account}`;
    case 'management':
      return path.how === 'management-admin'
        ? `management account ${path.because.account}`
        : `role ${path.role}, assumed from ${path.because.account}`;
    case 'chain':
      return `chain ${chainText(path.chain)}`;
  }
}

/** A chain in one line: `user dave -> admin of master (iam:AttachUserPolicy) -> role operations in production (sts:AssumeRole)`. */
export function chainText(chain: ReadonlyArray<{ label: string; action?: string; via?: string }>): string {
  return chain
    .map((h) => {
      const how = [h.via ? `pipeline ${h.via}` : '', h.action && h.action !== '*' ? h.action : ''].filter((x) => x !== '').join(', ');
      return how ? `${h.label} (${how})` : h.label;
    })
    .join(' -> ');
}

/** The accounts a selector picks, sorted, as the model resolves them (`"*"` and objects leave out master and identity). */
export function selectAccounts(org: Model['org'], selector: Selector): string[] {
  return selectModelAccounts(selector, org.accounts, reservedAccounts(org.organization));
}

/** Actions that change who is in a group or what a group may do: the evidence a join path names first. */
const GROUP_WRITE_ACTIONS = ['iam:AddUserToGroup', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy'];

/** True when `a` should replace `best`: strictly higher, or the same level with an earlier action. */
function outranks(a: LevelEvidence, best: LevelEvidence): boolean {
  const byLevel = compareAccessLevel(a.level, best.level);
  return byLevel > 0 || (byLevel === 0 && (a.action ?? '') < (best.action ?? ''));
}

const KIND_ORDER: Record<AccessPath['kind'], number> = { function: 0, pipeline: 1, management: 2, join: 3, chain: 4 };
function pathKey(path: AccessPath): string {
  const name =
    path.kind === 'pipeline' ? path.pipeline : path.kind === 'management' ? '' : path.kind === 'chain' ? pathLabel(path) : path.function;
  return `${KIND_ORDER[path.kind]}${name}`;
}

type Shared = Omit<CellAccess, 'account'>;
const EMPTY: Shared = {
  level: 'none',
  functions: [],
  roles: [],
  permissionSets: [],
  pipelines: [],
  joins: [],
  management: false,
  paths: [],
};

/** Every path of one signature, per account; the cells (`Shared`) are built from them on demand. */
interface Closure {
  raw: Map<string, AccessPath[]>;
  done: Map<string, Shared>;
  /** Every join and management path, with its account, in the order found. */
  transitive: Array<[string, AccessPath]>;
  /** False for a closure built for its transitive paths alone (raw holds the trigger accounts only). */
  complete: boolean;
  /** What the access engine finds for the same holder, per account (read on first use). */
  engine?: () => Map<string, AccountReach>;
}

interface Signature {
  functions: string[];
  pipelines: Array<{ pipeline: string; changer: PipelinePath['changer'] }>;
}

/** A chain path from what the engine found on an account. */
export function chainPath(reach: AccountReach): ChainPath {
  const hops: ChainHop[] = reach.chain.map((h) => {
    const hop: ChainHop = { label: h.label };
    if (h.edge) {
      hop.edge = h.edge.kind;
      if (h.edge.action) hop.action = h.edge.action;
      if (h.edge.via) hop.via = h.edge.via;
    }
    return hop;
  });
  const last = reach.chain[reach.chain.length - 1];
  const roleArnOf = last?.node.startsWith('role:') ? last.node.slice('role:'.length) : undefined;
  const path: ChainPath = { kind: 'chain', chain: hops, level: reach.level };
  if (reach.action !== undefined) path.action = reach.action;
  if (roleArnOf !== undefined) {
    path.roleArn = roleArnOf;
    path.role = roleArnOf.slice(roleArnOf.lastIndexOf('/') + 1);
  }
  if (reach.undecided) path.undecided = true;
  if (reach.until !== undefined) path.until = reach.until;
  return path;
}

/** True when some identity document of the plan ends by the clock (DateLessThan aws:CurrentTime): only then are ends looked up. */
function groupsEndByClock(plan: OrgPlan): boolean {
  return plan.stacks.some((stack) => stack.groups.some((g) => g.policies.some((p) => documentEnds(p.document).length > 0)));
}

/** The DateLessThan aws:CurrentTime instants of a document's Allow statements. */
function documentEnds(document: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of document.Statement) {
    if (s.Effect !== 'Allow') continue;
    const value = s.Condition?.DateLessThan?.['aws:CurrentTime'];
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/**
 * Each person's time-bound memberships as the plan emits them: per function, the latest end of the
 * statements of the person's own policies standing for it (ManagedPolicyPlan.membershipOf).
 */
function planMembershipEnds(plan: OrgPlan): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const stack of plan.stacks) {
    for (const user of stack.users) {
      for (const policy of user.policies ?? []) {
        if (policy.membershipOf === undefined) continue;
        const ends = documentEnds(policy.document).sort();
        if (ends.length === 0) continue;
        const mine = out.get(user.key) ?? {};
        const end = ends[ends.length - 1];
        if (mine[policy.membershipOf] === undefined || mine[policy.membershipOf] < end) mine[policy.membershipOf] = end;
        out.set(user.key, mine);
      }
    }
  }
  return out;
}

/**
 * The access matrix of a model. The direct paths (functions, pipelines) and
 * the named transitive rules (join, management) come from the model's
 * grants; the access engine (src/access/), over the documents the plan
 * emits, adds a chain path wherever it finds more (escalation, assume
 * chains, machine principals, pipeline credentials): a cell is never lower
 * than either.
 */
export function buildAccessMatrix(model: Model, plan?: OrgPlan): AccessMatrix {
  const { org } = model;
  let planned: OrgPlan | undefined = plan;
  const thePlan = (): OrgPlan => (planned ??= buildPlan(model));
  let engineInstance: AccessEngine | undefined;
  const engine = (): AccessEngine => (engineInstance ??= new AccessEngine(estateFromPlan(thePlan(), planContext(model))));
  const master = masterAccount(org).name;
  const identity = identityAccount(org).name;
  const accountNames = Object.keys(org.accounts).sort();
  const accounts: MatrixAccount[] = accountNames.map((name) => ({
    name,
    id: org.accounts[name].id,
    data: org.accounts[name].data,
    environment: org.accounts[name].environment,
    master: name === master,
    identity: name === identity,
  }));
  const functionNames = Object.keys(org.functions).sort();

  const pipelineNames = Object.keys(org.pipelines).sort();
  const credentials = new Map(pipelineNames.map((name) => [name, pipelineCredentials(model, name)]));
  const pipelineAccountSets = new Map<string, Set<string>>();
  /** The accounts a pipeline has credentials for, as a set (asked once per holder and account). */
  const pipelineAccountSet = (pipeline: string): Set<string> => {
    let found = pipelineAccountSets.get(pipeline);
    if (found === undefined) pipelineAccountSets.set(pipeline, (found = new Set((credentials.get(pipeline) ?? []).map((c) => c.account))));
    return found;
  };

  const changerPipelines = (functions: string[]): Signature['pipelines'] => {
    const out: Signature['pipelines'] = [];
    for (const pipeline of pipelineNames) {
      // Changers are functions: their members can merge to what the pipeline applies.
      const via = [...org.pipelines[pipeline].changers].sort().find((c) => functions.includes(c));
      if (via !== undefined) out.push({ pipeline, changer: { kind: 'function', name: via } });
    }
    return out;
  };

  // Time-bound memberships' ends, read from the people's own policies in the plan (only built when some membership is).
  const membershipEnds = Object.values(org.people).some((p) => p.until !== undefined && Object.keys(p.until).length > 0)
    ? planMembershipEnds(thePlan())
    : new Map<string, Record<string, string>>();
  const people: MatrixPerson[] = Object.keys(org.people)
    .sort()
    .map((name) => {
      const functions = [...new Set(org.people[name].functions)].sort();
      const until = membershipEnds.get(name);
      return {
        name,
        displayName: org.people[name].name,
        functions,
        ...(until ? { until: { ...until } } : {}),
        pipelines: changerPipelines(functions),
      };
    });
  const personByName = new Map(people.map((p) => [p.name, p]));
  const functions: MatrixFunction[] = functionNames.map((name) => {
    const entry: MatrixFunction = {
      name,
      members: people.filter((p) => p.functions.includes(name)).map((p) => p.name),
      pipelines: pipelineNames.filter((p) => org.pipelines[p].changers.includes(name)),
    };
    const description = org.functions[name].description;
    return description === undefined ? entry : { ...entry, description };
  });

  const onIdentityCenter = usesIdentityCenter(org.organization) && org.organization.identityCenter !== undefined;
  const delegatedCenter = onIdentityCenter && identityCenterAccountName(org.organization) !== master;
  // Time-bound grants: the end of each role's assume, as the engine reads the group's emitted policy (never the file's until).
  // (The plan is built for it only when the file has a time-bound grant: most files have none.)
  const timeBound =
    (plan !== undefined ||
      Object.values(model.grants).some((byAccount) => Object.values(byAccount).some((gs) => gs.some((g) => g.until)))) &&
    groupsEndByClock(thePlan());
  const assumeEnds = new Map<string, Map<string, { until?: string }>>();
  const assumeEnd = (fn: string, arn: string): string | undefined => {
    if (!timeBound) return undefined;
    let found = assumeEnds.get(fn);
    if (found === undefined) assumeEnds.set(fn, (found = engine().memberAssumes(identity, [fn])));
    return found.get(arn)?.until;
  };

  /** By function, then account. */
  const roleCache = new Map<string, Map<string, RoleAccess[]>>();
  /**
   * The function's roles on the account (a function may hold several there, issue 20), sorted by role
   * name; empty where the function is not granted. Each carries its `until` where the grant has one.
   */
  function functionRoles(fn: string, account: string): RoleAccess[] {
    let byAccount = roleCache.get(fn);
    if (byAccount === undefined) roleCache.set(fn, (byAccount = new Map()));
    const cached = byAccount.get(account);
    if (cached !== undefined) return cached;
    const result: RoleAccess[] = [];
    for (const grant of model.grants[fn]?.[account] ?? []) {
      const sets = [...new Set(grant.permissionSets)].sort();
      if (sets.length === 0) continue;
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, account) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      const id = org.accounts[account]?.id;
      const role = grant.role;
      const access: RoleAccess = {
        function: fn,
        group: fn,
        role,
        roleArn: id ? roleArn(id, org.organization.rolePath, role) : undefined,
        permissionSets,
        level: best.level,
        action: best.action,
      };
      const until = access.roleArn !== undefined ? assumeEnd(fn, access.roleArn) : undefined;
      if (until !== undefined) access.until = until;
      if (onIdentityCenter) {
        // As src/plan/identity-center.ts names it (a delegated administrator's management account holds a copy).
        const name = permissionSetName(role, grant.permissionSets, delegatedCenter && account === master);
        const arn = id ? identityCenterRoleArn('aws', id, name) : undefined;
        access.identityCenter = { permissionSet: name, ...(arn ? { roleArn: arn } : {}) };
        if (!usesIamUsers(org.organization)) {
          if (arn) access.roleArn = arn;
          else delete access.roleArn;
        }
      }
      if (role !== fn) access.roleFunctions = functionNames.filter((f) => (model.grants[f]?.[account] ?? []).some((g) => g.role === role));
      result.push(access);
    }
    byAccount.set(account, result);
    return result;
  }
  /** The function's highest role on the account (ties: the first by name), or null where it is not granted. */
  function functionRole(fn: string, account: string): RoleAccess | null {
    let best: RoleAccess | null = null;
    for (const r of functionRoles(fn, account)) if (best === null || compareAccessLevel(r.level, best.level) > 0) best = r;
    return best;
  }

  const groupCache = new Map<string, RoleAccess | null>();
  /** The function's group policies in the identity account (identityPermissions), or null. */
  function groupPolicies(fn: string): RoleAccess | null {
    const cached = groupCache.get(fn);
    if (cached !== undefined) return cached;
    const value = org.functions[fn]?.identityPermissions;
    const sets = value === undefined ? [] : [...new Set(typeof value === 'string' ? [value] : value)].sort();
    let result: RoleAccess | null = null;
    if (sets.length > 0) {
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, identity) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      result = { function: fn, group: fn, role: '', groupPolicy: true, permissionSets, level: best.level, action: best.action };
    }
    groupCache.set(fn, result);
    return result;
  }

  /** The highest `admin` path among some, as a trigger (a group-write action as evidence where the path has one). */
  function adminTrigger(account: string, paths: AccessPath[] | undefined): Trigger | undefined {
    let best: AccessPath | undefined;
    for (const path of paths ?? []) if (path.level === 'admin' && (best === undefined || outranks(path, best))) best = path;
    if (!best) return undefined;
    let action = best.action!;
    if (account === identity && (best.kind === 'function' || best.kind === 'join')) {
      const sets = new Set(best.permissionSets.map((s) => s.name));
      const found = GROUP_WRITE_ACTIONS.find((a) => [...sets].some((set) => analyseSet(model, set, account).groupWrite.includes(a)));
      if (found) action = found;
    }
    return { account, path: pathLabel(best), action, level: 'admin' };
  }

  /** The deploy role and OrganizationAccountAccessRole of a member account, as ARNs (`*` for a missing id). */
  function managementRoles(account: string): Array<{ role: string; arn: string; real: boolean }> {
    const id = org.accounts[account]?.id;
    const names = [...new Set([org.deploy.assumeRoleName, ORGANIZATION_ACCESS_ROLE])];
    return names.map((role) => ({ role, arn: roleArn(id ?? '*', '/', role), real: id !== undefined }));
  }

  const triggerAccountNames = [...new Set([identity, master])];
  const triggerGrantCache = new Map<string, string[]>();
  /** The trigger accounts (identity, management) where the function is granted, in the grants' order. */
  function triggerGrants(fn: string): string[] {
    let found = triggerGrantCache.get(fn);
    if (found === undefined) {
      const grants = model.grants[fn] ?? {};
      found = Object.keys(grants).filter((a) => triggerAccountNames.includes(a));
      triggerGrantCache.set(fn, found);
    }
    return found;
  }
  const firstRoleCache = new Map<string, { account: string; role: RoleAccess } | null>();
  /** The function's first role (in the grants' order), or null where it holds none. */
  function firstRole(fn: string): { account: string; role: RoleAccess } | null {
    let found = firstRoleCache.get(fn);
    if (found === undefined) {
      found = null;
      for (const account of Object.keys(model.grants[fn] ?? {})) {
        const role = functionRole(fn, account);
        if (role) {
          found = { account, role };
          break;
        }
      }
      firstRoleCache.set(fn, found);
    }
    return found;
  }

  /**
   * Every path a signature reaches, per account, to a fixed point (see the
   * file comment). `triggersOnly`: keep the paths of the identity and
   * management accounts alone (the only ones a transitive rule reads) and the
   * transitive paths: enough for the transitive groups, without a cell per
   * account. `machine`: the holder assumes the functions' roles but is no
   * member of their groups (a machine principal): no group policies.
   */
  function closure(sig: Signature, triggersOnly = false, machine = false): Closure {
    const byAccount = new Map<string, AccessPath[]>();
    const transitive: Array<[string, AccessPath]> = [];
    const add = (account: string, path: AccessPath) => {
      if (path.kind === 'join' || path.kind === 'management') transitive.push([account, path]);
      if (triggersOnly && account !== identity && account !== master) return;
      let list = byAccount.get(account);
      if (list === undefined) byAccount.set(account, (list = []));
      list.push(path);
    };
    // A light closure reads only the trigger accounts' paths: people x accounts work avoided (diff, reports).
    const grantedAt = (fn: string): string[] => (triggersOnly ? triggerGrants(fn) : Object.keys(model.grants[fn] ?? {}));
    const held = new Set(sig.functions);
    // A person's time-bound memberships (read from their own policies): each of the function's role paths ends by then.
    const ends = 'until' in sig ? (sig as MatrixPerson).until : undefined;
    for (const fn of sig.functions) {
      const membership = ends?.[fn];
      for (const account of grantedAt(fn)) {
        for (const role of functionRoles(fn, account)) {
          const until = membership !== undefined && (role.until === undefined || membership < role.until) ? membership : role.until;
          add(account, until === role.until ? { kind: 'function', ...role } : { kind: 'function', ...role, until });
        }
      }
      const group = machine ? null : groupPolicies(fn);
      if (group) add(identity, { kind: 'function', ...group });
    }
    for (const p of sig.pipelines) {
      for (const cred of credentials.get(p.pipeline) ?? []) {
        if (triggersOnly && cred.account !== identity && cred.account !== master) continue;
        add(cred.account, {
          kind: 'pipeline',
          pipeline: p.pipeline,
          changer: p.changer,
          credentials: cred,
          level: cred.level,
          action: cred.action,
        });
      }
    }
    let joined = false;
    let managedAll = false;
    const managed = new Set<string>();
    for (let changed = true; changed;) {
      changed = false;
      if (!joined) {
        const because = adminTrigger(identity, byAccount.get(identity));
        if (because) {
          joined = changed = true;
          for (const fn of functionNames) {
            if (held.has(fn)) continue;
            let found = false;
            for (const account of grantedAt(fn)) {
              for (const role of functionRoles(fn, account)) {
                add(account, { kind: 'join', ...role, because });
                found = true;
              }
            }
            if (triggersOnly && !found) {
              // The join group names the function once: one of its roles elsewhere stands for all of them.
              const elsewhere = firstRole(fn);
              if (elsewhere) transitive.push([elsewhere.account, { kind: 'join', ...elsewhere.role, because }]);
            }
            const group = groupPolicies(fn);
            if (group) add(identity, { kind: 'join', ...group, because });
          }
        }
      }
      if (!managedAll) {
        const because = adminTrigger(master, byAccount.get(master));
        if (because) {
          managedAll = changed = true;
          for (const account of accountNames) {
            if (account === master || managed.has(account)) continue;
            managed.add(account);
            const role = ORGANIZATION_ACCESS_ROLE;
            const id = org.accounts[account].id;
            add(account, {
              kind: 'management',
              how: 'management-admin',
              role,
              ...(id ? { roleArn: roleArn(id, '/', role) } : {}),
              level: 'admin',
              action: APPLY_EVIDENCE_ACTION,
              because,
            });
          }
        } else {
          // A grant on the management account of sts:AssumeRole on a member's deploy role (or OrganizationAccountAccessRole).
          for (const path of byAccount.get(master) ?? []) {
            if (path.kind !== 'function' && path.kind !== 'join') continue;
            const patterns = path.permissionSets.flatMap((s) => analyseSet(model, s.name, master).assumes);
            if (patterns.length === 0) continue;
            for (const account of accountNames) {
              if (account === master || managed.has(account)) continue;
              const target = managementRoles(account).find((r) => patterns.some((pattern) => resourceMatches(pattern, r.arn)));
              if (!target) continue;
              const pattern = patterns.find((x) => resourceMatches(x, target.arn))!;
              managed.add(account);
              changed = true;
              add(account, {
                kind: 'management',
                how: 'assume-deploy-role',
                role: target.role,
                ...(target.real ? { roleArn: target.arn } : {}),
                level: 'admin',
                action: APPLY_EVIDENCE_ACTION,
                because: {
                  account: master,
                  path: `${pathLabel(path)} (sts:AssumeRole on ${pattern})`,
                  action: 'sts:AssumeRole',
                  level: accessLevelOf('sts:AssumeRole') ?? 'write',
                },
              });
            }
          }
        }
      }
    }
    return { raw: byAccount, done: new Map(), transitive, complete: !triggersOnly };
  }

  /** A cell of a closure, built on first use: reports that need only the transitive groups never pay for people x accounts cells. */
  function sharedAt(c: Closure, account: string): Shared | undefined {
    const done = c.done.get(account);
    if (done !== undefined) return done;
    const unsorted = c.raw.get(account) ?? [];
    const found = c.engine?.().get(account);
    if (unsorted.length === 0 && found === undefined) return undefined;
    const paths = [...unsorted].sort((a, b) => (pathKey(a) < pathKey(b) ? -1 : pathKey(a) > pathKey(b) ? 1 : 0));
    let best: LevelEvidence & { path?: string } = { level: 'none' };
    // Strictly higher, or the same level with an earlier action: ties keep the first path (functions by name).
    for (const path of paths) if (outranks(path, best)) best = { level: path.level, action: path.action, path: pathLabel(path) };
    // The engine's chain, where it finds more than the paths above (never less: the cell errs high).
    if (found !== undefined && compareAccessLevel(found.level, best.level) > 0) {
      const chain = chainPath(found);
      paths.push(chain);
      best = { level: chain.level, action: chain.action, path: pathLabel(chain) };
    }
    if (paths.length === 0) return undefined;
    const functionPaths = paths.filter((p): p is FunctionPath => p.kind === 'function');
    const shared: Shared = {
      level: best.level,
      evidence:
        best.action !== undefined && best.path !== undefined ? { action: best.action, level: best.level, path: best.path } : undefined,
      // A role shared by several functions is named once; group-policy paths carry no role to assume.
      functions: [...new Set(functionPaths.map((p) => p.function))],
      roles: [...new Set(functionPaths.filter((p) => !p.groupPolicy).map((p) => p.role))],
      permissionSets: [...new Set(functionPaths.flatMap((p) => p.permissionSets.map((s) => s.name)))].sort(),
      pipelines: paths.filter((p): p is PipelinePath => p.kind === 'pipeline').map((p) => p.pipeline),
      joins: paths.filter((p): p is JoinPath => p.kind === 'join').map((p) => p.function),
      management: paths.some((p) => p.kind === 'management'),
      paths,
    };
    c.done.set(account, shared);
    return shared;
  }

  // People with the same functions and pipelines have the same cells: one closure per signature.
  const closures = new Map<string, Closure>();
  // Keyed once per signature object (a person's entry is asked for again and again by reports and diff).
  const signatureKeys = new WeakMap<Signature, string>();
  const signatureKey = (sig: Signature) => {
    let key = signatureKeys.get(sig);
    if (key === undefined) {
      key = `${sig.functions.join(',')}#${sig.pipelines.map((x) => `${x.pipeline}:${x.changer.name}`).join(',')}`;
      signatureKeys.set(sig, key);
    }
    return key;
  };
  /**
   * The engine's view of a holder: a person's principals (their IAM user, their identity store user on
   * Identity Center, both while both backends run), or a member of one function's groups alone.
   */
  const userArns = new Map<string, string[]>();
  const arnsOf = (name: string): string[] | undefined => {
    if (userArns.size === 0) {
      const e = engine().estate;
      for (const u of [...e.users, ...(e.identityCenter?.users ?? [])]) userArns.set(u.name, [...(userArns.get(u.name) ?? []), u.arn]);
    }
    return userArns.get(name);
  };
  function engineReach(sig: Signature): () => Map<string, AccountReach> {
    if ('name' in sig) {
      const name = (sig as MatrixPerson).name;
      return () => {
        const arns = arnsOf(name);
        return arns === undefined ? new Map() : arns.length === 1 ? engine().person(arns[0]) : engine().people(arns);
      };
    }
    return () => engine().members(identity, sig.functions);
  }
  /** People sharing a signature share a closure, unless the engine tells them apart (a document names one). */
  function engineKey(sig: Signature): string {
    if (!('name' in sig)) return '';
    const arns = arnsOf((sig as MatrixPerson).name);
    return arns === undefined ? '' : `@${engine().personKey(arns.length === 1 ? arns[0] : arns)}`;
  }
  // Keyed once per signature object, as signatureKey: every cell of a person asks for it again.
  const closureKeys = new WeakMap<Signature, string>();
  function closureKey(sig: Signature): string {
    let key = closureKeys.get(sig);
    if (key === undefined) closureKeys.set(sig, (key = signatureKey(sig) + engineKey(sig)));
    return key;
  }
  function closureOf(sig: Signature): Closure {
    const key = closureKey(sig);
    let found = closures.get(key);
    if (found === undefined || !found.complete) {
      found = closure(sig);
      found.engine = engineReach(sig);
      closures.set(key, found);
    }
    return found;
  }
  const chainGroupCache = new Map<string, TransitiveGroup[]>();
  /**
   * The engine's chain paths of a holder, grouped by the chain before its
   * last hop. Read without the holder's cells: the level of its paths on an
   * account comes from its functions' roles, pipelines and the light
   * closure's transitive paths; only where the engine finds more is a cell
   * (and a complete closure) built.
   */
  function chainGroups(sig: Signature): TransitiveGroup[] {
    const cacheKey = closureKey(sig);
    const cached = chainGroupCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const light = transitiveClosureOf(sig);
    const transitiveAt = new Map<string, AccessLevel>();
    for (const [account, p] of light.transitive) {
      if (compareAccessLevel(p.level, transitiveAt.get(account) ?? 'none') > 0) transitiveAt.set(account, p.level);
    }
    const directLevel = (account: string): AccessLevel => {
      let best: AccessLevel = transitiveAt.get(account) ?? 'none';
      const offer = (level: AccessLevel) => {
        if (compareAccessLevel(level, best) > 0) best = level;
      };
      for (const fn of sig.functions) {
        for (const role of functionRoles(fn, account)) offer(role.level);
        if (account === identity) {
          const group = groupPolicies(fn);
          if (group) offer(group.level);
        }
      }
      for (const p of sig.pipelines) if (pipelineAccountSet(p.pipeline).has(account)) offer('admin');
      return best;
    };
    const groups = new Map<string, Extract<TransitiveGroup, { kind: 'chain' }>>();
    const reach = engineReach(sig)();
    const held = new Set(sig.functions);
    for (const account of [...reach.keys()].sort()) {
      const found = reach.get(account)!;
      // A member assuming its own function's role: the function path says as much (at the same level or higher).
      const last = found.chain[found.chain.length - 1];
      const own = found.chain.length === 2 && (engine().graph.node(last.node)?.role?.labels?.functions ?? []).some((f) => held.has(f));
      if (own) continue;
      // Most other accounts: the engine finds what the paths above give; only where it finds more is there a chain.
      if (compareAccessLevel(found.level, directLevel(account)) <= 0) continue;
      const chain = sharedAt(closureOf(sig), account)?.paths.find((p): p is ChainPath => p.kind === 'chain');
      if (chain === undefined) continue;
      const via = chain.chain.slice(0, -1);
      const key = JSON.stringify(via);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { kind: 'chain', via, targets: [] }));
      group.targets.push({ account, path: chain });
    }
    const out = [...groups.values()];
    chainGroupCache.set(cacheKey, out);
    return out;
  }
  /** A closure good for its transitive paths: the complete one when built already, else a light one. */
  function transitiveClosureOf(sig: Signature): Closure {
    const key = signatureKey(sig);
    let found = closures.get(key);
    if (found === undefined) closures.set(key, (found = reachesTrigger(sig) ? closure(sig, true) : noTransitive));
    return found;
  }
  /** Nothing at the identity or management account: no transitive rule can fire (most people, in a large org). */
  const noTransitive: Closure = { raw: new Map(), done: new Map(), transitive: [], complete: false };
  function reachesTrigger(sig: Signature): boolean {
    return (
      sig.functions.some((fn) => triggerGrants(fn).length > 0 || groupPolicies(fn) !== null) ||
      sig.pipelines.some((p) => (credentials.get(p.pipeline) ?? []).some((c) => c.account === identity || c.account === master))
    );
  }

  const groupsCache = new WeakMap<Closure, TransitiveGroup[]>();
  /** One scan of a closure's accounts; cached with the closure (one per signature). */
  function groupsOf(c: Closure): TransitiveGroup[] {
    const cached = groupsCache.get(c);
    if (cached !== undefined) return cached;
    let join: Extract<TransitiveGroup, { kind: 'join' }> | undefined;
    const joined = new Set<string>();
    const management = new Map<string, Extract<TransitiveGroup, { kind: 'management' }>>();
    // By account (stable: the order found within one), as the cells list them.
    const found = [...c.transitive].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (const [account, path] of found) {
      if (path.kind === 'join') {
        join ??= { kind: 'join', because: path.because, functions: [] };
        joined.add(path.function);
      } else if (path.kind === 'management') {
        const key = JSON.stringify([path.how, path.because]);
        let group = management.get(key);
        if (group === undefined) {
          group = { kind: 'management', how: path.how, because: path.because, level: path.level, action: path.action, targets: [] };
          management.set(key, group);
        }
        group.targets.push({ account, role: path.role, ...(path.roleArn ? { roleArn: path.roleArn } : {}) });
      }
    }
    const out: TransitiveGroup[] = [...management.values()];
    if (join) {
      join.functions = [...joined].sort();
      out.unshift(join);
    }
    groupsCache.set(c, out);
    return out;
  }

  // Machine principals: what the engine finds for each (its closure over the plan's documents, without MFA),
  // beside the function's own roles there (also where an account has no id yet, so no role exists).
  const principals: PrincipalPath[] = [];
  for (const fn of functionNames) {
    const named = [...new Set(org.functions[fn].principals ?? [])].sort();
    if (named.length === 0) continue;
    const direct = new Map<string, RoleAccess>();
    for (const account of Object.keys(model.grants[fn] ?? {})) {
      const role = functionRole(fn, account);
      if (role) direct.set(account, role);
    }
    for (const principal of named) {
      const reach = engine().machine(principal);
      for (const account of [...new Set([...direct.keys(), ...reach.keys()])].sort()) {
        const own = direct.get(account);
        const found = reach.get(account);
        let best: LevelEvidence & { path: string } = own
          ? { level: own.level, action: own.action, path: `function ${fn}` }
          : { level: 'none', path: `function ${fn}` };
        let chain: ChainPath | undefined;
        // The engine's chain where it finds more than the role (a machine holds the role, not the group).
        if (found !== undefined && compareAccessLevel(found.level, best.level) > 0) {
          chain = chainPath(found);
          best = { level: chain.level, action: chain.action, path: pathLabel(chain) };
        }
        if (own === undefined && chain === undefined) continue;
        principals.push({
          kind: 'principal',
          principal,
          function: fn,
          account,
          role: own?.role ?? '',
          ...(own?.roleArn ? { roleArn: own.roleArn } : {}),
          permissionSets: own?.permissionSets ?? [],
          level: best.level,
          ...(best.action !== undefined ? { action: best.action } : {}),
          path: best.path,
          ...(chain ? { chain } : {}),
        });
      }
    }
  }
  principals.sort((a, b) =>
    a.principal < b.principal
      ? -1
      : a.principal > b.principal
        ? 1
        : a.function < b.function
          ? -1
          : a.function > b.function
            ? 1
            : a.account < b.account
              ? -1
              : a.account > b.account
                ? 1
                : 0,
  );

  function cell(person: string, account: string): AccessCell {
    const who = personByName.get(person);
    if (who === undefined) throw new Error(`unknown person ${person}`);
    if (!(account in org.accounts)) throw new Error(`unknown account ${account}`);
    return { person, account, ...(sharedAt(closureOf(who), account) ?? EMPTY) };
  }

  function functionCell(fn: string, account: string): FunctionCell {
    if (!(fn in org.functions)) throw new Error(`unknown function ${fn}`);
    if (!(account in org.accounts)) throw new Error(`unknown account ${account}`);
    return { function: fn, account, ...(sharedAt(closureOf({ functions: [fn], pipelines: changerPipelines([fn]) }), account) ?? EMPTY) };
  }

  return {
    organization: org.organization.name,
    accounts,
    people,
    functions,
    pipelines: pipelineNames,
    principals,
    cell,
    functionCell,
    transitive: (person) => {
      const who = personByName.get(person);
      if (who === undefined) throw new Error(`unknown person ${person}`);
      return [...groupsOf(transitiveClosureOf(who)), ...chainGroups(who)];
    },
    functionTransitive: (fn) => {
      if (!(fn in org.functions)) throw new Error(`unknown function ${fn}`);
      const sig = { functions: [fn], pipelines: changerPipelines([fn]) };
      return [...groupsOf(transitiveClosureOf(sig)), ...chainGroups(sig)];
    },
    role: (fn, account) => functionRole(fn, account) ?? undefined,
    roles: (fn, account) => functionRoles(fn, account),
    groupPolicy: (fn) => groupPolicies(fn) ?? undefined,
    pipelineCredentials: (pipeline) =>
      [...(credentials.get(pipeline) ?? [])].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0)),
    permissionSetLevel: (set, account) => permissionSetLevel(model, set, account),
    pipelineAccounts: (pipeline) => (credentials.get(pipeline) ?? []).map((c) => c.account),
  };
}

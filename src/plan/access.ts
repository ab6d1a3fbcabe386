/**
 * Who can do how much where: access levels of permission sets, and the
 * person x account access matrix (SPEC sections 1 and 5).
 *
 * A permission set's level is the highest IAM access level of any action it
 * allows, read from the action catalog (wildcards expanded, AWS managed
 * policies read from their real documents). The level only ever errs high:
 * Allow conditions and resource restrictions are ignored (the action is
 * allowed somewhere), and a Deny only removes actions when it is
 * unconditional and on every resource. Guardrails rely on that.
 *
 * Pure and cached: a set's level is computed once per model (and per
 * service restriction), a function's role once per account, a cell once per
 * distinct (functions, pipelines) combination and account, so a matrix of
 * thousands of people costs little more than one of a handful.
 */
import type { Model } from '../model/model';
import type { AccessLevel, Selector, Statement } from '../model/schema';
import { accessLevelOf, compareAccessLevel, expandActionPattern } from '../iam/actions';
import { managedPolicyDocument, type PolicyStatement } from '../iam/managed-policies';
import { selectAccounts as selectModelAccounts } from '../model/references';
import { identityAccount, masterAccount, roleArn } from './names';
import { ALWAYS_ALLOWED_ACTIONS } from './organization';

/**
 * What a pipeline's apply role does that makes its changers `permissions`
 * holders: rolecall's own stacks write role policies (aws_iam_role_policy).
 */
export const PIPELINE_EVIDENCE_ACTION = 'iam:PutRolePolicy';

/** A level and the action that sets it: the alphabetically first allowed action at that level. */
export interface LevelEvidence {
  level: AccessLevel;
  /** Absent only when the level is `none`. */
  action?: string;
}

export interface PermissionSetAccess extends LevelEvidence {
  name: string;
}

/** A person reaches an account through a function: its group in the identity account, its role there. */
export interface FunctionPath extends LevelEvidence {
  kind: 'function';
  function: string;
  /** The group in the identity account (same name as the function). */
  group: string;
  /** The role's name: the function's, or a shared role an access entry names (`role:`). */
  role: string;
  /** Every function whose group may assume the role here, sorted (more than one for a shared role). */
  roleFunctions?: string[];
  /**
   * True for the group's own policies in the identity account
   * (functions.<fn>.identityPermissions): no role, `role` and `roleArn` are
   * absent in meaning (role is empty).
   */
  groupPolicy?: boolean;
  /** Absent while the account has no id (no stack yet). */
  roleArn?: string;
  /** Every permission set the role holds there, sorted by name. */
  permissionSets: PermissionSetAccess[];
}

/** A person reaches an account through a pipeline they can change (SPEC section 5). */
export interface PipelinePath extends LevelEvidence {
  kind: 'pipeline';
  pipeline: string;
  /** How the person is a changer: through membership of a changer function (the only kind today). */
  changer: { kind: 'function'; name: string };
}

export type AccessPath = FunctionPath | PipelinePath;

/**
 * A machine principal (functions.<fn>.principals) reaches an account: it
 * may assume the function's role there without MFA. Not a person, so not a
 * matrix row; the matrix lists these beside the people.
 */
export interface PrincipalPath extends LevelEvidence {
  kind: 'principal';
  principal: string;
  function: string;
  account: string;
  role: string;
  roleArn?: string;
  permissionSets: PermissionSetAccess[];
}

export interface AccessCell {
  person: string;
  account: string;
  level: AccessLevel;
  /** The action and path that set the cell's level; absent when the level is `none`. */
  evidence?: { action: string; level: AccessLevel; path: string };
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  /** Functions first (by name), then pipelines (by name). */
  paths: AccessPath[];
}

export interface MatrixAccount {
  name: string;
  id?: string;
  data: string;
  environment: string;
  /** The management account. */
  master: boolean;
  /** The identity account: people and their groups live here (the master unless organization.identity says otherwise). */
  identity: boolean;
}

export interface MatrixPerson {
  name: string;
  displayName: string;
  functions: string[];
  /** Pipelines the person can change, and how. */
  pipelines: Array<{ pipeline: string; changer: PipelinePath['changer'] }>;
}

export interface AccessMatrix {
  organization: string;
  /** Every account of the file, sorted by name (the master included). */
  accounts: MatrixAccount[];
  /** Every person, sorted by user name. */
  people: MatrixPerson[];
  /** Every pipeline name, sorted. */
  pipelines: string[];
  /** Every machine principal's access, by principal, function, then account. */
  principals: PrincipalPath[];
  /** The cell of one person on one account (cached; cheap to call for every pair). */
  cell(person: string, account: string): AccessCell;
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

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// ---------------------------------------------------------------------------
// Permission set levels

/** The statements of the file, in the managed documents' shape. */
function fileStatement(s: Statement): PolicyStatement {
  const out: PolicyStatement = { Effect: s.effect, Action: s.actions, Resource: s.resources };
  if (s.conditions && Object.keys(s.conditions).length > 0) out.Condition = s.conditions;
  return out;
}

const expansionCache = new Map<string, string[]>();
function expand(pattern: string): string[] {
  let found = expansionCache.get(pattern);
  if (found === undefined) {
    found = expandActionPattern(pattern);
    expansionCache.set(pattern, found);
  }
  return found;
}

function matching(patterns: string[]): Set<string> {
  const out = new Set<string>();
  for (const pattern of patterns) for (const action of expand(pattern)) out.add(action);
  return out;
}

/** A Deny we may subtract: no condition, and on every resource. Anything narrower might not apply. */
function isUnconditionalDeny(s: PolicyStatement): boolean {
  return s.Effect === 'Deny' && s.Condition === undefined && s.NotResource === undefined && list(s.Resource).includes('*');
}

/**
 * The actions a set of statements allows, as canonical names. Over-approximates:
 * see the file comment.
 */
export function allowedActions(statements: PolicyStatement[]): Set<string> {
  const allowed = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    if (s.NotAction !== undefined) {
      const excluded = matching(list(s.NotAction));
      for (const action of expand('*')) if (!excluded.has(action)) allowed.add(action);
    }
    for (const action of matching(list(s.Action))) allowed.add(action);
  }
  for (const s of statements) {
    if (!isUnconditionalDeny(s)) continue;
    if (s.NotAction !== undefined) {
      const kept = matching(list(s.NotAction));
      for (const action of [...allowed]) if (!kept.has(action)) allowed.delete(action);
    }
    for (const action of matching(list(s.Action))) allowed.delete(action);
  }
  return allowed;
}

/** The highest level among actions, with the alphabetically first action at that level. */
export function levelOfActions(actions: Iterable<string>): LevelEvidence {
  let best: LevelEvidence = { level: 'none' };
  for (const action of actions) {
    // Unknown actions cannot appear (expansion only yields catalog names); count them high anyway.
    const level = accessLevelOf(action) ?? 'permissions';
    best = higher({ level, action }, best);
  }
  return best;
}

/** Levels are kept per model: the same set name means different things in different files. */
const setLevelCache = new WeakMap<Model, Map<string, LevelEvidence>>();

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
 * Cached per (model, set, enforced services).
 */
export function permissionSetLevel(model: Model, set: string, account: string): LevelEvidence {
  let cache = setLevelCache.get(model);
  if (cache === undefined) {
    cache = new Map();
    setLevelCache.set(model, cache);
  }
  const services = enforcedServices(model, account);
  const key = `${set}|${services?.join(',') ?? '*'}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;

  const def = model.org.permissions[set];
  const statements: PolicyStatement[] = [
    ...(model.managedPolicyArns[set] ?? []).flatMap((arn) => managedPolicyDocument(arn).Statement),
    ...(def?.statements ?? []).map(fileStatement),
  ];
  let actions: Iterable<string> = allowedActions(statements);
  if (services !== undefined) {
    // The SCP denies every other service, except what it never denies (sts:GetCallerIdentity).
    const allowedServices = new Set(services);
    const exempt = new Set(ALWAYS_ALLOWED_ACTIONS);
    actions = [...actions].filter((a) => allowedServices.has(a.slice(0, a.indexOf(':'))) || exempt.has(a));
  }
  const result = levelOfActions(actions);
  cache.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------
// The matrix

/** `function developers` / `pipeline terraform-cloud`: how a path is named in evidence. */
function pathLabel(path: AccessPath): string {
  return path.kind === 'function' ? `function ${path.function}` : `pipeline ${path.pipeline}`;
}

/** The accounts a selector picks, sorted, as the model resolves them (`"*"` leaves out the master). */
export function selectAccounts(org: Model['org'], selector: Selector): string[] {
  return selectModelAccounts(selector, org.accounts, org.organization.master, org.organization.identity);
}

export function buildAccessMatrix(model: Model): AccessMatrix {
  const { org } = model;
  const master = masterAccount(org).name;
  const accountNames = Object.keys(org.accounts).sort();
  const accounts: MatrixAccount[] = accountNames.map((name) => ({
    name,
    id: org.accounts[name].id,
    data: org.accounts[name].data,
    environment: org.accounts[name].environment,
    master: name === master,
    identity: name === identityAccount(org).name,
  }));

  const pipelineNames = Object.keys(org.pipelines).sort();
  const pipelineAccountSets = new Map<string, Set<string>>();
  for (const name of pipelineNames) {
    const selector = org.pipelines[name].accounts;
    // No selector: the pipeline applies every stack, the master's included.
    pipelineAccountSets.set(name, new Set(selector === undefined ? accountNames : selectAccounts(org, selector)));
  }

  const people: MatrixPerson[] = Object.keys(org.people)
    .sort()
    .map((name) => {
      const functions = [...new Set(org.people[name].functions)].sort();
      const pipelines: MatrixPerson['pipelines'] = [];
      for (const pipeline of pipelineNames) {
        // Changers are functions: their members can merge to what the pipeline applies.
        const via = [...org.pipelines[pipeline].changers].sort().find((c) => functions.includes(c));
        if (via !== undefined) pipelines.push({ pipeline, changer: { kind: 'function', name: via } });
      }
      return { name, displayName: org.people[name].name, functions, pipelines };
    });
  const personByName = new Map(people.map((p) => [p.name, p]));

  const roleCache = new Map<string, FunctionPath | null>();
  /** The function's role on the account, or null where the function is not granted. */
  function functionPath(fn: string, account: string): FunctionPath | null {
    const key = `${fn}|${account}`;
    const cached = roleCache.get(key);
    if (cached !== undefined) return cached;
    const grant = model.grants[fn]?.[account];
    const sets = [...new Set(grant?.permissionSets ?? [])].sort();
    let result: FunctionPath | null = null;
    if (grant && sets.length > 0) {
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, account) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      const id = org.accounts[account]?.id;
      result = {
        kind: 'function',
        function: fn,
        group: fn,
        role: grant.role,
        roleArn: id ? roleArn(id, org.organization.rolePath, grant.role) : undefined,
        permissionSets,
        level: best.level,
        action: best.action,
      };
    }
    if (result && grant && grant.role !== fn) {
      result.roleFunctions = Object.keys(model.grants).filter((f) => model.grants[f][account]?.role === grant.role).sort();
    }
    roleCache.set(key, result);
    return result;
  }

  /** The function's group policies in the identity account (identityPermissions), or null. */
  const identity = identityAccount(org).name;
  const groupPathCache = new Map<string, FunctionPath | null>();
  function groupPath(fn: string): FunctionPath | null {
    let found = groupPathCache.get(fn);
    if (found !== undefined) return found;
    const value = org.functions[fn]?.identityPermissions;
    const sets = value === undefined ? [] : [...new Set(typeof value === 'string' ? [value] : value)].sort();
    found = null;
    if (sets.length > 0) {
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, identity) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      found = { kind: 'function', function: fn, group: fn, role: '', groupPolicy: true, permissionSets, level: best.level, action: best.action };
    }
    groupPathCache.set(fn, found);
    return found;
  }

  const principals: PrincipalPath[] = [];
  for (const fn of Object.keys(org.functions).sort()) {
    for (const principal of [...new Set(org.functions[fn].principals ?? [])].sort()) {
      for (const account of Object.keys(model.grants[fn] ?? {}).sort()) {
        const path = functionPath(fn, account);
        if (!path) continue;
        principals.push({
          kind: 'principal',
          principal,
          function: fn,
          account,
          role: path.role,
          roleArn: path.roleArn,
          permissionSets: path.permissionSets,
          level: path.level,
          action: path.action,
        });
      }
    }
  }

  const pipelinePaths = new Map<string, PipelinePath>();
  function pipelinePath(pipeline: string, changer: PipelinePath['changer']): PipelinePath {
    const key = `${pipeline}|${changer.kind}|${changer.name}`;
    let found = pipelinePaths.get(key);
    if (found === undefined) {
      found = { kind: 'pipeline', pipeline, changer, level: 'permissions', action: PIPELINE_EVIDENCE_ACTION };
      pipelinePaths.set(key, found);
    }
    return found;
  }

  type Shared = Omit<AccessCell, 'person' | 'account'>;
  // People with the same functions and pipelines have the same cells: one signature each, cells cached per signature.
  const signatureOf = new Map<string, string>();
  for (const p of people) {
    signatureOf.set(p.name, `${p.functions.join(',')}#${p.pipelines.map((x) => `${x.pipeline}:${x.changer.name}`).join(',')}`);
  }
  const cellCache = new Map<string, Map<string, Shared>>();
  function cell(person: string, account: string): AccessCell {
    const who = personByName.get(person);
    if (who === undefined) throw new Error(`unknown person ${person}`);
    if (!(account in org.accounts)) throw new Error(`unknown account ${account}`);
    const signature = signatureOf.get(person)!;
    let row = cellCache.get(signature);
    if (row === undefined) {
      row = new Map();
      cellCache.set(signature, row);
    }
    let shared = row.get(account);
    if (shared === undefined) {
      const paths: AccessPath[] = [];
      for (const fn of who.functions) {
        const path = functionPath(fn, account);
        if (path) paths.push(path);
        if (account === identity) {
          const viaGroup = groupPath(fn);
          if (viaGroup) paths.push(viaGroup);
        }
      }
      for (const p of who.pipelines) {
        if (pipelineAccountSets.get(p.pipeline)?.has(account)) paths.push(pipelinePath(p.pipeline, p.changer));
      }
      let best: LevelEvidence & { path?: string } = { level: 'none' };
      for (const path of paths) {
        // Strictly higher, or the same level with an earlier action: ties keep the first path (functions by name).
        const byLevel = compareAccessLevel(path.level, best.level);
        if (byLevel > 0 || (byLevel === 0 && (path.action ?? '') < (best.action ?? ''))) {
          best = { level: path.level, action: path.action, path: pathLabel(path) };
        }
      }
      const functionPaths = paths.filter((p): p is FunctionPath => p.kind === 'function');
      shared = {
        level: best.level,
        evidence: best.action !== undefined && best.path !== undefined ? { action: best.action, level: best.level, path: best.path } : undefined,
        functions: [...new Set(functionPaths.map((p) => p.function))],
        roles: [...new Set(functionPaths.filter((p) => !p.groupPolicy).map((p) => p.role))],
        permissionSets: [...new Set(functionPaths.flatMap((p) => p.permissionSets.map((s) => s.name)))].sort(),
        pipelines: paths.filter((p): p is PipelinePath => p.kind === 'pipeline').map((p) => p.pipeline),
        paths,
      };
      row.set(account, shared);
    }
    return { person, account, ...shared };
  }

  return {
    organization: org.organization.name,
    accounts,
    people,
    pipelines: pipelineNames,
    principals,
    cell,
    permissionSetLevel: (set, account) => permissionSetLevel(model, set, account),
    pipelineAccounts: (pipeline) => [...(pipelineAccountSets.get(pipeline) ?? [])].sort(),
  };
}

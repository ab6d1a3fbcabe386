/**
 * Permission set levels (SPEC section 1): a set's level is the highest IAM
 * access level of any action it allows, read from the action catalog
 * (wildcards expanded, AWS managed policies read from their real
 * documents). The level only ever errs high: Allow conditions and resource
 * restrictions are ignored (the action is allowed somewhere), and a Deny
 * only removes actions when it is unconditional and on every resource. The
 * one resource rolecall reads is the caller's own user
 * (`user/${aws:username}`): an `admin` action granted only there cannot
 * reach another principal and counts at its catalog level. Guardrails rely
 * on all that.
 *
 * Pure and cached: a set's level is computed once per model (and per
 * service restriction), and kept across runs (./analysis-store.ts).
 */
import type { Model } from '../model/model';
import { ACCESS_LEVELS, type AccessLevel, type Statement } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import { managedPolicyDocument, type PolicyStatement } from '../iam/managed-policies';
import { analysisStore } from './analysis-store';
import { alwaysAllowed } from './organization';
import { analyseActions, levelOfActions, list, matching, type LevelEvidence } from '../access/levels';

export { allowedActions, analyseActions, levelOfActions, resourceMatches, type AllowedActions, type LevelEvidence } from '../access/levels';

/** Actions that change who is in a group or what a group may do: the evidence a join path names first. */
export const GROUP_WRITE_ACTIONS = ['iam:AddUserToGroup', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy'];

/** `a` when it is at least `b`'s level (ties: the alphabetically first action). */
export function higher(a: LevelEvidence, b: LevelEvidence): LevelEvidence {
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel !== 0) return byLevel > 0 ? a : b;
  return (a.action ?? '') <= (b.action ?? '') ? a : b;
}

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

export interface SetAnalysis {
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

export function analyseSet(model: Model, set: string, account: string): SetAnalysis {
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

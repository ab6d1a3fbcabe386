/**
 * Levels of policy documents: what a set of statements allows (wildcards
 * and NotAction expanded against the action catalog, unconditional Denies
 * subtracted), and the highest catalog level among it. Resource-blind on
 * purpose (errs high); the one resource read is the caller's own user
 * (`user/${aws:username}`), where an `admin` action counts at its catalog
 * level: the self-escalation edge (src/access/edges/) says what it is worth.
 */
import { ACCESS_LEVELS, type AccessLevel } from '../model/schema';
import { accessLevelOf, expandActionPattern, hasWildcard, selfScopedLevelOf } from '../iam/actions';
import type { PolicyStatement } from '../iam/managed-policies';

/** A level and the action that sets it: the alphabetically first allowed action at that level. */
export interface LevelEvidence {
  level: AccessLevel;
  /** Absent only when the level is `none`. */
  action?: string;
}

export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const expansionCache = new Map<string, string[]>();
export function expand(pattern: string): string[] {
  let found = expansionCache.get(pattern);
  if (found === undefined) {
    found = expandActionPattern(pattern);
    expansionCache.set(pattern, found);
  }
  return found;
}

export function matching(patterns: string[]): Set<string> {
  const out = new Set<string>();
  for (const pattern of patterns) for (const action of expand(pattern)) out.add(action);
  return out;
}

/** A Deny we may subtract: no condition, and on every resource. Anything narrower might not apply. */
function isUnconditionalDeny(s: PolicyStatement): boolean {
  return s.Effect === 'Deny' && s.Condition === undefined && s.NotResource === undefined && list(s.Resource).includes('*');
}

/** `arn:aws:iam::123456789012:user/${aws:username}` (any account, any literal path): the caller's own user. */
const SELF_USER = /^arn:aws:iam::(\d{12}|\*)?:user\/([\w+=,.@-]+\/)*\$\{aws:username\}$/;

/** True when every resource of the statement is the caller's own user. */
function selfScoped(s: PolicyStatement): boolean {
  if (s.NotResource !== undefined || s.Resource === undefined) return false;
  const resources = list(s.Resource);
  return resources.length > 0 && resources.every((r) => SELF_USER.test(r));
}

export interface AllowedActions {
  /** Every action allowed somewhere. */
  allowed: Set<string>;
  /** The subset allowed only on the caller's own user. */
  selfOnly: Set<string>;
}

/** What a set of statements allows, and which of it only on the caller's own user. Over-approximates: see the file comment. */
export function analyseActions(statements: PolicyStatement[]): AllowedActions {
  const allowed = new Set<string>();
  // Tracked only when some statement is self-scoped: otherwise nothing is self-only (whole managed policies).
  const elsewhere = statements.some((s) => s.Effect === 'Allow' && selfScoped(s)) ? new Set<string>() : undefined;
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    const self = elsewhere !== undefined && selfScoped(s);
    const add = (action: string) => {
      allowed.add(action);
      if (elsewhere !== undefined && !self) elsewhere.add(action);
    };
    if (s.NotAction !== undefined) {
      const excluded = matching(list(s.NotAction));
      for (const action of expand('*')) if (!excluded.has(action)) add(action);
    }
    // Straight from each pattern's (cached) expansion: `allowed` is a set already.
    for (const pattern of list(s.Action)) for (const action of expand(pattern)) add(action);
  }
  for (const s of statements) {
    if (!isUnconditionalDeny(s)) continue;
    if (s.NotAction !== undefined) {
      const kept = matching(list(s.NotAction));
      for (const action of [...allowed]) if (!kept.has(action)) allowed.delete(action);
    }
    for (const action of matching(list(s.Action))) allowed.delete(action);
  }
  const selfOnly = elsewhere === undefined ? new Set<string>() : new Set([...allowed].filter((a) => !elsewhere.has(a)));
  return { allowed, selfOnly };
}

/**
 * True when the statements hold no Deny and no Allow on the caller's own
 * user alone: then what several documents allow together is what each
 * allows, put together (nothing subtracts, nothing is self-only), and their
 * level is the highest of their levels.
 */
export function isPlain(statements: PolicyStatement[]): boolean {
  return statements.every((s) => s.Effect === 'Allow' && !selfScoped(s));
}

/** The actions a set of statements allows, as canonical names. Over-approximates: see the file comment. */
export function allowedActions(statements: PolicyStatement[]): Set<string> {
  return analyseActions(statements).allowed;
}

/**
 * The highest level among actions, with the alphabetically first action at
 * that level. Actions in `selfOnly` count at their catalog level (an `admin`
 * action on one's own user is not administration).
 */
export function levelOfActions(actions: Iterable<string>, selfOnly?: ReadonlySet<string>): LevelEvidence {
  // As `higher` over every action, without an object per action (whole managed policies are thousands).
  let bestRank = 0;
  let bestAction: string | undefined;
  for (const action of actions) {
    // Unknown actions cannot appear (expansion only yields catalog names); count them high anyway.
    const level =
      (selfOnly !== undefined && selfOnly.size > 0 && selfOnly.has(action) ? selfScopedLevelOf(action) : accessLevelOf(action)) ?? 'admin';
    const rank = ACCESS_LEVELS.indexOf(level);
    if (rank > bestRank || (rank === bestRank && bestAction !== undefined && action <= bestAction)) {
      bestRank = rank;
      bestAction = action;
    }
  }
  return bestAction === undefined ? { level: 'none' } : { level: ACCESS_LEVELS[bestRank], action: bestAction };
}

/** True when an IAM resource pattern (wildcards `*`, `?`) matches the ARN. */
export function resourceMatches(pattern: string, arn: string): boolean {
  if (!hasWildcard(pattern)) return pattern === arn;
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`).test(arn);
}

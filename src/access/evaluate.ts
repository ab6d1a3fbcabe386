/**
 * rolecall's own IAM policy evaluator: may this caller do this action on
 * this resource, under these documents? Action/NotAction and
 * Resource/NotResource with IAM wildcards (`*`, `?`), policy variables,
 * Principal/NotPrincipal in trust policies, explicit Deny over Allow, and
 * SCP/RCP layers as boundaries.
 *
 * It errs high, never low. A condition it cannot decide counts as met in
 * an Allow and as not met in a Deny, and the answer says so (`undecided`),
 * so a test can tell an exact answer from a high one. It decides:
 * - aws:MultiFactorAuthPresent / MultiFactorAuthAge: people can enrol MFA,
 *   so their requests (and sessions they start) carry MFA, age 0; machine
 *   principals carry none;
 * - aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID,
 *   aws:PrincipalTag/*, aws:username where the caller is known;
 * - sts:RoleSessionName: the caller picks it, so any condition on it is met;
 * - aws:CurrentTime with DateLessThan(Equals): met, and the answer carries
 *   the date (`until`): an expiring grant is held until then, never dropped.
 */
import type { PolicyDocument, PolicyStatement } from './estate';

/** Who asks. Unknown parts are left out; conditions reading them are undecided. */
export interface Caller {
  /** The principal's ARN (a user, or a role for its sessions); absent for "some principal of `account`". */
  arn?: string;
  /** 12-digit account id. */
  account?: string;
  /** IAM user name (aws:username); only users have one. */
  username?: string;
  /** true: the request carries MFA (age 0); false: no MFA key at all. */
  mfa: boolean;
  tags?: Record<string, string>;
  /** The caller's organization id, when known. */
  orgId?: string;
  /** True for "any principal of the account" (admin of it can make one): PrincipalArn is undecided. */
  generic?: boolean;
}

export interface Request {
  caller: Caller;
  action: string;
  resource: string;
}

export interface Decision {
  allowed: boolean;
  /** The answer leans on a condition (or variable) the evaluator could not decide: it may be high. */
  undecided: boolean;
  /** The allow holds only until this time (DateLessThan aws:CurrentTime). */
  until?: string;
}

const DENIED: Decision = { allowed: false, undecided: false };

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const regexCache = new Map<string, RegExp>();
/** An IAM wildcard pattern as a whole-string regular expression. */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (regexCache.size > 50_000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** True when an IAM pattern (`*`, `?`) matches the value. */
export function patternMatches(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?'))
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  return wildcard(pattern, ignoreCase).test(value);
}

/** The value of a policy variable or condition key for a caller, or undefined when unknown / absent. */
function keyValue(key: string, caller: Caller): { known: boolean; values: string[] } {
  const k = key.toLowerCase();
  switch (k) {
    case 'aws:username':
      return caller.username !== undefined ? { known: true, values: [caller.username] } : { known: false, values: [] };
    case 'aws:principalarn':
      return caller.arn !== undefined && !caller.generic ? { known: true, values: [caller.arn] } : { known: false, values: [] };
    case 'aws:principalaccount':
      return caller.account !== undefined ? { known: true, values: [caller.account] } : { known: false, values: [] };
    case 'aws:principalorgid':
      return caller.orgId !== undefined ? { known: true, values: [caller.orgId] } : { known: false, values: [] };
    case 'aws:multifactorauthpresent':
      return { known: true, values: caller.mfa ? ['true'] : [] };
    case 'aws:multifactorauthage':
      return { known: true, values: caller.mfa ? ['0'] : [] };
    case 'aws:principaltype':
      if (caller.generic) return { known: false, values: [] };
      if (caller.arn?.includes(':user/')) return { known: true, values: ['User'] };
      if (caller.arn?.includes(':role/')) return { known: true, values: ['AssumedRole'] };
      return { known: false, values: [] };
  }
  if (k.startsWith('aws:principaltag/') && caller.tags !== undefined && !caller.generic) {
    const tag = key.slice('aws:PrincipalTag/'.length);
    const found = Object.entries(caller.tags).find(([name]) => name.toLowerCase() === tag.toLowerCase());
    return { known: true, values: found ? [found[1]] : [] };
  }
  return { known: false, values: [] };
}

/**
 * A pattern with its policy variables replaced. An unknown variable becomes
 * `*` (matches anything) and marks the result undecided.
 */
export function substitute(pattern: string, caller: Caller): { pattern: string; undecided: boolean } {
  if (!pattern.includes('${')) return { pattern, undecided: false };
  let undecided = false;
  const out = pattern.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    // Literal `*` and `?`: IAM patterns have no escape, so they stay wildcards here (errs high).
    if (name === '*' || name === '?') return name;
    if (name === '$') return '$';
    const [key, fallback] = name.split(/,\s*/);
    const found = keyValue(key.trim(), caller);
    if (found.known && found.values.length === 1) return escapeWildcards(found.values[0]);
    if (fallback !== undefined && found.known && found.values.length === 0) return escapeWildcards(fallback.replace(/^'|'$/g, ''));
    undecided = true;
    return '*';
  });
  return { pattern: out, undecided };
}

/** A substituted value is literal text: its own `*` and `?` must not act as wildcards (approximated by `?`, errs high). */
function escapeWildcards(value: string): string {
  return value.replace(/[*?]/g, '?');
}

type Tri = 'true' | 'false' | 'undecided';

interface ConditionOutcome {
  result: Tri;
  until?: string;
}

/** Keys the caller sets freely in its own request: any condition on them alone can be met (or avoided). */
const FREE_KEYS = new Set(['sts:rolesessionname', 'sts:sourceidentity', 'aws:requestedregion']);

function compare(op: string, have: string, want: string): boolean {
  switch (op) {
    case 'stringequals':
      return have === want;
    case 'arnequals':
    case 'arnlike':
      return patternMatches(want, have);
    case 'stringequalsignorecase':
      return have.toLowerCase() === want.toLowerCase();
    case 'stringlike':
      return patternMatches(want, have);
    case 'bool':
      return have.toLowerCase() === want.toLowerCase();
    case 'numericequals':
      return Number(have) === Number(want);
    case 'numericlessthan':
      return Number(have) < Number(want);
    case 'numericlessthanequals':
      return Number(have) <= Number(want);
    case 'numericgreaterthan':
      return Number(have) > Number(want);
    case 'numericgreaterthanequals':
      return Number(have) >= Number(want);
  }
  return false;
}

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotequals: 'arnequals',
  arnnotlike: 'arnlike',
  numericnotequals: 'numericequals',
};

/** One operator x key test. */
function conditionTest(rawOp: string, key: string, rawValues: unknown, caller: Caller, effect: 'Allow' | 'Deny'): ConditionOutcome {
  let op = rawOp.toLowerCase();
  let qualifier: 'any' | 'all' | undefined;
  if (op.startsWith('foranyvalue:')) {
    qualifier = 'any';
    op = op.slice('foranyvalue:'.length);
  } else if (op.startsWith('forallvalues:')) {
    qualifier = 'all';
    op = op.slice('forallvalues:'.length);
  }
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  const lowerKey = key.toLowerCase();
  const wanted = list(rawValues as string | string[]).map(String);

  // The caller meets an Allow's test of these, and avoids a Deny's.
  if (FREE_KEYS.has(lowerKey)) return { result: effect === 'Allow' ? 'true' : 'false' };
  if (lowerKey === 'aws:currenttime' || lowerKey === 'aws:epochtime') {
    // An expiring grant: held, with its date. Any other test of the clock: undecided.
    if ((op === 'datelessthan' || op === 'datelessthanequals') && wanted.length > 0) {
      return { result: 'true', until: [...wanted].sort().pop() };
    }
    return { result: 'undecided' };
  }
  const found = keyValue(key, caller);
  if (!found.known) return { result: 'undecided' };
  const have = found.values;
  if (op === 'null') {
    const wantsAbsent = wanted.some((w) => w.toLowerCase() === 'true');
    return { result: (have.length === 0) === wantsAbsent ? 'true' : 'false' };
  }
  if (have.length === 0) {
    // Absent key: IfExists and ForAllValues are met, everything else fails (negated operators included, as IAM does).
    if (ifExists || qualifier === 'all') return { result: 'true' };
    return { result: 'false' };
  }
  const negated = NEGATED[op];
  const base = negated ?? op;
  if (
    !['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'bool'].includes(base) &&
    !base.startsWith('numeric')
  ) {
    return { result: 'undecided' };
  }
  const substituted = wanted.map((w) => substitute(w, caller));
  if (substituted.some((s) => s.undecided)) return { result: 'undecided' };
  const matchOne = (h: string) => substituted.some((s) => compare(base, h, s.pattern));
  let positive: boolean;
  if (negated !== undefined) positive = qualifier === 'any' ? have.some((h) => !matchOne(h)) : !have.some(matchOne);
  else positive = qualifier === 'all' ? have.every(matchOne) : have.some(matchOne);
  return { result: positive ? 'true' : 'false' };
}

/** A statement's whole Condition block: every operator, every key must hold. */
export function conditionsHold(
  condition: PolicyStatement['Condition'],
  caller: Caller,
  effect: 'Allow' | 'Deny' = 'Allow',
): ConditionOutcome {
  if (condition === undefined) return { result: 'true' };
  let result: Tri = 'true';
  let until: string | undefined;
  for (const [op, keys] of Object.entries(condition)) {
    for (const [key, values] of Object.entries(keys ?? {})) {
      const one = conditionTest(op, key, values, caller, effect);
      if (one.result === 'false') return { result: 'false' };
      if (one.result === 'undecided') result = 'undecided';
      if (one.until !== undefined && (until === undefined || one.until < until)) until = one.until;
    }
  }
  return until === undefined ? { result } : { result, until };
}

interface ActionIndex {
  negate: boolean;
  all: boolean;
  literals: Set<string>;
  patterns: string[];
}
const actionIndexes = new WeakMap<PolicyStatement, ActionIndex>();
/** A statement's actions, lower-cased once: most statements of a document are ruled out by one set lookup. */
function actionIndex(s: PolicyStatement): ActionIndex {
  let found = actionIndexes.get(s);
  if (found === undefined) {
    const negate = s.NotAction !== undefined;
    found = { negate, all: false, literals: new Set(), patterns: [] };
    for (const p of list(negate ? s.NotAction : s.Action)) {
      if (p === '*') found.all = true;
      else if (p.includes('*') || p.includes('?')) found.patterns.push(p);
      else found.literals.add(p.toLowerCase());
    }
    actionIndexes.set(s, found);
  }
  return found;
}

function actionMatches(s: PolicyStatement, action: string): boolean {
  const index = actionIndex(s);
  const named = index.all || index.literals.has(action.toLowerCase()) || index.patterns.some((p) => patternMatches(p, action, true));
  return index.negate ? !named : named;
}

interface ResourceIndex {
  /** Patterns without wildcards or variables. */
  literals: Set<string>;
  /** The others, matched one by one. */
  rest: string[];
}
const resourceIndexes = new WeakMap<PolicyStatement, ResourceIndex>();
/** A statement's resources split once: a policy naming hundreds of role ARNs is one set lookup per request. */
function resourceIndex(s: PolicyStatement): ResourceIndex {
  let found = resourceIndexes.get(s);
  if (found === undefined) {
    found = { literals: new Set(), rest: [] };
    for (const p of list(s.NotResource !== undefined ? s.NotResource : s.Resource)) {
      if (p.includes('*') || p.includes('?') || p.includes('${')) found.rest.push(p);
      else found.literals.add(p);
    }
    resourceIndexes.set(s, found);
  }
  return found;
}

/** Resource match: `undecided` when only a pattern with an unknown variable matched. */
function resourceMatch(s: PolicyStatement, resource: string, caller: Caller): Tri {
  const negate = s.NotResource !== undefined;
  // Trust policies (and RCPs written without one) carry no Resource: the document's own resource.
  if (!negate && s.Resource === undefined) return 'true';
  const index = resourceIndex(s);
  let exact = index.literals.has(resource);
  let loose = false;
  for (const p of exact ? [] : index.rest) {
    const sub = substitute(p, caller);
    if (patternMatches(sub.pattern, resource)) {
      if (sub.undecided) loose = true;
      else exact = true;
    }
  }
  if (negate) return exact ? 'false' : loose ? 'undecided' : 'true';
  return exact ? 'true' : loose ? 'undecided' : 'false';
}

/** Principal match of a resource-based statement (trust policy, RCP). */
function principalMatch(s: PolicyStatement, caller: Caller): Tri {
  const p = s.Principal;
  if (p === undefined) return 'true'; // identity policies, SCPs
  if (p === '*') return 'true';
  const aws = list(p.AWS);
  if (aws.includes('*')) return 'true';
  let out: Tri = 'false';
  for (const arn of aws) {
    const rootOf = /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn)?.[1] ?? (/^\d{12}$/.test(arn) ? arn : undefined);
    if (rootOf !== undefined) {
      if (caller.account === rootOf) return 'true';
      continue;
    }
    if (caller.generic) {
      if (caller.account !== undefined && arn.split(':')[4] === caller.account) out = 'undecided';
      continue;
    }
    if (caller.arn !== undefined && arn === caller.arn) return 'true';
  }
  return out;
}

/** One statement applied to a request: does it match, and how surely. */
function statementApplies(s: PolicyStatement, req: Request): ConditionOutcome {
  if (!actionMatches(s, req.action)) return { result: 'false' };
  const resource = resourceMatch(s, req.resource, req.caller);
  if (resource === 'false') return { result: 'false' };
  const principal = principalMatch(s, req.caller);
  if (principal === 'false') return { result: 'false' };
  const condition = conditionsHold(s.Condition, req.caller, s.Effect);
  if (condition.result === 'false') return condition;
  const undecided = resource === 'undecided' || principal === 'undecided' || condition.result === 'undecided';
  return { result: undecided ? 'undecided' : 'true', ...(condition.until ? { until: condition.until } : {}) };
}

/** One document's part of a verdict (see evaluate): the documents' verdict is these, combined. */
interface DocumentPart {
  /** An explicit Deny surely applies (without an end date). */
  deny: boolean;
  /** A Deny that may apply was not counted (errs high). */
  skippedDeny: boolean;
  allowed: boolean;
  sure: boolean;
  undecided: boolean;
  /** Some Allow that applies has no end date. */
  untilFree: boolean;
  /** The latest end date of the Allows that apply with one. */
  until?: string;
  /** The verdict of this part alone (built on first use). */
  alone?: Decision;
}

const NO_PART: DocumentPart = { deny: false, skippedDeny: false, allowed: false, sure: false, undecided: false, untilFree: false };

function documentPart(statements: readonly PolicyStatement[], req: Request): DocumentPart {
  let allowed = false;
  let undecided = false;
  let sure = false;
  let until: string | undefined;
  let untilFree = false;
  let skippedDeny = false;
  for (const s of statements) {
    const applies = statementApplies(s, req);
    if (s.Effect === 'Deny') {
      if (applies.result === 'true' && applies.until === undefined)
        return { deny: true, skippedDeny: false, allowed: false, sure: false, undecided: false, untilFree: false };
      // A Deny we cannot be sure of does not apply (errs high), but the answer may be high.
      if (applies.result !== 'false') skippedDeny = true;
      continue;
    }
    if (applies.result === 'false') continue;
    allowed = true;
    if (applies.result === 'true') sure = true;
    else undecided = true;
    if (applies.until === undefined) untilFree = true;
    else if (until === undefined || applies.until > until) until = applies.until;
  }
  if (!allowed && !skippedDeny) return NO_PART;
  const part: DocumentPart = { deny: false, skippedDeny, allowed, sure, undecided, untilFree };
  if (until !== undefined) part.until = until;
  return part;
}

/**
 * A document's statements that name one action, what of the caller they
 * read (a Principal, a condition key, a policy variable) and whether they
 * read the resource: each document's part of a verdict is cached by only
 * those, so the same group policy is decided once for every holder of it.
 */
interface ActionStatements {
  statements: PolicyStatement[];
  /** The caller's fields the statements read, sorted (empty: none), and as one string. */
  fields: Array<keyof Caller>;
  sig: string;
  /** Every statement matches every resource (Resource `*`, or none in a trust). */
  resourceFree: boolean;
  /** Parts by resource (or by the caller's fields' values when resourceFree). */
  parts: Map<string, DocumentPart>;
  /** By the caller's fields' values, then resource: when the part reads both. */
  nested: Map<string, Map<string, DocumentPart>>;
}

/** The caller's fields a condition key or policy variable reads (see keyValue). */
function fieldsOfKey(key: string): Array<keyof Caller> {
  const k = key.trim().toLowerCase();
  switch (k) {
    case 'aws:username':
      return ['username'];
    case 'aws:principalarn':
      return ['arn', 'generic'];
    case 'aws:principalaccount':
      return ['account'];
    case 'aws:principalorgid':
      return ['orgId'];
    case 'aws:multifactorauthpresent':
    case 'aws:multifactorauthage':
      return ['mfa'];
    case 'aws:principaltype':
      return ['arn', 'generic'];
  }
  if (k.startsWith('aws:principaltag/')) return ['tags', 'generic'];
  return [];
}

/** The caller's fields the policy variables of some strings read. */
function fieldsOfVariables(values: unknown): Array<keyof Caller> {
  const out: Array<keyof Caller> = [];
  for (const v of list(values as string | string[])) {
    const text = String(v);
    if (!text.includes('${')) continue;
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) out.push(...fieldsOfKey(m[1].split(/,\s*/)[0]));
  }
  return out;
}

function statementFields(s: PolicyStatement): Array<keyof Caller> {
  const out: Array<keyof Caller> = [];
  if (s.Principal !== undefined) out.push('arn', 'account', 'generic');
  out.push(...fieldsOfVariables(s.NotResource !== undefined ? s.NotResource : s.Resource));
  for (const keys of Object.values(s.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys ?? {})) {
      out.push(...fieldsOfKey(key), ...fieldsOfVariables(values));
    }
  }
  return out;
}

const documentActions = new WeakMap<PolicyDocument, Map<string, ActionStatements>>();
let cachedParts = 0;
/** Bounds the memory of the part caches (a long-lived process deciding many callers). */
const MAX_CACHED_PARTS = 500_000;

function actionStatements(doc: PolicyDocument, action: string): ActionStatements {
  let byAction = documentActions.get(doc);
  if (byAction === undefined) documentActions.set(doc, (byAction = new Map()));
  let found = byAction.get(action);
  if (found === undefined) {
    const statements = doc.Statement.filter((s) => actionMatches(s, action));
    const fields = [...new Set(statements.flatMap(statementFields))].sort();
    const resourceFree = statements.every(
      (s) => s.NotResource === undefined && (s.Resource === undefined || list(s.Resource).includes('*')),
    );
    found = { statements, fields, sig: fields.join(','), resourceFree, parts: new Map(), nested: new Map() };
    byAction.set(action, found);
  }
  return found;
}

/** A caller's values of some fields, as a key (cached per caller object). */
const projections = new WeakMap<Caller, Map<string, string>>();
function projection(caller: Caller, entry: ActionStatements): string {
  let byFields = projections.get(caller);
  if (byFields === undefined) projections.set(caller, (byFields = new Map()));
  let key = byFields.get(entry.sig);
  if (key === undefined) {
    key = JSON.stringify(entry.fields.map((f) => caller[f] ?? null));
    byFields.set(entry.sig, key);
  }
  return key;
}

/** Where an entry's parts for this caller are kept, and under which key when they do not read the resource. */
function partsFor(entry: ActionStatements, caller: Caller): { parts: Map<string, DocumentPart>; key?: string } {
  if (entry.fields.length === 0) return entry.resourceFree ? { parts: entry.parts, key: '' } : { parts: entry.parts };
  const who = projection(caller, entry);
  if (entry.resourceFree) return { parts: entry.parts, key: who };
  let byResource = entry.nested.get(who);
  if (byResource === undefined) entry.nested.set(who, (byResource = new Map()));
  return { parts: byResource };
}

function cachedPart(
  entry: ActionStatements,
  parts: Map<string, DocumentPart>,
  key: string,
  caller: Caller,
  action: string,
  resource: string,
): DocumentPart {
  let part = parts.get(key);
  if (part === undefined) {
    part = documentPart(entry.statements, { caller, action, resource });
    if (cachedParts++ > MAX_CACHED_PARTS) {
      // Rare: forget this action's parts rather than grow without bound.
      entry.parts.clear();
      entry.nested.clear();
      cachedParts = 0;
    }
    parts.set(key, part);
  }
  return part;
}

function partOf(doc: PolicyDocument, req: Request): DocumentPart {
  const entry = actionStatements(doc, req.action);
  if (entry.statements.length === 0) return NO_PART;
  const { parts, key } = partsFor(entry, req.caller);
  return cachedPart(entry, parts, key ?? req.resource, req.caller, req.action, req.resource);
}

/**
 * The documents' verdict on one request: an explicit Deny that surely
 * applies denies; else some Allow (undecided counts) allows. Each
 * document's part is decided once per (action, resource), and per caller
 * only where the document reads the caller.
 */
export function evaluate(documents: readonly PolicyDocument[], req: Request): Decision {
  return combine(documents.map((doc) => partOf(doc, req)));
}

/**
 * evaluate, bound to one caller and action: what does not depend on the
 * resource is looked up once, so deciding the same documents on many
 * resources (a user's policies on every role it may assume) costs one
 * cache lookup per document and resource. Same answers as evaluate.
 */
export function decider(documents: readonly PolicyDocument[], caller: Caller, action: string): (resource: string) => Decision {
  const fixed: DocumentPart[] = [];
  const varying: Array<{ entry: ActionStatements; parts: Map<string, DocumentPart> }> = [];
  for (const doc of documents) {
    const entry = actionStatements(doc, action);
    if (entry.statements.length === 0) continue;
    const { parts, key } = partsFor(entry, caller);
    // A part that reads no resource: decided now (its resource is any).
    if (key !== undefined) fixed.push(cachedPart(entry, parts, key, caller, action, '*'));
    else varying.push({ entry, parts });
  }
  if (fixed.some((p) => p.deny)) return () => DENIED;
  if (varying.length === 0) {
    const answer = combine(fixed);
    return () => answer;
  }
  if (varying.length === 1 && fixed.length === 0) {
    const [{ entry, parts }] = varying;
    return (resource) => {
      const part = cachedPart(entry, parts, resource, caller, action, resource);
      if (part.alone === undefined) part.alone = combine([part]);
      return part.alone;
    };
  }
  const all: DocumentPart[] = [...fixed];
  return (resource) => {
    all.length = fixed.length;
    for (const { entry, parts } of varying) all.push(cachedPart(entry, parts, resource, caller, action, resource));
    return combine(all);
  };
}

/**
 * How a document takes part in this caller's verdict on `action` (see
 * decider): `silent` when it neither allows nor denies whatever the
 * resource; `byResource` when it holds Allows on some resources and no
 * Deny: its part on a resource it does not name is silent, and on one it
 * names is the same for every caller with the same `caller` key (the
 * values of what it reads of the caller). Undefined otherwise: ask decider.
 */
export function callerShape(
  doc: PolicyDocument,
  action: string,
  caller: Caller,
): { kind: 'silent' } | { kind: 'byResource'; caller: string } | undefined {
  const entry = actionStatements(doc, action);
  if (entry.statements.length === 0) return SILENT;
  if (entry.resourceFree) {
    const { parts, key } = partsFor(entry, caller);
    return cachedPart(entry, parts, key ?? '', caller, action, '*') === NO_PART ? SILENT : undefined;
  }
  if (!entry.statements.every((s) => s.Effect === 'Allow')) return undefined;
  return { kind: 'byResource', caller: entry.fields.length === 0 ? '' : projection(caller, entry) };
}
const SILENT = { kind: 'silent' } as const;

/** The documents' parts, combined: a sure Deny denies; else some Allow allows. */
function combine(parts: readonly DocumentPart[]): Decision {
  let allowed = false;
  let undecided = false;
  let sure = false;
  let until: string | undefined;
  let untilFree = false;
  let skippedDeny = false;
  for (const part of parts) {
    if (part === NO_PART) continue;
    if (part.deny) return DENIED;
    if (part.skippedDeny) skippedDeny = true;
    if (!part.allowed) continue;
    allowed = true;
    if (part.sure) sure = true;
    if (part.undecided) undecided = true;
    if (part.untilFree) untilFree = true;
    if (part.until !== undefined && (until === undefined || part.until > until)) until = part.until;
  }
  if (!allowed) return DENIED;
  const unsure = (!sure && undecided) || skippedDeny;
  // Without an end, one of two shared answers (decisions are read, never changed).
  if (untilFree || until === undefined) return unsure ? ALLOWED_UNSURE : ALLOWED_SURE;
  return { allowed: true, undecided: unsure, until };
}

const ALLOWED_SURE: Decision = { allowed: true, undecided: false };
const ALLOWED_UNSURE: Decision = { allowed: true, undecided: true };

/** No boundary: allowed (one shared object; decisions are read, never changed). */
const NO_BOUNDARY: Decision = { allowed: true, undecided: false };

/**
 * A boundary of layers (SCPs, RCPs): every layer must allow (some Allow
 * statement, no Deny). No layers: no boundary.
 */
export function evaluateLayers(layers: readonly (readonly PolicyDocument[])[] | undefined, req: Request): Decision {
  if (layers === undefined || layers.length === 0) return NO_BOUNDARY;
  let undecided = false;
  for (const layer of layers) {
    const d = evaluate(layer, req);
    if (!d.allowed) return DENIED;
    if (d.undecided) undecided = true;
  }
  return { allowed: true, undecided };
}

const BOUNDED_SURE: Decision = { allowed: true, undecided: false };
const BOUNDED_UNDECIDED: Decision = { allowed: true, undecided: true };

/** evaluateLayers, bound to one caller and action (see decider). Same answers as evaluateLayers. */
export function layersDecider(
  layers: readonly (readonly PolicyDocument[])[] | undefined,
  caller: Caller,
  action: string,
): (resource: string) => Decision {
  if (layers === undefined || layers.length === 0) return () => NO_BOUNDARY;
  const each = layers.map((layer) => decider(layer, caller, action));
  return (resource) => {
    let undecided = false;
    for (const d of each) {
      const one = d(resource);
      if (!one.allowed) return DENIED;
      if (one.undecided) undecided = true;
    }
    return undecided ? BOUNDED_UNDECIDED : BOUNDED_SURE;
  };
}

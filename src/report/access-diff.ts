/**
 * `npx rolecall diff --base REF`: who gains or loses which access, as a
 * reviewer reads it ("bob gains write on production"), not as a JSON diff.
 *
 * Levels alone hide broadenings: `s3:GetObject` on every bucket added to a
 * set that was `read` already leaves every level as it was. So the diff
 * compares effective access, not only levels:
 * - per function x account, the allowed action patterns (with their level
 *   and resources), grouped by permission set, and whom the change affects;
 * - per person x account, level and paths (functions, pipelines, transitive);
 * - people's credentials (console password, access key);
 * - roles and stacks that appear or go.
 * `customerWrite` lists what a CI gate (`--fail-on customer-write`) acts on.
 */
import { compareAccessLevel, expandActionPattern } from '../iam/actions';
import { managedPolicyDocument } from '../iam/managed-policies';
import type { Model } from '../model/model';
import type { AccessLevel, Statement } from '../model/schema';
import { analyseActions, levelOfActions, type AccessCell, type AccessMatrix } from '../plan/access';
import type { OrgPlan } from '../plan/types';

export interface AccessChange {
  person: string;
  account: string;
  before: AccessCell | undefined;
  after: AccessCell | undefined;
  /** One line per change, for people. */
  summary: string;
  /** For a machine principal's change (person = `principal <arn>`): its level before and after. */
  levels?: { before: AccessLevel; after: AccessLevel };
}

const NO_ACCESS: CellLike = { level: 'none', functions: [], pipelines: [], joins: [], management: false };

/** Every person x account whose level or paths differ, sorted by person then account. */
export function diffAccess(before: AccessMatrix | undefined, after: AccessMatrix): AccessChange[] {
  const people = new Set([...(before?.people ?? []).map((p) => p.name), ...after.people.map((p) => p.name)]);
  const accounts = new Set([...(before?.accounts ?? []).map((a) => a.name), ...after.accounts.map((a) => a.name)]);
  const has = (m: AccessMatrix | undefined, person: string, account: string) =>
    !!m && m.people.some((p) => p.name === person) && m.accounts.some((a) => a.name === account);
  const changes: AccessChange[] = [];
  for (const person of [...people].sort()) {
    for (const account of [...accounts].sort()) {
      const b = has(before, person, account) ? before!.cell(person, account) : undefined;
      const a = has(after, person, account) ? after.cell(person, account) : undefined;
      const summary = describeChange(person, account, b ?? NO_ACCESS, a ?? NO_ACCESS);
      if (summary) changes.push({ person, account, before: b, after: a, summary });
    }
  }
  changes.push(...diffPrincipals(before, after));
  return changes;
}

/**
 * Machine principals (functions.<fn>.principals) are not people, but they
 * hold access: "principal arn:aws:iam::...:role/ci gains admin on staging".
 */
function diffPrincipals(before: AccessMatrix | undefined, after: AccessMatrix): AccessChange[] {
  const index = (m: AccessMatrix | undefined) => {
    const out = new Map<string, CellLike>();
    for (const p of m?.principals ?? []) {
      const key = `${p.principal} ${p.account}`;
      const cell = out.get(key) ?? NO_ACCESS;
      out.set(key, { ...cell, level: compareAccessLevel(p.level, cell.level) > 0 ? p.level : cell.level, functions: [...cell.functions, p.function].sort() });
    }
    return out;
  };
  const b = index(before);
  const a = index(after);
  const changes: AccessChange[] = [];
  for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const [principal, account] = key.split(' ');
    const was = b.get(key) ?? NO_ACCESS;
    const now = a.get(key) ?? NO_ACCESS;
    const summary = describeChange(`principal ${principal}`, account, was, now);
    if (summary) changes.push({ person: `principal ${principal}`, account, before: undefined, after: undefined, summary, levels: { before: was.level, after: now.level } });
  }
  return changes;
}

/** A change's levels, for a person's cell or a principal's. */
function changeLevels(c: AccessChange): { before: AccessLevel; after: AccessLevel } {
  return c.levels ?? { before: c.before?.level ?? 'none', after: c.after?.level ?? 'none' };
}

type CellLike = Pick<AccessCell, 'level' | 'functions' | 'pipelines' | 'joins' | 'management'>;

function describeChange(who: string, account: string, b: CellLike, a: CellLike): string | undefined {
  const parts: string[] = [];
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel > 0) parts.push(b.level === 'none' ? `gains ${a.level} on ${account}` : `gains ${a.level} on ${account} (was ${b.level})`);
  if (byLevel < 0) parts.push(a.level === 'none' ? `loses all access to ${account} (was ${b.level})` : `drops to ${a.level} on ${account} (was ${b.level})`);
  const via = (kind: string, was: string[], now: string[]) => {
    const added = now.filter((x) => !was.includes(x));
    const removed = was.filter((x) => !now.includes(x));
    if (added.length) parts.push(`+${kind} ${added.join(', ')}`);
    if (removed.length) parts.push(`-${kind} ${removed.join(', ')}`);
  };
  via('function', b.functions, a.functions);
  via('pipeline', b.pipelines, a.pipelines);
  via('can join', b.joins, a.joins);
  if (a.management && !b.management) parts.push('+via management account');
  if (!a.management && b.management) parts.push('-via management account');
  if (parts.length === 0) return undefined;
  if (byLevel === 0) parts.unshift(`keeps ${a.level} on ${account}`);
  return `${who} ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------
// Effective access: what each function's role on each account allows

/** One thing a permission set allows (or denies): an action pattern on resources, or a managed policy. */
export interface GrantEntry {
  set: string;
  /** `Allow s3:GetObject on *`, `managed policy ReadOnlyAccess`. */
  text: string;
  level: AccessLevel;
}

export interface FunctionAccountChange {
  function: string;
  account: string;
  data: string;
  before: AccessLevel;
  after: AccessLevel;
  added: GrantEntry[];
  removed: GrantEntry[];
  /** Members of the function (both sides), sorted: whom the change affects directly. */
  affects: string[];
  /** People who can join the function (transitive paths, after the change), sorted. */
  joiners: string[];
}

export interface CredentialChange {
  person: string;
  summary: string;
}

export interface AccessDiff {
  people: AccessChange[];
  functions: FunctionAccountChange[];
  credentials: CredentialChange[];
  roles: { added: string[]; removed: string[] };
  stacks: { added: string[]; removed: string[] };
  /** Someone gains write or more on an account with data: customer (what `--fail-on customer-write` acts on). */
  customerWrite: string[];
}

/** One side of the diff: the compiled file. `plan` is absent for a side that did not exist. */
export interface DiffSide {
  model: Model;
  plan: OrgPlan;
  matrix: AccessMatrix;
}

const patternLevels = new Map<string, AccessLevel>();
function patternLevel(pattern: string, selfOnly: boolean): AccessLevel {
  const key = `${selfOnly ? 'self:' : ''}${pattern}`;
  let found = patternLevels.get(key);
  if (found === undefined) {
    const actions = expandActionPattern(pattern);
    found = levelOfActions(actions, selfOnly ? new Set(actions) : undefined).level;
    patternLevels.set(key, found);
  }
  return found;
}

function statementEntries(set: string, s: Statement): GrantEntry[] {
  const resources = [...s.resources].sort();
  const { selfOnly } = analyseActions([{ Effect: 'Allow', Action: ['iam:GetUser'], Resource: resources }]);
  const self = selfOnly.size > 0;
  const when = s.conditions && Object.keys(s.conditions).length > 0 ? ` when ${JSON.stringify(s.conditions)}` : '';
  return [...new Set(s.actions)].sort().map((pattern) => ({
    set,
    text: `${s.effect} ${pattern} on ${resources.join(', ')}${when}`,
    level: patternLevel(pattern, self),
  }));
}

const managedLevels = new Map<string, AccessLevel>();
function managedEntry(set: string, arn: string): GrantEntry {
  let level = managedLevels.get(arn);
  if (level === undefined) {
    const { allowed, selfOnly } = analyseActions(managedPolicyDocument(arn).Statement);
    level = levelOfActions(allowed, selfOnly).level;
    managedLevels.set(arn, level);
  }
  return { set, text: `managed policy ${arn.replace(/^arn:aws:iam::aws:policy\//, '')}`, level };
}

/** What the function's role on the account allows, entry by entry, keyed for comparison. */
function grantEntries(model: Model, fn: string, account: string): Map<string, GrantEntry> {
  const out = new Map<string, GrantEntry>();
  for (const set of model.grants[fn]?.[account]?.permissionSets ?? []) {
    for (const arn of model.managedPolicyArns[set] ?? []) {
      const e = managedEntry(set, arn);
      out.set(`${set}\u0000${e.text}`, e);
    }
    for (const s of model.org.permissions[set]?.statements ?? []) {
      for (const e of statementEntries(set, s)) out.set(`${set}\u0000${e.text}`, e);
    }
  }
  return out;
}

function rolesOf(plan: OrgPlan | undefined): Set<string> {
  return new Set((plan?.stacks ?? []).flatMap((s) => s.roles.map((r) => `${r.arn} (stack ${s.id})`)));
}

const atLeastWrite = (level: AccessLevel) => compareAccessLevel(level, 'write') >= 0;

/** The whole access diff between two compiled files (`before` absent: the file is new). */
export function diffEffectiveAccess(before: DiffSide | undefined, after: DiffSide): AccessDiff {
  const people = diffAccess(before?.matrix, after.matrix);
  const customer = (account: string) => (after.model.org.accounts[account]?.data ?? before?.model.org.accounts[account]?.data) === 'customer';
  const customerWrite: string[] = [];

  // Functions x accounts whose allowed actions or resources change.
  const functions: FunctionAccountChange[] = [];
  const fnNames = new Set([...Object.keys(before?.model.org.functions ?? {}), ...Object.keys(after.model.org.functions)]);
  for (const fn of [...fnNames].sort()) {
    const accounts = new Set([...Object.keys(before?.model.grants[fn] ?? {}), ...Object.keys(after.model.grants[fn] ?? {})]);
    for (const account of [...accounts].sort()) {
      const was = before ? grantEntries(before.model, fn, account) : new Map<string, GrantEntry>();
      const now = grantEntries(after.model, fn, account);
      const added = [...now].filter(([k]) => !was.has(k)).map(([, e]) => e);
      const removed = [...was].filter(([k]) => !now.has(k)).map(([, e]) => e);
      if (added.length === 0 && removed.length === 0) continue;
      const level = (side: DiffSide | undefined) =>
        side && fn in side.model.org.functions && account in side.model.org.accounts ? side.matrix.functionCell(fn, account).level : 'none';
      const members = new Set([...(before?.matrix.functions.find((f) => f.name === fn)?.members ?? []), ...(after.matrix.functions.find((f) => f.name === fn)?.members ?? [])]);
      const change: FunctionAccountChange = {
        function: fn,
        account,
        data: after.model.org.accounts[account]?.data ?? before?.model.org.accounts[account]?.data ?? 'none',
        before: level(before),
        after: level(after),
        added,
        removed,
        // Machine principals are affected like members (they assume the function's roles).
        affects: [
          ...[...members].sort(),
          ...[...new Set([...(before?.model.org.functions[fn]?.principals ?? []), ...(after.model.org.functions[fn]?.principals ?? [])])].sort().map((arn) => `principal ${arn}`),
        ],
        joiners:
          account in after.model.org.accounts
            ? after.matrix.people.filter((p) => !members.has(p.name) && after.matrix.cell(p.name, account).joins.includes(fn)).map((p) => p.name)
            : [],
      };
      functions.push(change);
      if (customer(account)) {
        for (const e of added.filter((x) => x.text.startsWith('Allow') || x.text.startsWith('managed')).filter((x) => atLeastWrite(x.level))) {
          customerWrite.push(`function ${fn} gains ${e.text} (${e.level}) on ${account} (data: customer), through permission set ${e.set}`);
        }
      }
    }
  }

  // People who gain write or more on customer data, or a new path at that level.
  for (const c of people) {
    if (c.levels) {
      // A machine principal: its cell is a level, not paths.
      if (customer(c.account) && atLeastWrite(c.levels.after) && !atLeastWrite(c.levels.before)) customerWrite.push(`${c.summary} (data: customer)`);
      continue;
    }
    if (!customer(c.account) || !c.after || !atLeastWrite(c.after.level)) continue;
    const wasLevel = c.before?.level ?? 'none';
    const oldPaths = new Set((c.before?.paths ?? []).filter((p) => atLeastWrite(p.level)).map((p) => JSON.stringify([p.kind, 'function' in p ? p.function : '', 'pipeline' in p ? p.pipeline : ''])));
    const newPath = c.after.paths.some((p) => atLeastWrite(p.level) && !oldPaths.has(JSON.stringify([p.kind, 'function' in p ? p.function : '', 'pipeline' in p ? p.pipeline : ''])));
    if (!atLeastWrite(wasLevel) || newPath) customerWrite.push(`${c.summary} (data: customer)`);
  }

  // Credentials.
  const credentials: CredentialChange[] = [];
  const everyone = new Set([...Object.keys(before?.model.org.people ?? {}), ...Object.keys(after.model.org.people)]);
  for (const person of [...everyone].sort()) {
    const b = before?.model.org.people[person];
    const a = after.model.org.people[person];
    const parts: string[] = [];
    if (!b && a) parts.push('is a new IAM user');
    if (b && !a) parts.push('is removed (IAM user deleted, with their credentials)');
    const flag = (key: 'console' | 'accessKey', what: string) => {
      const was = b?.[key] ?? false;
      const now = a?.[key] ?? false;
      if (now && !was) parts.push(`gains ${what}`);
      if (was && !now && a) parts.push(`loses ${what}`);
    };
    flag('console', 'a console password');
    flag('accessKey', 'an access key');
    if (b && a && b.pgpKey !== a.pgpKey && (a.console || a.accessKey)) parts.push('changes pgpKey (new credentials are encrypted to it)');
    if (parts.length > 0) credentials.push({ person, summary: `${person} ${parts.join('; ')}` });
  }

  const setDiff = (was: Set<string>, now: Set<string>) => ({
    added: [...now].filter((x) => !was.has(x)).sort(),
    removed: [...was].filter((x) => !now.has(x)).sort(),
  });
  const stacksOf = (plan: OrgPlan | undefined) =>
    new Set([...(plan?.stacks ?? []).map((s) => s.id), ...(plan?.organizationStack ? ['organization'] : [])]);
  return {
    people,
    functions,
    credentials,
    roles: setDiff(rolesOf(before?.plan), rolesOf(after.plan)),
    stacks: setDiff(stacksOf(before?.plan), stacksOf(after.plan)),
    customerWrite,
  };
}

function peopleHeader(changes: AccessChange[], baseLabel: string): string {
  const gains = changes.filter((c) => compareAccessLevel(changeLevels(c).after, changeLevels(c).before) > 0).length;
  const losses = changes.filter((c) => compareAccessLevel(changeLevels(c).after, changeLevels(c).before) < 0).length;
  return `Access changes against ${baseLabel}: ${changes.length} (${gains} gains, ${losses} losses, ${changes.length - gains - losses} other)`;
}

/** The person x account changes alone. */
export function renderAccessDiff(changes: AccessChange[], baseLabel: string): string {
  if (changes.length === 0) return `No access changes against ${baseLabel}.`;
  return [peopleHeader(changes, baseLabel), ...changes.map((c) => `  ${c.summary}`)].join('\n');
}

/** The whole diff, for a reviewer: people first, then what changed in each role, credentials, roles and stacks. */
export function renderEffectiveDiff(diff: AccessDiff, baseLabel: string): string {
  const empty =
    diff.people.length + diff.functions.length + diff.credentials.length + diff.roles.added.length + diff.roles.removed.length + diff.stacks.added.length + diff.stacks.removed.length ===
    0;
  if (empty) return `No access changes against ${baseLabel}.`;
  const out: string[] = [];
  if (diff.people.length > 0) out.push(renderAccessDiff(diff.people, baseLabel));
  else out.push(`Access changes against ${baseLabel}: no person's level or paths change; what the roles allow does:`);
  if (diff.functions.length > 0) {
    out.push('', `What roles allow: ${diff.functions.length} function x account${diff.functions.length === 1 ? '' : 's'} changed`);
    for (const f of diff.functions) {
      const level = f.before === f.after ? `keeps ${f.after}` : `${f.before} -> ${f.after}`;
      out.push(`  function ${f.function} on ${f.account} (data: ${f.data}): ${level}`);
      const sets = [...new Set([...f.added, ...f.removed].map((e) => e.set))].sort();
      for (const set of sets) {
        out.push(`    permission set ${set}:`);
        for (const e of f.added.filter((x) => x.set === set)) out.push(`      + ${e.text} (${e.level})`);
        for (const e of f.removed.filter((x) => x.set === set)) out.push(`      - ${e.text} (${e.level})`);
      }
      const joiners = f.joiners.length > 0 ? `; can join it: ${f.joiners.join(', ')}` : '';
      out.push(`    affects: ${f.affects.length > 0 ? f.affects.join(', ') : 'no members'}${joiners}`);
    }
  }
  if (diff.credentials.length > 0) {
    out.push('', 'Credentials:');
    for (const c of diff.credentials) out.push(`  ${c.summary}`);
  }
  if (diff.roles.added.length + diff.roles.removed.length > 0) {
    out.push('', 'Roles:');
    for (const r of diff.roles.added) out.push(`  + ${r}`);
    for (const r of diff.roles.removed) out.push(`  - ${r}`);
  }
  if (diff.stacks.added.length + diff.stacks.removed.length > 0) {
    out.push('', 'Stacks:');
    for (const s of diff.stacks.added) out.push(`  + ${s}`);
    for (const s of diff.stacks.removed) out.push(`  - ${s}`);
  }
  if (diff.customerWrite.length > 0) {
    out.push('', `Write or more on customer data (${diff.customerWrite.length}):`);
    for (const c of diff.customerWrite) out.push(`  ${c}`);
  }
  return out.join('\n');
}

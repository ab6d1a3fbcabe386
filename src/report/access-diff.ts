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
import { analyseActions, levelOfActions, permissionSetContentKey, type AccessMatrix } from '../plan/access';
import { buildAccessReport, ReportIndex, type AccessReport, type ReportCellBody, type ReportHolder, type ReportPath } from './access-json';
import type { IdcPermissionSetPlan, OrgPlan } from '../plan/types';
import { usesIamUsers } from '../model/identity-center';

export interface AccessChange {
  person: string;
  account: string;
  before: ReportCellBody | undefined;
  after: ReportCellBody | undefined;
  /** One line per change, for people. */
  summary: string;
  /** The level part (`gains write`, `drops to read (was write)`, `keeps write`): what groups lines. */
  verb: string;
  /**
   * Why, in words: the causes that move the level (`joins function mobile`,
   * `what function mobile allows changed`), never a cause that works the
   * other way (a function left while another one's role rose).
   */
  because: string[];
  /** Other changes on the same cell that do not decide its level (`leaves function security (read)`). */
  also: string[];
  /** True when every cause is a role's or a pipeline's, none the person's own: such changes are grouped by cause across people. */
  shared: boolean;
  /** For a machine principal's change (person = `principal <arn>`): its level before and after. */
  levels?: { before: AccessLevel; after: AccessLevel };
}

type CellLike = Pick<ReportCellBody, 'level' | 'functions' | 'pipelines'>;
const NO_ACCESS: CellLike = { level: 'none', functions: [], pipelines: [] };

/** The compact report of a side, built once per matrix. */
const reports = new WeakMap<AccessMatrix, ReportIndex>();
function indexOf(matrix: AccessMatrix): ReportIndex {
  let found = reports.get(matrix);
  if (found === undefined) reports.set(matrix, (found = new ReportIndex(buildAccessReport(matrix))));
  return found;
}

/** Keys of what appears, goes, or changes (in what `value` picks) between two lists keyed alike. */
function changedKeys<T>(before: T[], after: T[], key: (x: T) => string, value: (x: T) => string): Set<string> {
  const was = new Map(before.map((x) => [key(x), value(x)]));
  const out = new Set<string>();
  const seen = new Set<string>();
  for (const x of after) {
    const k = key(x);
    seen.add(k);
    if (was.get(k) !== value(x)) out.add(k);
  }
  for (const k of was.keys()) if (!seen.has(k)) out.add(k);
  return out;
}

/**
 * Every person x account whose level or paths differ, sorted by person then
 * account. Works on the compact reports: a person is looked at only where
 * their own entry (functions, pipelines, transitive paths) changed, or where
 * a role or pipeline they hold changed, so the cost follows the change, not
 * people x accounts.
 */
export function diffAccess(before: AccessMatrix | undefined, after: AccessMatrix): AccessChange[] {
  const b = before ? indexOf(before) : undefined;
  const a = indexOf(after);
  const roleKey = (r: { function: string; account: string }) => `${r.function}\u0000${r.account}`;
  const pipeKey = (r: { pipeline: string; account: string }) => `${r.pipeline}\u0000${r.account}`;
  // Per function (and pipeline): the accounts where its role (what the pipeline applies with) appears, goes or
  // changes level. A change of evidence or of actions within a level moves no cell: the function section shows it.
  const levelOf = (x: { level: AccessLevel }) => x.level;
  const changedRoles = new Map<string, Set<string>>();
  for (const k of changedKeys(b?.report.roles ?? [], a.report.roles, roleKey, levelOf)) {
    const [fn, account] = k.split('\u0000');
    changedRoles.set(fn, (changedRoles.get(fn) ?? new Set()).add(account));
  }
  const changedPipelines = new Map<string, Set<string>>();
  for (const k of changedKeys(b?.report.pipelineAccess ?? [], a.report.pipelineAccess, pipeKey, levelOf)) {
    const [p, account] = k.split('\u0000');
    changedPipelines.set(p, (changedPipelines.get(p) ?? new Set()).add(account));
  }
  const accountsOf = (report: AccessReport | undefined) => new Set((report?.accounts ?? []).map((x) => x.name));
  const accountsBefore = accountsOf(b?.report);
  const accountsAfter = accountsOf(a.report);
  const allAccounts = [...new Set([...accountsBefore, ...accountsAfter])].sort();
  const newOrGone = allAccounts.filter((x) => !accountsBefore.has(x) || !accountsAfter.has(x));

  const peopleBefore = new Map((b?.report.people ?? []).map((p) => [p.name, p]));
  const peopleAfter = new Map(a.report.people.map((p) => [p.name, p]));
  const names = [...new Set([...peopleBefore.keys(), ...peopleAfter.keys()])].sort();
  // People with the same entries on both sides have the same changes: each pair of entries is compared once.
  const holderKey = (h: ReportHolder | undefined) => (h === undefined ? '-' : JSON.stringify([h.functions, h.pipelines, h.transitive]));
  const compared = new Map<string, Array<Omit<AccessChange, 'person' | 'summary'> & { verbText: string }>>();
  const changes: AccessChange[] = [];
  for (const person of names) {
    const pb = peopleBefore.get(person);
    const pa = peopleAfter.get(person);
    const kb = holderKey(pb);
    const ka = holderKey(pa);
    const key = `${kb}\u0001${ka}`;
    let found = compared.get(key);
    if (found === undefined) {
      found = [];
      let candidates: string[];
      if (kb === ka) {
        const touched = new Set<string>(newOrGone);
        // Chains are in the key with their levels: equal entries reach the same through them on both sides.
        for (const fn of pa!.functions) for (const x of changedRoles.get(fn) ?? []) touched.add(x);
        for (const p of pa!.pipelines) for (const x of changedPipelines.get(p.pipeline) ?? []) touched.add(x);
        candidates = [...touched].sort();
      } else {
        candidates = allAccounts;
      }
      for (const account of candidates) {
        const cb = pb && b && accountsBefore.has(account) ? b.cell(pb, account) : undefined;
        const ca = pa && accountsAfter.has(account) ? a.cell(pa, account) : undefined;
        const delta = attributeChange(account, cb, ca, pb, pa);
        if (!delta) continue;
        found.push({
          account,
          before: cb?.paths.length ? cb : undefined,
          after: ca?.paths.length ? ca : undefined,
          verb: delta.verbKey,
          verbText: delta.verb,
          because: delta.because,
          also: delta.also,
          shared: delta.shared,
        });
      }
      compared.set(key, found);
    }
    for (const { verbText, ...change } of found) {
      changes.push({ person, ...change, summary: `${person} ${verbText}${reasonText(change)}` });
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
      out.set(key, {
        ...cell,
        level: compareAccessLevel(p.level, cell.level) > 0 ? p.level : cell.level,
        functions: [...cell.functions, p.function].sort(),
      });
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
    const { verb, verbKey, byLevel } = levelVerb(account, was.level, now.level);
    const because = [
      ...now.functions.filter((f) => !was.functions.includes(f)).map((f) => `through function ${f}`),
      ...was.functions.filter((f) => !now.functions.includes(f)).map((f) => `no longer through function ${f}`),
    ];
    if (byLevel === 0 && because.length === 0) continue;
    if (because.length === 0) because.push(`what function ${now.functions.join(', ')} allows changed`);
    const person = `principal ${principal}`;
    const change = { because, also: [] };
    changes.push({
      person,
      account,
      before: undefined,
      after: undefined,
      summary: `${person} ${verb}${reasonText(change)}`,
      verb: verbKey,
      ...change,
      shared: false,
      levels: { before: was.level, after: now.level },
    });
  }
  return changes;
}

/** A change's levels, for a person's cell or a principal's. */
function changeLevels(c: AccessChange): { before: AccessLevel; after: AccessLevel } {
  return c.levels ?? { before: c.before?.level ?? 'none', after: c.after?.level ?? 'none' };
}

/** `gains write on production`, `drops to read on production (was write)`, `keeps admin on production`: the level part. */
function levelVerb(account: string, was: AccessLevel, now: AccessLevel): { verb: string; verbKey: string; byLevel: number } {
  const byLevel = compareAccessLevel(now, was);
  if (byLevel > 0)
    return {
      byLevel,
      verbKey: was === 'none' ? `gains ${now}` : `gains ${now} (was ${was})`,
      verb: was === 'none' ? `gains ${now} on ${account}` : `gains ${now} on ${account} (was ${was})`,
    };
  if (byLevel < 0)
    return {
      byLevel,
      verbKey: now === 'none' ? `loses all access (was ${was})` : `drops to ${now} (was ${was})`,
      verb: now === 'none' ? `loses all access to ${account} (was ${was})` : `drops to ${now} on ${account} (was ${was})`,
    };
  return { byLevel, verbKey: `keeps ${now}`, verb: `keeps ${now} on ${account}` };
}

/** One path of a cell, by what it goes through (a function, a pipeline, a joinable function, the management account, a chain). */
interface PathSummary {
  kind: ReportPath['kind'];
  name: string;
  level: AccessLevel;
}

function pathSummaries(cell: ReportCellBody | undefined): Map<string, PathSummary> {
  const out = new Map<string, PathSummary>();
  for (const path of cell?.paths ?? []) {
    const name =
      path.kind === 'pipeline' ? path.pipeline : path.kind === 'chain' ? (path.chain[path.chain.length - 1]?.label ?? '') : path.function;
    const key = `${path.kind}\u0000${name}`;
    const known = out.get(key);
    // Several roles of one function on one account: the path is as high as its highest role.
    if (known === undefined || compareAccessLevel(path.level, known.level) > 0) out.set(key, { kind: path.kind, name, level: path.level });
  }
  return out;
}

interface Reason {
  text: string;
  /** The person's own change (a membership, a joinable function, a transitive path), not a role's or a pipeline's. */
  personal: boolean;
  /** The path's level on the side the reason is about (after for what appears or rises, before for what goes or falls). */
  level: AccessLevel;
  /** +1 when it raises the cell (a path appears or rises), -1 when it lowers it. */
  direction: 1 | -1;
}

/** Why one path appears, goes or changes level, in a reviewer's words. */
function pathReason(
  was: PathSummary | undefined,
  now: PathSummary | undefined,
  pb: ReportHolder | undefined,
  pa: ReportHolder | undefined,
): Reason | undefined {
  const p = (now ?? was)!;
  const appears = was === undefined;
  const goes = now === undefined;
  if (!appears && !goes && was.level === now.level) return undefined;
  const direction: 1 | -1 = appears || (!goes && compareAccessLevel(now.level, was.level) > 0) ? 1 : -1;
  const level = direction > 0 ? now!.level : was!.level;
  const reason = (text: string, personal: boolean): Reason => ({ text, personal, level, direction });
  switch (p.kind) {
    case 'function': {
      const memberBefore = pb?.functions.includes(p.name) ?? false;
      const memberAfter = pa?.functions.includes(p.name) ?? false;
      if (appears && !memberBefore) return reason(`joins function ${p.name}`, true);
      if (goes && !memberAfter) return reason(`leaves function ${p.name}`, true);
      if (appears) return reason(`function ${p.name} gains a role`, false);
      if (goes) return reason(`function ${p.name} loses its role`, false);
      return reason(`what function ${p.name} allows changed`, false);
    }
    case 'pipeline': {
      const changes = (h: ReportHolder | undefined) => h?.pipelines.some((x) => x.pipeline === p.name) ?? false;
      if (appears && !changes(pb)) return reason(`can now change pipeline ${p.name}`, true);
      if (goes && !changes(pa)) return reason(`can no longer change pipeline ${p.name}`, true);
      if (appears) return reason(`pipeline ${p.name} now applies the account's stack`, false);
      if (goes) return reason(`pipeline ${p.name} no longer applies the account's stack`, false);
      return reason(`what pipeline ${p.name} applies with changed`, false);
    }
    case 'chain':
      if (appears) return reason(`now reaches it through a chain of principals (to ${p.name})`, true);
      if (goes) return reason(`no longer reaches it through a chain of principals (to ${p.name})`, true);
      return reason(`what the chain of principals to ${p.name} gives changed`, true);
  }
}

/**
 * A person's change on one account, with its causes: each path that appears,
 * goes or changes level becomes a reason, and only those that move the level
 * the way it moves (and to where it ends, or from where it was) are `because`.
 * Seen: "eli gains admin on logs (was read) via -function security", where
 * engineers' role rose and eli also left security: now the rise is the
 * cause and the departure an `also`.
 */
function attributeChange(
  account: string,
  cb: ReportCellBody | undefined,
  ca: ReportCellBody | undefined,
  pb: ReportHolder | undefined,
  pa: ReportHolder | undefined,
): { verb: string; verbKey: string; because: string[]; also: string[]; shared: boolean } | undefined {
  const was = cb?.level ?? 'none';
  const now = ca?.level ?? 'none';
  const { verb, verbKey, byLevel } = levelVerb(account, was, now);
  const before = pathSummaries(cb);
  const after = pathSummaries(ca);
  const reasons: Reason[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [was, now] = [before.get(key), after.get(key)];
    // A level that holds is news only for paths that appear or go, not for one that moves below it.
    if (byLevel === 0 && was !== undefined && now !== undefined) continue;
    const r = pathReason(was, now, pb, pa);
    if (r !== undefined) reasons.push(r);
  }
  if (byLevel === 0 && reasons.length === 0) return undefined;
  // A rise is caused by what now gives the new level; a fall by what gave the old one.
  const decides = (r: Reason) =>
    byLevel > 0 ? r.direction > 0 && r.level === now : byLevel < 0 ? r.direction < 0 && r.level === was : true;
  const because = reasons.filter(decides);
  const also = reasons.filter((r) => !decides(r));
  return {
    verb,
    verbKey,
    // Never empty for a level change: the account itself changed (its services, its id) when no path says why.
    because: because.length > 0 ? because.map((r) => r.text) : byLevel !== 0 ? ['the account changed'] : [],
    also: also.map((r) => `${r.text} (${r.level})`),
    shared: reasons.every((r) => !r.personal),
  };
}

/** `: joins function mobile; also leaves function dba (read)`, or nothing. */
function reasonText(c: { because: string[]; also: string[] }): string {
  const parts = [...c.because, ...(c.also.length > 0 ? [`also ${c.also.join('; ')}`] : [])];
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

/** `1 gain`, `2 gains`: every count in the diff agrees with its noun. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Accounts as a reviewer reads them: all of a few, or the count and the first ones. */
function accountList(accounts: string[], max = 12): string {
  return accounts.length <= max ? accounts.join(', ') : `${accounts.slice(0, max).join(', ')} and ${accounts.length - max} more`;
}

/** `production`, or `3 accounts (a, b, c)`. */
function whereText(accounts: string[]): string {
  return accounts.length === 1 ? accounts[0] : `${accounts.length} accounts (${accountList(accounts)})`;
}

/** A verb key (`gains write (was read)`) with its accounts, in the person's (`gains`) or people's (`gain`) form. */
function verbOn(verbKey: string, where: string, plural: boolean): string {
  if (verbKey.startsWith('loses all access'))
    return verbKey.replace('loses all access', `${plural ? 'lose' : 'loses'} all access to ${where}`);
  const v = plural
    ? verbKey
        .replace(/^gains/, 'gain')
        .replace(/^drops/, 'drop')
        .replace(/^keeps/, 'keep')
    : verbKey;
  return v.replace(/^(gains? \w+|drops? to \w+|keeps? \w+)/, `$1 on ${where}`);
}

/**
 * The person x account changes grouped by cause, one line each:
 * - a change with a cause of the person's own (a function joined or left, a
 *   pipeline, a transitive path): `dave gains write on 45 accounts (...): joins function mobile`;
 * - a change whose causes are all roles' or pipelines' (what a function
 *   allows, where it is granted): one line per cause and accounts, then every person affected.
 */
export function groupAccessChanges(changes: AccessChange[]): string[] {
  const own = new Map<string, { person: string; verb: string; change: AccessChange; accounts: string[] }>();
  const byCause = new Map<string, Map<string, string[]>>();
  const principals: string[] = [];
  for (const c of changes) {
    // A machine principal's change (issue 11): its own line, as `principal <arn> gains admin on tooling: through function ci`.
    if (c.levels) {
      principals.push(c.summary);
      continue;
    }
    const reasons = reasonText(c);
    if (!c.shared) {
      const key = `${c.person}\u0000${c.verb}\u0000${reasons}`;
      let g = own.get(key);
      if (g === undefined) own.set(key, (g = { person: c.person, verb: c.verb, change: c, accounts: [] }));
      g.accounts.push(c.account);
    } else {
      const key = `${reasons}\u0000${c.verb}`;
      let m = byCause.get(key);
      if (m === undefined) byCause.set(key, (m = new Map()));
      m.set(c.person, [...(m.get(c.person) ?? []), c.account]);
    }
  }
  const shared = new Map<string, { cause: string; verb: string; accounts: string[]; people: Set<string> }>();
  for (const [key, m] of byCause) {
    const [cause, verb] = key.split('\u0000');
    for (const [person, accounts] of m) {
      const k = `${key}\u0000${accounts.join(',')}`;
      let g = shared.get(k);
      if (g === undefined) shared.set(k, (g = { cause: cause.replace(/^: /, ''), verb, accounts, people: new Set() }));
      g.people.add(person);
    }
  }
  const lines: string[] = [];
  for (const g of own.values()) lines.push(`${g.person} ${verbOn(g.verb, whereText(g.accounts), false)}${reasonText(g.change)}`);
  for (const g of [...shared.values()].sort((x, y) => (x.cause < y.cause ? -1 : x.cause > y.cause ? 1 : 0))) {
    const people = [...g.people].sort();
    const many = people.length !== 1;
    lines.push(
      `${g.cause}: ${people.length} ${many ? 'people' : 'person'} ${verbOn(g.verb, whereText(g.accounts), many)}: ${people.join(', ')}`,
    );
  }
  return [...lines, ...principals];
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
  /** People whose transitive paths (the engine's chains, after the change) end at one of the function's roles, members aside. */
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
  /** People whose stack changes (organization.peopleShards): no access changes, but their resources move by removed/import. */
  peopleMoves: Array<{ from: string; to: string; people: string[] }>;
  /** Account names whose AWS account id changes, and what that does to each AWS account (see diffAccountIds). */
  accountIds: AccountIdChange[];
  /** Someone gains write or more on an account with data: customer (what `--fail-on customer-write` acts on). */
  customerWrite: string[];
  /** Grants and memberships that gain or change an end (`until`): "bob gains admin on production until ...". */
  timeBound: string[];
  /** Memberships of break-glass functions that appear or change: shown first, loud. */
  breakGlass: string[];
  /**
   * IAM Identity Center (organization.people names identity-center on either side): identity store users,
   * permission sets (and changes to their policies or session) and account assignments that appear or go.
   */
  identityCenter: IdentityCenterChange;
}

export interface IdentityCenterChange {
  users: { added: string[]; removed: string[] };
  permissionSets: { added: string[]; removed: string[]; changed: string[] };
  /** `<function> -> <account> (<permission set>)`, sorted. */
  assignments: { added: string[]; removed: string[] };
}

/**
 * One AWS account whose account name in the file changes, because an id
 * changed (`production` and `development` swapping ids, or a new id): every
 * role of the old name is now in another AWS account. The name-keyed diff
 * sees no change there; this says who holds what in the AWS account itself.
 */
export interface AccountIdChange {
  id: string;
  /** Its account name before and after (absent: no account of that side has this id). */
  before?: string;
  after?: string;
  data: { before: string; after: string };
  /** Level per function and per person in this AWS account, where it differs. */
  functions: Array<{ function: string; before: AccessLevel; after: AccessLevel }>;
  people: Array<{ person: string; before: AccessLevel; after: AccessLevel }>;
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

/** The permission sets of every role the function holds on the account, sorted; undefined where it holds none. */
function grantSets(model: Model, fn: string, account: string): string[] | undefined {
  const grants = model.grants[fn]?.[account];
  if (grants === undefined) return undefined;
  return [...new Set(grants.flatMap((g) => g.permissionSets))].sort();
}

/** What the function's roles on the account allow, entry by entry, keyed for comparison. */
function grantEntries(model: Model, fn: string, account: string): Map<string, GrantEntry> {
  const out = new Map<string, GrantEntry>();
  for (const set of grantSets(model, fn, account) ?? []) {
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

/**
 * True when the function's grant on the account names the same permission
 * sets on both sides, each with the same content: then grantEntries cannot
 * differ, and the (functions x accounts) comparison is skipped.
 */
function sameGrant(before: Model, after: Model, fn: string, account: string): boolean {
  const shape = (m: Model) => JSON.stringify(m.grants[fn]?.[account] ?? null);
  if (shape(before) !== shape(after)) return false;
  const was = grantSets(before, fn, account);
  const now = grantSets(after, fn, account);
  if (was === undefined || now === undefined) return was === now;
  return now.every((set) => permissionSetContentKey(before, set) === permissionSetContentKey(after, set));
}

function rolesOf(plan: OrgPlan | undefined): Set<string> {
  return new Set((plan?.stacks ?? []).flatMap((s) => s.roles.map((r) => `${r.arn} (stack ${s.id})`)));
}

const atLeastWrite = (level: AccessLevel) => compareAccessLevel(level, 'write') >= 0;

/** The whole access diff between two compiled files (`before` absent: the file is new). */
export function diffEffectiveAccess(before: DiffSide | undefined, after: DiffSide): AccessDiff {
  const people = diffAccess(before?.matrix, after.matrix);
  const customer = (account: string) =>
    (after.model.org.accounts[account]?.data ?? before?.model.org.accounts[account]?.data) === 'customer';
  const customerWrite: string[] = [];

  // Who reaches each function's roles otherwise than as a member (after): the roles the people's chains end at, once.
  const functionsOfRole = new Map<string, string[]>();
  for (const f of after.matrix.functions) {
    for (const a of after.matrix.accounts) {
      for (const r of after.matrix.roles(f.name, a.name)) {
        if (r.roleArn !== undefined) functionsOfRole.set(r.roleArn, [...(functionsOfRole.get(r.roleArn) ?? []), f.name]);
      }
    }
  }
  const joinersOf = new Map<string, string[]>();
  for (const p of after.matrix.people) {
    const reached = new Set<string>();
    for (const group of after.matrix.transitive(p.name)) {
      for (const t of group.targets) for (const fn of (t.path.roleArn && functionsOfRole.get(t.path.roleArn)) || []) reached.add(fn);
    }
    for (const fn of reached) joinersOf.set(fn, [...(joinersOf.get(fn) ?? []), p.name]);
  }
  const membersOf = (side: DiffSide | undefined) => new Map((side?.matrix.functions ?? []).map((f) => [f.name, f.members]));
  const membersBefore = membersOf(before);
  const membersAfter = membersOf(after);

  // Functions x accounts whose allowed actions or resources change.
  const functions: FunctionAccountChange[] = [];
  const roleWrites = new Map<string, string[]>();
  const fnNames = new Set([...Object.keys(before?.model.org.functions ?? {}), ...Object.keys(after.model.org.functions)]);
  for (const fn of [...fnNames].sort()) {
    const accounts = new Set([...Object.keys(before?.model.grants[fn] ?? {}), ...Object.keys(after.model.grants[fn] ?? {})]);
    for (const account of [...accounts].sort()) {
      if (before && sameGrant(before.model, after.model, fn, account)) continue;
      const was = before ? grantEntries(before.model, fn, account) : new Map<string, GrantEntry>();
      const now = grantEntries(after.model, fn, account);
      const added = [...now].filter(([k]) => !was.has(k)).map(([, e]) => e);
      const removed = [...was].filter(([k]) => !now.has(k)).map(([, e]) => e);
      if (added.length === 0 && removed.length === 0) continue;
      const level = (side: DiffSide | undefined) =>
        side && fn in side.model.org.functions && account in side.model.org.accounts ? side.matrix.functionCell(fn, account).level : 'none';
      const members = new Set([...(membersBefore.get(fn) ?? []), ...(membersAfter.get(fn) ?? [])]);
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
          ...[...new Set([...(before?.model.org.functions[fn]?.principals ?? []), ...(after.model.org.functions[fn]?.principals ?? [])])]
            .sort()
            .map((arn) => `principal ${arn}`),
        ],
        joiners: account in after.model.org.accounts ? (joinersOf.get(fn) ?? []).filter((p) => !members.has(p)) : [],
      };
      functions.push(change);
      if (customer(account)) {
        for (const e of added
          .filter((x) => x.text.startsWith('Allow') || x.text.startsWith('managed'))
          .filter((x) => atLeastWrite(x.level))) {
          const key = `function ${fn} gains ${e.text} (${e.level})\u0000, through permission set ${e.set}`;
          roleWrites.set(key, [...(roleWrites.get(key) ?? []), account]);
        }
      }
    }
  }

  // One line per change and the accounts it reaches, not one per account.
  const where = (accounts: string[]) => (accounts.length === 1 ? accounts[0] : `${accounts.length} accounts (${accountList(accounts)})`);
  for (const [key, accounts] of roleWrites) {
    const [head, tail] = key.split('\u0000');
    customerWrite.push(`${head} on ${where(accounts)} (data: customer)${tail}`);
  }

  // People who gain write or more on customer data, or a new path at that level.
  const personWrites = new Map<string, AccessChange[]>();
  for (const c of people) {
    if (c.levels) {
      // A machine principal: its cell is a level, not paths.
      if (customer(c.account) && atLeastWrite(c.levels.after) && !atLeastWrite(c.levels.before))
        customerWrite.push(`${c.summary} (data: customer)`);
      continue;
    }
    if (!customer(c.account) || !c.after || !atLeastWrite(c.after.level)) continue;
    const wasLevel = c.before?.level ?? 'none';
    const oldPaths = new Set(
      (c.before?.paths ?? [])
        .filter((p) => atLeastWrite(p.level))
        .map((p) => JSON.stringify([p.kind, 'function' in p ? p.function : '', 'pipeline' in p ? p.pipeline : ''])),
    );
    const newPath = c.after.paths.some(
      (p) =>
        atLeastWrite(p.level) &&
        !oldPaths.has(JSON.stringify([p.kind, 'function' in p ? p.function : '', 'pipeline' in p ? p.pipeline : ''])),
    );
    if (!atLeastWrite(wasLevel) || newPath) {
      const key = `${c.person}\u0000${c.verb}\u0000${reasonText(c)}`;
      personWrites.set(key, [...(personWrites.get(key) ?? []), c]);
    }
  }
  for (const group of personWrites.values()) {
    const c = group[0];
    if (group.length === 1) customerWrite.push(`${c.summary} (data: customer)`);
    else customerWrite.push(`${c.person} ${verbOn(c.verb, where(group.map((x) => x.account)), false)}${reasonText(c)} (data: customer)`);
  }

  const accountIds = before ? diffAccountIds(before, after) : [];
  for (const change of accountIds) {
    if (change.data.before !== 'customer' && change.data.after !== 'customer') continue;
    for (const p of change.people) {
      if (atLeastWrite(p.after) && !atLeastWrite(p.before))
        customerWrite.push(`${p.person} gains ${p.after} on ${awsAccountLabel(change)} (data: customer)`);
    }
  }

  // Credentials.
  const credentials: CredentialChange[] = [];
  const everyone = new Set([...Object.keys(before?.model.org.people ?? {}), ...Object.keys(after.model.org.people)]);
  for (const person of [...everyone].sort()) {
    // On Identity Center alone the file's people are no IAM users: going there deletes them.
    const iamBefore = before !== undefined && usesIamUsers(before.model.org.organization);
    const iamAfter = usesIamUsers(after.model.org.organization);
    const b = iamBefore ? before?.model.org.people[person] : undefined;
    const a = iamAfter ? after.model.org.people[person] : undefined;
    const parts: string[] = [];
    if (!b && a) parts.push('is a new IAM user');
    if (b && !a) {
      const held = [b.console ? 'console password' : '', b.accessKey ? 'access key' : ''].filter((x) => x !== '');
      parts.push(
        after.model.org.people[person] !== undefined
          ? `loses their IAM user${held.length > 0 ? ` (with its ${held.join(' and ')})` : ''}: people: iam-users is no longer in the file`
          : 'is removed (IAM user deleted, with their credentials)',
      );
    }
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
  const { timeBound, breakGlass } = timeBoundChanges(before, after);
  return {
    timeBound,
    breakGlass,
    people,
    functions,
    credentials,
    roles: setDiff(rolesOf(before?.plan), rolesOf(after.plan)),
    stacks: setDiff(stacksOf(before?.plan), stacksOf(after.plan)),
    peopleMoves: peopleMoves(before?.plan, after.plan),
    accountIds,
    customerWrite,
    identityCenter: identityCenterChanges(before?.plan, after.plan),
  };
}

/** What the two plans' Identity Center parts hold, keyed for comparison. */
function identityCenterOf(plan: OrgPlan | undefined): {
  users: Set<string>;
  sets: Map<string, IdcPermissionSetPlan>;
  assignments: Set<string>;
} {
  const users = new Set<string>();
  const sets = new Map<string, IdcPermissionSetPlan>();
  const assignments = new Set<string>();
  for (const stack of plan?.stacks ?? []) {
    const idc = stack.identityCenter;
    if (!idc) continue;
    for (const u of idc.users) users.add(u.key);
    for (const p of idc.permissionSets) sets.set(p.name, p);
    const byKey = new Map(idc.permissionSets.map((p) => [p.key, p.name]));
    for (const a of idc.assignments) assignments.add(`${a.group} -> ${a.account.name} (${byKey.get(a.permissionSet) ?? a.permissionSet})`);
  }
  return { users, sets, assignments };
}

function identityCenterChanges(before: OrgPlan | undefined, after: OrgPlan): IdentityCenterChange {
  const b = identityCenterOf(before);
  const a = identityCenterOf(after);
  const diff = (was: Iterable<string>, now: Iterable<string>) => {
    const w = new Set(was);
    const n = new Set(now);
    return { added: [...n].filter((x) => !w.has(x)).sort(), removed: [...w].filter((x) => !n.has(x)).sort() };
  };
  const content = (p: IdcPermissionSetPlan) =>
    JSON.stringify([p.managedPolicyArns, p.inlinePolicy ?? null, p.sessionDuration, p.relayState ?? null]);
  const changed = [...a.sets.keys()].filter((name) => b.sets.has(name) && content(b.sets.get(name)!) !== content(a.sets.get(name)!)).sort();
  return {
    users: diff(b.users, a.users),
    permissionSets: { ...diff(b.sets.keys(), a.sets.keys()), changed },
    assignments: diff(b.assignments, a.assignments),
  };
}

function identityCenterSize(c: IdentityCenterChange): number {
  return (
    c.users.added.length +
    c.users.removed.length +
    c.permissionSets.added.length +
    c.permissionSets.removed.length +
    c.permissionSets.changed.length +
    c.assignments.added.length +
    c.assignments.removed.length
  );
}

/**
 * AWS accounts whose name changes because an account's id changed. The
 * matrix is keyed by account name, so a swap of two ids leaves every cell as
 * it was while the roles move between AWS accounts: here each such AWS
 * account is compared with itself, by id. Costs people x changed ids.
 */
export function diffAccountIds(before: DiffSide, after: DiffSide): AccountIdChange[] {
  const ids = (side: DiffSide) => {
    const byId = new Map<string, string>();
    for (const [name, account] of Object.entries(side.model.org.accounts)) if (account?.id) byId.set(account.id, name);
    return byId;
  };
  const was = ids(before);
  const now = ids(after);
  const idOf = (side: DiffSide, name: string) => side.model.org.accounts[name]?.id;
  const moved = new Set<string>();
  for (const name of Object.keys(after.model.org.accounts)) {
    const a = idOf(after, name);
    const b = name in before.model.org.accounts ? idOf(before, name) : undefined;
    // A name that keeps its id, a new name, a name that gets its first id: nothing moves.
    if (a === undefined || b === undefined || a === b) continue;
    moved.add(a).add(b);
  }
  const people = [...new Set([...before.matrix.people, ...after.matrix.people].map((p) => p.name))].sort();
  const functions = [...new Set([...before.matrix.functions, ...after.matrix.functions].map((f) => f.name))].sort();
  const has = (list: Array<{ name: string }>, name: string) => list.some((x) => x.name === name);
  const changes: AccountIdChange[] = [];
  for (const id of [...moved].sort()) {
    const nb = was.get(id);
    const na = now.get(id);
    const change: AccountIdChange = {
      id,
      data: {
        before: nb ? (before.model.org.accounts[nb]?.data ?? 'none') : 'none',
        after: na ? (after.model.org.accounts[na]?.data ?? 'none') : 'none',
      },
      functions: [],
      people: [],
    };
    if (nb !== undefined) change.before = nb;
    if (na !== undefined) change.after = na;
    for (const fn of functions) {
      const lb = nb && has(before.matrix.functions, fn) ? before.matrix.functionCell(fn, nb).level : 'none';
      const la = na && has(after.matrix.functions, fn) ? after.matrix.functionCell(fn, na).level : 'none';
      if (lb !== la) change.functions.push({ function: fn, before: lb, after: la });
    }
    for (const person of people) {
      const lb = nb && has(before.matrix.people, person) ? before.matrix.cell(person, nb).level : 'none';
      const la = na && has(after.matrix.people, person) ? after.matrix.cell(person, na).level : 'none';
      if (lb !== la) change.people.push({ person, before: lb, after: la });
    }
    changes.push(change);
  }
  return changes;
}

/** `AWS account 222222222222 (production -> development)`. */
function awsAccountLabel(c: AccountIdChange): string {
  return `AWS account ${c.id} (${c.before ?? 'not in the file'} -> ${c.after ?? 'not in the file'})`;
}

/** The account id section: each renamed id, then per AWS account whose level changes for whom. */
function renderAccountIds(changes: AccountIdChange[]): string[] {
  const out = [
    `Account ids: ${changes.length} AWS account${changes.length === 1 ? '' : 's'} change name (an account's id changed; every role of a name moves with its id):`,
  ];
  for (const c of changes) {
    const data = c.data.before === c.data.after ? `data: ${c.data.after}` : `data: ${c.data.before} -> ${c.data.after}`;
    out.push(`  ${awsAccountLabel(c)}, ${data}:`);
    if (c.functions.length + c.people.length === 0) out.push('    no function or person changes level there');
    for (const f of c.functions) out.push(`    function ${f.function}: ${f.before} -> ${f.after}`);
    for (const p of c.people) out.push(`    ${p.person}: ${p.before} -> ${p.after}`);
  }
  return out;
}

/** What a function's roles give, per account: "admin on production (role operations-admin until ...)". */
function roleSummary(side: DiffSide, fn: string, end?: string): string {
  const parts: string[] = [];
  for (const account of Object.keys(side.model.grants[fn] ?? {}).sort()) {
    for (const r of side.matrix.roles(fn, account)) {
      const until = r.until !== undefined && (end === undefined || r.until < end) ? r.until : end;
      parts.push(`${r.level} on ${account} (role ${r.role}${until !== undefined ? ` until ${until}` : ''})`);
    }
  }
  return parts.length > 0 ? parts.join(', ') : 'no role yet';
}

/**
 * Ends that appear or change: time-bound memberships (each person's) and
 * time-bound grants (each function, account and role). A membership of a
 * break-glass function is also listed apart, to be shown first.
 */
function timeBoundChanges(before: DiffSide | undefined, after: DiffSide): { timeBound: string[]; breakGlass: string[] } {
  const timeBound: string[] = [];
  const breakGlass: string[] = [];
  const org = after.model.org;
  // Ends as the plans emit them (the matrix reads each person's own policies and the groups' assume statements).
  const ends = (side: DiffSide | undefined) => new Map((side?.matrix.people ?? []).map((p) => [p.name, p.until ?? {}]));
  const endsAfter = ends(after);
  const endsBefore = ends(before);
  for (const person of Object.keys(org.people).sort()) {
    const was = before?.model.org.people[person];
    for (const fn of org.people[person].functions) {
      const until = endsAfter.get(person)?.[fn];
      const had = was?.functions.includes(fn) ?? false;
      const wasUntil = endsBefore.get(person)?.[fn];
      const glass = org.functions[fn]?.breakGlass !== undefined;
      if (until === undefined ? !glass || had : had && wasUntil === until) continue;
      const line =
        until === undefined
          ? `${person} joins ${fn} (no end): ${roleSummary(after, fn)}`
          : `${person} ${had && wasUntil !== undefined ? `renews ${fn} (was until ${wasUntil})` : `gains ${fn}`} until ${until}: ${roleSummary(after, fn, until)}`;
      (glass ? breakGlass : timeBound).push(line);
    }
  }
  for (const fn of Object.keys(after.model.grants).sort()) {
    for (const account of Object.keys(after.model.grants[fn]).sort()) {
      for (const g of after.matrix.roles(fn, account)) {
        if (g.until === undefined) continue;
        const old =
          before && account in before.model.org.accounts ? before.matrix.roles(fn, account).find((b) => b.role === g.role) : undefined;
        if (old?.until === g.until) continue;
        const members = after.matrix.functions.find((f) => f.name === fn)?.members ?? [];
        timeBound.push(
          `function ${fn} ${old ? (old.until ? `renews role ${g.role} (was until ${old.until})` : `bounds role ${g.role} (was no end)`) : `gains role ${g.role}`} on ${account} until ${g.until}: ${g.level}; affects: ${members.length > 0 ? members.join(', ') : 'no members'}`,
        );
      }
    }
  }
  return { timeBound, breakGlass };
}

/** Who holds each person, before and after, grouped by (from, to): "people-0 -> people-3: alice, bob". */
function peopleMoves(before: OrgPlan | undefined, after: OrgPlan | undefined): AccessDiff['peopleMoves'] {
  if (!before || !after) return [];
  const homes = (plan: OrgPlan) => new Map(plan.stacks.flatMap((s) => s.users.map((u) => [u.key, s.id] as const)));
  const was = homes(before);
  const moves = new Map<string, { from: string; to: string; people: string[] }>();
  for (const [person, to] of [...homes(after)].sort(([a], [b]) => a.localeCompare(b))) {
    const from = was.get(person);
    if (from === undefined || from === to) continue;
    const key = `${from}\u0000${to}`;
    const move = moves.get(key) ?? { from, to, people: [] };
    move.people.push(person);
    moves.set(key, move);
  }
  return [...moves.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

function peopleHeader(changes: AccessChange[], baseLabel: string): string {
  const gains = changes.filter((c) => compareAccessLevel(changeLevels(c).after, changeLevels(c).before) > 0).length;
  const losses = changes.filter((c) => compareAccessLevel(changeLevels(c).after, changeLevels(c).before) < 0).length;
  const other = changes.length - gains - losses;
  return `Access changes against ${baseLabel}: ${count(changes.length, 'change')} (${count(gains, 'gain')}, ${count(losses, 'loss', 'losses')}, ${other} other)`;
}

/** The person x account changes alone. */
export function renderAccessDiff(changes: AccessChange[], baseLabel: string): string {
  if (changes.length === 0) return `No access changes against ${baseLabel}.`;
  return [peopleHeader(changes, baseLabel), ...groupAccessChanges(changes).map((line) => `  ${line}`)].join('\n');
}

/** The whole diff, for a reviewer: people first, then what changed in each role, credentials, roles and stacks. */
export function renderEffectiveDiff(diff: AccessDiff, baseLabel: string): string {
  const empty =
    diff.people.length +
      diff.functions.length +
      diff.credentials.length +
      diff.roles.added.length +
      diff.roles.removed.length +
      diff.stacks.added.length +
      diff.stacks.removed.length +
      diff.peopleMoves.length +
      diff.accountIds.length +
      diff.timeBound.length +
      diff.breakGlass.length +
      identityCenterSize(diff.identityCenter) ===
    0;
  if (empty) return `No access changes against ${baseLabel}.`;
  const out: string[] = [];
  if (diff.breakGlass.length > 0) {
    // Loud on purpose: someone is breaking the glass (docs/break-glass.md says who approves).
    out.push(`!!! BREAK-GLASS (${diff.breakGlass.length}): emergency access, needs the approval docs/break-glass.md names`);
    for (const line of diff.breakGlass) out.push(`!!!   ${line}`);
    out.push('');
  }
  if (diff.people.length > 0) out.push(renderAccessDiff(diff.people, baseLabel));
  else if (diff.accountIds.length === 0)
    out.push(
      diff.functions.length > 0
        ? `Access changes against ${baseLabel}: no person's level or paths change; what the roles allow does:`
        : `Access changes against ${baseLabel}: no person's level or paths change; what grants it does:`,
    );
  else out.push(`Access changes against ${baseLabel}: no level or path changes by account name, but access moves between AWS accounts:`);
  if (diff.accountIds.length > 0) {
    // In the summary too: an id change moves every role of the name, though no cell keyed by name changes.
    const moved = diff.accountIds.flatMap((c) => c.people.map((p) => `${p.person} ${p.before} -> ${p.after} on ${c.id}`));
    out.push(
      `  account ids change: ${accountList(
        diff.accountIds.map((c) => awsAccountLabel(c)),
        6,
      )}; ${moved.length} person x AWS account level change${moved.length === 1 ? '' : 's'}${moved.length > 0 ? `: ${accountList(moved, 6)}` : ''}`,
    );
    out.push('', ...renderAccountIds(diff.accountIds));
  }
  if (diff.functions.length > 0) {
    // One entry per function and identical change: a permission set edited under 100 accounts is one entry, not 100.
    const groups = new Map<string, { f: FunctionAccountChange; accounts: string[] }>();
    for (const f of diff.functions) {
      const key = JSON.stringify([f.function, f.data, f.before, f.after, f.added, f.removed, f.affects, f.joiners]);
      const g = groups.get(key);
      if (g) g.accounts.push(f.account);
      else groups.set(key, { f, accounts: [f.account] });
    }
    out.push('', `What roles allow: ${count(diff.functions.length, 'function x account', 'function x account pairs')} changed`);
    for (const { f, accounts } of groups.values()) {
      const level = f.before === f.after ? `keeps ${f.after}` : `${f.before} -> ${f.after}`;
      const where = accounts.length === 1 ? accounts[0] : `${accounts.length} accounts (${accountList(accounts)})`;
      out.push(`  function ${f.function} on ${where} (data: ${f.data}): ${level}`);
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
  if (diff.timeBound.length > 0) {
    out.push('', 'Time-bound (IAM ends them at until, applied or not):');
    for (const line of diff.timeBound) out.push(`  ${line}`);
  }
  if (diff.credentials.length > 0) {
    out.push('', 'Credentials:');
    for (const c of diff.credentials) out.push(`  ${c.summary}`);
  }
  const idc = diff.identityCenter;
  if (identityCenterSize(idc) > 0) {
    out.push('', 'Identity Center:');
    const list = (sign: string, what: string, items: string[]) => {
      if (items.length > 0) out.push(`  ${sign} ${count(items.length, what)}: ${items.join(', ')}`);
    };
    list('+', 'identity store user', idc.users.added);
    list('-', 'identity store user', idc.users.removed);
    list('+', 'permission set', idc.permissionSets.added);
    list('-', 'permission set', idc.permissionSets.removed);
    list('~', 'permission set', idc.permissionSets.changed);
    for (const x of idc.assignments.added) out.push(`  + assignment ${x}`);
    for (const x of idc.assignments.removed) out.push(`  - assignment ${x}`);
  }
  if (diff.roles.added.length + diff.roles.removed.length > 0) {
    out.push('', 'Roles:');
    for (const r of diff.roles.added) out.push(`  + ${r}`);
    for (const r of diff.roles.removed) out.push(`  - ${r}`);
  }
  if (diff.stacks.added.length + diff.stacks.removed.length + diff.peopleMoves.length > 0) {
    out.push('', 'Stacks:');
    for (const s of diff.stacks.added) out.push(`  + ${s}`);
    for (const s of diff.stacks.removed) out.push(`  - ${s}`);
    // A move changes nobody's access: their resources are forgotten by one stack and imported by the other.
    for (const m of diff.peopleMoves) {
      const n = m.people.length;
      out.push(`  ~ ${n} ${n === 1 ? 'person moves' : 'people move'} from ${m.from} to ${m.to} (removed + import): ${m.people.join(', ')}`);
    }
  }
  if (diff.customerWrite.length > 0) {
    out.push('', `Write or more on customer data (${diff.customerWrite.length}):`);
    for (const c of diff.customerWrite) out.push(`  ${c}`);
  }
  return out.join('\n');
}

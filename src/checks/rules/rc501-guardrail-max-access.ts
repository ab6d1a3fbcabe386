/**
 * Guardrails (SPEC section 1): invariants such as "developers never change
 * customer data", checked at compile time so no later change can break one
 * unnoticed. A guardrail selects people (those named, and every holder of a
 * listed function) and bounds their WHOLE access on the selected accounts:
 * every function they hold, every pipeline they can change and every
 * transitive path (the access engine's chains, src/plan/access.ts) counts, not only the functions the
 * guardrail names. It bounds the functions it names too, members or not,
 * and their machine principals (functions.<fn>.principals): a guardrail
 * cannot name a principal itself, it names the function.
 *
 * One rule, three codes: RC502 is this check's summary once a guardrail has
 * more than MAX_BREACHES_SHOWN breaches (RC501 each), not a check of its own;
 * RC503 a time-bound path its `timeBound` does not admit (issue 20).
 */
import { errorAt, type Diagnostic, type KeyPath } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { AccessLevel } from '../../model/schema';
import type { Model } from '../../model/model';
import { compareAccessLevel } from '../../iam/actions';
import { durationSeconds } from '../../model/duration';
import { latestWithin, referenceText } from '../../model/reference-time';
import { guardrailAccounts, reservedAccounts } from '../../model/references';
import type { AccessMatrix, AccessPath, CellAccess } from '../../plan/access';
import { chainText, isDirectPath } from '../../plan/access-paths';
import type { Rule } from '../rule';

// Messages

/** What a breach message needs of an access path (the plan's AccessPath fits). */
type BreachSets = readonly { name: string; level: AccessLevel; action?: string }[];
export type BreachPath =
  | {
      kind: 'function';
      function: string;
      level: AccessLevel;
      action?: string;
      /** Every permission set the role holds on the account. */
      permissionSets: BreachSets;
    }
  | {
      kind: 'pipeline';
      pipeline: string;
      level: AccessLevel;
      action?: string;
      changer: { name: string };
    }
  | {
      kind: 'chain';
      chain: readonly { label: string; edge?: string; action?: string; via?: string }[];
      level: AccessLevel;
      action?: string;
      until?: string;
    };

export interface Breach {
  guardrail: string;
  maxAccess: AccessLevel;
  /** The person breaching; absent when a function breaches on its own (it has no members). */
  person?: string;
  /** The function breaching on its own. */
  function?: string;
  account: string;
  path: BreachPath;
}

/** "a write action", "an admin action". */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function levelAbove(a: AccessLevel, b: AccessLevel): boolean {
  return compareAccessLevel(a, b) > 0;
}

/**
 * One person's (or member-less function's) path breaching a guardrail on one account:
 *   guardrail "developers never change customer data" breached: dave has write on account storage
 *   through function developers (permission set admin allows s3:AbortMultipartUpload, a write action);
 *   the guardrail allows at most read
 */
export function guardrailBreach(b: Breach): Message {
  const who = b.person ?? `function ${b.function} (no members yet, so on its own)`;
  const head = `guardrail "${b.guardrail}" breached: ${who} has ${b.path.level} on account ${b.account}`;
  const tail = `the guardrail allows at most ${b.maxAccess}`;
  const expected = `at most ${b.maxAccess} for everyone the guardrail selects and every function it names, through every function, pipeline and transitive path`;
  const out = b.person !== undefined ? `, or take ${b.person} out of ` : undefined;
  switch (b.path.kind) {
    case 'function': {
      const fn = b.path.function;
      const action = b.path.action;
      const level = b.path.level;
      const culprit = b.path.permissionSets.find((s) => s.action === action && s.level === level);
      const over = b.path.permissionSets.filter((s) => levelAbove(s.level, b.maxAccess)).map((s) => s.name);
      return {
        code: 'RC501',
        message: `${head} through function ${fn} (permission set ${culprit?.name ?? '?'} allows ${action}, ${article(level)} ${level} action); ${tail}`,
        expected,
        // The message names one action; explain names every one above the bound (a managed policy may hold several).
        fix: `grant function ${fn} no more than ${b.maxAccess} on ${b.account} (now: ${over.join(', ')})${out ? `${out}${fn}` : ''}; every action above ${b.maxAccess}: npx --no-install rolecall explain ${b.person ?? fn} ${b.account}`,
      };
    }
    case 'pipeline':
      return {
        code: 'RC501',
        message: `${head} through pipeline ${b.path.pipeline} (as ${b.person !== undefined ? 'a member of ' : ''}changer function ${b.path.changer.name}; changers hold what its apply credentials hold, e.g. ${b.path.action}, ${article(b.path.level)} ${b.path.level} action); ${tail}`,
        expected,
        fix: `remove ${b.path.changer.name} from pipelines.${b.path.pipeline}.changers, or leave ${b.account} out of the pipeline's accounts`,
      };
    case 'chain': {
      const [from, step] = b.path.chain;
      // Administering Identity Center is the cause: the fix is where it is administered from, not the first hop.
      const admin = b.path.chain.findIndex((h) => h.edge === 'identity-center-admin');
      if (admin > 0) {
        const holder = b.path.chain[admin - 1];
        return {
          code: 'RC501',
          message: `${head} through a chain of principals: ${chainText(b.path.chain)} (it holds ${b.path.level} there, e.g. ${b.path.action ?? '?'})${b.path.until ? `, until ${b.path.until}` : ''}; ${tail}`,
          expected,
          fix: `take ${b.path.chain[admin].action ?? 'Identity Center writes'} away from ${holder.label}: whoever may write assignments, permission sets or memberships where Identity Center is administered reaches every account it assigns; administer it from an account only its administrators hold (organization.identityCenter.account, default the master)`,
        };
      }
      return {
        code: 'RC501',
        message: `${head} through a chain of principals: ${chainText(b.path.chain)} (it holds ${b.path.level} there, e.g. ${b.path.action ?? '?'})${b.path.until ? `, until ${b.path.until}` : ''}; ${tail}`,
        expected,
        fix:
          step !== undefined
            ? `take ${step.via ? `pipeline ${step.via}'s credentials` : (step.action ?? 'the first step')} away from ${from?.label ?? 'the holder'} (${step.label}), or narrow what ${b.path.chain[b.path.chain.length - 1].label} holds on ${b.account}`
            : `narrow what ${from?.label ?? 'the holder'} holds on ${b.account}`,
      };
    }
  }
}

/** A time-bound path a guardrail's timeBound does not admit: above its level, or ending too far ahead. */
export function timeBoundBreach(
  guardrail: string,
  who: string,
  account: string,
  path: { function: string; level: AccessLevel },
  until: string,
  bound: { maxAccess: AccessLevel; within: string },
  latest: string,
  from: string,
): Message {
  const over = compareAccessLevel(path.level, bound.maxAccess) > 0;
  return {
    code: 'RC503',
    message: over
      ? `guardrail "${guardrail}": ${who} holds ${path.level} on ${account} through function ${path.function} until ${until}, above its timeBound.maxAccess ${bound.maxAccess}`
      : `guardrail "${guardrail}": ${who} holds ${path.level} on ${account} through function ${path.function} until ${until}, more than ${bound.within} after ${from} (timeBound.within)`,
    expected: `above ${bound.maxAccess === 'none' ? 'nothing' : 'its maxAccess'}, only ${bound.maxAccess} or less, time-bound, ending by ${latest} (${bound.within} after the change's reference time: docs/org-file.md#time-bound-access)`,
    fix: over ? `grant at most ${bound.maxAccess} there` : `until: "${latest}" (renew by a new reviewed change)`,
  };
}

/** More breaches than are worth printing one by one. */
export function moreBreaches(guardrail: string, shown: number, total: number, people: number, accounts: number): Message {
  return {
    code: 'RC502',
    message: `guardrail "${guardrail}": ${total - shown} more breaches not shown (${total} in all, by ${people} people on ${accounts} accounts)`,
    fix: 'run `npx --no-install rolecall access` or `npx --no-install rolecall explain PERSON ACCOUNT` to see every path',
  };
}

// The check

/** Per guardrail; beyond this one summary error says how many more (a bad grant can breach for thousands). */
export const MAX_BREACHES_SHOWN = 50;

/** The people a guardrail selects, sorted. */
export function guardrailPeople(model: Model, index: number): string[] {
  const { org } = model;
  const g = org.guardrails[index];
  const functions = new Set(g.functions ?? []);
  const named = new Set(g.people ?? []);
  return Object.keys(org.people)
    .filter((p) => named.has(p) || org.people[p].functions.some((f) => functions.has(f)))
    .sort();
}

/**
 * The paths of a cell that breach `max`: every direct one (function,
 * pipeline) above it, and of the transitive ones only the highest (one
 * trigger can reach dozens of functions; one error says it).
 */
export function breachingPaths(cell: CellAccess, max: AccessLevel): AccessPath[] {
  if (compareAccessLevel(cell.level, max) <= 0) return [];
  const over = cell.paths.filter((p) => compareAccessLevel(p.level, max) > 0);
  const direct = over.filter(isDirectPath);
  const transitive = over.filter((p) => !isDirectPath(p));
  let top: AccessPath | undefined;
  for (const p of transitive) if (top === undefined || compareAccessLevel(p.level, top.level) > 0) top = p;
  return top ? [...direct, top] : direct;
}

/**
 * One error per (person, account, path) beyond the guardrail's maxAccess,
 * located at the guardrail; and, for each function it names that has no
 * members, one per (function, account, path) of the function's own access:
 * a function breaches on its own, members or not (a member's cell holds
 * all of its function's, so a function with members breaches through them).
 */
export function checkGuardrails(model: Model, matrix: AccessMatrix): Diagnostic[] {
  const { org } = model;
  const found: Diagnostic[] = [];
  const memberless = new Set(matrix.functions.filter((f) => f.members.length === 0).map((f) => f.name));
  const membershipEnds = new Map(matrix.people.flatMap((p) => (p.until !== undefined ? [[p.name, p.until] as const] : [])));
  org.guardrails.forEach((g, index) => {
    const path: KeyPath = ['guardrails', index];
    const accounts = guardrailAccounts(g.accounts, org.accounts, reservedAccounts(org.organization));
    let total = 0;
    const holders = new Set<string>();
    const breachedAccounts = new Set<string>();
    const record = (holder: string, account: string, breach: Pick<Breach, 'person' | 'function'>, accessPath: AccessPath) => {
      total++;
      holders.add(holder);
      breachedAccounts.add(account);
      if (total > MAX_BREACHES_SHOWN) return;
      found.push(
        errorAt(model, path, guardrailBreach({ guardrail: g.name, maxAccess: g.maxAccess, account, ...breach, path: accessPath })),
      );
    };
    const bound = g.timeBound;
    // Measured from the change's reference time: the org file's last commit, else the clock (src/model/reference-time.ts);
    // read only under a timeBound, since reading it runs git.
    const window = bound ? latestWithin(model.referenceTime, durationSeconds(bound.within)) : undefined;
    const latest = window?.iso ?? '';
    const from = bound ? referenceText(model.referenceTime) : '';
    /**
     * With timeBound: a direct function path that ends (its grant's until, or the holder's time-bound
     * membership) is admitted up to timeBound.maxAccess, ending by `latest`; otherwise an RC503 breach.
     * Returns true when the path is handled here (admitted or reported).
     */
    const timeBoundPath = (who: string, account: string, p: AccessPath, membership: string | undefined): boolean => {
      if (!bound || !window || p.kind !== 'function' || p.groupPolicy) return false;
      const until = [p.until, membership].filter((u): u is string => u !== undefined).sort()[0];
      if (until === undefined) return false;
      if (compareAccessLevel(p.level, bound.maxAccess) <= 0 && window.admits(until)) return true;
      total++;
      holders.add(who);
      breachedAccounts.add(account);
      if (total <= MAX_BREACHES_SHOWN)
        found.push(errorAt(model, path, timeBoundBreach(g.name, who, account, p, until, bound, latest, from)));
      return true;
    };
    for (const person of guardrailPeople(model, index)) {
      // Time-bound memberships as the plan emits them (the matrix reads the person's own policies), not the file's.
      const memberships = membershipEnds.get(person) ?? {};
      for (const account of accounts) {
        for (const p of breachingPaths(matrix.cell(person, account), g.maxAccess)) {
          if (timeBoundPath(person, account, p, p.kind === 'function' ? memberships[p.function] : undefined)) continue;
          record(person, account, { person }, p);
        }
      }
    }
    for (const fn of [...new Set(g.functions ?? [])].sort()) {
      const machines = [...new Set(org.functions[fn]?.principals ?? [])].sort();
      // A function with machine principals is held by them: they breach, named (below), rather than the function on its own.
      if (!memberless.has(fn) || machines.length > 0) continue;
      for (const account of accounts) {
        // A break-glass function within the bound: every future membership ends by then (RC233, RC234).
        const glass = org.functions[fn]?.breakGlass;
        const glassEnd = bound && glass !== undefined && durationSeconds(glass) <= durationSeconds(bound.within) ? latest : undefined;
        for (const p of breachingPaths(matrix.functionCell(fn, account), g.maxAccess)) {
          if (timeBoundPath(`function ${fn}`, account, p, glassEnd)) continue;
          record(`function ${fn}`, account, { function: fn }, p);
        }
      }
    }
    // Machine principals: what the access engine finds for each (the matrix's principals), not the function's cell:
    // a machine holds the role, not the group (no group policy, no pipeline), and whatever its own chain reaches.
    const selected = new Set(accounts);
    for (const fn of [...new Set(g.functions ?? [])].sort()) {
      for (const m of matrix.principals) {
        if (m.function !== fn || !selected.has(m.account) || compareAccessLevel(m.level, g.maxAccess) <= 0) continue;
        const paths: AccessPath[] = [];
        for (const role of matrix.roles(fn, m.account)) {
          if (compareAccessLevel(role.level, g.maxAccess) > 0) paths.push({ kind: 'function', ...role });
        }
        if (m.chain && compareAccessLevel(m.chain.level, g.maxAccess) > 0) paths.push(m.chain);
        for (const p of paths) record(`principal ${m.principal}`, m.account, { person: `principal ${m.principal}` }, p);
      }
    }
    if (total > MAX_BREACHES_SHOWN) {
      found.push(errorAt(model, path, moreBreaches(g.name, MAX_BREACHES_SHOWN, total, holders.size, breachedAccounts.size)));
    }
  });
  return found;
}

export const rule: Rule<'matrix'> = {
  id: 'guardrail-max-access',
  code: 'RC501',
  otherCodes: ['RC502', 'RC503'],
  title: 'Nobody a guardrail selects holds more than its maxAccess',
  needs: ['matrix'],
  check: ({ model, matrix }) => checkGuardrails(model, matrix),
};

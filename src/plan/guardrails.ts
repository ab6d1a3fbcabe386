/**
 * Guardrails (SPEC section 1): invariants such as "developers never change
 * customer data", checked at compile time so no later change can break one
 * unnoticed. A guardrail selects people (those named, and every holder of a
 * listed function) and bounds their WHOLE access on the selected accounts:
 * every function they hold, every pipeline they can change and every
 * transitive path (src/plan/access.ts) counts, not only the functions the
 * guardrail names. It bounds the functions it names too, members or not,
 * and their machine principals (functions.<fn>.principals): a guardrail
 * cannot name a principal itself, it names the function.
 */
import { errorAt, type Diagnostic, type KeyPath } from '../model/diagnostics';
import { guardrailBreach, moreBreaches, type Breach } from '../model/messages';
import type { AccessLevel } from '../model/schema';
import type { Model } from '../model/model';
import { compareAccessLevel } from '../iam/actions';
import { guardrailAccounts, reservedAccounts } from '../model/references';
import { type AccessMatrix, type AccessPath, type CellAccess } from './access';

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
  const direct = over.filter((p) => p.kind === 'function' || p.kind === 'pipeline');
  const transitive = over.filter((p) => p.kind === 'management' || p.kind === 'join');
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
    for (const person of guardrailPeople(model, index)) {
      for (const account of accounts) {
        for (const p of breachingPaths(matrix.cell(person, account), g.maxAccess)) record(person, account, { person }, p);
      }
    }
    for (const fn of [...new Set(g.functions ?? [])].sort()) {
      const machines = [...new Set(org.functions[fn]?.principals ?? [])].sort();
      // A function with machine principals is held by them: they breach, named (below), rather than the function on its own.
      if (!memberless.has(fn) || machines.length > 0) continue;
      for (const account of accounts) {
        for (const p of breachingPaths(matrix.functionCell(fn, account), g.maxAccess))
          record(`function ${fn}`, account, { function: fn }, p);
      }
    }
    // Machine principals assume the function's roles (not its group: no group policies, no pipeline).
    for (const fn of [...new Set(g.functions ?? [])].sort()) {
      const machines = [...new Set(org.functions[fn]?.principals ?? [])].sort();
      if (machines.length === 0) continue;
      for (const account of accounts) {
        for (const p of breachingPaths(matrix.functionCell(fn, account), g.maxAccess)) {
          if (p.kind === 'pipeline' || ((p.kind === 'function' || p.kind === 'join') && p.groupPolicy)) continue;
          for (const m of machines) record(`principal ${m}`, account, { person: `principal ${m}` }, p);
        }
      }
    }
    if (total > MAX_BREACHES_SHOWN) {
      found.push(errorAt(model, path, moreBreaches(g.name, MAX_BREACHES_SHOWN, total, holders.size, breachedAccounts.size)));
    }
  });
  return found;
}

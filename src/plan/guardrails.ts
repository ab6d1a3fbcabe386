/**
 * Guardrails (SPEC section 1): invariants such as "developers never change
 * customer data", checked at compile time so no later change can break one
 * unnoticed. A guardrail selects people (those named, and every holder of a
 * listed function) and bounds their WHOLE access on the selected accounts:
 * every function they hold and every pipeline they can change counts, not
 * only the functions the guardrail names. Machine principals of the
 * functions a guardrail names (functions.<fn>.principals) are bounded by it
 * as well: a guardrail cannot name a principal itself, it names the function.
 */
import { errorAt, type Diagnostic, type KeyPath } from '../model/diagnostics';
import { guardrailBreach, moreBreaches } from '../model/messages';
import type { Model } from '../model/model';
import { compareAccessLevel } from '../iam/actions';
import { selectAccounts, type AccessMatrix } from './access';

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

/** One error per (person, account, path) beyond the guardrail's maxAccess, located at the guardrail. */
export function checkGuardrails(model: Model, matrix: AccessMatrix): Diagnostic[] {
  const { org } = model;
  const found: Diagnostic[] = [];
  org.guardrails.forEach((g, index) => {
    const path: KeyPath = ['guardrails', index];
    const accounts = selectAccounts(org, g.accounts);
    let total = 0;
    const people = new Set<string>();
    const breachedAccounts = new Set<string>();
    for (const person of guardrailPeople(model, index)) {
      for (const account of accounts) {
        const cell = matrix.cell(person, account);
        if (compareAccessLevel(cell.level, g.maxAccess) <= 0) continue;
        for (const accessPath of cell.paths) {
          if (compareAccessLevel(accessPath.level, g.maxAccess) <= 0) continue;
          total++;
          people.add(person);
          breachedAccounts.add(account);
          if (total > MAX_BREACHES_SHOWN) continue;
          found.push(errorAt(model, path, guardrailBreach({ guardrail: g.name, maxAccess: g.maxAccess, person, account, path: accessPath })));
        }
      }
    }
    // Machine principals of the functions the guardrail names are bounded too (they are the function's access without a person).
    const railFunctions = new Set(g.functions ?? []);
    const selected = new Set(accounts);
    for (const p of matrix.principals) {
      if (!railFunctions.has(p.function) || !selected.has(p.account) || compareAccessLevel(p.level, g.maxAccess) <= 0) continue;
      total++;
      people.add(p.principal);
      breachedAccounts.add(p.account);
      if (total > MAX_BREACHES_SHOWN) continue;
      const breachPath = { kind: 'function' as const, function: p.function, level: p.level, action: p.action, permissionSets: p.permissionSets };
      found.push(errorAt(model, path, guardrailBreach({ guardrail: g.name, maxAccess: g.maxAccess, person: `principal ${p.principal}`, account: p.account, path: breachPath })));
    }
    if (total > MAX_BREACHES_SHOWN) {
      found.push(errorAt(model, path, moreBreaches(g.name, MAX_BREACHES_SHOWN, total, people.size, breachedAccounts.size)));
    }
  });
  return found;
}

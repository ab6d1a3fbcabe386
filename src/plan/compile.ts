/**
 * The whole front half of rolecall: file -> validated model -> plan -> plan
 * checks. `validate`, `synth`, main.ts and the reports all start here, so
 * they all refuse the same inputs with the same errors. The checks
 * themselves are rules in src/checks/.
 */
import { loadOrgBytes, loadOrgFile, loadOrgText } from '../model/load';
import type { Model } from '../model/model';
import { sortDiagnostics, type Diagnostic } from '../model/diagnostics';
import type { LoadResult } from '../model/model';
import { runChecks } from '../checks';
import { buildPlan } from './build';
import { buildAccessMatrix, type AccessMatrix } from './access';
import type { OrgPlan } from './types';

/**
 * `ok` exactly when there is no error: then the model, the plan and the
 * access matrix (derived once; the reports take it from here) are there.
 * Otherwise only the diagnostics: every error one run could find, the
 * plan-level ones included whenever the model could be salvaged.
 */
export type CompileResult =
  | { ok: true; model: Model; plan: OrgPlan; matrix: AccessMatrix; diagnostics: Diagnostic[] }
  | { ok: false; model?: undefined; plan?: undefined; matrix?: undefined; diagnostics: Diagnostic[] };

export function compileOrgFile(file: string): CompileResult {
  return compileLoaded(loadOrgFile(file));
}

/** From bytes (e.g. `git show REF:FILE`): refused in one error when they are not UTF-8 text. */
export function compileOrgBytes(bytes: Uint8Array, file: string): CompileResult {
  return compileLoaded(loadOrgBytes(bytes, file));
}

export function compileOrgText(text: string, file: string): CompileResult {
  return compileLoaded(loadOrgText(text, file));
}

function compileLoaded(loaded: LoadResult): CompileResult {
  if (!loaded.model) {
    return { ok: false, diagnostics: sortDiagnostics([...loaded.diagnostics, ...salvagedChecks(loaded.salvaged)]) };
  }
  const model = loaded.model;
  const plan = buildPlan(model);
  const matrix = buildAccessMatrix(model);
  const found = runChecks({ model, plan, matrix });
  // Guardrail breaches block the plan like quota errors (SPEC section 2); notices go with the plan.
  plan.notices = [...plan.notices, ...found.filter((d) => d.severity === 'notice')];
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...found]);
  if (hasErrors(found)) return { ok: false, diagnostics };
  return { ok: true, model, plan, matrix, diagnostics };
}

/**
 * The plan-level rules over a salvaged model. Salvage is best effort: a
 * model with errors can hold combinations the plan builder never sees
 * otherwise, so a failure here costs only these extra errors, never the
 * loader's (which already say what to fix first).
 */
function salvagedChecks(model: Model | undefined): Diagnostic[] {
  if (!model) return [];
  try {
    return runChecks({ model, plan: buildPlan(model), matrix: buildAccessMatrix(model) }, true);
  } catch {
    return [];
  }
}
export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The whole front half of rolecall: file -> validated model -> plan -> plan
 * checks. `validate`, `synth`, main.ts and the reports all start here, so
 * they all refuse the same inputs with the same errors.
 */
import { loadOrgBytes, loadOrgFile, loadOrgText } from '../model/load';
import type { Model } from '../model/model';
import { sortDiagnostics, type Diagnostic } from '../model/diagnostics';
import { buildPlan } from './build';
import { checkOrganization } from './organization';
import { checkQuotas } from './quotas';
import { buildAccessMatrix, type AccessMatrix } from './access';
import { checkGuardrails } from './guardrails';
import type { OrgPlan } from './types';
import { adoptNotices, checkDeploy } from './deploy';

/**
 * `ok` exactly when there is no error: then the model and the plan are there.
 * Otherwise the model may still be there (the plan checks failed), for
 * callers that want to say more; diagnostics are errors and notices, sorted.
 * `matrix` is the access matrix the guardrails were checked on: reports reuse
 * it (its closures are cached).
 */
export type CompileResult =
  | { ok: true; model: Model; plan: OrgPlan; diagnostics: Diagnostic[]; matrix: AccessMatrix }
  | { ok: false; model?: Model; plan?: undefined; diagnostics: Diagnostic[]; matrix?: AccessMatrix };

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

function compileLoaded(loaded: ReturnType<typeof loadOrgFile>): CompileResult {
  if (!loaded.model) return { ok: false, diagnostics: loaded.diagnostics };
  const model = loaded.model;
  const plan = buildPlan(model);
  const matrix = buildAccessMatrix(model);
  // Guardrail breaches block the plan like quota errors (SPEC section 2).
  const errors = [
    ...checkQuotas(model, plan),
    ...checkOrganization(model, plan.organizationStack),
    ...checkGuardrails(model, matrix),
    ...checkDeploy(model, plan),
  ];
  const notices = adoptNotices(model, plan);
  plan.notices = [...plan.notices, ...notices];
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...errors, ...notices]);
  if (errors.length > 0) return { ok: false, model, diagnostics, matrix };
  return { ok: true, model, plan, diagnostics, matrix };
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

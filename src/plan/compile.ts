/**
 * The whole front half of rolecall: file -> validated model -> plan -> plan
 * checks. `validate`, `synth`, main.ts and the reports all start here, so
 * they all refuse the same inputs with the same errors.
 */
import { loadOrgFile, loadOrgText } from '../model/load';
import type { Model } from '../model/model';
import { sortDiagnostics, type Diagnostic } from '../model/diagnostics';
import { buildPlan } from './build';
import { checkOrganization } from './organization';
import { checkQuotas } from './quotas';
import { buildAccessMatrix, type AccessMatrix } from './access';
import { checkGuardrails } from './guardrails';
import type { OrgPlan } from './types';
import { adoptNotices, checkDeploy } from './deploy';

export interface CompileResult {
  model?: Model;
  plan?: OrgPlan; // present only when there are no errors
  diagnostics: Diagnostic[]; // errors and notices, sorted
  /** The access matrix the guardrails were checked on: reports reuse it (its closures are cached). */
  matrix?: AccessMatrix;
}

export function compileOrgFile(file: string): CompileResult {
  return compileLoaded(loadOrgFile(file));
}

export function compileOrgText(text: string, file: string): CompileResult {
  return compileLoaded(loadOrgText(text, file));
}

function compileLoaded(loaded: ReturnType<typeof loadOrgFile>): CompileResult {
  if (!loaded.model) return { diagnostics: loaded.diagnostics };
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
  if (errors.length > 0) return { model, diagnostics, matrix };
  return { model, plan, diagnostics, matrix };
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

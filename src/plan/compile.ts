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
import { rule as guardrailRule } from '../checks/rules/rc501-guardrail-max-access';
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
  | {
      ok: false;
      model?: undefined;
      plan?: undefined;
      matrix?: undefined;
      diagnostics: Diagnostic[];
      /** Which checks did not run, and why, when a later phase could not (for the summary line). */
      notRun?: string;
      /**
       * Present when every error is a guardrail breach (GUARDRAIL_CODES): the file
       * is whole, only its access is refused. `explain` and `diff` read it
       * (one needs them most then); nothing is synthesized from it.
       */
      breached?: { model: Model; plan: OrgPlan; matrix: AccessMatrix };
    };

/**
 * The guardrail rule's codes (its file owns them): a file refused only for
 * these still has a model, a plan and a matrix.
 */
export const GUARDRAIL_CODES: readonly string[] = [guardrailRule.code, ...(guardrailRule.otherCodes ?? [])];

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
    const run = loaded.salvaged ? runChecks(loaded.salvaged, { salvaged: true }) : undefined;
    const diagnostics = sortDiagnostics([...loaded.diagnostics, ...(run?.diagnostics ?? [])]);
    const notRun = loaded.notRun ?? (run && run.skipped.length > 0 ? skippedRules(run.skipped) : undefined);
    return notRun ? { ok: false, diagnostics, notRun } : { ok: false, diagnostics };
  }
  const model = loaded.model;
  const run = runChecks(model);
  const found = run.diagnostics;
  // The rules derived what they needed; whatever none needed is derived now (the reports take it from here).
  const plan = run.inputs.plan ?? buildPlan(model);
  const matrix = run.inputs.matrix ?? buildAccessMatrix(model, plan);
  // Guardrail breaches block the plan like quota errors (SPEC section 2); notices go with the plan.
  plan.notices = [...plan.notices, ...found.filter((d) => d.severity === 'notice')];
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...found]);
  if (hasErrors(found)) {
    const onlyBreaches = found.every((d) => d.severity !== 'error' || GUARDRAIL_CODES.includes(d.code));
    return onlyBreaches && !hasErrors(loaded.diagnostics)
      ? { ok: false, diagnostics, breached: { model, plan, matrix } }
      : { ok: false, diagnostics };
  }
  return { ok: true, model, plan, matrix, diagnostics };
}

/** For the summary line: the plan-level rules a salvaged model could not feed, with why. */
function skippedRules(skipped: ReadonlyArray<{ rule: string; reason: string }>): string {
  const reasons = [...new Set(skipped.map((s) => s.reason))];
  const rules = skipped.map((s) => s.rule);
  return `not checked yet, until the errors above are fixed: the rule${rules.length === 1 ? '' : 's'} ${rules.join(', ')} (${reasons.join('; ')})`;
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * The checks layer, in the style of cdk-nag: each rule is a pure function of
 * what it needs (the salvaged model, the plan, the access matrix) to a list
 * of diagnostics, with one stable code. src/checks/index.ts runs every rule
 * in one pass, so one run reports every error it can.
 *
 * Conventions (test/checks/rules.test.ts holds them):
 * - One rule per file under src/checks/rules/, named `<code>-<id>.ts` in
 *   lower case (`rc404-role-trust-policy-size.ts` holds the rule
 *   `role-trust-policy-size`, code RC404), exporting the rule as `rule`; the
 *   file name finds the rule from a code in any diagnostic.
 * - The file holds the rule's message texts too (the code is written there,
 *   and nowhere else in src/ but the catalogue).
 * - A rule raises its own `code` only. `otherCodes` is for the rare rule whose
 *   codes are one check's outcomes (an OU path is checked once and reports
 *   its first problem; a guardrail's breaches beyond 50 become one summary);
 *   the file says why.
 * - `needs`: what the rule reads besides the model. Ask for as little as
 *   possible: over a salvaged model the plan or the matrix may not be
 *   derivable, and a rule whose needs are missing is skipped, while a rule
 *   that needs only the model still reports.
 *
 * Adding a check: a rule file as above, one line in RULES (src/checks/index.ts),
 * its code in src/checks/catalogue.ts (layer 'rule') and an example under its
 * rule in docs/diagnostics.md. test/checks/catalogue.test.ts fails until the
 * four agree.
 *
 * The loader's own checks (YAML, schema, references: RC0xx-RC2xx and part of
 * the others) run while loading, because they decide what can be salvaged at
 * all; their codes are in the same catalogue and docs.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { Model } from '../model/model';
import type { AccessMatrix } from '../plan/access';
import type { OrgPlan } from '../plan/types';

/** Everything a rule may read. The runner derives the plan and the matrix at most once per run. */
export interface CheckInputs {
  /** The model, or what could be salvaged of it (broken references dropped). */
  model: Model;
  plan: OrgPlan;
  /** Derived once per run, shared with the reports. */
  matrix: AccessMatrix;
}

/** What a rule may need besides the model (which every rule gets). */
export type Need = Exclude<keyof CheckInputs, 'model'>;

/** `Rule<never>` reads the model only, `Rule<'plan'>` the model and the plan, and so on: `check` sees only what `needs` names. */
export interface Rule<N extends Need = Need> {
  /** Short, stable, kebab-case: `role-trust-policy-size`. The file is `<code>-<id>.ts`. */
  id: string;
  /** The stable code the rule raises (RC + 3 digits; in the catalogue with layer 'rule'). */
  code: string;
  /** Codes that are outcomes of the same check (rare; the rule's file says why). */
  otherCodes?: readonly string[];
  /** What the rule guarantees, in one line (docs/diagnostics.md titles the rule with it). */
  title: string;
  /** What the rule reads besides the model; [] for the model only. */
  needs: readonly N[];
  /** Pure: the same inputs give the same diagnostics. `severity: 'notice'` results inform, the rest block the plan. */
  check(inputs: Pick<CheckInputs, 'model' | N>): Diagnostic[];
}

/** Every code a rule may raise: its own, then any others. */
export function ruleCodes(rule: Rule): string[] {
  return [rule.code, ...(rule.otherCodes ?? [])];
}

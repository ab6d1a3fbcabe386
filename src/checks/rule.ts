/**
 * The checks layer, in the style of cdk-nag: each rule is a pure function of
 * what it needs (the salvaged model, the plan, the access matrix) to a list
 * of diagnostics, and names the stable codes it may raise. src/checks/index.ts
 * runs every rule in one pass, so one run reports every error it can.
 *
 * The loader's own checks (YAML, schema, references: RC0xx-RC2xx) run while
 * loading, because they decide what can be salvaged at all; their codes are
 * in the same catalogue (src/checks/catalogue.ts) and docs/diagnostics.md.
 */
import type { Diagnostic } from '../model/diagnostics';
import type { Model } from '../model/model';
import type { AccessMatrix } from '../plan/access';
import type { OrgPlan } from '../plan/types';

/** What a rule reads; the runner derives each at most once. */
export type Needs = 'model' | 'plan' | 'matrix';

export interface CheckContext {
  /** The model, or what could be salvaged of it (broken references dropped). */
  model: Model;
  plan: OrgPlan;
  /** Derived once per run, shared with the reports. */
  matrix: AccessMatrix;
}

export interface Rule {
  /** A short stable name, e.g. `iam-quotas`. */
  id: string;
  /** What the rule guarantees, in one line (docs/diagnostics.md groups codes under it). */
  title: string;
  needs: Needs;
  /** Every code the rule may raise (each listed in the catalogue). */
  codes: readonly string[];
  /** `severity: 'notice'` results are information, the rest block the plan. */
  check(ctx: CheckContext): Diagnostic[];
}

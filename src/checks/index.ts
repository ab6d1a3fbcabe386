/**
 * The plan-level rules and the runner that feeds them. Adding a check: see
 * src/checks/rule.ts (one file under rules/, one line in RULES below, its
 * code in catalogue.ts and docs/diagnostics.md; a test keeps them in step).
 */
import { sortDiagnostics, type Diagnostic } from '../model/diagnostics';
import type { Model } from '../model/model';
import { buildAccessMatrix } from '../plan/access';
import { buildPlan } from '../plan/build';
import type { CheckInputs, Need, Rule } from './rule';
import { rule as ouPath } from './rules/rc310-ou-path';
import { rule as masterInOu } from './rules/rc315-master-in-ou';
import { rule as adoptedAccountEmail } from './rules/rc316-adopted-account-email';
import { rule as accountNameToCreate } from './rules/rc317-account-name-to-create';
import { rule as scpSize } from './rules/rc320-scp-size';
import { rule as organizationPolicyNameLength } from './rules/rc321-organization-policy-name-length';
import { rule as scpsPerTarget } from './rules/rc322-scps-per-target';
import { rule as rcpSize } from './rules/rc323-rcp-size';
import { rule as rcpsPerTarget } from './rules/rc324-rcps-per-target';
import { rule as identifierClash } from './rules/rc229-identifier-clash';
import { rule as rolePrincipalExists } from './rules/rc237-role-principal-exists';
import { rule as iamPathLength } from './rules/rc401-iam-path-length';
import { rule as groupPolicyCount } from './rules/rc402-group-policy-count';
import { rule as groupPolicySize } from './rules/rc403-group-policy-size';
import { rule as roleTrustPolicySize } from './rules/rc404-role-trust-policy-size';
import { rule as roleManagedPolicyCount } from './rules/rc405-role-managed-policy-count';
import { rule as roleInlinePolicySize } from './rules/rc406-role-inline-policy-size';
import { rule as policyNameLength } from './rules/rc409-policy-name-length';
import { rule as peopleStackSize } from './rules/rc410-people-stack-size';
import { rule as stackResourceLimit } from './rules/rc411-stack-resource-limit';
import { rule as guardrailMaxAccess } from './rules/rc501-guardrail-max-access';
import { rule as deployNameLength } from './rules/rc605-deploy-name-length';
import { rule as adoptedUserNotice } from './rules/rc609-adopted-user-notice';
import { rule as adoptedGroupNotice } from './rules/rc610-adopted-group-notice';
import { rule as adoptedRoleNotice } from './rules/rc611-adopted-role-notice';
import { rule as movedAccessKeyId } from './rules/rc613-moved-access-key-id';

/** Every plan-level rule, by code (the output is sorted by position anyway). */
export const RULES: readonly Rule[] = [
  identifierClash,
  rolePrincipalExists,
  ouPath,
  masterInOu,
  adoptedAccountEmail,
  accountNameToCreate,
  scpSize,
  organizationPolicyNameLength,
  scpsPerTarget,
  rcpSize,
  rcpsPerTarget,
  iamPathLength,
  groupPolicyCount,
  groupPolicySize,
  roleTrustPolicySize,
  roleManagedPolicyCount,
  roleInlinePolicySize,
  policyNameLength,
  peopleStackSize,
  stackResourceLimit,
  guardrailMaxAccess,
  deployNameLength,
  adoptedUserNotice,
  adoptedGroupNotice,
  adoptedRoleNotice,
  movedAccessKeyId,
];

/** How each input is derived from the model (tests may replace one). */
export type Derivations = {
  plan: (model: Model) => CheckInputs['plan'];
  /** Given the run's plan when derived already: the matrix's engine reads it rather than building it again. */
  matrix: (model: Model, plan?: CheckInputs['plan']) => CheckInputs['matrix'];
};

export const DERIVATIONS: Derivations = { plan: buildPlan, matrix: buildAccessMatrix };

export interface RunOptions {
  /**
   * The model had errors and was salvaged: only errors are kept (notices
   * beside errors are noise, and the plan will not be written anyway), and
   * an input that cannot be derived, or a rule that fails, costs only that
   * rule's errors (a salvaged model can hold combinations the plan builder
   * never sees otherwise), never the loader's, which already say what to fix.
   * Without it, such a failure is a bug and is thrown.
   */
  salvaged?: boolean;
  /** Inputs already derived (not derived again). */
  given?: Partial<Omit<CheckInputs, 'model'>>;
  derive?: Partial<Derivations>;
  rules?: readonly Rule[];
}

export interface CheckRun {
  diagnostics: Diagnostic[];
  /** The inputs derived (or given) during the run; absent when no rule needed one or it could not be derived. */
  inputs: Partial<Omit<CheckInputs, 'model'>>;
  /** Rules not run, with why (salvaged runs only: an input could not be derived, or the rule failed). */
  skipped: Array<{ rule: string; reason: string }>;
}

/**
 * Runs every rule over one model. Each input a rule needs is derived the
 * first time a rule asks for it, at most once per run; a rule runs only
 * when every input it needs exists, so over a salvaged model whose plan
 * cannot be built the model-only and matrix rules still report.
 */
export function runChecks(model: Model, options: RunOptions = {}): CheckRun {
  const { salvaged = false } = options;
  const derive: Derivations = { ...DERIVATIONS, ...options.derive };
  const inputs: Partial<Omit<CheckInputs, 'model'>> = { ...options.given };
  const failed = new Map<Need, string>();
  const skipped: CheckRun['skipped'] = [];

  const obtain = (need: Need): boolean => {
    if (inputs[need] !== undefined) return true;
    if (failed.has(need)) return false;
    try {
      // One assignment per key: TypeScript cannot pair `need` with its derivation's type on its own.
      if (need === 'plan') inputs.plan = derive.plan(model);
      else inputs.matrix = derive.matrix(model, inputs.plan);
      return true;
    } catch (e) {
      if (!salvaged) throw e;
      failed.set(need, `the ${need} could not be derived (${e instanceof Error ? e.message : String(e)})`);
      return false;
    }
  };

  const found: Diagnostic[] = [];
  for (const rule of options.rules ?? RULES) {
    const missing = rule.needs.find((need) => !obtain(need));
    if (missing !== undefined) {
      skipped.push({ rule: rule.id, reason: failed.get(missing) ?? `no ${missing}` });
      continue;
    }
    let results: Diagnostic[];
    try {
      // Every input the rule needs was obtained above; the others it does not read.
      results = rule.check({ model, ...inputs } as CheckInputs);
    } catch (e) {
      if (!salvaged) throw e;
      skipped.push({ rule: rule.id, reason: `failed over the salvaged model (${e instanceof Error ? e.message : String(e)})` });
      continue;
    }
    for (const d of results) if (!salvaged || d.severity === 'error') found.push(d);
  }
  return { diagnostics: sortDiagnostics(found), inputs, skipped };
}

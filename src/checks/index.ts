/**
 * Every plan-level rule, in the order they run (the output is sorted by
 * position anyway). Adding a check: one file under rules/, one line here,
 * its codes in catalogue.ts and docs/diagnostics.md (a test keeps the three
 * in step).
 */
import { sortDiagnostics, type Diagnostic } from '../model/diagnostics';
import type { CheckContext, Rule } from './rule';
import { deploy } from './rules/deploy';
import { guardrails } from './rules/guardrails';
import { iamQuotas } from './rules/iam-quotas';
import { organization } from './rules/organization';
import { peopleShardsRule } from './rules/people-shards';

export const RULES: readonly Rule[] = [iamQuotas, organization, guardrails, deploy, peopleShardsRule];

/**
 * Runs every rule over one context. `salvaged`: the model had errors and
 * was salvaged; then only errors are kept (notices beside errors are noise,
 * and the plan will not be written anyway).
 */
export function runChecks(ctx: CheckContext, salvaged = false): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of RULES) {
    for (const d of rule.check(ctx)) if (!salvaged || d.severity === 'error') found.push(d);
  }
  return sortDiagnostics(found);
}

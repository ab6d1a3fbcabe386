/**
 * The organization-stack rules (codes RC3xx, src/checks/rules/rc3*) over a
 * model and an organization stack a test may have edited: the plan is the
 * model's own, with that stack in place of its organization stack.
 */
import { RULES, runChecks } from '../../src/checks';
import type { Diagnostic } from '../../src/model/diagnostics';
import type { Model } from '../../src/model/model';
import { buildPlan } from '../../src/plan/build';
import type { OrganizationStackPlan } from '../../src/plan/organization';

export const ORGANIZATION_RULES = RULES.filter((r) => r.code.startsWith('RC3'));

export function checkOrganization(model: Model, stack: OrganizationStackPlan | undefined): Diagnostic[] {
  const plan = { ...buildPlan(model), organizationStack: stack };
  return runChecks(model, { rules: ORGANIZATION_RULES, given: { plan } }).diagnostics;
}

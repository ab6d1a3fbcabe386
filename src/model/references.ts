/**
 * Cross-reference checks: everything the schema cannot see on its own
 * (names that must exist, selectors that must match, IAM actions and managed
 * policies that must be real, IAM limits), plus what they resolve: grants and
 * managed policy ARNs.
 *
 * The checks run on `Sections`, which may be partial when the schema failed:
 * an entry that did not parse is `null` (its name exists, its content is
 * unknown) and an unusable section is `undefined`. Checks that would need
 * the unknown parts are skipped, so one typo never cascades into a page of
 * follow-up errors.
 *
 * This module is the public face; the parts are in src/model/references/:
 * sections.ts (the sections, salvage), text.ts (what AWS accepts in values),
 * selectors.ts, resolution.ts (shared state: names, selectors, grants), and
 * one module per section checked, run in the order below (the order the
 * diagnostics come out in).
 */
import type { FunctionGrant } from './model';
import type { ReferenceTime } from './reference-time';
import type { ReferenceResult, Report, Sections } from './references/sections';
import { CheckContext } from './references/resolution';
import { checkOrganization } from './references/organization';
import { checkAccounts } from './references/accounts';
import { checkPermissions } from './references/permissions';
import { checkFunctions } from './references/functions';
import { checkPeople } from './references/people';
import { checkGuardrails } from './references/guardrails';
import { checkPipelines } from './references/pipelines';
import { checkScps } from './references/scps';
import { checkDeploy } from './references/deploy';
import { checkSharedRoles } from './references/shared-roles';
import { checkUsage } from './references/usage';

export type { ReferenceResult, Report, Sections } from './references/sections';
export { salvageSections, sectionsFromOrg } from './references/sections';
export {
  ACCOUNT_ALIAS_PATTERN,
  DESCRIPTION_TEXT,
  GENERATED_NAMES,
  pgpKeyValid,
  PRINCIPAL_ARN_PATTERN,
  ROLE_NAME_PATTERN,
  roleClashKey,
  TAG_TEXT,
  tagProblem,
} from './references/text';
export { guardrailAccounts, matchesSelectorObject, reservedAccounts, reservedMatches, selectAccounts } from './references/selectors';
export { checkAction } from './references/permissions';
/** Limits the checks enforce (IAM's, or ours where noted). */
export { LIMITS } from '../limits';

/** Runs every cross-reference check; problems go to `report`, resolutions are returned. */
export function checkReferences(sections: Sections, report: Report, reference: ReferenceTime): ReferenceResult {
  const c = new CheckContext(sections, report, reference);
  checkOrganization(c);
  checkAccounts(c);
  checkPermissions(c);
  checkFunctions(c);
  checkPeople(c);
  checkGuardrails(c);
  checkPipelines(c);
  checkScps(c);
  checkDeploy(c);
  checkSharedRoles(c);
  checkUsage(c);
  const grants: ReferenceResult['grants'] = {};
  for (const fn of Object.keys(c.grants).sort()) {
    grants[fn] = {};
    for (const account of Object.keys(c.grants[fn]).sort()) {
      const byRole = c.grants[fn][account];
      grants[fn][account] = Object.keys(byRole)
        .sort()
        .map((role) => {
          const g = byRole[role];
          const out: FunctionGrant = { role: g.role, permissionSets: [...g.sets].sort(), sessionDuration: g.sessionDuration };
          if (g.until !== undefined) out.until = g.until;
          return out;
        });
    }
  }
  const managedPolicyArns: ReferenceResult['managedPolicyArns'] = {};
  for (const set of Object.keys(c.managedPolicyArns).sort()) managedPolicyArns[set] = c.managedPolicyArns[set];
  return { grants, managedPolicyArns };
}

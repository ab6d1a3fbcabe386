/**
 * The validated model: the org file with defaults applied, plus what the
 * cross-reference checks resolved (so the plan layer never re-resolves names).
 */
import type { OrgFile } from './schema';
import type { Diagnostic, KeyPath } from './diagnostics';
import type { ReferenceTime } from './reference-time';

/** One role a function holds on one account, and that role's permission sets. */
export interface FunctionGrant {
  /** Role name (default the function's name; several functions may share one role, SPEC section 1). */
  role: string;
  /** Permission set names, sorted. */
  permissionSets: string[];
  /** The role's max session duration, in seconds (the access entry's override, else the function's). */
  sessionDuration: number;
  /**
   * The access entry's `until` (RFC 3339 UTC): the function's group may assume this role until then
   * (DateLessThan aws:CurrentTime in the group policy). Absent: no end.
   */
  until?: string;
}

export interface Model {
  /** The org file's path as given (used in messages). */
  file: string;
  org: OrgFile;
  /**
   * function -> account -> the function's roles there (sorted by role name,
   * each with its permission sets), merged from every map entry or list
   * grant (selectors expanded). Only accounts that exist in `accounts`; the
   * master and identity accounts may appear. A function may hold several
   * roles in one account (`role:` on its entries); functions naming the same
   * role on an account give it the same permission sets (the model checks).
   */
  grants: Record<string, Record<string, FunctionGrant[]>>;
  /** permission set -> resolved AWS managed policy ARNs, in file order. */
  managedPolicyArns: Record<string, string[]>;
  /** Notices (not errors), e.g. an account without id yet gets no stack. */
  notices: Diagnostic[];
  /** Locate a key path in the file, for errors raised after loading (quotas, guardrails). */
  locate(path: KeyPath): { line: number; col: number };
  /**
   * What duration bounds (timeBound.within, breakGlass) are measured from: the org file's
   * last commit, ROLECALL_REFERENCE_TIME or the clock (src/model/reference-time.ts). Never synthesized.
   */
  referenceTime: ReferenceTime;
}

export interface LoadResult {
  model?: Model; // present only when there are no errors
  diagnostics: Diagnostic[]; // errors and notices, sorted
  /**
   * When the shape is valid but some references are not: the model with the
   * broken ones dropped, for the plan-level checks only (never to build a
   * plan that is written anywhere). See salvageModel in load.ts.
   */
  salvaged?: Model;
  /**
   * When a later phase could not run at all (the YAML does not parse, the
   * shape is wrong, the organization's accounts are unknown): which checks
   * did not run and why, for the summary line (`N errors: nothing written.
   * not checked yet: ...`).
   */
  notRun?: string;
}

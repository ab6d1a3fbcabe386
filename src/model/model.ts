/**
 * The validated model: the org file with defaults applied, plus what the
 * cross-reference checks resolved (so the plan layer never re-resolves names).
 */
import type { OrgFile } from './schema';
import type { Diagnostic, KeyPath } from './diagnostics';

/** What one function holds on one account: its role there and that role's permission sets. */
export interface FunctionGrant {
  /** Role name (default the function's name; several functions may share one role, SPEC section 1). */
  role: string;
  /** Permission set names, sorted. */
  permissionSets: string[];
  /** The role's max session duration, in seconds (the access entry's override, else the function's). */
  sessionDuration: number;
}

export interface Model {
  /** The org file's path as given (used in messages). */
  file: string;
  org: OrgFile;
  /**
   * function -> account -> role and permission sets, both levels sorted,
   * merged from every map entry or list grant (selectors expanded). Only
   * accounts that exist in `accounts`; the master and identity accounts may
   * appear. A function has one role per account; functions naming the same
   * role on an account give it the same permission sets (the model checks).
   */
  grants: Record<string, Record<string, FunctionGrant>>;
  /** permission set -> resolved AWS managed policy ARNs, in file order. */
  managedPolicyArns: Record<string, string[]>;
  /** Notices (not errors), e.g. an account without id yet gets no stack. */
  notices: Diagnostic[];
  /** Locate a key path in the file, for errors raised after loading (quotas, guardrails). */
  locate(path: KeyPath): { line: number; col: number };
}

export interface LoadResult {
  model?: Model; // present only when there are no errors
  diagnostics: Diagnostic[]; // errors and notices, sorted
}

/**
 * The validated model: the org file with defaults applied, plus what the
 * cross-reference checks resolved (so the plan layer never re-resolves names).
 */
import type { OrgFile } from './schema';
import type { Diagnostic, KeyPath } from './diagnostics';

export interface Model {
  /** The org file's path as given (used in messages). */
  file: string;
  org: OrgFile;
  /**
   * function -> account -> permission set names, both levels sorted, merged
   * from every map entry or list grant (selectors expanded). Only accounts that
   * exist in `accounts`; the master account may appear.
   */
  grants: Record<string, Record<string, string[]>>;
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
  /**
   * When the shape is valid but some references are not: the model with the
   * broken ones dropped, for the plan-level checks only (never to build a
   * plan that is written anywhere). See salvageModel in load.ts.
   */
  salvaged?: Model;
}

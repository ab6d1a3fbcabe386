/**
 * Policy documents as rolecall writes them, in one place (in the spirit of
 * aws-cdk's PolicyDocument): how one is built and normalised (lists sorted
 * and de-duplicated, condition values as IAM stores them, keys in IAM's
 * usual order), serialised (the one JSON form every stack emits), measured
 * (the size IAM counts is the length of that JSON) and split into parts
 * that fit a size quota. The documents themselves are built by the plan
 * modules (policies.ts, deploy-policies.ts, organization.ts, build.ts); the
 * quota checks (src/checks/rules/rc3*, rc40*) measure with this module.
 *
 * Pure and deterministic: the same statements always give the same bytes.
 */
import type { ConditionBlock, PolicyDocument, PolicyStatement } from './types';

export const POLICY_VERSION = '2012-10-17' as const;

// ---------------------------------------------------------------------------
// Build and normalise

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

/** Sorted, de-duplicated copy: policy lists are sets, and sorted sets diff cleanly. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** A condition as the org file writes it: values may be booleans and numbers. */
export type FileConditions = Record<string, Record<string, string | string[] | boolean | number>>;

/** Condition values as IAM stores them: strings (booleans and numbers are written as text); operators and keys sorted. */
export function normaliseConditions(conditions: FileConditions): ConditionBlock {
  const out: ConditionBlock = {};
  for (const operator of Object.keys(conditions).sort()) {
    const keys = conditions[operator];
    out[operator] = {};
    for (const key of Object.keys(keys).sort()) {
      const value = keys[key];
      out[operator][key] = Array.isArray(value) ? value.map(String) : String(value);
    }
  }
  return out;
}

/**
 * A statement as the org file writes it (permissions.<set>.statements,
 * scps.<name>.statements): lower-case keys, lists in any order.
 */
export interface FileStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  /** Absent: `*`, unless notResources is given. */
  resources?: string[];
  notResources?: string[];
  conditions?: FileConditions;
}

/** One file statement as IAM's: Sid, Effect, Action / NotAction, Resource / NotResource, Condition; lists sorted. */
export function normaliseStatement(s: FileStatement): PolicyStatement {
  const out: PolicyStatement = s.sid ? { Sid: s.sid, Effect: s.effect } : { Effect: s.effect };
  if (s.actions) out.Action = sortedUnique(s.actions);
  if (s.notActions) out.NotAction = sortedUnique(s.notActions);
  if (s.notResources) out.NotResource = sortedUnique(s.notResources);
  else out.Resource = sortedUnique(s.resources ?? ['*']);
  if (s.conditions && Object.keys(s.conditions).length > 0) out.Condition = normaliseConditions(s.conditions);
  return out;
}

/** The file's statements as an IAM document. */
export function fileStatementsDocument(statements: readonly FileStatement[]): PolicyDocument {
  return policyDocument(statements.map(normaliseStatement));
}

// ---------------------------------------------------------------------------
// Serialise and measure

/**
 * The one way a policy document becomes a Terraform string attribute:
 * compact JSON, key order the plan's (it already sorted what needs sorting).
 * No escaping here: the stacks pass every plan string through
 * terraformLiteral once, on entry (src/constructs/terraform-literal.ts), so
 * `${aws:username}` already reads `$${aws:username}`; escaping again would
 * double it.
 */
export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** IAM counts policy size without white space: the length of what policyJson emits. */
export function policySize(doc: PolicyDocument): number {
  return policyJson(doc).length;
}

/** Several documents IAM counts against one quota together (a role's inline policies). */
export function policiesSize(docs: readonly PolicyDocument[]): number {
  return docs.reduce((sum, doc) => sum + policySize(doc), 0);
}

/** The size one statement adds to a document (without the comma before it). */
export function statementSize(statement: PolicyStatement): number {
  return JSON.stringify(statement).length;
}

/** The statement that takes the most characters, named by its Sid or else by its position (`statement 2`). */
export function largestStatement(doc: PolicyDocument): { name: string; size: number } {
  let best = { name: '', size: -1 };
  doc.Statement.forEach((statement, i) => {
    const size = statementSize(statement);
    if (size > best.size) best = { name: statement.Sid ?? `statement ${i + 1}`, size };
  });
  return best;
}

/** The size of a document (or documents counted together) when over `limit`, else undefined: what a quota check reports. */
export function overLimit(docs: PolicyDocument | readonly PolicyDocument[], limit: number): number | undefined {
  const size = Array.isArray(docs) ? policiesSize(docs) : policySize(docs as PolicyDocument);
  return size > limit ? size : undefined;
}

// ---------------------------------------------------------------------------
// Split

/**
 * Items packed in order into parts whose size stays within `limit`: a part
 * starts at `empty` (the document with no statement) and grows by what each
 * item adds to it. `newPart()` is called once per part and returns that
 * part's measure (it may keep state: adding an ARN to a statement the part
 * already has costs less than a new statement). An item that alone exceeds
 * the limit still gets a part of its own (the quota check then says so).
 * Sizes are summed, never re-serialised: linear in the items.
 */
export function splitToFit<T>(items: readonly T[], limit: number, empty: number, newPart: () => (item: T) => number): T[][] {
  if (items.length === 0) return [];
  const parts: T[][] = [[]];
  let grow = newPart();
  let size = empty;
  for (const item of items) {
    const current = parts[parts.length - 1];
    const grown = size + grow(item);
    if (current.length > 0 && grown > limit) {
      parts.push([item]);
      grow = newPart();
      size = empty + grow(item);
    } else {
      current.push(item);
      size = grown;
    }
  }
  return parts;
}

/**
 * The org file by section, whole or salvaged entry by entry from an invalid
 * file: what the reference checks run on (src/model/references.ts).
 */
import {
  type Account,
  accountSchema,
  type Deploy,
  deploySchema,
  functionSchema,
  type Guardrail,
  guardrailSchema,
  type Organization,
  organizationSchema,
  type OrgFile,
  type OrgFunction,
  type PermissionSet,
  permissionSetSchema,
  type Person,
  personSchema,
  type Pipeline,
  pipelineSchema,
  type Scp,
  scpSchema,
} from '../schema';
import type { KeyPath } from '../diagnostics';
import type { FunctionGrant } from '../model';
import type { Message } from '../messages';

/** The org file by section; `null` = present but invalid, `undefined` = section unusable. */
export interface Sections {
  organization?: Organization;
  accounts?: Record<string, Account | null>;
  permissions?: Record<string, PermissionSet | null>;
  functions?: Record<string, OrgFunction | null>;
  people?: Record<string, Person | null>;
  guardrails?: Array<Guardrail | null>;
  pipelines?: Record<string, Pipeline | null>;
  scps?: Record<string, Scp | null>;
  deploy?: Deploy;
}

export interface ReferenceResult {
  grants: Record<string, Record<string, FunctionGrant[]>>;
  managedPolicyArns: Record<string, string[]>;
}

/** Receives each problem found, with the key path it is about. */
export type Report = (path: KeyPath, message: Message, severity?: 'error' | 'notice') => void;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A complete, valid file as Sections. */
export function sectionsFromOrg(org: OrgFile): Sections {
  return { ...org };
}

/**
 * The parts of an invalid file that parse on their own, entry by entry, so
 * references can still be checked there. Schema errors are reported
 * separately (from the whole-file parse); this only salvages.
 *
 * With `repaired` (issue 19.6), an entry that does not parse is parsed again
 * without the keys its schema errors are about (a misspelt key, a bad
 * duration), up to a few rounds; when that parses, the entry is kept and its
 * path pushed to `repaired`, so the names it refers to can be checked in the
 * same run. Only the entries whose content says nothing about another's:
 * functions, people, permission sets, guardrails, pipelines and SCPs (an
 * account without its bad key would change what every selector matches).
 * The caller keeps only the unknown-name errors found inside them.
 */
export function salvageSections(raw: unknown, repaired?: KeyPath[]): Sections {
  if (!isPlainObject(raw)) return {};
  type Parser<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: RepairIssue[] } } };
  const one = <T>(schema: Parser<T>, value: unknown, path?: KeyPath): T | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    if (!repaired || !path) return undefined;
    const fixed = repairEntry(schema, value, parsed.error.issues);
    if (fixed !== undefined) repaired.push(path);
    return fixed;
  };
  const record = <T>(schema: Parser<T>, value: unknown, optional: boolean, section?: string): Record<string, T | null> | undefined => {
    if (value === undefined && optional) return {};
    if (!isPlainObject(value)) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, one(schema, v, section ? [section, k] : undefined) ?? null]));
  };
  return {
    organization: one(organizationSchema, raw.organization),
    accounts: record(accountSchema, raw.accounts, false),
    permissions: record(permissionSetSchema, raw.permissions, true, 'permissions'),
    functions: record(functionSchema, raw.functions, true, 'functions'),
    people: record(personSchema, raw.people, true, 'people'),
    guardrails:
      raw.guardrails === undefined
        ? []
        : Array.isArray(raw.guardrails)
          ? raw.guardrails.map((g, i) => one(guardrailSchema, g, ['guardrails', i]) ?? null)
          : undefined,
    pipelines: record(pipelineSchema, raw.pipelines, true, 'pipelines'),
    scps: record(scpSchema, raw.scps, true, 'scps'),
    deploy: one(deploySchema, raw.deploy ?? {}),
  };
}

/** What salvageSections reads of a schema issue. */
interface RepairIssue {
  code: string;
  path: PropertyKey[];
  keys?: string[];
}

/**
 * The entry parsed without the keys its issues are about: an unknown key is
 * dropped; any other issue drops the nearest key above it (never a list
 * item, which would shift the positions of the items after it). Undefined
 * when an issue is about the entry itself, or it still does not parse.
 */
function repairEntry<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: RepairIssue[] } } },
  value: unknown,
  issues: RepairIssue[],
): T | undefined {
  if (!isPlainObject(value)) return undefined;
  const current: unknown = structuredClone(value);
  for (let round = 0; round < 4; round++) {
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') {
        const at = valueAtPath(current, issue.path);
        if (isPlainObject(at)) for (const key of issue.keys ?? []) delete at[key];
        continue;
      }
      let last = issue.path.length - 1;
      while (last >= 0 && typeof issue.path[last] !== 'string') last--;
      if (last < 0) return undefined;
      const parent = valueAtPath(current, issue.path.slice(0, last));
      if (isPlainObject(parent)) delete parent[issue.path[last] as string];
    }
    const parsed = schema.safeParse(current);
    if (parsed.success) return parsed.data;
    issues = parsed.error.issues;
  }
  return undefined;
}

function valueAtPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

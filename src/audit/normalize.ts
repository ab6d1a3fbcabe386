/**
 * One canonical text per policy document, so "what the file says" and "what
 * AWS holds" compare by meaning, not by spelling: lists sorted and
 * de-duplicated (IAM treats them as sets), a one-item list the same as its
 * string, an account id principal the same as its root ARN (IAM rewrites
 * it), keys in a fixed order, Version kept.
 */
import { accountRootArn } from '../plan/names';
import type { PolicyDocument, PolicyStatement } from '../plan/types';
import type { SnapDocument, SnapStatement } from './snapshot';

type AnyStatement = PolicyStatement | SnapStatement;
type AnyDocument = PolicyDocument | SnapDocument;

function set(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(Array.isArray(value) ? value : [value])].sort();
}

function principalArn(p: string): string {
  return /^\d{12}$/.test(p) ? accountRootArn(p) : p;
}

function principal(p: AnyStatement['Principal']): unknown {
  if (p === undefined || p === '*') return p;
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(p).sort()) {
    const values = set((p as Record<string, string | string[]>)[key]);
    if (values) out[key] = key === 'AWS' ? [...new Set(values.map(principalArn))].sort() : values;
  }
  return out;
}

function condition(c: AnyStatement['Condition']): unknown {
  if (c === undefined || Object.keys(c).length === 0) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const op of Object.keys(c).sort()) {
    const block: Record<string, string[]> = {};
    const keys = c[op] as Record<string, string | string[]>;
    for (const key of Object.keys(keys).sort()) block[key] = set(keys[key])!.map(String);
    out[op] = block;
  }
  return out;
}

export function canonicalStatement(s: AnyStatement): string {
  const notPrincipal = 'NotPrincipal' in s ? (s as SnapStatement).NotPrincipal : undefined;
  return JSON.stringify({
    Sid: s.Sid ?? undefined,
    Effect: s.Effect,
    Principal: principal(s.Principal),
    NotPrincipal: principal(notPrincipal),
    Action: set(s.Action),
    NotAction: set(s.NotAction),
    Resource: set(s.Resource),
    NotResource: set(s.NotResource),
    Condition: condition(s.Condition),
  });
}

/** The statements as a sorted set: order and duplicates mean nothing to IAM. */
export function canonicalDocument(doc: AnyDocument): string {
  const statements = [...new Set(doc.Statement.map(canonicalStatement))].sort();
  return `${doc.Version ?? '2008-10-17'}|${statements.join(',')}`;
}

export function sameDocument(a: AnyDocument, b: AnyDocument): boolean {
  return canonicalDocument(a) === canonicalDocument(b);
}

/** Every principal a trust policy admits (Allow statements), by type: `AWS:arn:aws:iam::1:root`, `Service:ec2.amazonaws.com`. */
export function trustedPrincipals(doc: AnyDocument): string[] {
  const out = new Set<string>();
  for (const s of doc.Statement) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    if (p === undefined) continue;
    if (p === '*') {
      out.add('AWS:*');
      continue;
    }
    for (const [type, values] of Object.entries(p as Record<string, string | string[]>))
      for (const v of set(values) ?? []) out.add(`${type}:${type === 'AWS' ? principalArn(v) : v}`);
  }
  return [...out].sort();
}

/** The account id of a principal ARN (`arn:aws:iam::123456789012:role/x`, a root), or undefined (`*`, a service). */
export function principalAccount(arn: string): string | undefined {
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

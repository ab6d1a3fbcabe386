/**
 * IAM and Organizations snapshots: what an account holds, as `aws iam
 * get-account-authorization-details` prints it (UserDetailList,
 * GroupDetailList, RoleDetailList, Policies), and what the organisation
 * holds (organizations.json: accounts, OUs, SCPs and RCPs with targets).
 *
 * Every byte is attacker-controlled: an auditor's folder may hold a
 * truncated or hostile file. Each one is read whole (bounded), parsed once,
 * and checked field by field; a problem is a located, coded Diagnostic
 * (file:line:col, key path), never a stack trace. Policy documents come
 * decoded (the CLI and most SDKs) or URL-encoded (the raw API): both are
 * accepted, and each is checked to the shape IAM documents have, so nothing
 * later walks an unbounded structure.
 */
import { createHash } from 'crypto';
import type { Diagnostic, KeyPath } from '../model/diagnostics';
import { offsetOf, positionOf, syntaxErrorOf } from './json-locate';

/** A snapshot larger than this is refused (the biggest real accounts give a few tens of MB). */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
/** More entries than IAM's quotas allow in one account (5,000 users, 300 groups, 5,000 roles...). */
const MAX_LIST = 100_000;

export type Scalar = string;
/** A policy statement as IAM keeps it, lists normalised to arrays where IAM allows either. */
export interface SnapStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string[]>;
  NotPrincipal?: '*' | Record<string, string[]>;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface SnapDocument {
  Version?: string;
  Statement: SnapStatement[];
}

export interface SnapInlinePolicy {
  name: string;
  document: SnapDocument;
}

export interface SnapAttached {
  name: string;
  arn: string;
}

export interface SnapUser {
  name: string;
  arn: string;
  path: string;
  groups: string[];
  inline: SnapInlinePolicy[];
  attached: SnapAttached[];
  tags: Record<string, string>;
  permissionsBoundary?: string;
  /** Not in get-account-authorization-details: filled by the live fetch, undefined when unknown. */
  loginProfile?: boolean;
  accessKeys?: Array<{ id: string; status: string }>;
}

export interface SnapGroup {
  name: string;
  arn: string;
  path: string;
  inline: SnapInlinePolicy[];
  attached: SnapAttached[];
}

export interface SnapRole {
  name: string;
  arn: string;
  path: string;
  trust: SnapDocument;
  inline: SnapInlinePolicy[];
  attached: SnapAttached[];
  tags: Record<string, string>;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
}

export interface SnapManagedPolicy {
  name: string;
  arn: string;
  path: string;
  /** The default version's document (absent when the snapshot has no version list). */
  document?: SnapDocument;
  attachmentCount?: number;
}

export interface AccountSnapshot {
  /** Where it came from: a file path, or `live:<account id>`. */
  source: string;
  /** The file name's stem (`production`, `222222222222`) or the account id when live. */
  label: string;
  /** Read from the ARNs inside (or the file's `Account.Id`); undefined for an empty snapshot. */
  accountId?: string;
  sha256: string;
  users: SnapUser[];
  groups: SnapGroup[];
  roles: SnapRole[];
  /** Customer managed policies (arn:aws:iam::<account>:policy/...); AWS managed ones are dropped. */
  policies: SnapManagedPolicy[];
  /** Whether login profiles and access keys were recorded (the live fetch, or a file carrying them). */
  credentials: boolean;
}

export interface OrgAccountSnap {
  id: string;
  name: string;
  email?: string;
  status?: string;
  parentId?: string;
}

export interface OrgUnitSnap {
  id: string;
  name: string;
  parentId?: string;
}

export interface OrgPolicySnap {
  id: string;
  name: string;
  type: 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';
  document: SnapDocument;
  /** Target ids: accounts, OUs, roots. */
  targets: string[];
}

export interface OrganizationSnapshot {
  source: string;
  sha256: string;
  organizationId?: string;
  masterAccountId?: string;
  rootIds: string[];
  units: OrgUnitSnap[];
  accounts: OrgAccountSnap[];
  policies: OrgPolicySnap[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** A problem at a key path of the raw JSON; located afterwards (only when there is one). */
interface RawIssue {
  path: KeyPath;
  code: string;
  message: string;
  expected?: string;
  fix?: string;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes -> text -> JSON, or one located error (RA002/RA003). */
function parseJson(bytes: Buffer, file: string): { ok: true; text: string; data: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (line: number, col: number, code: string, message: string, expected?: string, fix?: string) => ({
    ok: false as const,
    diagnostics: [{ severity: 'error' as const, file, line, col, path: [], code, message, expected, fix }],
  });
  if (bytes.length > MAX_SNAPSHOT_BYTES)
    return fail(1, 1, 'RA003', `the snapshot is ${bytes.length} bytes, more than the ${MAX_SNAPSHOT_BYTES} accepted`);
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD'))) return fail(1, 1, 'RA002', 'the snapshot is not UTF-8 text');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, text: body, data: JSON.parse(body) as unknown };
  } catch {
    const at = syntaxErrorOf(body);
    const pos = positionOf(body, at.offset);
    return fail(
      pos.line,
      pos.col,
      'RA002',
      `the snapshot is not valid JSON: ${at.message}`,
      'the JSON output of `aws iam get-account-authorization-details` (or organizations.json, docs/audit.md)',
      'fetch it again: aws iam get-account-authorization-details --output json > FILE',
    );
  }
}

function locateAll(text: string, file: string, issues: RawIssue[]): Diagnostic[] {
  return issues.slice(0, 200).map((issue) => {
    const pos = positionOf(text, offsetOf(text, issue.path));
    return { severity: 'error', file, line: pos.line, col: pos.col, ...issue };
  });
}

/** A map with no prototype: a key named `__proto__` from a hostile file is only a key. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field-by-field reading with the issues collected, so every problem of a file is reported at once. */
class Reader {
  issues: RawIssue[] = [];

  wrong(path: KeyPath, expected: string, value: unknown, code = 'RA004'): void {
    if (this.issues.length >= 200) return;
    const got = value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value;
    this.issues.push({ path, code, message: value === undefined ? `missing ${expected}` : `expected ${expected}, got ${got}`, expected });
  }

  object(value: unknown, path: KeyPath): Record<string, unknown> | undefined {
    if (isObject(value)) return value;
    this.wrong(path, 'an object', value);
    return undefined;
  }

  list(value: unknown, path: KeyPath, optional = true): unknown[] {
    if (value === undefined && optional) return [];
    if (Array.isArray(value) && value.length <= MAX_LIST) return value;
    this.wrong(path, Array.isArray(value) ? `at most ${MAX_LIST} entries` : 'a list', value);
    return [];
  }

  /**
   * A list of objects, each read by `read` with its key path; entries that are not objects are
   * reported and skipped. What `read` returns (if anything) is collected.
   */
  objects<T>(value: unknown, path: KeyPath, read: (o: Record<string, unknown>, at: KeyPath) => T | undefined, optional = true): T[] {
    const out: T[] = [];
    this.list(value, path, optional).forEach((x, i) => {
      const at: KeyPath = [...path, i];
      const o = this.object(x, at);
      if (!o) return;
      const v = read(o, at);
      if (v !== undefined) out.push(v);
    });
    return out;
  }

  string(value: unknown, path: KeyPath, optional = false): string | undefined {
    if (typeof value === 'string' && value.length <= 100_000) return value;
    if (value === undefined && optional) return undefined;
    this.wrong(path, 'a string', value);
    return undefined;
  }

  strings(value: unknown, path: KeyPath): string[] {
    return this.list(value, path).flatMap((v, i) => {
      const s = this.string(v, [...path, i]);
      return s === undefined ? [] : [s];
    });
  }

  tags(value: unknown, path: KeyPath): Record<string, string> {
    const out = dict<string>();
    this.objects(value, path, (tag, at) => {
      const key = this.string(tag.Key, [...at, 'Key']);
      const v = this.string(tag.Value, [...at, 'Value']);
      if (key !== undefined && v !== undefined) out[key] = v;
      return undefined;
    });
    return out;
  }

  attached(value: unknown, path: KeyPath): SnapAttached[] {
    return this.objects(value, path, (o, at) => {
      const arn = this.string(o.PolicyArn, [...at, 'PolicyArn']);
      const name = this.string(o.PolicyName, [...at, 'PolicyName'], true);
      return arn === undefined ? undefined : { arn, name: name ?? arn.replace(/^.*\//, '') };
    });
  }

  inline(value: unknown, path: KeyPath): SnapInlinePolicy[] {
    return this.objects(value, path, (o, at) => {
      const name = this.string(o.PolicyName, [...at, 'PolicyName']);
      const document = this.document(o.PolicyDocument, [...at, 'PolicyDocument']);
      return name === undefined || !document ? undefined : { name, document };
    });
  }

  /** A policy document: an object, a JSON string, or a URL-encoded JSON string (the raw API). */
  document(value: unknown, path: KeyPath): SnapDocument | undefined {
    let raw = value;
    if (typeof value === 'string') {
      if (value.length > 1_000_000) {
        this.wrong(path, 'a policy document of at most 1,000,000 characters', value, 'RA005');
        return undefined;
      }
      let text = value.trimStart();
      if (!text.startsWith('{')) {
        try {
          text = decodeURIComponent(text.replace(/\+/g, ' '));
        } catch {
          this.issues.push({ path, code: 'RA005', message: 'the policy document is neither JSON nor URL-encoded JSON (a bad % escape)' });
          return undefined;
        }
      }
      try {
        raw = JSON.parse(text) as unknown;
      } catch {
        this.issues.push({ path, code: 'RA005', message: 'the policy document is not valid JSON once decoded' });
        return undefined;
      }
    }
    const doc = isObject(raw) ? raw : undefined;
    if (!doc) {
      this.wrong(path, 'a policy document (an object, or its JSON text)', raw, 'RA005');
      return undefined;
    }
    const before = this.issues.length;
    const version = doc.Version === undefined ? undefined : this.string(doc.Version, [...path, 'Version']);
    const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
    const statements = (list.length > MAX_LIST ? [] : list).flatMap((s, i) => {
      const at = Array.isArray(doc.Statement) ? [...path, 'Statement', i] : [...path, 'Statement'];
      const st = this.statement(s, at);
      return st ? [st] : [];
    });
    if (this.issues.length > before) return undefined;
    return version === undefined ? { Statement: statements } : { Version: version, Statement: statements };
  }

  private statement(value: unknown, path: KeyPath): SnapStatement | undefined {
    const s = this.object(value, path);
    if (!s) return undefined;
    const out: SnapStatement = { Effect: 'Allow' };
    for (const [key, v] of Object.entries(s)) {
      const at = [...path, key];
      switch (key) {
        case 'Sid': {
          const sid = this.string(v, at);
          if (sid !== undefined) out.Sid = sid;
          break;
        }
        case 'Effect':
          if (v === 'Allow' || v === 'Deny') out.Effect = v;
          else this.wrong(at, '"Allow" or "Deny"', v, 'RA005');
          break;
        case 'Action':
        case 'NotAction':
        case 'Resource':
        case 'NotResource': {
          const list = this.stringOrList(v, at);
          if (list) out[key] = list;
          break;
        }
        case 'Principal':
        case 'NotPrincipal': {
          const p = this.principal(v, at);
          if (p) out[key] = p;
          break;
        }
        case 'Condition': {
          const c = this.condition(v, at);
          if (c) out.Condition = c;
          break;
        }
        default:
          this.issues.push({ path: at, code: 'RA005', message: `unknown policy statement key ${JSON.stringify(key.slice(0, 80))}` });
      }
    }
    if (s.Effect === undefined) this.wrong([...path, 'Effect'], '"Allow" or "Deny"', undefined, 'RA005');
    return out;
  }

  private stringOrList(value: unknown, path: KeyPath): string[] | undefined {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.length <= MAX_LIST && value.every((x) => typeof x === 'string')) return value as string[];
    this.wrong(path, 'a string or a list of strings', value, 'RA005');
    return undefined;
  }

  private principal(value: unknown, path: KeyPath): '*' | Record<string, string[]> | undefined {
    if (value === '*') return '*';
    const o = isObject(value) ? value : undefined;
    if (!o) {
      this.wrong(path, '"*" or a map such as {"AWS": [...]}', value, 'RA005');
      return undefined;
    }
    const out = dict<string[]>();
    for (const [k, v] of Object.entries(o)) {
      if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(k)) {
        this.issues.push({ path: [...path, k], code: 'RA005', message: `unknown principal type ${JSON.stringify(k.slice(0, 80))}` });
        continue;
      }
      const list = this.stringOrList(v, [...path, k]);
      if (list) out[k] = list;
    }
    return out;
  }

  private condition(value: unknown, path: KeyPath): Record<string, Record<string, string[]>> | undefined {
    const o = isObject(value) ? value : undefined;
    if (!o) {
      this.wrong(path, 'a condition block (operator -> key -> values)', value, 'RA005');
      return undefined;
    }
    const out = dict<Record<string, string[]>>();
    for (const [op, keys] of Object.entries(o)) {
      const k = isObject(keys) ? keys : undefined;
      if (!k) {
        this.wrong([...path, op], 'a map of condition keys to values', keys, 'RA005');
        continue;
      }
      const block = dict<string[]>();
      for (const [key, v] of Object.entries(k)) {
        const values = Array.isArray(v) ? v : [v];
        if (values.length > MAX_LIST || !values.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) {
          this.wrong([...path, op, key], 'a string, number or boolean, or a list of them', v, 'RA005');
          continue;
        }
        block[key] = values.map(String);
      }
      out[op] = block;
    }
    return out;
  }
}

const ACCOUNT_IN_ARN = /^arn:[^:]+:iam::(\d{12}):/;

/**
 * One account's snapshot from its bytes. `label` is the file name's stem;
 * the account id comes from the ARNs inside, all of which must agree.
 */
export function parseAccountSnapshot(bytes: Buffer, file: string, label: string): Parsed<AccountSnapshot> {
  const json = parseJson(bytes, file);
  if (!json.ok) return json;
  const r = new Reader();
  const top = r.object(json.data, []);
  const snap: AccountSnapshot = {
    source: file,
    label,
    sha256: sha256(bytes),
    users: [],
    groups: [],
    roles: [],
    policies: [],
    credentials: false,
  };
  if (!top) return { ok: false, diagnostics: locateAll(json.text, file, r.issues) };
  const known = new Set(['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies', 'Marker', 'IsTruncated', 'Account']);
  const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
  if (!lists.some((k) => k in top))
    r.issues.push({
      path: [],
      code: 'RA004',
      message: 'not an IAM snapshot: none of UserDetailList, GroupDetailList, RoleDetailList, Policies is there',
      expected: 'the output of `aws iam get-account-authorization-details --output json`',
    });
  for (const key of Object.keys(top))
    if (!known.has(key))
      r.issues.push({
        path: [key],
        code: 'RA004',
        message: `unknown top-level key ${JSON.stringify(key.slice(0, 80))}`,
        expected: [...known].join(', '),
      });
  if (top.IsTruncated === true)
    r.issues.push({
      path: ['IsTruncated'],
      code: 'RA004',
      message: 'the snapshot is one page of several (IsTruncated: true): principals after it would be missed',
      fix: 'let the AWS CLI paginate (the default), or pass --from a live fetch',
    });
  const ids = new Map<string, KeyPath>();
  const seeArn = (arn: string | undefined, path: KeyPath) => {
    const m = arn === undefined ? null : ACCOUNT_IN_ARN.exec(arn);
    if (m && !ids.has(m[1])) ids.set(m[1], path);
  };
  let credentials = false;

  r.objects(top.UserDetailList, ['UserDetailList'], (o, at) => {
    const name = r.string(o.UserName, [...at, 'UserName']);
    const arn = r.string(o.Arn, [...at, 'Arn']);
    seeArn(arn, [...at, 'Arn']);
    const user: SnapUser = {
      name: name ?? '',
      arn: arn ?? '',
      path: r.string(o.Path, [...at, 'Path'], true) ?? '/',
      groups: r.strings(o.GroupList, [...at, 'GroupList']),
      inline: r.inline(o.UserPolicyList, [...at, 'UserPolicyList']),
      attached: r.attached(o.AttachedManagedPolicies, [...at, 'AttachedManagedPolicies']),
      tags: r.tags(o.Tags, [...at, 'Tags']),
    };
    const boundary = o.PermissionsBoundary;
    if (isObject(boundary) && typeof boundary.PermissionsBoundaryArn === 'string')
      user.permissionsBoundary = boundary.PermissionsBoundaryArn;
    // rolecall's extension (the live fetch writes it): login profile and access keys.
    if ('LoginProfile' in o) {
      credentials = true;
      user.loginProfile = o.LoginProfile !== null && o.LoginProfile !== false && o.LoginProfile !== undefined;
    }
    if ('AccessKeys' in o) {
      credentials = true;
      user.accessKeys = r.objects(o.AccessKeys, [...at, 'AccessKeys'], (key, k) => {
        const id = r.string(key.AccessKeyId, [...k, 'AccessKeyId']);
        const status = r.string(key.Status, [...k, 'Status'], true) ?? 'Active';
        return id === undefined ? undefined : { id, status };
      });
    }
    if (name !== undefined && arn !== undefined) snap.users.push(user);
  });

  r.objects(top.GroupDetailList, ['GroupDetailList'], (o, at) => {
    const name = r.string(o.GroupName, [...at, 'GroupName']);
    const arn = r.string(o.Arn, [...at, 'Arn']);
    seeArn(arn, [...at, 'Arn']);
    const group: SnapGroup = {
      name: name ?? '',
      arn: arn ?? '',
      path: r.string(o.Path, [...at, 'Path'], true) ?? '/',
      inline: r.inline(o.GroupPolicyList, [...at, 'GroupPolicyList']),
      attached: r.attached(o.AttachedManagedPolicies, [...at, 'AttachedManagedPolicies']),
    };
    if (name !== undefined && arn !== undefined) snap.groups.push(group);
  });

  r.objects(top.RoleDetailList, ['RoleDetailList'], (o, at) => {
    const name = r.string(o.RoleName, [...at, 'RoleName']);
    const arn = r.string(o.Arn, [...at, 'Arn']);
    seeArn(arn, [...at, 'Arn']);
    const trust = r.document(o.AssumeRolePolicyDocument, [...at, 'AssumeRolePolicyDocument']);
    const role: SnapRole = {
      name: name ?? '',
      arn: arn ?? '',
      path: r.string(o.Path, [...at, 'Path'], true) ?? '/',
      trust: trust ?? { Statement: [] },
      inline: r.inline(o.RolePolicyList, [...at, 'RolePolicyList']),
      attached: r.attached(o.AttachedManagedPolicies, [...at, 'AttachedManagedPolicies']),
      tags: r.tags(o.Tags, [...at, 'Tags']),
    };
    if (typeof o.MaxSessionDuration === 'number') role.maxSessionDuration = o.MaxSessionDuration;
    const boundary = o.PermissionsBoundary;
    if (isObject(boundary) && typeof boundary.PermissionsBoundaryArn === 'string')
      role.permissionsBoundary = boundary.PermissionsBoundaryArn;
    if (name !== undefined && arn !== undefined && trust) snap.roles.push(role);
  });

  r.objects(top.Policies, ['Policies'], (o, at) => {
    const arn = r.string(o.Arn, [...at, 'Arn']);
    // AWS managed policies (arn:aws:iam::aws:policy/...) are AWS's: their content is known, not the estate's.
    if (arn === undefined || !ACCOUNT_IN_ARN.test(arn)) return;
    // The name is the ARN's last segment; some emulators leave PolicyName out.
    const name = o.PolicyName === undefined ? arn.replace(/^.*\//, '') : r.string(o.PolicyName, [...at, 'PolicyName']);
    if (name === undefined) return;
    seeArn(arn, [...at, 'Arn']);
    const defaultVersion = typeof o.DefaultVersionId === 'string' ? o.DefaultVersionId : undefined;
    let document: SnapDocument | undefined;
    r.objects(o.PolicyVersionList, [...at, 'PolicyVersionList'], (ver, v) => {
      const isDefault = ver.IsDefaultVersion === true || (defaultVersion !== undefined && ver.VersionId === defaultVersion);
      if (isDefault) document = r.document(ver.Document, [...v, 'Document']);
      return undefined;
    });
    const policy: SnapManagedPolicy = { name, arn, path: r.string(o.Path, [...at, 'Path'], true) ?? '/' };
    if (document) policy.document = document;
    if (typeof o.AttachmentCount === 'number') policy.attachmentCount = o.AttachmentCount;
    snap.policies.push(policy);
  });

  if (top.Account !== undefined) {
    const account = r.object(top.Account, ['Account']);
    const id = account ? r.string(account.Id, ['Account', 'Id']) : undefined;
    if (id !== undefined && !/^\d{12}$/.test(id)) r.wrong(['Account', 'Id'], 'a 12-digit account id', id);
    else if (id !== undefined && !ids.has(id)) ids.set(id, ['Account', 'Id']);
  }
  snap.credentials = credentials;
  if (ids.size > 1) {
    const [first, ...others] = [...ids.entries()];
    for (const [id, path] of others)
      r.issues.push({
        path,
        code: 'RA006',
        message: `this ARN is in account ${id}, but the snapshot's first one is in ${first[0]}: one file holds one account`,
        fix: 'split the file per account (one `<account name or id>.json` each)',
      });
  }
  snap.accountId = ids.size > 0 ? [...ids.keys()][0] : undefined;
  if (r.issues.length > 0) return { ok: false, diagnostics: locateAll(json.text, file, r.issues) };
  return { ok: true, value: snap };
}

/**
 * organizations.json: rolecall's own shape, in the Organizations API's words
 * (docs/audit.md):
 *   { "Organization": { "Id", "MasterAccountId" }, "Roots": [{ "Id" }],
 *     "OrganizationalUnits": [{ "Id", "Name", "ParentId" }],
 *     "Accounts": [{ "Id", "Name", "Email", "Status", "ParentId" }],
 *     "Policies": [{ "Id", "Name", "Type", "Content", "Targets": [{ "TargetId" }] }] }
 */
export function parseOrganizationSnapshot(bytes: Buffer, file: string): Parsed<OrganizationSnapshot> {
  const json = parseJson(bytes, file);
  if (!json.ok) return json;
  const r = new Reader();
  const top = r.object(json.data, []);
  const snap: OrganizationSnapshot = { source: file, sha256: sha256(bytes), rootIds: [], units: [], accounts: [], policies: [] };
  if (!top) return { ok: false, diagnostics: locateAll(json.text, file, r.issues) };
  const known = new Set(['Organization', 'Roots', 'OrganizationalUnits', 'Accounts', 'Policies']);
  for (const key of Object.keys(top))
    if (!known.has(key))
      r.issues.push({
        path: [key],
        code: 'RA004',
        message: `unknown top-level key ${JSON.stringify(key.slice(0, 80))}`,
        expected: [...known].join(', '),
      });
  if (top.Organization !== undefined) {
    const o = r.object(top.Organization, ['Organization']);
    if (o) {
      snap.organizationId = r.string(o.Id, ['Organization', 'Id'], true);
      snap.masterAccountId = r.string(o.MasterAccountId, ['Organization', 'MasterAccountId'], true);
    }
  }
  r.objects(top.Roots, ['Roots'], (o, at) => {
    const id = r.string(o.Id, [...at, 'Id']);
    if (id !== undefined) snap.rootIds.push(id);
  });
  r.objects(top.OrganizationalUnits, ['OrganizationalUnits'], (o, at) => {
    const id = r.string(o.Id, [...at, 'Id']);
    const name = r.string(o.Name, [...at, 'Name']);
    const parentId = r.string(o.ParentId, [...at, 'ParentId'], true);
    if (id !== undefined && name !== undefined) snap.units.push({ id, name, ...(parentId !== undefined ? { parentId } : {}) });
  });
  r.objects(
    top.Accounts,
    ['Accounts'],
    (o, at) => {
      const id = r.string(o.Id, [...at, 'Id']);
      if (id !== undefined && !/^\d{12}$/.test(id)) r.wrong([...at, 'Id'], 'a 12-digit account id', id);
      const name = r.string(o.Name, [...at, 'Name'], true) ?? id ?? '';
      const account: OrgAccountSnap = { id: id ?? '', name };
      const email = r.string(o.Email, [...at, 'Email'], true);
      const status = r.string(o.Status, [...at, 'Status'], true);
      const parentId = r.string(o.ParentId, [...at, 'ParentId'], true);
      if (email !== undefined) account.email = email;
      if (status !== undefined) account.status = status;
      if (parentId !== undefined) account.parentId = parentId;
      if (id !== undefined) snap.accounts.push(account);
    },
    false,
  );
  r.objects(top.Policies, ['Policies'], (o, at) => {
    const id = r.string(o.Id, [...at, 'Id']);
    const name = r.string(o.Name, [...at, 'Name']);
    const type = o.Type ?? 'SERVICE_CONTROL_POLICY';
    if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') {
      r.wrong([...at, 'Type'], 'SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY', type);
      return;
    }
    const document = r.document(o.Content, [...at, 'Content']);
    const targets = r.list(o.Targets, [...at, 'Targets']).flatMap((t, j) => {
      const target = typeof t === 'string' ? t : isObject(t) ? r.string(t.TargetId, [...at, 'Targets', j, 'TargetId']) : undefined;
      if (target === undefined && typeof t !== 'string' && !isObject(t))
        r.wrong([...at, 'Targets', j], 'a target id or {"TargetId": ...}', t);
      return target === undefined ? [] : [target];
    });
    if (id !== undefined && name !== undefined && document) snap.policies.push({ id, name, type, document, targets });
  });
  if (r.issues.length > 0) return { ok: false, diagnostics: locateAll(json.text, file, r.issues) };
  return { ok: true, value: snap };
}

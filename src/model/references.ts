/**
 * Cross-reference checks: everything the schema cannot see on its own
 * (names that must exist, selectors that must match, IAM actions and managed
 * policies that must be real, IAM limits), plus what they resolve: grants and
 * managed policy ARNs.
 *
 * The checks run on `Sections`, which may be partial when the schema failed:
 * an entry that did not parse is `null` (its name exists, its content is
 * unknown) and an unusable section is `undefined`. Checks that would need
 * the unknown parts are skipped, so one typo never cascades into a page of
 * follow-up errors.
 */
import {
  accountSchema,
  deploySchema,
  functionSchema,
  guardrailSchema,
  NAME_EXPECTED,
  NAME_PATTERN,
  organizationSchema,
  PASSWORD_POLICY_DEFAULTS,
  permissionSetSchema,
  personSchema,
  pipelineSchema,
  scpSchema,
  USER_NAME_PATTERN,
  type Account,
  type Deploy,
  type Guardrail,
  type OrgFile,
  type OrgFunction,
  type Organization,
  type PermissionSet,
  type Person,
  type Pipeline,
  type Scp,
  type Selector,
  type SelectorObject,
} from './schema';
import type { KeyPath } from './diagnostics';
import type { FunctionGrant } from './model';
import { durationSeconds } from './duration';
import { interpretedText, type Message } from './messages';
import { closest, didYouMean } from './suggest';
import * as msg from './reference-messages';
import { actionExists, actionsNamed, expandActionPattern, hasWildcard, listActions, listServices, serviceExists } from '../iam/actions';
import { findManagedPolicy, managedPolicyNames, type ManagedPolicy } from '../iam/managed-policies';
import { allConditionOperators, conditionKeyProblem, conditionOperatorExists } from '../iam/conditions';
import { interpretedFragment } from './terraform-text';
import { checkPgpKeys } from './pgp';
import { latestWithin, referenceText, type ReferenceTime } from './reference-time';

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

/** Limits the checks enforce (IAM's, or ours where noted). */
import { LIMITS } from '../limits';
export { LIMITS };

/** What AWS accepts in tag keys and values (IAM, Organizations): letters, digits, spaces and _ . : / = + - @. */
export const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** IAM role descriptions: tab, new lines, printable ASCII, U+00A1-U+00FF. */
export const DESCRIPTION_TEXT = /^[\t\n\r\x20-\x7e\xa1-\xff]*$/;

/** Names AWS or rolecall itself gives roles and groups, which a function (role and group name) must not take. */
export const GENERATED_NAMES: ReadonlyArray<[string, string]> = [
  ['RequireMFA', 'the group every person is in'],
  ['OrganizationAccountAccessRole', 'the role AWS Organizations creates in every new account'],
];

/** Why a tag key or value is refused, or undefined. */
export function tagProblem(text: string, isKey: boolean): string | undefined {
  if (isKey && text.length === 0) return 'is empty';
  const max = isKey ? LIMITS.tagKeyChars : LIMITS.tagValueChars;
  if (text.length > max) return `is ${text.length} characters long (at most ${max})`;
  if (!TAG_TEXT.test(text)) {
    const bad = [...text].find((c) => !TAG_TEXT.test(c));
    return `contains ${JSON.stringify(bad)}, which AWS does not accept in tags`;
  }
  if (isKey && /^aws:/i.test(text)) return 'starts with "aws:", which AWS reserves';
  return undefined;
}

/** A pgpKey AWS can use: `keybase:NAME`, or the base64 of a binary OpenPGP public key. */
export function pgpKeyValid(key: string): boolean {
  if (/^keybase:[A-Za-z0-9_]{2,16}$/.test(key)) return true;
  const compact = key.replace(/\s+/g, '');
  if (compact.length < 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return false;
  // An OpenPGP packet header has its top bit set; a public key packet is tag 6.
  const first = Buffer.from(compact.slice(0, 8), 'base64')[0];
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  return (first & 0x80) !== 0 && tag === 6;
}

/** IAM role names: letters, digits and + = , . @ _ -, 1 to 64 characters. */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

/** IAM CreateAccountAlias: 3-63 lowercase letters, digits and single hyphens, not starting or ending with one. */
export const ACCOUNT_ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/**
 * A machine principal a role may trust: an IAM role (any path) or an
 * account root, in a standard partition. Users are refused: a user's
 * long-term key is exactly what rolecall keeps out of trust policies.
 */
export const PRINCIPAL_ARN_PATTERN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):(root|role\/(?:[\x21-\x7e]+\/)?[A-Za-z0-9+=,.@_-]{1,64})$/;

/**
 * The key under which two role names clash in one account: IAM role names
 * are unique case-insensitively, and construct ids drop every character but
 * letters, digits, "_" and "-".
 */
export function roleClashKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
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

// ---------------------------------------------------------------------------
// Selectors

/** `Workloads/Production` -> [Workloads, Production]; tolerant of stray slashes. */
function ouSegments(ou: string | undefined): string[] {
  return (ou ?? '').split('/').filter((s) => s !== '');
}

/**
 * The accounts `"*"` and selector objects never select (SPEC section 1): the
 * master (management) account and the identity account, where people live.
 * Whoever holds them holds everything, so they are granted only by name.
 */
export function reservedAccounts(organization: Pick<Organization, 'master' | 'identity'>): string[] {
  return [...new Set([organization.master, organization.identity ?? organization.master])];
}

/**
 * True when every key of the selector object matches the account (ou matches
 * as a path prefix). `except` and the reserved accounts are the caller's
 * business (selectAccounts): this looks at the account's attributes only.
 */
export function matchesSelectorObject(selector: SelectorObject, account: Account): boolean {
  if (selector.ou !== undefined) {
    const wanted = ouSegments(selector.ou);
    const actual = ouSegments(account.ou);
    if (wanted.length > actual.length || wanted.some((s, i) => s !== actual[i])) return false;
  }
  if (selector.data !== undefined && account.data !== selector.data) return false;
  if (selector.environment !== undefined && account.environment !== selector.environment) return false;
  for (const [key, value] of Object.entries(selector.tags ?? {})) {
    if (account.tags[key] !== value) return false;
  }
  return true;
}

/**
 * The accounts a selector selects, sorted: `"*"` = every account but the
 * reserved ones (master, identity), a list = those accounts (unknown names
 * dropped; naming a reserved account selects it), an object = the accounts
 * it matches, never a reserved one, less its `except` names. For use on a
 * validated model. `reserved`: reservedAccounts(org.organization), or the
 * master's name alone.
 */
export function selectAccounts(selector: Selector, accounts: Record<string, Account>, reserved: string | readonly string[]): string[] {
  const skip = new Set(typeof reserved === 'string' ? [reserved] : reserved);
  if (selector === '*')
    return Object.keys(accounts)
      .filter((a) => !skip.has(a))
      .sort();
  if (Array.isArray(selector)) return [...new Set(selector.filter((a) => a in accounts))].sort();
  for (const name of selector.except ?? []) skip.add(name);
  return Object.keys(accounts)
    .filter((a) => !skip.has(a) && matchesSelectorObject(selector, accounts[a]))
    .sort();
}

/**
 * The accounts a guardrail bounds: as selectAccounts, except that a selector
 * object matches the reserved accounts too. A bound errs wide: "auditors only
 * read production" with `{ environment: production }` must bound a master
 * marked production, while a grant errs narrow and never reaches it by accident.
 */
export function guardrailAccounts(selector: Selector, accounts: Record<string, Account>, reserved: readonly string[]): string[] {
  const objectSelector = typeof selector === 'object' && !Array.isArray(selector);
  return selectAccounts(selector, accounts, objectSelector ? [] : reserved);
}

/** The reserved accounts a selector would have matched had they not been reserved (and not excepted). */
export function reservedMatches(selector: Selector, accounts: Record<string, Account | null>, reserved: readonly string[]): string[] {
  if (Array.isArray(selector)) return [];
  return reserved.filter((name) => {
    const account = accounts[name];
    if (!account) return false;
    if (selector === '*') return true;
    return !(selector.except ?? []).includes(name) && matchesSelectorObject(selector, account);
  });
}

/** `{ environment: non-production, tags: { team: x } }`, for messages. */
function formatSelector(selector: SelectorObject): string {
  const parts = Object.entries(selector)
    .map(([k, v]) => (Array.isArray(v) ? [k, `[${v.join(', ')}]`] : [k, v]) as [string, unknown])
    .map(([k, v]) =>
      isPlainObject(v)
        ? `${k}: { ${Object.entries(v)
            .map(([tk, tv]) => `${tk}: ${String(tv)}`)
            .join(', ')} }`
        : `${k}: ${String(v)}`,
    );
  return `{ ${parts.join(', ')} }`;
}

/** All ou paths and their prefixes, for suggestions. */
function knownOuPaths(accounts: Record<string, Account>): string[] {
  const out = new Set<string>();
  for (const account of Object.values(accounts)) {
    const segments = ouSegments(account.ou);
    for (let i = 1; i <= segments.length; i++) out.add(segments.slice(0, i).join('/'));
  }
  return [...out];
}

// ---------------------------------------------------------------------------
// The checks

/** A grant being collected: where it was first made, for messages. */
interface PendingGrant {
  role: string;
  sets: Set<string>;
  sessionDuration: number;
  until?: string;
  path: KeyPath;
}

class Checker {
  /** function -> account -> role -> grant. */
  readonly grants: Record<string, Record<string, Record<string, PendingGrant>>> = {};
  readonly managedPolicyArns: Record<string, string[]> = {};

  /** Errors reported so far (usage notices are left out beside errors). */
  private errors = 0;
  private readonly report: Report;

  constructor(
    private readonly s: Sections,
    report: Report,
    private readonly referenceTime: ReferenceTime,
  ) {
    this.report = (path, message, severity) => {
      if (severity !== 'notice') this.errors++;
      report(path, message, severity);
    };
  }

  private get master(): string | undefined {
    return this.s.organization?.master;
  }

  /** The identity account's name (default the master). */
  private get identity(): string | undefined {
    return this.s.organization?.identity ?? this.s.organization?.master;
  }

  /** The valid accounts, or undefined when some did not parse (their content is unknown). */
  private completeAccounts(): Record<string, Account> | undefined {
    const accounts = this.s.accounts;
    if (!accounts || Object.values(accounts).some((a) => a === null)) return undefined;
    return accounts as Record<string, Account>;
  }

  /** Reports an unknown name unless the section is unusable; true when the name exists. */
  private reference(path: KeyPath, kind: string, name: string, section: Record<string, unknown> | undefined, sectionName: string): boolean {
    if (!section) return false;
    if (Object.prototype.hasOwnProperty.call(section, name)) return true;
    this.report(path, msg.unknownReference(kind, name, Object.keys(section), sectionName));
    return false;
  }

  private checkName(path: KeyPath, kind: string, name: string): void {
    if (!NAME_PATTERN.test(name)) this.report(path, msg.invalidName(kind, name, NAME_EXPECTED));
  }

  run(): void {
    this.checkOrganization();
    this.checkAccounts();
    this.checkPermissions();
    this.checkFunctions();
    this.checkPeople();
    this.checkGuardrails();
    this.checkPipelines();
    this.checkScps();
    this.checkDeploy();
    this.checkSharedRoles();
    this.checkUsage();
  }

  /**
   * Notices for what a file described by roles rather than people most
   * easily gets wrong: functions nobody holds, permission sets no function
   * grants, guardrails that select no person today. Only on whole sections
   * (a section with a broken entry could hide the use).
   */
  private checkUsage(): void {
    const { functions, people, permissions, guardrails } = this.s;
    if (!functions || !people || !permissions || !guardrails) return;
    if ([functions, people, permissions].some((section) => Object.values(section).some((v) => v === null))) return;
    if (this.errors > 0) return; // noise beside an error
    const held = new Set(Object.values(people).flatMap((p) => p!.functions));
    const personCount = Object.keys(people).length;
    // No people at all: the file describes roles (the report's function x account view); no notice per function.
    // A function whose members are machines (principals) is held without people.
    if (personCount > 0) {
      for (const [fn, def] of Object.entries(functions)) {
        // A break-glass function is nobody's on most days: that is the point.
        if (!held.has(fn) && !def!.principals && def!.breakGlass === undefined)
          this.report(['functions', fn], msg.functionWithoutMembers(fn), 'notice');
      }
    }
    const used = new Set<string>();
    for (const fn of Object.values(functions)) {
      const access = fn!.access;
      const values = Array.isArray(access) ? access.map((g) => g.permissions) : Object.values(access);
      if (fn!.identityPermissions !== undefined) values.push(fn!.identityPermissions);
      for (const v of values) for (const set of typeof v === 'string' ? [v] : v) used.add(set);
    }
    for (const set of Object.keys(permissions))
      if (!used.has(set)) this.report(['permissions', set], msg.unusedPermissionSet(set), 'notice');
    guardrails.forEach((rail, i) => {
      if (!rail || personCount === 0) return;
      const fns = rail.functions ?? [];
      if (fns.length + (rail.people ?? []).length === 0) return; // an error already
      // A function with machine principals is held by them: the guardrail bounds them.
      if ((rail.people ?? []).length === 0 && !fns.some((f) => held.has(f) || functions[f]?.principals !== undefined)) {
        this.report(['guardrails', i], msg.guardrailSelectsNobodyYet(rail.name, fns), 'notice');
      }
    });
  }

  private checkOrganization(): void {
    const org = this.s.organization;
    if (!org) return;
    if (this.reference(['organization', 'master'], 'account', org.master, this.s.accounts, 'accounts')) {
      const master = this.s.accounts![org.master];
      if (master && master.id === undefined) this.report(['accounts', org.master], msg.masterNeedsId(org.master));
    }
    if (org.identity !== undefined && org.identity !== org.master) {
      if (this.reference(['organization', 'identity'], 'account', org.identity, this.s.accounts, 'accounts')) {
        const identity = this.s.accounts![org.identity];
        if (identity && identity.id === undefined) this.report(['accounts', org.identity], msg.identityNeedsId(org.identity));
      }
    }
    const bounds = LIMITS.passwordPolicy;
    for (const key of ['minimumLength', 'maxAge', 'reusePrevention'] as const) {
      const value = org.passwordPolicy[key];
      if (value < bounds[key].min || value > bounds[key].max) {
        this.report(['organization', 'passwordPolicy', key], msg.passwordPolicyOutOfRange(key, value, bounds[key].min, bounds[key].max));
      }
    }
    if (org.passwordPolicy.minimumLength < PASSWORD_POLICY_DEFAULTS.minimumLength) {
      this.report(['organization', 'passwordPolicy', 'minimumLength'], msg.weakPasswordLength(org.passwordPolicy.minimumLength), 'notice');
    }
    const fragment = interpretedFragment(org.rolePath);
    if (fragment) this.report(['organization', 'rolePath'], interpretedText(fragment));
    if (org.manage) {
      if (org.id === undefined) this.report(['organization', 'manage'], msg.manageNeeds('id'));
      if (org.rootId === undefined) this.report(['organization', 'manage'], msg.manageNeeds('rootId'));
    }
  }

  private checkAccounts(): void {
    const accounts = this.s.accounts;
    if (!accounts) return;
    const ids = new Map<string, string>();
    const emails = new Map<string, string>();
    const aliases = new Map<string, string>();
    for (const [name, account] of Object.entries(accounts)) {
      this.checkName(['accounts', name], 'account', name);
      if (name.length > LIMITS.accountNameChars) {
        this.report(
          ['accounts', name],
          msg.nameTooLong('account', name, LIMITS.accountNameChars, 'it names the stack, its directory and state file, and SCPs'),
        );
      }
      if (!account) continue;
      this.checkTags(['accounts', name, 'tags'], account.tags);
      if (Object.keys(account.tags).length > LIMITS.accountTags) {
        this.report(['accounts', name, 'tags'], msg.tooManyTags(name, Object.keys(account.tags).length, LIMITS.accountTags));
      }
      if (account.email !== undefined) {
        this.checkPlain(['accounts', name, 'email'], account.email);
        // AWS Organizations: account e-mails of 6-64 characters.
        if (account.email.length > 64)
          this.report(['accounts', name, 'email'], msg.textTooLong(`the e-mail of account ${name}`, account.email.length, 64));
      }
      if (account.id === undefined && name !== this.master) {
        if (account.email === undefined) this.report(['accounts', name], msg.accountNeedsIdOrEmail(name));
        else this.report(['accounts', name], msg.accountWithoutId(name, this.s.organization?.manage ?? false), 'notice');
      }
      if (account.id !== undefined) {
        const other = ids.get(account.id);
        if (other !== undefined) this.report(['accounts', name, 'id'], msg.duplicateAccountValue('id', account.id, other));
        else ids.set(account.id, name);
      }
      if (account.email !== undefined) {
        const key = account.email.toLowerCase(); // mailbox domains are case-insensitive, and AWS treats them so
        const other = emails.get(key);
        if (other !== undefined) this.report(['accounts', name, 'email'], msg.duplicateAccountValue('email', account.email, other));
        else emails.set(key, name);
      }
      if (account.alias !== undefined) {
        if (!ACCOUNT_ALIAS_PATTERN.test(account.alias) || /^\d{12}$/.test(account.alias)) {
          this.report(['accounts', name, 'alias'], msg.invalidAlias(account.alias));
        } else if (account.id === undefined) {
          this.report(['accounts', name, 'alias'], msg.aliasWithoutId(name), 'notice');
        }
        const other = aliases.get(account.alias);
        if (other !== undefined) this.report(['accounts', name, 'alias'], msg.duplicateAlias(account.alias, other));
        else aliases.set(account.alias, name);
      }
      if (account.cognitoIdentityPools === true) {
        if (name === this.master) this.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoOnMaster(name));
        else if (account.id === undefined) this.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoWithoutId(name));
        else if (this.s.organization?.manage !== true) {
          this.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoWithoutManage(name), 'notice');
        }
      }
      if (account.services) {
        if (name === this.master) this.report(['accounts', name, 'services'], msg.servicesOnMaster(name));
        else if (name === this.identity) this.report(['accounts', name, 'services'], msg.servicesOnIdentity(name));
        account.services.forEach((service, i) => {
          if (!serviceExists(service)) this.report(['accounts', name, 'services', i], msg.unknownService(service, listServices()));
        });
      }
    }
  }

  /** Tag keys and values AWS would reject. */
  private checkTags(path: KeyPath, tags: Record<string, string>): void {
    for (const [key, value] of Object.entries(tags)) {
      const keyProblem = tagProblem(key, true);
      if (keyProblem) this.report([...path, key], msg.tagProblem('tag key', key, keyProblem));
      const valueProblem = tagProblem(value, false);
      if (valueProblem) this.report([...path, key], msg.tagProblem(`tag value of ${key}`, value, valueProblem));
    }
  }

  /** A value that can never legitimately hold Terraform or CDKTF syntax. */
  private checkPlain(path: KeyPath, value: string): void {
    const fragment = interpretedFragment(value);
    if (fragment) this.report(path, interpretedText(fragment));
  }

  private checkStatement(path: KeyPath, statement: NonNullable<PermissionSet['statements']>[number]): void {
    for (const [operator, keys] of Object.entries(statement.conditions ?? {})) {
      if (!conditionOperatorExists(operator)) {
        this.report(
          [...path, 'conditions', operator],
          msg.unknownConditionOperator(operator, didYouMean(operator, allConditionOperators())),
        );
      }
      for (const key of Object.keys(keys)) {
        const problem = conditionKeyProblem(key);
        if (problem)
          this.report(
            [...path, 'conditions', operator, key],
            msg.unknownConditionKey(key, problem.service, didYouMean(key, problem.candidates)),
          );
      }
    }
  }

  private checkPermissions(): void {
    const sets = this.s.permissions;
    if (!sets) return;
    for (const [name, set] of Object.entries(sets)) {
      this.checkName(['permissions', name], 'permission set', name);
      if (name.length > LIMITS.permissionSetNameChars) {
        this.report(
          ['permissions', name],
          msg.nameTooLong('permission set', name, LIMITS.permissionSetNameChars, 'it is the inline policy name'),
        );
      }
      if (!set) continue;
      const sids = new Map<string, number>();
      (set.statements ?? []).forEach((statement, i) => {
        this.checkStatement(['permissions', name, 'statements', i], statement);
        if (statement.sid === undefined) return;
        const first = sids.get(statement.sid);
        if (first !== undefined) this.report(['permissions', name, 'statements', i, 'sid'], msg.duplicateSid(statement.sid, first));
        else sids.set(statement.sid, i);
      });
      const arns: string[] = [];
      (set.managed ?? []).forEach((ref, i) => {
        const path: KeyPath = ['permissions', name, 'managed', i];
        const policy = findManagedPolicy(ref);
        if (!policy) this.report(path, msg.unknownManagedPolicy(ref, suggestManagedPolicy(ref)));
        else if (arns.includes(policy.arn)) this.report(path, msg.duplicateManagedPolicy(ref, policy.arn));
        else arns.push(policy.arn);
      });
      this.managedPolicyArns[name] = arns;
      (set.statements ?? []).forEach((statement, i) => {
        statement.actions.forEach((action, j) => {
          const problem = checkAction(action);
          if (problem) this.report(['permissions', name, 'statements', i, 'actions', j], problem);
        });
      });
    }
  }

  private checkPermissionSet(path: KeyPath, name: string): boolean {
    return this.reference(path, 'permission set', name, this.s.permissions, 'permissions');
  }

  /**
   * Records a grant: the function may use these permission sets on this
   * account, through this role, with this session length, until then (or
   * for good). A function may hold several roles in one account; entries
   * naming one role there must agree on its session length and its end
   * (an error at the later entry otherwise).
   */
  private grant(
    fn: string,
    account: string,
    sets: string[],
    role: string,
    sessionDuration: number,
    until: string | undefined,
    path: KeyPath,
  ): void {
    const byRole = ((this.grants[fn] ??= {})[account] ??= {});
    const existing = byRole[role];
    if (existing === undefined) {
      byRole[role] = { role, sets: new Set(sets), sessionDuration, path, ...(until !== undefined ? { until } : {}) };
      return;
    }
    if (existing.sessionDuration !== sessionDuration) {
      this.report(path, msg.twoSessionLengths(fn, account, existing.sessionDuration, sessionDuration, existing.path));
    }
    if (existing.until !== until) this.report(path, msg.twoUntils(fn, account, role, existing.until, until, existing.path));
    for (const set of sets) existing.sets.add(set);
  }

  /** Permission set names of a oneOrMany value, reporting unknown ones; returns the known ones. */
  private permissionList(path: KeyPath, value: string | string[]): string[] {
    const names = typeof value === 'string' ? [value] : value;
    return names.filter((set, i) => this.checkPermissionSet(typeof value === 'string' ? path : [...path, i], set));
  }

  private checkFunctions(): void {
    const functions = this.s.functions;
    if (!functions) return;
    for (const [name, fn] of Object.entries(functions)) {
      const path: KeyPath = ['functions', name];
      this.checkName(path, 'function', name);
      if (name.length > LIMITS.functionNameChars) {
        this.report(path, msg.nameTooLong('function', name, LIMITS.functionNameChars, 'it is the IAM role name'));
      }
      const deployRole = this.s.deploy?.assumeRoleName;
      if (deployRole !== undefined && deployRole.toLowerCase() === name.toLowerCase()) {
        this.report(path, msg.deployRoleIsFunction(deployRole, name));
      } else {
        for (const [generated, what] of GENERATED_NAMES) {
          if (name.toLowerCase() === generated.toLowerCase()) this.report(path, msg.functionIsGeneratedName(name, generated, what));
        }
      }
      if (!fn) continue;
      if (fn.description !== undefined)
        this.checkDescription([...path, 'description'], `the description of function ${name}`, fn.description);
      this.grants[name] ??= {};
      this.checkDuration(
        [...path, 'mfaMaxAge'],
        'mfaMaxAge',
        fn.mfaMaxAge,
        LIMITS.mfaMaxAgeSeconds,
        '5m',
        '24h',
        'shorter cannot be used in practice; longer would trust an MFA prompt older than a working day',
      );
      this.checkDuration(
        [...path, 'sessionDuration'],
        'sessionDuration',
        fn.sessionDuration,
        LIMITS.sessionDurationSeconds,
        '1h',
        '12h',
        'the IAM limits of a role session',
      );
      const fnSession = durationSeconds(fn.sessionDuration);
      const access = fn.access;
      if (Array.isArray(access)) {
        if (access.length === 0) this.report([...path, 'access'], msg.functionGrantsNothing(name));
        access.forEach((grant, i) => {
          const entryPath: KeyPath = [...path, 'access', i];
          const accounts = this.resolveSelector([...entryPath, 'accounts'], grant.accounts);
          const sets = this.permissionList([...entryPath, 'permissions'], grant.permissions);
          const role = grant.role ?? name;
          if (grant.role !== undefined) this.checkRoleName([...entryPath, 'role'], grant.role);
          let session = fnSession;
          if (grant.sessionDuration !== undefined) {
            this.checkDuration(
              [...entryPath, 'sessionDuration'],
              'sessionDuration',
              grant.sessionDuration,
              LIMITS.sessionDurationSeconds,
              '1h',
              '12h',
              'the IAM limits of a role session',
            );
            session = durationSeconds(grant.sessionDuration);
          }
          if (grant.until !== undefined) {
            this.checkUntil([...entryPath, 'until'], grant.until);
            // The end is on the identity side; a principal is trusted by the role itself and would keep it.
            if (fn.principals !== undefined) this.report([...entryPath, 'until'], msg.untilWithPrincipals(name));
          }
          for (const account of accounts) this.grant(name, account, sets, role, session, grant.until, entryPath);
        });
      } else {
        const entries = Object.entries(access);
        if (entries.length === 0) this.report([...path, 'access'], msg.functionGrantsNothing(name));
        for (const [account, value] of entries) {
          const entryPath: KeyPath = [...path, 'access', account];
          const known = this.reference(entryPath, 'account', account, this.s.accounts, 'accounts');
          const sets = this.permissionList(entryPath, value);
          if (known) this.grant(name, account, sets, name, fnSession, undefined, entryPath);
        }
      }
      if (fn.identityPermissions !== undefined) this.permissionList([...path, 'identityPermissions'], fn.identityPermissions);
      if (fn.principals !== undefined) this.checkPrincipals([...path, 'principals'], fn.principals);
      if (fn.breakGlass !== undefined) {
        this.checkDuration(
          [...path, 'breakGlass'],
          'breakGlass',
          fn.breakGlass,
          LIMITS.breakGlassSeconds,
          '15m',
          '24h',
          'a break-glass membership is for an incident, not a standing grant',
        );
        if (fn.principals !== undefined) this.report([...path, 'principals'], msg.breakGlassWithPrincipals(name));
      }
    }
  }

  /**
   * A membership of a break-glass function: time-bound, ending at most
   * `breakGlass` after the reference time (the org file's last commit, else
   * the clock: src/model/reference-time.ts). The same commit passes on any
   * day, and synthesized files never read it.
   */
  private checkBreakGlass(path: KeyPath, person: string, fn: string, until: string | undefined): void {
    const bound = this.s.functions?.[fn]?.breakGlass;
    if (bound === undefined) return;
    const latest = latestWithin(this.referenceTime, durationSeconds(bound));
    const from = referenceText(this.referenceTime);
    if (until === undefined) this.report(path, msg.breakGlassWithoutUntil(person, fn, bound, latest.iso, from));
    else if (!latest.admits(until)) this.report([...path, 'until'], msg.breakGlassTooLong(person, fn, until, bound, latest.iso, from));
  }

  /** An `until` that matches the pattern but names no real instant (2026-02-30T...). */
  private checkUntil(path: KeyPath, until: string): void {
    const ms = Date.parse(until);
    if (Number.isNaN(ms) || new Date(ms).toISOString().replace('.000Z', 'Z') !== until) this.report(path, msg.badUntil(until));
  }

  /** An explicit role name: IAM's rules, and never the deploy role's name (rolecall would take it over). */
  private checkRoleName(path: KeyPath, role: string): void {
    if (!ROLE_NAME_PATTERN.test(role)) {
      this.report(path, msg.invalidRoleName(role));
      return;
    }
    const deployRole = this.s.deploy?.assumeRoleName ?? 'OrganizationAccountAccessRole';
    const taken = [deployRole, ...GENERATED_NAMES.map(([name]) => name)];
    if (taken.some((name) => name.toLowerCase() === role.toLowerCase())) this.report(path, msg.roleIsDeployRole(role));
  }

  /**
   * Machine principals: each an explicit IAM role or account root ARN, no
   * wildcard, never the identity account's root (that would let every
   * person there in without MFA), no repetition.
   */
  private checkPrincipals(path: KeyPath, principals: string[]): void {
    const identityId = this.identity !== undefined ? this.s.accounts?.[this.identity]?.id : undefined;
    const seen = new Set<string>();
    principals.forEach((arn, i) => {
      const at: KeyPath = [...path, i];
      if (/[*?]/.test(arn)) {
        this.report(at, msg.principalWildcard(arn));
        return;
      }
      const match = PRINCIPAL_ARN_PATTERN.exec(arn);
      if (!match) {
        this.report(at, msg.invalidPrincipal(arn));
        return;
      }
      if (match[2] === 'root' && match[1] === identityId) {
        this.report(at, msg.principalIsIdentityRoot(arn, this.identity!));
        return;
      }
      if (seen.has(arn)) this.report(at, msg.duplicateInList('principal', arn));
      seen.add(arn);
    });
  }

  /**
   * Roles shared by several functions in one account (SPEC section 1): the
   * same permission sets and session length from every function naming it,
   * and no two role names of one account that IAM (case-insensitive) or the
   * construct tree would take for one. Reported at every entry involved.
   */
  private checkSharedRoles(): void {
    const byAccount = new Map<string, Map<string, Array<{ fn: string; grant: PendingGrant }>>>();
    for (const fn of Object.keys(this.grants).sort()) {
      for (const [account, byRole] of Object.entries(this.grants[fn])) {
        let roles = byAccount.get(account);
        if (!roles) byAccount.set(account, (roles = new Map()));
        for (const grant of Object.values(byRole)) {
          const holders = roles.get(grant.role) ?? [];
          holders.push({ fn, grant });
          roles.set(grant.role, holders);
        }
      }
    }
    const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
    for (const account of [...byAccount.keys()].sort()) {
      const roles = byAccount.get(account)!;
      const clashes = new Map<string, string>();
      for (const role of [...roles.keys()].sort()) {
        const key = roleClashKey(role);
        const other = clashes.get(key);
        if (other !== undefined) {
          for (const h of [...roles.get(other)!, ...roles.get(role)!]) {
            this.report(h.grant.path, msg.roleNamesClash(account, other, role));
          }
        } else clashes.set(key, role);
        const holders = roles.get(role)!;
        if (holders.length < 2) continue;
        const first = holders[0];
        for (const other of holders.slice(1)) {
          if (!same(first.grant.sets, other.grant.sets)) {
            const a = [...first.grant.sets].sort();
            const b = [...other.grant.sets].sort();
            this.report(first.grant.path, msg.sharedRoleDiffers(role, account, first.fn, a, other.fn, b, other.grant.path));
            this.report(other.grant.path, msg.sharedRoleDiffers(role, account, other.fn, b, first.fn, a, first.grant.path));
          }
          if (first.grant.sessionDuration !== other.grant.sessionDuration) {
            const a = first.grant.sessionDuration;
            const b = other.grant.sessionDuration;
            this.report(first.grant.path, msg.sharedRoleSessionDiffers(role, account, first.fn, a, other.fn, b));
            this.report(other.grant.path, msg.sharedRoleSessionDiffers(role, account, other.fn, b, first.fn, a));
          }
        }
      }
    }
  }

  /**
   * Custom SCPs: their selectors, statements and actions. They never apply
   * to the management account, so selecting it is an error; without
   * `manage: true` no organization stack emits them, which is a notice.
   */
  private checkScps(): void {
    const scps = this.s.scps;
    if (!scps) return;
    const names = Object.keys(scps);
    if (names.length > 0 && this.s.organization && !this.s.organization.manage) {
      this.report(['scps'], msg.scpsWithoutManage(), 'notice');
    }
    for (const [name, scp] of Object.entries(scps)) {
      const path: KeyPath = ['scps', name];
      this.checkName(path, 'SCP', name);
      if (!scp) continue;
      const selected = this.resolveSelector([...path, 'accounts'], scp.accounts);
      if (this.master !== undefined && selected.includes(this.master)) {
        const at: KeyPath = Array.isArray(scp.accounts) ? [...path, 'accounts', scp.accounts.indexOf(this.master)] : [...path, 'accounts'];
        this.report(at, msg.scpOnMaster(name, this.master));
      }
      scp.statements.forEach((statement, i) => {
        const at: KeyPath = [...path, 'statements', i];
        if ((statement.actions === undefined) === (statement.notActions === undefined)) {
          this.report(at, msg.scpStatementActions());
          return;
        }
        if (statement.resources !== undefined && statement.notResources !== undefined) this.report(at, msg.scpStatementResources());
        const key = statement.actions !== undefined ? 'actions' : 'notActions';
        (statement.actions ?? statement.notActions ?? []).forEach((action, j) => {
          const problem = checkAction(action);
          if (problem) this.report([...at, key, j], problem);
        });
      });
    }
  }

  private checkDescription(path: KeyPath, what: string, text: string): void {
    if (text.length > LIMITS.descriptionChars) this.report(path, msg.textTooLong(what, text.length, LIMITS.descriptionChars));
    const bad = [...text].find((c) => !DESCRIPTION_TEXT.test(c));
    if (bad !== undefined) this.report(path, msg.descriptionCharacters(what, bad));
  }

  private checkDuration(
    path: KeyPath,
    key: string,
    value: string,
    range: { min: number; max: number },
    min: string,
    max: string,
    why: string,
  ): void {
    const seconds = durationSeconds(value);
    if (seconds < range.min || seconds > range.max) this.report(path, msg.durationOutOfRange(key, value, min, max, why));
  }

  /**
   * The accounts a selector selects, reporting unknown names and selectors
   * that match nothing (only when every account parsed, or the "nothing"
   * might be a cascade of another error).
   */
  private resolveSelector(path: KeyPath, selector: Selector, bound = false): string[] {
    const accounts = this.s.accounts;
    if (!accounts) return [];
    const allReserved = this.s.organization ? reservedAccounts(this.s.organization) : [];
    // A guardrail's object selector bounds by attributes, reserved accounts included (see guardrailAccounts).
    const reserved = bound && typeof selector === 'object' && !Array.isArray(selector) ? [] : allReserved;
    // Selected by attributes, a reserved account is left out: say so where it would have matched.
    const empty = typeof selector === 'object' && !Array.isArray(selector) && Object.keys(selector).length === 0;
    for (const name of empty ? [] : reservedMatches(selector, accounts, reserved)) {
      const starLike = selector === '*' || Object.keys(selector).every((k) => k === 'except');
      if (starLike && name === this.master) continue; // "*" (and `{ except }` alone) has always meant "but the master"
      const role = name === this.master ? 'master' : 'identity';
      this.report(
        path,
        msg.selectorSkipsReserved(typeof selector === 'string' ? '"*"' : formatSelector(selector as SelectorObject), name, role),
        'notice',
      );
    }
    if (selector === '*') {
      const selected = Object.keys(accounts).filter((a) => !reserved.includes(a));
      if (selected.length === 0 && this.master !== undefined) this.report(path, msg.starMatchesNothing());
      return selected;
    }
    if (Array.isArray(selector)) {
      const selected: string[] = [];
      selector.forEach((account, i) => {
        if (account === '*') this.report([...path, i], msg.starInNameList());
        else if (this.reference([...path, i], 'account', account, accounts, 'accounts')) selected.push(account);
      });
      return selected;
    }
    if (Object.keys(selector).length === 0) {
      this.report(path, msg.emptySelector());
      return [];
    }
    (selector.except ?? []).forEach((name, i) => this.reference([...path, 'except', i], 'account', name, accounts, 'accounts'));
    const complete = this.completeAccounts();
    if (!complete) {
      const skip = new Set([...reserved, ...(selector.except ?? [])]);
      const object = selector;
      return Object.keys(accounts).filter((a) => !skip.has(a) && accounts[a] && matchesSelectorObject(object, accounts[a]!));
    }
    const selected = selectAccounts(selector, complete, reserved);
    if (selected.length === 0) {
      let fix: string | undefined;
      if (selector.ou !== undefined && !Object.values(complete).some((a) => matchesSelectorObject({ ou: selector.ou }, a))) {
        fix = didYouMean(selector.ou, knownOuPaths(complete));
      }
      this.report(path, msg.selectorMatchesNothing(formatSelector(selector), fix));
    }
    return selected;
  }

  private checkPeople(): void {
    const people = this.s.people;
    if (!people) return;
    const names = Object.keys(people);
    if (names.length > LIMITS.people) this.report(['people'], msg.tooManyPeople(names.length, LIMITS.people));
    const lower = new Map<string, string>();
    const pgpKeys: Array<{ person: string; key: string }> = [];
    for (const [name, person] of Object.entries(people)) {
      const path: KeyPath = ['people', name];
      if (!USER_NAME_PATTERN.test(name) || name.length > LIMITS.userNameChars) this.report(path, msg.invalidUserName(name));
      const other = lower.get(name.toLowerCase());
      if (other !== undefined) this.report(path, msg.nameDiffersOnlyInCase('person', name, other, 'IAM user names are case-insensitive'));
      else lower.set(name.toLowerCase(), name);
      if (!person) continue;
      // Neither the name nor the e-mail ever fails for the tag alphabet: the plan maps them into it for the
      // Name and Email tags (src/plan/tags.ts), and the file and reports keep them as written.
      if (person.pgpKey !== undefined && !pgpKeyValid(person.pgpKey)) this.report([...path, 'pgpKey'], msg.badPgpKey());
      else if (person.pgpKey !== undefined) pgpKeys.push({ person: name, key: person.pgpKey });
      const seen = new Set<string>();
      person.functions.forEach((fn, i) => {
        if (seen.has(fn)) this.report([...path, 'functions', i], msg.duplicateInList('function', fn));
        else this.reference([...path, 'functions', i], 'function', fn, this.s.functions, 'functions');
        seen.add(fn);
      });
      for (const [i, fn] of person.functions.entries()) {
        const until = person.until?.[fn];
        if (until !== undefined) this.checkUntil([...path, 'functions', i, 'until'], until);
        this.checkBreakGlass([...path, 'functions', i], name, fn, until);
      }
      if (seen.size > LIMITS.functionsPerPerson)
        this.report([...path, 'functions'], msg.tooManyFunctions(name, seen.size, LIMITS.functionsPerPerson));
      if (person.pgpKey === undefined) {
        if (person.console) this.report([...path, 'console'], msg.needsPgpKey('console'));
        if (person.accessKey) this.report([...path, 'accessKey'], msg.needsPgpKey('accessKey'));
      }
    }
    this.checkPgpKeys(pgpKeys);
  }

  /**
   * Each base64 key is read (src/model/pgp.ts): Terraform must be able to
   * encrypt to it at apply. keybase: keys are fetched by Terraform at apply
   * and cannot be read offline: `validate` says so in its summary, not as a
   * diagnostic every command would repeat.
   */
  private checkPgpKeys(keys: Array<{ person: string; key: string }>): void {
    const armoured = keys.filter((k) => !k.key.startsWith('keybase:'));
    if (armoured.length === 0) return;
    const verdicts = checkPgpKeys(armoured.map((k) => k.key));
    for (const { person, key } of armoured) {
      const verdict = verdicts.get(key);
      if (!verdict?.problem) continue;
      const at: KeyPath = ['people', person, 'pgpKey'];
      if (verdict.problem === 'unchecked') this.report(at, msg.pgpKeyUnchecked(person), 'notice');
      else if (verdict.problem === 'unreadable') this.report(at, msg.badPgpKey(verdict.detail));
      else this.report(at, msg.pgpKeyCannotEncrypt(person, verdict.problem, verdict.detail));
    }
  }

  private checkGuardrails(): void {
    const guardrails = this.s.guardrails;
    if (!guardrails) return;
    const names = new Set<string>();
    guardrails.forEach((rail, i) => {
      if (!rail) return;
      const path: KeyPath = ['guardrails', i];
      if (names.has(rail.name)) this.report([...path, 'name'], msg.duplicateGuardrail(rail.name));
      names.add(rail.name);
      const functions = rail.functions ?? [];
      const people = rail.people ?? [];
      if (functions.length === 0 && people.length === 0) this.report(path, msg.guardrailSelectsNobody(rail.name));
      functions.forEach((fn, j) => this.reference([...path, 'functions', j], 'function', fn, this.s.functions, 'functions'));
      people.forEach((person, j) => this.reference([...path, 'people', j], 'person', person, this.s.people, 'people'));
      this.resolveSelector([...path, 'accounts'], rail.accounts, true);
    });
  }

  private checkPipelines(): void {
    const pipelines = this.s.pipelines;
    if (!pipelines) return;
    for (const [name, pipeline] of Object.entries(pipelines)) {
      const path: KeyPath = ['pipelines', name];
      this.checkName(path, 'pipeline', name);
      if (!pipeline) continue;
      pipeline.changers.forEach((fn, j) => this.reference([...path, 'changers', j], 'function', fn, this.s.functions, 'functions'));
      if (pipeline.accounts !== undefined) this.resolveSelector([...path, 'accounts'], pipeline.accounts);
    }
  }

  private checkDeploy(): void {
    const deploy = this.s.deploy;
    if (!deploy) return;
    const plain = (path: KeyPath, value: unknown) => {
      if (typeof value === 'string') this.checkPlain(path, value);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) plain([...path, k], v);
    };
    plain(['deploy'], deploy);
    if (deploy.backend === 's3' && !deploy.s3) this.report(['deploy', 'backend'], msg.deployNeedsSection('s3'));
    if (deploy.backend === 'cloud') {
      if (!deploy.cloud) this.report(['deploy', 'backend'], msg.deployNeedsSection('cloud'));
      else if (deploy.cloud.project === undefined) this.report(['deploy', 'cloud'], msg.cloudNeedsProject());
    }
    if (deploy.credentials === 'tfc-dynamic' && deploy.backend !== 'cloud') {
      this.report(['deploy', 'credentials'], msg.dynamicNeedsCloud(deploy.backend));
    }
    const stateAccount = deploy.s3?.account;
    if (stateAccount !== undefined && this.reference(['deploy', 's3', 'account'], 'account', stateAccount, this.s.accounts, 'accounts')) {
      const account = this.s.accounts![stateAccount];
      if (account && account.id === undefined) this.report(['deploy', 's3', 'account'], msg.stateAccountNeedsId(stateAccount));
      // The services SCP would deny every S3 call on the state, the bootstrap's and every stack's.
      if (account?.services && !account.services.includes('s3') && this.s.organization?.manage === true) {
        this.report(['deploy', 's3', 'account'], msg.stateAccountWithoutS3(stateAccount));
      }
    }
    if (deploy.adopt) this.checkAdopt(deploy.adopt);
  }

  /** deploy.adopt names people, functions and granted accounts that exist; each once. */
  private checkAdopt(adopt: NonNullable<Deploy['adopt']>): void {
    const once = (
      path: KeyPath,
      kind: string,
      names: string[],
      section: Record<string, unknown> | undefined,
      sectionName: string,
      refKind: string,
    ) => {
      const seen = new Set<string>();
      names.forEach((name, i) => {
        if (seen.has(name)) this.report([...path, i], msg.adoptDuplicate(kind, name));
        else this.reference([...path, i], refKind, name, section, sectionName);
        seen.add(name);
      });
    };
    once(['deploy', 'adopt', 'people'], 'person', adopt.people, this.s.people, 'people', 'person');
    once(['deploy', 'adopt', 'groups'], 'group', adopt.groups, this.s.functions, 'functions', 'function');
    for (const [fn, accounts] of Object.entries(adopt.roles)) {
      const path: KeyPath = ['deploy', 'adopt', 'roles', fn];
      if (!this.reference(path, 'function', fn, this.s.functions, 'functions') || accounts === '*') continue;
      const granted = Object.keys(this.grants[fn] ?? {})
        .filter((a) => this.s.accounts?.[a]?.id !== undefined)
        .sort();
      const seen = new Set<string>();
      accounts.forEach((account, i) => {
        if (seen.has(account)) this.report([...path, i], msg.adoptDuplicate('account', account));
        else if (!granted.includes(account)) this.report([...path, i], msg.adoptRoleNotGranted(fn, account, granted));
        seen.add(account);
      });
    }
  }
}

/** How a policy is best written in the file: its name, or path/name off the root path. */
function policyRef(policy: ManagedPolicy, asArn: boolean): string {
  if (asArn) return policy.arn;
  return policy.path === '/' ? policy.name : `${policy.path.slice(1)}${policy.name}`;
}

/** The managed policy the user most likely meant, written in the form they used. */
function suggestManagedPolicy(ref: string): string | undefined {
  const asArn = ref.startsWith('arn:');
  const name = ref.split('/').pop() ?? ref;
  const exact = findManagedPolicy(name); // right name, wrong path
  if (exact) return policyRef(exact, asArn);
  const match = closest(name, managedPolicyNames());
  return match === undefined ? undefined : policyRef(findManagedPolicy(match)!, asArn);
}

/** Why an action in a statement is not acceptable, or undefined when it is fine. */
export function checkAction(action: string): Message | undefined {
  if (action === '*') return undefined;
  const parts = action.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return msg.invalidActionSyntax(action);
  const [service] = parts;
  const name = parts[1];
  if (!hasWildcard(service) && !serviceExists(service)) {
    // The closest service that has an action close to this one; its closest action (never an invalid suggestion).
    const near = closest(service, listServices());
    const fallback = near === undefined ? undefined : closest(`${near}:${name}`, listActions(near));
    return msg.unknownActionService(action, service, msg.suggestAction(action, service, fallback ? [fallback] : [], actionsNamed(name)));
  }
  if (hasWildcard(action)) return expandActionPattern(action).length === 0 ? msg.patternMatchesNothing(action) : undefined;
  if (actionExists(action)) return undefined;
  return msg.unknownAction(action, msg.suggestAction(action, service, listActions(service), hasWildcard(name) ? [] : actionsNamed(name)));
}

/** Runs every cross-reference check; problems go to `report`, resolutions are returned. */
export function checkReferences(sections: Sections, report: Report, reference: ReferenceTime): ReferenceResult {
  const checker = new Checker(sections, report, reference);
  checker.run();
  const grants: ReferenceResult['grants'] = {};
  for (const fn of Object.keys(checker.grants).sort()) {
    grants[fn] = {};
    for (const account of Object.keys(checker.grants[fn]).sort()) {
      const byRole = checker.grants[fn][account];
      grants[fn][account] = Object.keys(byRole)
        .sort()
        .map((role) => {
          const g = byRole[role];
          const out: FunctionGrant = { role: g.role, permissionSets: [...g.sets].sort(), sessionDuration: g.sessionDuration };
          if (g.until !== undefined) out.until = g.until;
          return out;
        });
    }
  }
  const managedPolicyArns: ReferenceResult['managedPolicyArns'] = {};
  for (const set of Object.keys(checker.managedPolicyArns).sort()) managedPolicyArns[set] = checker.managedPolicyArns[set];
  return { grants, managedPolicyArns };
}
